// <py-notebook>: the cell list of a NotebookSession with JupyterLab's multi-cell selection,
// command/edit modes and keys, drag-and-drop reordering, and the panels (find, contents,
// shortcuts, palette). Commands come from one registry; state and actions from the controller.
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { outputText } from '../notebook/find';
import type { CellType } from '../notebook/model';
import type { ChangeDetail, NotebookSession } from '../notebook/session';
import type { WidgetDisplay } from '../render/types';
import { CellDrag, cellIdOf } from './cell-drag';
import { icon } from './icons';
import { keyName, KeySequence } from './keymap';
import { announcementFor } from './notebook-announce';
import { bindingsFor, COMMANDS, shortcutOf, type NotebookCommand, type ToolbarGroup } from './notebook-commands';
import { isHidden, NotebookController, type Mode } from './notebook-controller';
import { notebookStyles } from './notebook-styles';
import type { PyCell } from './py-cell';
import { clearOutputHighlights, highlightOutputMatches } from './find-highlight';
import type { FindMatchesDetail, FindShowDetail } from './py-find';
import type { Completer, EditorKeyDetail } from './py-editor';
import './py-cell';
import './py-command-palette';
import './py-find';
import './py-shortcuts';
import './py-toc';

export type { Mode } from './notebook-controller';

/** py-notebook-mode: command/edit mode changed. */
export interface NotebookModeDetail {
  mode: Mode;
}

const GROUPS: readonly ToolbarGroup[] = ['cell', 'run', 'kernel', 'view'];
const BINDINGS = { command: bindingsFor('command'), edit: bindingsFor('edit') };
/**
 * A notebook opens in slices of cells, one slice per task, so no task blocks input for long (a
 * 50 ms task is where input starts to feel late). The first slice fills the screen; each later one
 * is sized from the last one's cost per cell (ms of main-thread time, script and drawing) to take
 * about SLICE_BUDGET_MS: a slow or busy machine gets smaller slices, a fast one larger.
 */
const FIRST_SLICE = 10;
const SLICE_BUDGET_MS = 16;
const MAX_SLICE = 50;

/** Resolves at the start of a new task (a MessageChannel message: unlike nested timers, no 4 ms clamp). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/**
 * @fires py-notebook-mode - CustomEvent<{ mode: Mode }> when command/edit mode changes
 */
export class PyNotebook extends LitElement {
  static override styles = notebookStyles;

  @property({ attribute: false }) session: NotebookSession | undefined;
  @property({ attribute: false }) completer: Completer | undefined;
  /** Live widgets of the session's runtime (src/widgets/host.ts), passed to every cell's output. */
  @property({ attribute: false }) widgets: WidgetDisplay | undefined;
  /** What the live region last said (a cell started or finished running). */
  @state() announcement: string = '';

  readonly controller = new NotebookController(this);
  #keys = { command: new KeySequence(() => BINDINGS.command.keys()), edit: new KeySequence(() => BINDINGS.edit.keys()) };
  #listening: NotebookSession | undefined;
  #runStates = new Map<string, string>();
  readonly #drag = new CellDrag(this);
  /** The find match last marked as current in an output. */
  #markedCurrent: string | undefined;
  /** How many cells are rendered; grows by one slice per task until all are. */
  #rendered = FIRST_SLICE;
  /** Cells in the next slice (learned from the last slice's cost). */
  #slice = FIRST_SLICE;
  #slicing = false;

  constructor() {
    super();
    this.addEventListener('keydown', (event) => this.#onKeyDown(event));
    this.addEventListener('py-editor-key', (event) => this.#onEditorKey(event));
    this.addEventListener('py-editor-change', (event) => {
      const id = cellIdOf(event);
      if (id) this.session?.setSource(id, event.detail.value);
    });
    this.addEventListener('py-editor-focus', (event) => {
      const id = cellIdOf(event);
      if (id && this.controller.activeId !== id) this.controller.select(id, 'edit');
      else this.controller.setMode('edit');
    });
    this.addEventListener('py-cell-select', (event) => {
      const { id, edit, extend } = event.detail;
      if (extend && !edit) this.controller.extendTo(id);
      else this.controller.select(id, edit ? 'edit' : 'command');
    });
    this.addEventListener('py-cell-toggle', (event) => {
      const { id, part } = event.detail;
      const hidden = !isHidden(this.session?.cell(id), part);
      this.session?.setMetadata(id, 'jupyter', { [part === 'source' ? 'source_hidden' : 'outputs_hidden']: hidden || undefined });
    });
  }

  get mode(): Mode {
    return this.controller.mode;
  }
  /** The active cell's id (the head of the selection). */
  get selectedId(): string | undefined {
    return this.controller.activeId;
  }
  /** Every selected cell's id, in notebook order. */
  get selectedIds(): string[] {
    return this.controller.selectedIds();
  }

  /** Select a cell, in command mode (the cell has focus) or edit mode (its editor has focus). */
  select(id: string, mode: Mode = 'command'): void {
    this.controller.select(id, mode);
  }

  /** Run a registry command by id (as the palette does). Unknown ids throw. */
  execute(id: string): void {
    const command = COMMANDS.find((c) => c.id === id);
    if (!command) throw new Error(`no notebook command '${id}'`);
    this.#run(command);
  }

  cellElement(id: string): PyCell | null {
    return this.renderRoot.querySelector<PyCell>(`py-cell[data-id="${CSS.escape(id)}"]`);
  }

  modeChanged(mode: Mode): void {
    this.dispatchEvent(
      new CustomEvent('py-notebook-mode', { detail: { mode } satisfies NotebookModeDetail, bubbles: true, composed: true }),
    );
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session') && this.session !== this.#listening) {
      this.#listening?.removeEventListener('change', this.#onChange);
      this.#listening = this.session;
      this.session?.addEventListener('change', this.#onChange);
      if (this.session) {
        this.session.onInput = (id, request) => {
          const element = this.cellElement(id);
          return element ? element.askInput(request) : Promise.resolve(undefined);
        };
      }
      this.#runStates.clear();
      this.#rendered = FIRST_SLICE;
      this.controller.reset();
    }
    this.controller.repair();
  }

  override render() {
    const session = this.session;
    if (!session) return html``;
    const c = this.controller;
    const selected = new Set(c.selectedIds());
    const active = session.cell(c.activeId ?? '');
    return html`
      <div class="toolbar" role="toolbar" aria-label="Notebook actions">
        ${GROUPS.map((group) => html`<div class="group">${COMMANDS.filter((command) => command.toolbar?.group === group).map((command) => this.#button(command))}</div>`)}
        <select aria-label="Cell type" title="Cell type (Y code, M Markdown, R raw)" .value=${active?.cell_type ?? 'code'} @change=${(e: Event) => c.setType((e.target as HTMLSelectElement).value as CellType)}>
          <option value="code">Code</option>
          <option value="markdown">Markdown</option>
          <option value="raw">Raw</option>
        </select>
        <span class="mode">${c.mode === 'edit' ? 'Edit mode' : 'Command mode'}<span class="visually-hidden">${c.mode === 'edit' ? ' (Esc: command mode)' : ' (Enter: edit, H: shortcuts)'}</span></span>
      </div>
      ${
        c.panels.has('find')
          ? html`<py-find .session=${session} @py-panel-close=${() => this.#closePanel('find')}
        @py-find-show=${(e: CustomEvent<FindShowDetail>) => void this.#showMatch(e.detail)}
        @py-find-matches=${(e: CustomEvent<FindMatchesDetail>) => void this.#markOutputs(e.detail)}></py-find>`
          : nothing
      }
      <div class="body">
        ${c.panels.has('toc') ? html`<py-toc .cells=${session.cells} .activeId=${c.activeId} @py-toc-jump=${(e: HTMLElementEventMap['py-toc-jump']) => c.reveal(e.detail.id)}></py-toc>` : nothing}
        <div class="cells" role="list" aria-label="Cells"
          @dragstart=${this.#drag.onDragStart} @dragover=${this.#drag.onDragOver} @dragleave=${this.#drag.clearDrop} @drop=${this.#drag.onDrop} @dragend=${this.#drag.onDragEnd}>
          ${repeat(
            session.cells.slice(0, this.#rendered),
            (cell) => cell.id,
            (cell, index) => html`<py-cell
              role="listitem"
              data-id=${cell.id}
              .cell=${cell}
              .position=${index + 1}
              .runState=${session.runState(cell.id)}
              .selected=${selected.has(cell.id)}
              .active=${cell.id === c.activeId}
              .editing=${cell.cell_type !== 'markdown' || c.editingMarkdown.has(cell.id)}
              .lineNumbers=${c.lineNumbers}
              .completer=${this.completer}
              .widgets=${this.widgets}
            ></py-cell>`,
          )}
        </div>
      </div>
      <button type="button" class="add" title="Add a code cell at the end" @click=${() => c.append()}>${icon('add')} Add cell</button>
      <div class="run-status visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
      <py-shortcuts .commands=${COMMANDS} .open=${c.panels.has('help')} @py-panel-close=${() => this.#closePanel('help')}></py-shortcuts>
      <py-command-palette .commands=${COMMANDS} .open=${c.panels.has('palette')} @py-panel-close=${() => this.#closePanel('palette')}
        @py-command=${(e: HTMLElementEventMap['py-command']) => this.execute(e.detail.id)}></py-command-palette>
    `;
  }

  protected override updated(): void {
    if (this.#rendered < this.#cellCount()) void this.#renderSlices();
  }

  #cellCount(): number {
    return this.session?.cells.length ?? 0;
  }

  /** Render the remaining cells a slice per task, each slice sized from what the last one cost. */
  async #renderSlices(): Promise<void> {
    if (this.#slicing) return;
    this.#slicing = true;
    try {
      await nextTask();
      while (this.#rendered < this.#cellCount()) {
        const start = performance.now();
        const before = this.#rendered;
        this.#rendered = Math.min(this.#cellCount(), before + this.#slice);
        this.requestUpdate();
        // The slice renders in this task; a frame drawing it may follow. Both are over when the
        // next task starts, so the time until then is what the slice cost the main thread.
        await nextTask();
        const added = this.#rendered - before;
        if (added > 0) {
          const perCell = (performance.now() - start) / added;
          this.#slice = Math.max(1, Math.min(MAX_SLICE, Math.floor(SLICE_BUDGET_MS / Math.max(perCell, 0.1))));
        }
      }
    } finally {
      this.#slicing = false;
    }
  }

  #button(command: NotebookCommand) {
    const key = shortcutOf(command);
    const pressed =
      command.id === 'toggle-line-numbers'
        ? this.controller.lineNumbers
        : command.id === 'toggle-toc'
          ? this.controller.panels.has('toc')
          : undefined;
    return html`<button type="button" class="icon-button" aria-label=${command.label} title=${key ? `${command.label} (${key})` : command.label}
      aria-pressed=${pressed === undefined ? nothing : String(pressed)} @click=${() => this.#run(command)}>${command.toolbar ? icon(command.toolbar.icon) : nothing}</button>`;
  }

  #run(command: NotebookCommand): void {
    if (this.session) command.run(this.controller, this.session);
  }

  #closePanel(panel: 'find' | 'help' | 'palette'): void {
    if (!this.controller.panels.has(panel)) return;
    if (panel === 'find') clearOutputHighlights();
    this.controller.toggle(panel, false);
    this.controller.restoreFocus();
  }

  /** A find result: select its cell without taking focus from the find box, mark the text (an output's is marked by #markOutputs). */
  async #showMatch(detail: FindShowDetail): Promise<void> {
    const { cellId, from, to, output } = detail.match;
    this.controller.selectQuietly(cellId);
    await this.updateComplete;
    const element = this.cellElement(cellId);
    element?.scrollIntoView({ block: 'nearest' });
    if (output === undefined) await element?.showRange(from, to);
  }

  /** Highlight the find bar's matches in outputs once the cells they are in have rendered. */
  async #markOutputs({ matches, current }: FindMatchesDetail): Promise<void> {
    await this.updateComplete;
    if (!this.controller.panels.has('find')) return;
    const shown = highlightOutputMatches(
      matches,
      current,
      (id) => this.cellElement(id)?.outputElement ?? null,
      (match) => {
        const cell = this.session?.cell(match.cellId);
        const output = cell?.cell_type === 'code' && match.output !== undefined ? cell.outputs[match.output] : undefined;
        return (output && outputText(output)?.slice(match.from, match.to)) ?? '';
      },
    );
    // Scrolled to once when it becomes current, not again as outputs stream in.
    const key = current && `${current.cellId} ${current.output ?? ''} ${current.from}`;
    if (shown && key !== this.#markedCurrent) shown.startContainer.parentElement?.scrollIntoView({ block: 'nearest' });
    this.#markedCurrent = key;
  }

  // ---- keys ----
  #onEditorKey(event: CustomEvent<EditorKeyDetail>): void {
    event.stopPropagation();
    const c = this.controller;
    const id = cellIdOf(event);
    if (id && id !== c.activeId) c.select(id, 'edit');
    switch (event.detail.key) {
      case 'run':
        return c.run('next');
      case 'run-in-place':
        return c.run('stay');
      case 'run-insert-below':
        return c.run('insert');
      case 'escape':
        return c.leaveEdit(id);
      case 'up-out':
        return c.selectRelative(-1, 'edit', 'end');
      case 'down-out':
        return c.selectRelative(1, 'edit', 'start');
    }
  }

  #onKeyDown(event: KeyboardEvent): void {
    if (event.defaultPrevented) return;
    const mode = this.controller.mode;
    // Keys typed into the toolbar, a panel, an input() box or an output's own controls are theirs.
    const origin = event.composedPath()[0];
    if (
      mode === 'command' &&
      origin instanceof HTMLElement &&
      origin.closest('input, select, textarea, button, form, dialog, [contenteditable]')
    )
      return;
    if (mode === 'edit' && !event.composedPath().some((node) => node instanceof HTMLElement && node.localName === 'py-editor')) return;
    const name = keyName(event);
    if (!name) return;
    const binding = this.#keys[mode].feed(name, event.timeStamp);
    const command = binding ? BINDINGS[mode].get(binding) : undefined;
    if (command) {
      event.preventDefault();
      this.#run(command);
    } else if (this.#keys[mode].waiting) {
      event.preventDefault();
    }
  }

  #onChange = (event: Event) => {
    const detail = (event as CustomEvent<ChangeDetail>).detail;
    const session = this.session;
    // Another notebook in the same session (only replace() changes structure without persisting).
    if (detail.structure && !detail.persist) this.#rendered = FIRST_SLICE;
    if (session && !detail.structure) {
      const said = announcementFor(session, detail.cells, this.#runStates);
      if (said) this.announcement = said;
    }
    this.requestUpdate();
  };
}

if (!customElements.get('py-notebook')) customElements.define('py-notebook', PyNotebook);

declare global {
  interface HTMLElementTagNameMap {
    'py-notebook': PyNotebook;
  }
  interface HTMLElementEventMap {
    'py-notebook-mode': CustomEvent<NotebookModeDetail>;
  }
}
