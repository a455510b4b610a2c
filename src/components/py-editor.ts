// <py-editor>: a CodeMirror 6 editor for one cell (Python or Markdown), with Jupyter's keys left
// to the cell: Shift/Ctrl/Alt+Enter and Escape are reported as events, not handled here.
import {
  acceptCompletion,
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
  completionStatus,
  insertCompletionText,
  startCompletion,
  type CompletionContext,
  type CompletionResult,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentLess, indentMore, insertNewlineAndIndent, toggleComment } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { python } from '@codemirror/lang-python';
import { bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, Prec, type Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers, placeholder, type Command } from '@codemirror/view';
import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { CompletionResult as PyCompletion } from '../protocol';
import { themedHighlightStyle } from './editor-highlight';
import { whenFar, whenNear } from './slice-queue';

/** Serves completions at a cursor (UTF-16 offset); Pyloom's comes from the runtime. */
export type Completer = (code: string, cursor: number) => Promise<PyCompletion>;

export type EditorKey = 'run' | 'run-in-place' | 'run-insert-below' | 'escape' | 'up-out' | 'down-out';

/** py-editor-change: the source as the user left it. */
export interface EditorChangeDetail {
  value: string;
}

export interface EditorKeyDetail {
  key: EditorKey;
}

/**
 * @fires py-editor-change - CustomEvent<{ value: string }> on every edit
 * @fires py-editor-key - CustomEvent<EditorKeyDetail> for the notebook's keys
 * @fires py-editor-focus - the editor got focus (the cell enters edit mode)
 */
export class PyEditor extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font: var(--pyloom-code-font, 14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    }
    .cm-editor {
      background: var(--pyloom-editor-bg, #f7f7f9);
      border: 1px solid var(--pyloom-editor-border, #d8dbe2);
      border-radius: 4px;
    }
    .cm-editor.cm-focused {
      outline: 2px solid var(--pyloom-focus, #2f6fde);
      outline-offset: -1px;
    }
    .cm-scroller {
      font: inherit;
    }
    .cm-content {
      padding: 6px 0;
    }
    /* Until its CodeMirror view exists (views are made in time slices), the text shows as is. */
    .pending {
      margin: 0;
      padding: 6px 2px 6px 7px;
      min-height: 1.45em;
      font: inherit;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      color: var(--pyloom-text-color, #1d2330);
      background: var(--pyloom-editor-bg, #f7f7f9);
      border: 1px solid var(--pyloom-editor-border, #d8dbe2);
      border-radius: 4px;
    }
    .cm-editor:not(.cm-focused) .cm-activeLine {
      background: transparent;
    }
    .cm-editor {
      color: var(--pyloom-text-color, #1d2330);
    }
    .cm-cursor {
      border-left-color: var(--pyloom-text-color, #1d2330);
    }
    .cm-gutters {
      background: transparent;
      border-right: 1px solid var(--pyloom-editor-border, #d8dbe2);
      color: var(--pyloom-muted, #545b6b);
    }
    .cm-activeLine {
      background: var(--pyloom-active-line, #eef1f6);
    }
    .cm-selectionBackground,
    .cm-editor .cm-selectionLayer .cm-selectionBackground {
      background: var(--pyloom-selection-bg, #d7e4fb) !important;
    }
    .cm-placeholder {
      color: var(--pyloom-muted, #545b6b);
    }
  `;

  /** The text; setting it from outside replaces the document (undo history kept). */
  @property({ attribute: false }) value: string = '';
  @property() language: 'python' | 'markdown' = 'python';
  @property({ attribute: false }) completer: Completer | undefined;
  /** The accessible name of the text area. */
  @property() label: string = 'Code';
  @property({ type: Boolean }) readonly: boolean = false;
  /** Show a line-number gutter. */
  @property({ attribute: false }) lineNumbers: boolean = false;

  #view: EditorView | undefined;
  /** The state of a view taken down while far off screen (text, selection, undo history), to make it again from. */
  #parked: EditorState | undefined;
  #language = new Compartment();
  #editable = new Compartment();
  #gutter = new Compartment();

  /** The CodeMirror view, made now if it was still waiting for its time slice. */
  get view(): EditorView | undefined {
    return this.#createView();
  }

  override focus(options?: FocusOptions): void {
    const view = this.#createView();
    if (view) view.focus();
    else super.focus(options);
  }

  /** Put the cursor at the start or end of the text. */
  placeCursor(where: 'start' | 'end'): void {
    const view = this.#createView();
    if (!view) return;
    const at = where === 'start' ? 0 : view.state.doc.length;
    view.dispatch({ selection: { anchor: at } });
  }

  /** Select text (a find match) and scroll it into view, without taking focus. Offsets: UTF-16. */
  markRange(from: number, to: number): void {
    const view = this.#createView();
    if (!view) return;
    const length = view.state.doc.length;
    view.dispatch({ selection: { anchor: Math.min(from, length), head: Math.min(to, length) }, scrollIntoView: true });
  }

  override render() {
    // The view lives in its own box: Lit owns the rest of the shadow root and would clear it.
    return html`${this.#view ? nothing : html`<pre class="pending" @mousedown=${this.#createOnPointer}>${this.value}</pre>`}<div class="view"></div>`;
  }

  protected override firstUpdated(): void {
    whenNear(this, () => this.#createView());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A cell moved in the list is reconnected in the same task; one deleted is not: its view's
    // document listeners go with it.
    queueMicrotask(() => {
      if (!this.isConnected) this.#park();
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && !this.#view) whenNear(this, () => this.#createView());
  }

  /**
   * Take the view down, keeping its state: each live view answers every page scroll and selection
   * change, so a long notebook keeps views only for cells within a few screens. Not while focused.
   */
  #park(): void {
    const view = this.#view;
    if (!view || view.hasFocus) return;
    this.#parked = view.state;
    this.#view = undefined;
    view.destroy();
    this.requestUpdate(); // shows the text until the view is made again
    if (this.isConnected) whenNear(this, () => this.#createView());
  }

  #createOnPointer = (event: MouseEvent) => {
    event.preventDefault();
    this.focus();
  };

  #createView(): EditorView | undefined {
    if (this.#view || !this.hasUpdated) return this.#view;
    const parked = this.#parked;
    this.#parked = undefined;
    const view = new EditorView({
      parent: this.renderRoot.querySelector<HTMLElement>('.view')!,
      root: this.renderRoot as ShadowRoot,
      state: parked ?? EditorState.create({ doc: this.value, extensions: this.#extensions() }),
    });
    this.#view = view;
    if (parked) {
      // Properties set while it was down.
      if (view.state.doc.toString() !== this.value) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: this.value } });
      view.dispatch({
        effects: [
          this.#language.reconfigure(this.#languageExtension()),
          this.#editable.reconfigure(EditorView.editable.of(!this.readonly)),
          this.#gutter.reconfigure(this.lineNumbers ? lineNumbers() : []),
        ],
      });
    }
    view.contentDOM.setAttribute('aria-label', this.label);
    whenFar(this, () => this.#park());
    this.requestUpdate(); // drops the pending text
    return view;
  }

  protected override updated(changed: Map<string, unknown>): void {
    const view = this.#view;
    if (!view) return;
    if (changed.has('value') && this.value !== view.state.doc.toString()) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: this.value } });
    }
    if (changed.has('language')) view.dispatch({ effects: this.#language.reconfigure(this.#languageExtension()) });
    if (changed.has('readonly')) view.dispatch({ effects: this.#editable.reconfigure(EditorView.editable.of(!this.readonly)) });
    if (changed.has('lineNumbers')) view.dispatch({ effects: this.#gutter.reconfigure(this.lineNumbers ? lineNumbers() : []) });
    if (changed.has('label')) view.contentDOM.setAttribute('aria-label', this.label);
  }

  #extensions(): Extension[] {
    const report =
      (key: EditorKey): Command =>
      () => {
        this.dispatchEvent(new CustomEvent<EditorKeyDetail>('py-editor-key', { detail: { key }, bubbles: true, composed: true }));
        return true;
      };
    // At the first/last line, arrows leave the editor for the cell above/below, as in JupyterLab.
    const leave =
      (key: 'up-out' | 'down-out'): Command =>
      (view) => {
        if (completionStatus(view.state) === 'active') return false;
        const { head, empty } = view.state.selection.main;
        const line = view.state.doc.lineAt(head);
        const atEdge = key === 'up-out' ? line.number === 1 : line.number === view.state.doc.lines;
        return empty && atEdge ? report(key)(view) : false;
      };
    // Tab completes after a name or a dot, else indents (Jupyter's rule).
    const tab: Command = (view) => {
      if (acceptCompletion(view)) return true;
      const { head, empty } = view.state.selection.main;
      const before = view.state.sliceDoc(Math.max(0, head - 1), head);
      if (empty && this.language === 'python' && this.completer && /[\w.]/.test(before)) {
        void this.#tabComplete(view);
        return true;
      }
      return indentMore(view);
    };
    return [
      history(),
      drawSelection(),
      highlightActiveLine(),
      indentOnInput(),
      indentUnit.of('    '),
      bracketMatching(),
      closeBrackets(),
      syntaxHighlighting(themedHighlightStyle),
      this.#gutter.of(this.lineNumbers ? lineNumbers() : []),
      this.#language.of(this.#languageExtension()),
      this.#editable.of(EditorView.editable.of(!this.readonly)),
      placeholder(this.language === 'python' ? 'Python code' : 'Markdown text'),
      // The list opens only on Tab, so Enter right after it means "take this one": no delay.
      autocompletion({ override: [(context) => this.#complete(context)], activateOnTyping: false, icons: false, interactionDelay: 0 }),
      Prec.highest(
        keymap.of([
          { key: 'Shift-Enter', run: report('run') },
          { key: 'Mod-Enter', run: report('run-in-place') },
          { key: 'Alt-Enter', run: report('run-insert-below') },
          { key: 'Escape', run: (view) => (completionStatus(view.state) === 'active' ? false : report('escape')(view)) },
          { key: 'ArrowUp', run: leave('up-out') },
          { key: 'ArrowDown', run: leave('down-out') },
          { key: 'Tab', run: tab, shift: indentLess },
          { key: 'Mod-/', run: toggleComment },
          { key: 'Enter', run: (view) => acceptCompletion(view) || insertNewlineAndIndent(view) },
        ]),
      ),
      keymap.of([...closeBracketsKeymap, ...completionKeymap, ...historyKeymap, ...defaultKeymap]),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) {
          const value = update.state.doc.toString();
          this.value = value;
          this.dispatchEvent(new CustomEvent('py-editor-change', { detail: { value }, bubbles: true, composed: true }));
        }
        if (update.focusChanged && update.view.hasFocus) {
          this.dispatchEvent(new CustomEvent('py-editor-focus', { bubbles: true, composed: true }));
        }
      }),
      EditorView.lineWrapping,
    ];
  }

  #languageExtension(): Extension {
    return this.language === 'python' ? python() : markdown();
  }

  /** Jupyter's Tab: a single match is inserted at once, several open the list. */
  async #tabComplete(view: EditorView): Promise<void> {
    const code = view.state.doc.toString();
    const cursor = view.state.selection.main.head;
    const reply = await this.completer!(code, cursor);
    // The user typed on meanwhile: this answer is about text that is gone.
    if (view.state.doc.toString() !== code || view.state.selection.main.head !== cursor) return;
    const [only] = reply.items;
    if (reply.items.length === 1 && only) view.dispatch(insertCompletionText(view.state, only.label, reply.from, reply.to));
    else if (reply.items.length > 1) startCompletion(view);
  }

  async #complete(context: CompletionContext): Promise<CompletionResult | null> {
    if (!this.completer || this.language !== 'python') return null;
    const code = context.state.doc.toString();
    const reply = await this.completer(code, context.pos);
    if (context.aborted || reply.items.length === 0) return null;
    return {
      from: reply.from,
      to: reply.to,
      options: reply.items.map((item) => ({ label: item.label, type: item.type, detail: item.detail })),
      validFor: /^\w*$/,
    };
  }
}

if (!customElements.get('py-editor')) customElements.define('py-editor', PyEditor);

declare global {
  interface HTMLElementTagNameMap {
    'py-editor': PyEditor;
  }
  interface HTMLElementEventMap {
    'py-editor-change': CustomEvent<EditorChangeDetail>;
    'py-editor-key': CustomEvent<EditorKeyDetail>;
    'py-editor-focus': CustomEvent<null>;
  }
}
