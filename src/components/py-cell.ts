// <py-cell>: one notebook cell — prompt with execution count or run state (also the drag handle),
// collapsers for input and outputs, a CodeMirror editor, outputs, and for Markdown cells the
// rendered text. It renders; the notebook decides and runs.
import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { DisplayDataOutput, MimeBundle } from '../protocol';
import type { InputRequest } from '../runtime/runtime';
import type { Cell } from '../notebook/model';
import type { CellRunState } from '../notebook/session';
import { isHidden } from './notebook-controller';
import { askInput } from './input-box';
import type { Completer, PyEditor } from './py-editor';
import type { PyOutput } from './py-output';
import './py-editor';
import './py-output';
import type { WidgetDisplay } from '../render/types';

/** py-cell-select: the user picked this cell; `edit` enters edit mode, `extend` (shift-click) grows the selection. */
export interface CellSelectDetail {
  id: string;
  edit: boolean;
  extend: boolean;
}

/** py-cell-toggle: the user collapsed or expanded the cell's source or outputs. */
export interface CellToggleDetail {
  id: string;
  part: 'source' | 'outputs';
}

/**
 * @fires py-cell-select - CustomEvent<{ id: string; edit: boolean; extend: boolean }> when clicked (extend: Shift held)
 * @fires py-cell-toggle - CustomEvent<{ id: string; part: 'source' | 'outputs' }> a collapser was pressed
 * @csspart prompt - the `[n]:` column
 */
export class PyCell extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      grid-template-columns: 4.5rem minmax(0, 1fr);
      gap: 0 0.5rem;
      padding: 4px 6px 4px 0;
      border-left: 4px solid transparent;
      border-radius: 2px;
      outline: none;
    }
    :host([selected]) {
      border-left-color: var(--pyloom-selected-edge, #8fb0ea);
      background: var(--pyloom-selected-bg, #f2f6fd);
    }
    :host([active]) {
      border-left-color: var(--pyloom-accent, #2f6fde);
    }
    :host(:focus-visible) {
      box-shadow: 0 0 0 2px var(--pyloom-focus, #2f6fde) inset;
    }
    .prompt {
      font: 13px/1.9 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      color: var(--pyloom-muted, #545b6b);
      text-align: right;
      white-space: nowrap;
      user-select: none;
      cursor: grab;
      min-height: 1.9em;
    }
    .prompt.running {
      color: var(--pyloom-running-color, #a14c00);
      font-weight: bold;
    }
    .prompt.queued {
      color: var(--pyloom-queued-color, #735b00);
    }
    .collapser {
      display: block;
      width: 100%;
      margin: 2px 0;
      padding: 1px 6px;
      text-align: left;
      font: 12px system-ui, sans-serif;
      color: var(--pyloom-muted, #545b6b);
      background: var(--pyloom-panel-bg, #f7f8fa);
      border: 1px dashed var(--pyloom-control-border, #8c93a3);
      border-radius: 4px;
      cursor: pointer;
    }
    .gutter {
      display: flex;
      flex-direction: column;
      align-items: stretch;
    }
    .bars {
      display: flex;
      flex-direction: column;
      align-items: flex-end;
      gap: 2px;
    }
    .bar {
      width: 10px;
      height: 14px;
      padding: 0;
      border: 0;
      border-radius: 2px;
      background: transparent;
      cursor: pointer;
      color: var(--pyloom-muted, #545b6b);
      font: 10px/14px system-ui, sans-serif;
    }
    :host(:hover) .bar,
    :host([selected]) .bar,
    .bar:focus-visible {
      background: var(--pyloom-selected-edge, #8fb0ea);
    }
    .collapser:focus-visible,
    .bar:focus-visible {
      outline: 2px solid var(--pyloom-focus, #2f6fde);
    }
    .body {
      min-width: 0;
    }
    py-output {
      margin-top: 4px;
    }
    py-output[prompts] {
      margin-left: -5rem;
      --pyloom-prompt-width: 4.5rem;
    }
    .markdown {
      padding: 2px 8px;
      min-height: 1.5rem;
      cursor: text;
    }
    .markdown.empty {
      color: #8a8f99;
      font-style: italic;
    }
    .input-area:empty {
      display: none;
    }
    .input-area form {
      margin: 4px 0;
      font: 13px ui-monospace, monospace;
    }
  `;

  @property({ attribute: false }) cell: Cell | undefined;
  /** 1-based position, for accessible names ("Code cell 3"). */
  @property({ type: Number }) position: number = 1;
  @property({ attribute: false }) runState: CellRunState | undefined;
  @property({ type: Boolean, reflect: true }) selected: boolean = false;
  /** The active cell of the selection (keys act on it, it has the focus ring). */
  @property({ type: Boolean, reflect: true }) active: boolean = false;
  @property({ attribute: false }) lineNumbers: boolean = false;
  /** Markdown cells: show the editor instead of the rendered text. Code cells always edit. */
  @property({ type: Boolean, reflect: true }) editing: boolean = false;
  @property({ attribute: false }) completer: Completer | undefined;
  /** Live widgets of the notebook's runtime, handed to the cell's <py-output>. */
  @property({ attribute: false }) widgets: WidgetDisplay | undefined;

  #markdown: { source: string; outputs: DisplayDataOutput[] } | undefined;

  constructor() {
    super();
    // The cell itself takes focus in command mode, so keyboard users see where they are.
    this.tabIndex = -1;
    this.addEventListener('click', (event) => this.#select(event, false));
    this.addEventListener('dblclick', (event) => {
      if (this.cell?.cell_type === 'markdown' && !this.editing) this.#select(event, true);
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A list of cells makes each a listitem; alone, a cell is a named group.
    if (!this.hasAttribute('role')) this.setAttribute('role', 'group');
  }

  get editor(): PyEditor | null {
    return this.renderRoot.querySelector('py-editor');
  }

  /** The code cell's outputs (not a Markdown cell's rendered text). */
  get outputElement(): PyOutput | null {
    return this.renderRoot.querySelector<PyOutput>('py-output[prompts]');
  }

  /** Edit mode: focus the editor (after it renders, for a Markdown cell switching to edit). */
  async focusEditor(where?: 'start' | 'end'): Promise<void> {
    await this.updateComplete;
    const editor = this.editor;
    if (!editor) return;
    await editor.updateComplete;
    editor.focus();
    if (where) editor.placeCursor(where);
  }

  /** The editor's selection as offsets into the source (a cursor gives one, a range two). */
  cursorOffsets(): number[] {
    const view = this.editor?.view;
    if (!view) return [];
    return view.state.selection.ranges.flatMap((range) => (range.empty ? [range.head] : [range.from, range.to]));
  }

  /** Mark source text (a find match) without taking focus. */
  async showRange(from: number, to: number): Promise<void> {
    await this.updateComplete;
    const editor = this.editor;
    await editor?.updateComplete;
    editor?.markRange(from, to);
  }

  /** Ask for a line for input()/getpass(), in this cell's output area. */
  askInput(request: InputRequest): Promise<string> {
    return askInput(this.renderRoot.querySelector<HTMLElement>('.input-area')!, request);
  }

  override willUpdate(): void {
    // Docs pages use <py-cell>source</py-cell> as embed markup; without a cell model, show nothing.
    if (!this.cell) return;
    const kind = { code: 'Code', markdown: 'Markdown', raw: 'Raw' }[this.cell.cell_type];
    this.setAttribute('aria-label', `${kind} cell ${this.position}`);
    this.dataset['type'] = this.cell.cell_type;
    if (this.runState) this.dataset['state'] = this.runState;
    else delete this.dataset['state'];
  }

  override render() {
    const cell = this.cell;
    if (!cell) return html`<slot></slot>`;
    const kind = { code: 'Code', markdown: 'Markdown', raw: 'Raw' }[cell.cell_type];
    const sourceHidden = isHidden(cell, 'source');
    const outputsHidden = isHidden(cell, 'outputs');
    const outputs = cell.cell_type === 'code' ? cell.outputs : [];
    return html`
      <div class="gutter">
        ${this.#prompt(cell)}
        <div class="bars">
          ${sourceHidden ? nothing : html`<button type="button" class="bar" aria-expanded="true" aria-label=${`Hide input of cell ${this.position}`} title="Collapse input" @click=${() => this.#toggle('source')}></button>`}
          ${
            cell.cell_type === 'code' && !outputsHidden && outputs.length
              ? html`<button type="button" class="bar" aria-expanded="true" aria-label=${`Hide outputs of cell ${this.position}`} title="Collapse outputs" @click=${() => this.#toggle('outputs')}></button>`
              : nothing
          }
        </div>
      </div>
      <div class="body">
        ${
          sourceHidden
            ? html`<button type="button" class="collapser" aria-expanded="false" @click=${() => this.#toggle('source')}>Input of cell ${this.position} hidden: show</button>`
            : cell.cell_type === 'markdown' && !this.editing
              ? this.#renderedMarkdown(cell)
              : html`<py-editor
                .value=${cell.source}
                .language=${cell.cell_type === 'code' ? 'python' : 'markdown'}
                .completer=${cell.cell_type === 'code' ? this.completer : undefined}
                .lineNumbers=${this.lineNumbers}
                .label=${`${kind} cell ${this.position} source`}
              ></py-editor>`
        }
        ${
          cell.cell_type === 'code'
            ? html`${
                outputsHidden
                  ? html`<button type="button" class="collapser" aria-expanded="false" @click=${() => this.#toggle('outputs')}>${outputs.length} output${outputs.length === 1 ? '' : 's'} hidden: show</button>`
                  : html`<py-output .outputs=${outputs} .widgets=${this.widgets} prompts aria-label=${`Output of cell ${this.position}`}></py-output>`
              }
              <div class="input-area"></div>`
            : nothing
        }
      </div>
    `;
  }

  #toggle(part: 'source' | 'outputs'): void {
    if (!this.cell) return;
    this.dispatchEvent(
      new CustomEvent('py-cell-toggle', { detail: { id: this.cell.id, part } satisfies CellToggleDetail, bubbles: true, composed: true }),
    );
  }

  #prompt(cell: Cell) {
    // The prompt is the drag handle, as in JupyterLab.
    if (cell.cell_type !== 'code') return html`<div class="prompt" part="prompt" draggable="true" title="Drag to move"></div>`;
    if (this.runState === 'running') return html`<div class="prompt running" part="prompt" draggable="true" title="running">[*]:</div>`;
    if (this.runState === 'queued') return html`<div class="prompt queued" part="prompt" draggable="true" title="queued">[…]:</div>`;
    const count = cell.execution_count;
    return html`<div class="prompt" part="prompt" draggable="true" title=${count === null ? 'not run; drag to move' : `execution count ${count}; drag to move`}>[${count ?? ' '}]:</div>`;
  }

  #renderedMarkdown(cell: Cell) {
    const source = cell.cell_type === 'markdown' ? withAttachments(cell.source, cell.attachments) : '';
    if (!source.trim()) return html`<div class="markdown empty">Empty Markdown cell: double-click or press Enter to edit</div>`;
    // The same list while the text is the same: a cell re-rendered for its position or selection
    // does not parse and sanitize its Markdown again.
    if (this.#markdown?.source !== source) {
      const output: DisplayDataOutput = { output_type: 'display_data', data: { 'text/markdown': source }, metadata: {} };
      this.#markdown = { source, outputs: [output] };
    }
    return html`<py-output class="markdown" .outputs=${this.#markdown.outputs}></py-output>`;
  }

  #select(event: Event, edit: boolean): void {
    // Clicks on links or input boxes inside outputs keep their own meaning.
    const inEditor = event.composedPath().some((node) => node instanceof HTMLElement && node.localName === 'py-editor');
    if (!this.cell) return;
    if (event.composedPath().some((node) => node instanceof HTMLElement && node.localName === 'button')) return;
    const extend = event instanceof MouseEvent && event.shiftKey && !inEditor;
    const detail: CellSelectDetail = { id: this.cell.id, edit: edit || inEditor, extend };
    this.dispatchEvent(new CustomEvent('py-cell-select', { detail, bubbles: true, composed: true }));
  }
}

/** `attachment:name` links of a Markdown cell, pointed at the attached images as data URLs. */
function withAttachments(source: string, attachments: Record<string, MimeBundle> | undefined): string {
  if (!attachments) return source;
  return source.replace(/attachment:([^\s)"']+)/g, (match, name: string) => {
    const bundle = attachments[decodeURIComponent(name)];
    const mime = bundle && Object.keys(bundle).find((m) => m.startsWith('image/') && typeof bundle[m] === 'string');
    if (!bundle || !mime) return match;
    const data = String(bundle[mime]);
    // nbformat stores SVG as text and every other image as base64.
    return mime === 'image/svg+xml'
      ? `data:${mime};charset=utf-8,${encodeURIComponent(data)}`
      : `data:${mime};base64,${data.replace(/\s/g, '')}`;
  });
}

if (!customElements.get('py-cell')) customElements.define('py-cell', PyCell);

declare global {
  interface HTMLElementTagNameMap {
    'py-cell': PyCell;
  }
  interface HTMLElementEventMap {
    'py-cell-select': CustomEvent<CellSelectDetail>;
    'py-cell-toggle': CustomEvent<CellToggleDetail>;
  }
}
