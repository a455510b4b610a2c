// <py-notebook>: the cell list of a NotebookSession with JupyterLab's selection, command/edit
// modes and keyboard model, and a toolbar giving every action a visible, named control.
import { css, html, LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Cell, CellType } from '../notebook/model';
import type { ChangeDetail, NotebookSession } from '../notebook/session';
import type { PyCell } from './py-cell';
import type { Completer, EditorKeyDetail } from './py-editor';
import './py-cell';

export type Mode = 'command' | 'edit';

export interface NotebookModeDetail {
  mode: Mode;
}

/** Two-key commands (D D, I I, 0 0) must be typed within this time. */
const CHORD_MS = 800;

/**
 * @fires py-notebook-mode - CustomEvent<{ mode: Mode }> when command/edit mode changes
 */
export class PyNotebook extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
      align-items: center;
      position: sticky;
      top: 0;
      z-index: 2;
      padding: 6px 0;
      background: var(--pyloom-page-bg, #fff);
      border-bottom: 1px solid #e3e5ea;
      margin-bottom: 8px;
    }
    .toolbar .group {
      display: flex;
      gap: 2px;
      padding-right: 6px;
      margin-right: 2px;
      border-right: 1px solid #e3e5ea;
    }
    button,
    select {
      font: 13px system-ui, sans-serif;
      padding: 3px 8px;
      border: 1px solid #c9ced8;
      border-radius: 4px;
      background: #fff;
      color: #1d2330;
      cursor: pointer;
    }
    button:hover {
      background: #eef1f6;
    }
    button:focus-visible,
    select:focus-visible {
      outline: 2px solid var(--pyloom-focus, #2f6fde);
      outline-offset: 1px;
    }
    .mode {
      margin-left: auto;
      font: 12px system-ui, sans-serif;
      color: #5a6275;
    }
    .cells {
      display: flex;
      flex-direction: column;
      gap: 6px;
    }
    .add {
      margin: 10px 0 0 5rem;
    }
  `;

  @property({ attribute: false }) session: NotebookSession | undefined;
  @property({ attribute: false }) completer: Completer | undefined;
  @state() selectedId: string | undefined;
  @state() mode: Mode = 'command';

  #chord: { key: string; at: number } | undefined;
  /** Markdown cells showing their editor. */
  #editingMarkdown = new Set<string>();
  /** Cells copied or cut with C / X, pasted with V. */
  #clipboard: Cell[] = [];
  #focusAfterUpdate: 'cell' | 'editor' | undefined;
  #listening: NotebookSession | undefined;

  constructor() {
    super();
    this.addEventListener('keydown', (event) => this.#onKeyDown(event));
    this.addEventListener('py-editor-key', (event) => this.#onEditorKey(event));
    this.addEventListener('py-editor-change', (event) => {
      const id = this.#cellIdOf(event);
      if (id) this.session?.setSource(id, event.detail.value);
    });
    this.addEventListener('py-editor-focus', (event) => {
      const id = this.#cellIdOf(event);
      if (id) {
        this.selectedId = id;
        this.#setMode('edit');
      }
    });
    this.addEventListener('py-cell-select', (event) => {
      const { id, edit } = event.detail;
      this.select(id, edit ? 'edit' : 'command');
    });
  }

  /** Select a cell, in command mode (the cell has focus) or edit mode (its editor has focus). */
  select(id: string, mode: Mode = 'command'): void {
    const cell = this.session?.cell(id);
    if (!cell) return;
    this.selectedId = id;
    if (mode === 'edit' && cell.cell_type === 'markdown') this.#editingMarkdown.add(id);
    this.#setMode(mode);
    this.#focusAfterUpdate = mode === 'edit' ? 'editor' : 'cell';
    this.requestUpdate();
  }

  get selectedCell(): Cell | undefined {
    return this.selectedId ? this.session?.cell(this.selectedId) : undefined;
  }

  cellElement(id: string): PyCell | null {
    return this.renderRoot.querySelector<PyCell>(`py-cell[data-id="${CSS.escape(id)}"]`);
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
      this.#editingMarkdown.clear();
      this.selectedId = this.session?.cells[0]?.id;
    }
    // A deleted or replaced selection moves to a cell that exists.
    const session = this.session;
    if (session && (!this.selectedId || !session.cell(this.selectedId))) this.selectedId = session.cells[0]?.id;
  }

  protected override updated(): void {
    const target = this.#focusAfterUpdate;
    this.#focusAfterUpdate = undefined;
    const element = this.selectedId ? this.cellElement(this.selectedId) : null;
    if (!target || !element) return;
    if (target === 'editor') void element.focusEditor();
    else {
      element.focus({ preventScroll: true });
      element.scrollIntoView({ block: 'nearest' });
    }
  }

  override render() {
    const session = this.session;
    if (!session) return html``;
    const cells = session.cells;
    const selected = this.selectedCell;
    return html`
      <div class="toolbar" role="toolbar" aria-label="Notebook actions">
        <div class="group">
          <button type="button" title="Insert a cell above (A)" @click=${() => this.#insert(0)}>+ Above</button>
          <button type="button" title="Insert a cell below (B)" @click=${() => this.#insert(1)}>+ Below</button>
          <button type="button" title="Delete the cell (D, D)" @click=${() => this.#deleteSelected()}>Delete</button>
          <button type="button" title="Undo cell deletion (Z)" @click=${() => this.#undoDelete()}>Undo delete</button>
          <button type="button" aria-label="Move cell up" title="Move cell up (Ctrl+Shift+Up)" @click=${() => this.#move(-1)}>↑</button>
          <button type="button" aria-label="Move cell down" title="Move cell down (Ctrl+Shift+Down)" @click=${() => this.#move(1)}>↓</button>
          <select aria-label="Cell type" title="Cell type (Y code, M Markdown, R raw)" .value=${selected?.cell_type ?? 'code'} @change=${(e: Event) => this.#setType((e.target as HTMLSelectElement).value as CellType)}>
            <option value="code">Code</option>
            <option value="markdown">Markdown</option>
            <option value="raw">Raw</option>
          </select>
        </div>
        <div class="group">
          <button type="button" title="Run the cell and select the next (Shift+Enter)" @click=${() => this.#run('next')}>▶ Run</button>
          <button type="button" title="Run all cells" @click=${() => this.#runAll()}>Run all</button>
          <button type="button" title="Run all cells above the selected one" @click=${() => this.#withSelected((id) => this.session?.runAbove(id))}>Run above</button>
          <button type="button" title="Run the selected cell and all below" @click=${() => this.#withSelected((id) => this.session?.runBelow(id))}>Run below</button>
        </div>
        <div class="group">
          <button type="button" title="Interrupt the running cell (I, I)" @click=${() => void this.session?.interrupt()}>■ Interrupt</button>
          <button type="button" title="Restart the runtime: variables are lost (0, 0)" @click=${() => void this.session?.restart()}>Restart</button>
          <button type="button" title="Restart the runtime and run all cells" @click=${() => void this.session?.restartAndRunAll()}>Restart &amp; run all</button>
          <button type="button" title="Clear all outputs" @click=${() => this.session?.clearOutputs()}>Clear outputs</button>
        </div>
        <span class="mode" aria-live="polite">${this.mode === 'edit' ? 'Edit mode (Esc: command mode)' : 'Command mode (Enter: edit)'}</span>
      </div>
      <div class="cells" role="list" aria-label="Cells">
        ${repeat(
          cells,
          (cell) => cell.id,
          (cell, index) => html`<py-cell
            role="listitem"
            data-id=${cell.id}
            .cell=${cell}
            .position=${index + 1}
            .runState=${session.runState(cell.id)}
            .selected=${cell.id === this.selectedId}
            .editing=${cell.cell_type !== 'markdown' || this.#editingMarkdown.has(cell.id)}
            .completer=${this.completer}
          ></py-cell>`,
        )}
      </div>
      <button type="button" class="add" title="Add a code cell at the end" @click=${() => this.#append()}>+ Add cell</button>
    `;
  }

  // ---- actions ----
  #withSelected(action: (id: string) => void): void {
    if (this.selectedId) action(this.selectedId);
  }

  #insert(offset: 0 | 1, type: CellType = 'code', mode: Mode = 'command'): void {
    const session = this.session;
    if (!session) return;
    const index = this.selectedId ? session.index(this.selectedId) + offset : session.cells.length;
    const cell = session.insert(index, type);
    this.select(cell.id, mode);
  }

  #append(): void {
    const session = this.session;
    if (!session) return;
    const cell = session.insert(session.cells.length, 'code');
    this.select(cell.id, 'edit');
  }

  #deleteSelected(): void {
    const session = this.session;
    const id = this.selectedId;
    if (!session || !id) return;
    const index = session.index(id);
    session.delete([id]);
    const next = session.cells[Math.min(index, session.cells.length - 1)];
    if (next) this.select(next.id);
  }

  #undoDelete(): void {
    const cell = this.session?.undoDelete();
    if (cell) this.select(cell.id);
  }

  #move(delta: -1 | 1): void {
    this.#withSelected((id) => {
      this.session?.move(id, delta);
      this.#focusAfterUpdate = this.mode === 'edit' ? 'editor' : 'cell';
    });
  }

  #setType(type: CellType): void {
    this.#withSelected((id) => {
      this.#editingMarkdown.delete(id);
      this.session?.setType(id, type);
      this.#focusAfterUpdate = 'cell';
    });
  }

  /** Run the selected cell (render it, for Markdown), then: select next, stay, or insert below. */
  #run(then: 'next' | 'stay' | 'insert'): void {
    const session = this.session;
    const id = this.selectedId;
    if (!session || !id) return;
    const cell = session.cell(id);
    if (cell?.cell_type === 'code') session.run([id]);
    else this.#editingMarkdown.delete(id);
    const index = session.index(id);
    if (then === 'stay') {
      this.select(id, 'command');
    } else if (then === 'insert' || index === session.cells.length - 1) {
      const added = session.insert(index + 1, 'code');
      this.select(added.id, 'edit');
    } else {
      this.select(session.cells[index + 1]!.id, 'command');
    }
  }

  #runAll(): void {
    for (const cell of this.session?.cells ?? []) if (cell.cell_type === 'markdown') this.#editingMarkdown.delete(cell.id);
    this.session?.runAll();
    this.requestUpdate();
  }

  #selectRelative(delta: -1 | 1, mode: Mode = 'command', cursor?: 'start' | 'end'): void {
    const session = this.session;
    if (!session || !this.selectedId) return;
    const next = session.cells[session.index(this.selectedId) + delta];
    if (!next) return;
    this.select(next.id, mode);
    if (mode === 'edit' && cursor) void this.updateComplete.then(() => this.cellElement(next.id)?.focusEditor(cursor));
  }

  #copy(cut: boolean): void {
    const cell = this.selectedCell;
    if (!cell) return;
    this.#clipboard = [structuredClone(cell)];
    if (cut) this.#deleteSelected();
  }

  #paste(): void {
    const session = this.session;
    if (!session || this.#clipboard.length === 0) return;
    const at = this.selectedId ? session.index(this.selectedId) + 1 : session.cells.length;
    const pasted = session.insertCopies(at, this.#clipboard);
    const last = pasted[pasted.length - 1];
    if (last) this.select(last.id);
  }

  // ---- keys ----
  #onEditorKey(event: CustomEvent<EditorKeyDetail>): void {
    event.stopPropagation();
    const id = this.#cellIdOf(event);
    if (id) this.selectedId = id;
    switch (event.detail.key) {
      case 'run':
        return this.#run('next');
      case 'run-in-place':
        return this.#run('stay');
      case 'run-insert-below':
        return this.#run('insert');
      case 'escape':
        if (id && this.session?.cell(id)?.cell_type === 'markdown' && this.session.cell(id)?.source.trim()) this.#editingMarkdown.delete(id);
        return this.select(id ?? this.selectedId ?? '', 'command');
      case 'up-out':
        return this.#selectRelative(-1, 'edit', 'end');
      case 'down-out':
        return this.#selectRelative(1, 'edit', 'start');
    }
  }

  #onKeyDown(event: KeyboardEvent): void {
    if (this.mode !== 'command' || event.defaultPrevented) return;
    // Keys typed into the toolbar, an input() box or an output's own controls are theirs.
    const origin = event.composedPath()[0];
    if (origin instanceof HTMLElement && origin.closest('input, select, textarea, button, form, [contenteditable]')) return;
    const key = event.key;
    const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
    const chord = (name: string, action: () => void) => {
      const now = Date.now();
      if (this.#chord?.key === name && now - this.#chord.at < CHORD_MS) {
        this.#chord = undefined;
        action();
      } else {
        this.#chord = { key: name, at: now };
      }
    };
    let handled = true;
    if (key === 'Enter' && event.shiftKey) this.#run('next');
    else if (key === 'Enter' && (event.ctrlKey || event.metaKey)) this.#run('stay');
    else if (key === 'Enter' && event.altKey) this.#run('insert');
    else if (key === 'Enter' && plain) this.#withSelected((id) => this.select(id, 'edit'));
    else if ((key === 'ArrowUp' || key === 'ArrowDown') && (event.ctrlKey || event.metaKey) && event.shiftKey) this.#move(key === 'ArrowUp' ? -1 : 1);
    else if (!plain) handled = false;
    else if (key === 'ArrowUp' || key === 'k' || key === 'K') this.#selectRelative(-1);
    else if (key === 'ArrowDown' || key === 'j' || key === 'J') this.#selectRelative(1);
    else if (key === 'a' || key === 'A') this.#insert(0);
    else if (key === 'b' || key === 'B') this.#insert(1);
    else if (key === 'd' || key === 'D') chord('d', () => this.#deleteSelected());
    else if (key === 'z' || key === 'Z') this.#undoDelete();
    else if (key === 'm' || key === 'M') this.#setType('markdown');
    else if (key === 'y' || key === 'Y') this.#setType('code');
    else if (key === 'r' || key === 'R') this.#setType('raw');
    else if (key === 'c' || key === 'C') this.#copy(false);
    else if (key === 'x' || key === 'X') this.#copy(true);
    else if (key === 'v' || key === 'V') this.#paste();
    else if (key === 'i' || key === 'I') chord('i', () => void this.session?.interrupt());
    else if (key === '0') chord('0', () => void this.session?.restart());
    else handled = false;
    if (handled) event.preventDefault();
  }

  #onChange = (event: Event) => {
    const detail = (event as CustomEvent<ChangeDetail>).detail;
    if (detail.structure) {
      for (const id of this.#editingMarkdown) if (!this.session?.cell(id)) this.#editingMarkdown.delete(id);
    }
    this.requestUpdate();
  };

  #setMode(mode: Mode): void {
    if (this.mode === mode) return;
    this.mode = mode;
    this.dispatchEvent(new CustomEvent<NotebookModeDetail>('py-notebook-mode', { detail: { mode }, bubbles: true, composed: true }));
  }

  #cellIdOf(event: Event): string | undefined {
    for (const node of event.composedPath()) {
      if (node instanceof HTMLElement && node.localName === 'py-cell') return node.dataset['id'];
    }
    return undefined;
  }
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
