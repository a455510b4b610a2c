// One embedded cell as plain DOM in a shadow root: the page's own code block (its highlighting
// kept) until the editor loads, buttons, status, output slot. No Lit, no renderers, no editor
// code here: this is in the script a page loads before anything runs.
import { themeCss } from '../render/theme';
import { codeOf } from './thebe/markup';
import { readCellTimeout } from './config';

export type CellAction = 'run' | 'run-all' | 'restart' | 'restart-run-all';

export interface CellParts {
  host: HTMLElement;
  /** The code to run: the editor's text once it is loaded, the block's text before. */
  code(): string;
  group: string;
  hideCode: boolean;
  readonly: boolean;
  /** Thebe's data-language when it is not Python: the cell is shown but cannot run here. */
  otherLanguage: string | undefined;
  autorun: boolean;
  /** Seconds before the run is interrupted; 0: the page's default. */
  timeout: number;
  /** The `data-files` attribute as written (read when the cell first runs: src/workspace/companion.ts). */
  dataFiles: string | null;
  /** The Run button (null when the page asked for none: Shift+Enter in the editor still runs). */
  run: HTMLButtonElement | null;
  /** The other per-cell buttons the page asked for (Thebe's mount*Button keys). */
  buttons: Map<CellAction, HTMLButtonElement>;
  status: HTMLElement;
  output: HTMLElement;
  /** Static output the page shipped (Thebe's data-output), shown until the first run. */
  predefined: Element | null;
  /** Where the code is shown; the editor replaces the page's block inside it. */
  codeBox: HTMLElement | null;
  /** Set once the editor has replaced the page's block. */
  editor: { value(): string; setValue(text: string): void; focus(): void } | undefined;
}

export interface MountOptions {
  outputSelector: string;
  theme: string;
  autorunAll: boolean;
  /** The code, when it is not the block's text (Thebe's stripPrompts made it). */
  source?: string;
  /** Per-cell buttons beside Run (Thebe pages); Run itself unless `run: false`. */
  buttons?: Partial<Record<CellAction, boolean>>;
  /** Every cell read-only (Thebe's codeMirrorConfig.readOnly); `data-readonly="false"` overrides. */
  readOnly?: boolean;
  /**
   * Keep the page's static output until the cell runs (Thebe's predefinedOutput). Default true.
   * false: it is not the cell's output and stays on the page untouched, as in Thebe 0.8.
   */
  predefinedOutput?: boolean;
  /**
   * Thebe pages: buttons in the page's DOM with Thebe's classes (`thebelab-run-button` …), so the
   * page's CSS styles them and its scripts find them (sphinx-thebe clicks the run button of
   * `thebe-init` cells).
   */
  thebeButtons?: boolean;
}

// Colours are the shared theme variables (src/render/theme.ts), as on the notebook page.
const STYLE = `
${themeCss(':host', ':host([theme=dark])', ':host([theme=auto])')}
:host { display: block; margin: 1em 0; font: var(--pyloom-font, 15px/1.5 system-ui, sans-serif); color: var(--pyloom-text-color); }
.cell { border: 1px solid var(--pyloom-border); border-radius: 6px; overflow: hidden; background: var(--pyloom-panel-bg); }
.code { display: block; min-height: 1.5em; }
.code[role=textbox] { cursor: text; }
.code:focus-visible { outline: 2px solid var(--pyloom-focus); outline-offset: -2px; }
::slotted(pre), ::slotted(div) { margin: 0 !important; border: 0 !important; border-radius: 0 !important; }
.bar { display: flex; gap: .5em; align-items: center; padding: .3em .6em; border-top: 1px solid var(--pyloom-border); font-size: 13px; flex-wrap: wrap; }
button, ::slotted(button) { font: inherit; padding: .15em .8em; border-radius: 4px; border: 1px solid var(--pyloom-control-border); background: var(--pyloom-control-bg); color: var(--pyloom-text-color); cursor: pointer; }
button:focus-visible, ::slotted(button:focus-visible) { outline: 2px solid var(--pyloom-focus); outline-offset: 1px; }
.buttons { display: contents; }
.status { color: var(--pyloom-muted); }
.output:empty { display: none; }
.output { padding: .2em .4em; background: var(--pyloom-page-bg); border-top: 1px solid var(--pyloom-border); color: var(--pyloom-text-color); }
:host([hide-code]) .cell { border: 0; background: transparent; }
:host([hide-code]) .output { border: 0; }
`;

const LABELS: Record<CellAction, [text: string, name: string, thebeClass: string]> = {
  run: ['Run', 'Run this Python cell', 'run'],
  'run-all': ['Run all', 'Run all cells', 'runall'],
  restart: ['Restart', 'Restart Python', 'restart'],
  'restart-run-all': ['Restart & run all', 'Restart Python and run all cells', 'restartall'],
};

/** Replace a code block with a cell; returns its parts. */
export function mountCell(block: Element, options: MountOptions): CellParts {
  const doc = block.ownerDocument;
  const pre = block.localName === 'code' && block.parentElement?.localName === 'pre' ? block.parentElement : block;
  const source = options.source ?? codeOf(block);
  const attr = (name: string) => block.getAttribute(name) ?? pre.getAttribute(name);
  const flag = (name: string) => attr(name) !== null && attr(name) !== 'false';
  const hideCode = flag('data-hide-code') || flag('hide-code');
  const readonlyAttr = attr('data-readonly') ?? attr('readonly');
  const readonly = hideCode || (readonlyAttr !== null ? readonlyAttr !== 'false' : options.readOnly === true);
  const group = attr('data-kernel') ?? attr('kernel') ?? 'default';
  const language = attr('data-language')?.trim();
  const otherLanguage = language && !/^(i?python[23]?|py|py3)$/i.test(language) ? language : undefined;

  const host = doc.createElement('div');
  // Thebe's cell classes too: sphinx-thebe looks for div.thebe-cell to tell a page already set up.
  host.className = options.thebeButtons ? 'pyloom-cell thebe-cell thebelab-cell' : 'pyloom-cell';
  host.setAttribute('theme', options.theme);
  if (pre.id) host.id = pre.id; // page links and scripts find the cell where the block was
  if (hideCode) host.setAttribute('hide-code', '');
  const root = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const cell = doc.createElement('div');
  cell.className = 'cell';
  cell.setAttribute('part', 'cell');

  let codeBox: HTMLElement | null = null;
  let shown: Element | undefined;
  if (!hideCode) {
    codeBox = doc.createElement('div');
    codeBox.className = 'code';
    codeBox.setAttribute('part', 'code');
    if (!readonly && !otherLanguage) {
      // A textbox to the reader from the start; the editor takes over on first focus.
      codeBox.setAttribute('role', 'textbox');
      codeBox.setAttribute('aria-multiline', 'true');
      codeBox.setAttribute('aria-label', 'Python code');
      codeBox.tabIndex = 0;
    }
    // The page's block itself, slotted: its highlighting and the page's styles stay until the editor loads.
    shown = options.source === undefined && block.localName !== 'py-cell' ? pre : doc.createElement('pre');
    if (shown !== pre) shown.textContent = source;
    shown.setAttribute('slot', 'code');
    const slot = doc.createElement('slot');
    slot.name = 'code';
    codeBox.append(slot);
    cell.append(codeBox);
  }
  const bar = doc.createElement('div');
  bar.className = 'bar';
  bar.setAttribute('part', 'bar');
  const buttons = new Map<CellAction, HTMLButtonElement>();
  const wanted = { run: true, ...options.buttons };
  const slotted: HTMLButtonElement[] = [];
  for (const action of Object.keys(LABELS) as CellAction[]) {
    if (!wanted[action]) continue;
    const [text, name, thebeClass] = LABELS[action];
    const button = doc.createElement('button');
    button.type = 'button';
    button.textContent = text;
    button.setAttribute('aria-label', name);
    buttons.set(action, button);
    if (options.thebeButtons) {
      button.className = `thebe-button thebe-${thebeClass}-button thebelab-button thebelab-${thebeClass}-button`;
      button.title = name;
      button.slot = 'buttons';
      slotted.push(button);
    } else {
      button.setAttribute('part', action === 'run' ? 'run' : `button ${action}`);
      bar.append(button);
    }
  }
  if (options.thebeButtons) {
    const slot = doc.createElement('slot');
    slot.name = 'buttons';
    slot.className = 'buttons';
    bar.append(slot);
  }
  const status = doc.createElement('span');
  status.className = 'status';
  status.setAttribute('role', 'status');
  bar.append(status);
  if (otherLanguage) {
    for (const button of buttons.values()) button.disabled = true;
    status.textContent = `This block is ${otherLanguage}: only Python runs in this browser`;
  }
  if (!hideCode) cell.append(bar);
  const output = doc.createElement('div');
  output.className = 'output';
  output.setAttribute('part', 'output');
  cell.append(output);
  root.append(style, cell);

  // Thebe's predefined output: the next sibling matching outputSelector stays until the cell runs.
  const next = pre.nextElementSibling;
  const predefined = next?.matches(options.outputSelector) ? next : null;
  pre.replaceWith(host);
  if (shown) host.append(shown);
  host.append(...slotted);
  const parts: CellParts = {
    host,
    code: () => parts.editor?.value() ?? source,
    group,
    hideCode,
    readonly: readonly || otherLanguage !== undefined,
    otherLanguage,
    autorun: options.autorunAll || flag('data-autorun') || flag('autorun') || hideCode,
    timeout: readCellTimeout(attr('data-timeout')) ?? 0,
    dataFiles: attr('data-files'),
    run: buttons.get('run') ?? null,
    buttons,
    status,
    output,
    predefined: options.predefinedOutput === false ? null : predefined,
    codeBox,
    editor: undefined,
  };
  return parts;
}
