// One embedded cell as plain DOM in a shadow root: code (or an editor), Run, status, output slot.
// No Lit, no renderers here: this is in the script a page loads before anything runs.
import { themeCss } from '../render/theme';

export interface CellParts {
  host: HTMLElement;
  code(): string;
  group: string;
  hideCode: boolean;
  autorun: boolean;
  /** Seconds before the run is interrupted; 0: the page's default. */
  timeout: number;
  run: HTMLButtonElement;
  status: HTMLElement;
  output: HTMLElement;
  /** Static output the page shipped (Thebe's data-output), shown until the first run. */
  predefined: Element | null;
}

// Colours are the shared theme variables (src/render/theme.ts), as on the notebook page.
const STYLE = `
${themeCss(':host', ':host([theme=dark])', ':host([theme=auto])')}
:host { display: block; margin: 1em 0; font: var(--pyloom-font, 15px/1.5 system-ui, sans-serif); color: var(--pyloom-text-color); }
.cell { border: 1px solid var(--pyloom-border); border-radius: 6px; overflow: hidden; background: var(--pyloom-panel-bg); }
pre, textarea { margin: 0; padding: .6em .8em; font: var(--pyloom-code-font, 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace);
  background: transparent; color: inherit; white-space: pre; overflow-x: auto; }
textarea { width: 100%; box-sizing: border-box; border: 0; resize: vertical; display: block; }
.bar { display: flex; gap: .5em; align-items: center; padding: .3em .6em; border-top: 1px solid var(--pyloom-border); font-size: 13px; }
button { font: inherit; padding: .15em .8em; border-radius: 4px; border: 1px solid var(--pyloom-control-border); background: var(--pyloom-control-bg); color: var(--pyloom-text-color); cursor: pointer; }
button:focus-visible, textarea:focus-visible { outline: 2px solid var(--pyloom-focus); outline-offset: 1px; }
.status { color: var(--pyloom-muted); }
.output:empty { display: none; }
.output { padding: .2em .4em; background: var(--pyloom-page-bg); border-top: 1px solid var(--pyloom-border); color: var(--pyloom-text-color); }
:host([hide-code]) .cell { border: 0; background: transparent; }
:host([hide-code]) .output { border: 0; }
`;

/** Replace a code block with a cell; returns its parts. */
export function mountCell(block: Element, options: { outputSelector: string; theme: string; autorunAll: boolean }): CellParts {
  const pre = block.localName === 'code' && block.parentElement?.localName === 'pre' ? block.parentElement : block;
  const source = (block.localName === 'py-cell' ? block.textContent : block.textContent ?? '').replace(/^\n+|\s+$/g, '');
  const attr = (name: string) => block.getAttribute(name) ?? pre.getAttribute(name);
  const flag = (name: string) => attr(name) !== null && attr(name) !== 'false';
  const hideCode = flag('data-hide-code') || flag('hide-code');
  const readonly = flag('data-readonly') || flag('readonly') || hideCode;
  const group = attr('data-kernel') ?? attr('kernel') ?? 'default';

  const host = pre.ownerDocument.createElement('div');
  host.className = 'pyloom-cell';
  host.setAttribute('theme', options.theme);
  if (hideCode) host.setAttribute('hide-code', '');
  const root = host.attachShadow({ mode: 'open' });
  const style = pre.ownerDocument.createElement('style');
  style.textContent = STYLE;
  const cell = pre.ownerDocument.createElement('div');
  cell.className = 'cell';
  cell.setAttribute('part', 'cell');

  let code: () => string;
  if (hideCode) {
    code = () => source;
  } else if (readonly) {
    const view = pre.ownerDocument.createElement('pre');
    view.setAttribute('part', 'code');
    view.textContent = source;
    cell.append(view);
    code = () => source;
  } else {
    const editor = pre.ownerDocument.createElement('textarea');
    editor.setAttribute('part', 'code');
    editor.setAttribute('aria-label', 'Python code');
    editor.spellcheck = false;
    editor.value = source;
    editor.rows = Math.min(30, source.split('\n').length + 1);
    cell.append(editor);
    code = () => editor.value;
  }
  const bar = pre.ownerDocument.createElement('div');
  bar.className = 'bar';
  bar.setAttribute('part', 'bar');
  const run = pre.ownerDocument.createElement('button');
  run.type = 'button';
  run.textContent = 'Run';
  run.setAttribute('part', 'run');
  run.setAttribute('aria-label', 'Run this Python cell');
  const status = pre.ownerDocument.createElement('span');
  status.className = 'status';
  status.setAttribute('role', 'status');
  bar.append(run, status);
  if (!hideCode) cell.append(bar);
  const output = pre.ownerDocument.createElement('div');
  output.className = 'output';
  output.setAttribute('part', 'output');
  cell.append(output);
  root.append(style, cell);

  // Thebe's predefined output: the next sibling matching outputSelector stays until the cell runs.
  const next = pre.nextElementSibling;
  const predefined = next?.matches(options.outputSelector) ? next : null;
  pre.replaceWith(host);
  return {
    host,
    code,
    group,
    hideCode,
    autorun: options.autorunAll || flag('data-autorun') || flag('autorun') || hideCode,
    timeout: Math.max(0, Number(attr('data-timeout') ?? 0) || 0),
    run,
    status,
    output,
    predefined,
  };
}
