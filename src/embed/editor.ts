// The embed's code editor (CodeMirror 6 with Python), loaded on a cell's first focus or Run:
// it replaces the page's highlighted block inside the cell. Shift+Enter runs, as in Thebe.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { bracketMatching, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { EditorState, Prec } from '@codemirror/state';
import { drawSelection, EditorView, keymap, lineNumbers } from '@codemirror/view';
import { themedHighlightStyle } from '../components/editor-highlight';
import type { CellParts } from './cell';

export interface EditorOptions {
  lineNumbers: boolean;
  dark: boolean;
  /** Shift+Enter. */
  onRun(): void;
}

const baseTheme = (dark: boolean) =>
  EditorView.theme(
    {
      '&': { color: 'inherit', backgroundColor: 'transparent', fontSize: 'inherit' },
      '.cm-scroller': { font: 'var(--pyloom-code-font, 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace)' },
      '.cm-content': { padding: '.6em 0', caretColor: 'var(--pyloom-text-color, #1d2330)' },
      '.cm-line': { padding: '0 .8em' },
      '&.cm-focused': { outline: '2px solid var(--pyloom-focus, #2f6fde)', outlineOffset: '-2px' },
      '.cm-gutters': { backgroundColor: 'transparent', color: 'var(--pyloom-muted, #6e7781)', border: 'none' },
    },
    { dark },
  );

/** Replace the cell's page block with an editor holding `cell.code()`; returns when it is in place. */
export function attachEditor(cell: CellParts, options: EditorOptions): NonNullable<CellParts['editor']> {
  const box = cell.codeBox;
  const root = cell.host.shadowRoot;
  if (!box || !root) throw new Error('this cell has no code to edit');
  const run = () => {
    options.onRun();
    return true;
  };
  const view = new EditorView({
    root,
    state: EditorState.create({
      doc: cell.code(),
      extensions: [
        Prec.highest(keymap.of([{ key: 'Shift-Enter', run }])),
        options.lineNumbers ? lineNumbers() : [],
        history(),
        drawSelection(),
        bracketMatching(),
        indentUnit.of('    '),
        python(),
        // Colours from the shared theme variables: right in light, dark and auto (system) themes.
        syntaxHighlighting(themedHighlightStyle),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        baseTheme(options.dark),
        EditorView.contentAttributes.of({ 'aria-label': 'Python code' }),
      ],
    }),
  });
  // The box stops being the textbox: the editor's content is.
  for (const name of ['role', 'aria-multiline', 'aria-label', 'tabindex']) box.removeAttribute(name);
  box.replaceChildren(view.dom);
  for (const slotted of cell.host.querySelectorAll(':scope > [slot=code]')) slotted.remove();
  return {
    value: () => view.state.doc.toString(),
    // One transaction in the editor's history: Ctrl+Z brings the old text back.
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}
