// <py-cell>: one notebook cell — prompt with execution count or run state, a CodeMirror editor,
// outputs, and for Markdown cells the rendered text. It renders; the notebook decides and runs.
import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { DisplayDataOutput, MimeBundle } from '../protocol';
import type { InputRequest } from '../runtime/runtime';
import type { Cell } from '../notebook/model';
import type { CellRunState } from '../notebook/session';
import { askInput } from './input-box';
import type { Completer, PyEditor } from './py-editor';
import './py-editor';
import './py-output';

/**
 * @fires py-cell-select - CustomEvent<{ id: string; edit: boolean }> when clicked or focused
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
      border-left-color: var(--pyloom-selected, #2f6fde);
      background: var(--pyloom-selected-bg, #f2f6fd);
    }
    :host([selected]:focus-visible) {
      box-shadow: 0 0 0 2px var(--pyloom-focus, #2f6fde) inset;
    }
    .prompt {
      font: 13px/1.9 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      color: #5a6275;
      text-align: right;
      white-space: nowrap;
      user-select: none;
    }
    .prompt.running {
      color: #b35900;
      font-weight: bold;
    }
    .prompt.queued {
      color: #8a6d00;
    }
    .body {
      min-width: 0;
    }
    py-output {
      margin-top: 4px;
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
  /** Markdown cells: show the editor instead of the rendered text. Code cells always edit. */
  @property({ type: Boolean, reflect: true }) editing: boolean = false;
  @property({ attribute: false }) completer: Completer | undefined;

  constructor() {
    super();
    // The cell itself takes focus in command mode, so keyboard users see where they are.
    this.tabIndex = -1;
    this.setAttribute('role', 'group');
    this.addEventListener('click', (event) => this.#select(event, false));
    this.addEventListener('dblclick', (event) => {
      if (this.cell?.cell_type === 'markdown' && !this.editing) this.#select(event, true);
    });
  }

  get editor(): PyEditor | null {
    return this.renderRoot.querySelector('py-editor');
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
    return html`
      ${this.#prompt(cell)}
      <div class="body">
        ${cell.cell_type === 'markdown' && !this.editing
          ? this.#renderedMarkdown(cell)
          : html`<py-editor
              .value=${cell.source}
              .language=${cell.cell_type === 'code' ? 'python' : 'markdown'}
              .completer=${cell.cell_type === 'code' ? this.completer : undefined}
              .label=${`${kind} cell ${this.position} source`}
            ></py-editor>`}
        ${cell.cell_type === 'code'
          ? html`<py-output .outputs=${cell.outputs} aria-label=${`Output of cell ${this.position}`}></py-output>
              <div class="input-area"></div>`
          : nothing}
      </div>
    `;
  }

  #prompt(cell: Cell) {
    if (cell.cell_type !== 'code') return html`<div class="prompt" part="prompt"></div>`;
    if (this.runState === 'running') return html`<div class="prompt running" part="prompt" title="running" aria-label="running">[*]:</div>`;
    if (this.runState === 'queued') return html`<div class="prompt queued" part="prompt" title="queued" aria-label="queued">[…]:</div>`;
    const count = cell.execution_count;
    return html`<div class="prompt" part="prompt" aria-label=${count === null ? 'not run' : `execution count ${count}`}>[${count ?? ' '}]:</div>`;
  }

  #renderedMarkdown(cell: Cell) {
    const source = cell.cell_type === 'markdown' ? withAttachments(cell.source, cell.attachments) : '';
    if (!source.trim()) return html`<div class="markdown empty">Empty Markdown cell: double-click or press Enter to edit</div>`;
    const output: DisplayDataOutput = { output_type: 'display_data', data: { 'text/markdown': source }, metadata: {} };
    return html`<py-output class="markdown" .outputs=${[output]}></py-output>`;
  }

  #select(event: Event, edit: boolean): void {
    // Clicks on links or input boxes inside outputs keep their own meaning.
    const inEditor = event.composedPath().some((node) => node instanceof HTMLElement && node.localName === 'py-editor');
    if (!this.cell) return;
    const detail: CellSelectDetail = { id: this.cell.id, edit: edit || inEditor };
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
    return mime === 'image/svg+xml' ? `data:${mime};charset=utf-8,${encodeURIComponent(data)}` : `data:${mime};base64,${data.replace(/\s/g, '')}`;
  });
}

if (!customElements.get('py-cell')) customElements.define('py-cell', PyCell);

/** `py-cell-select`: the user picked this cell, in edit mode when `edit`. */
export interface CellSelectDetail {
  id: string;
  edit: boolean;
}

declare global {
  interface HTMLElementTagNameMap {
    'py-cell': PyCell;
  }
  interface HTMLElementEventMap {
    'py-cell-select': CustomEvent<CellSelectDetail>;
  }
}
