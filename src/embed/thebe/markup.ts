// Thebe page markup: code read from a (Pygments-highlighted) block, prompts stripped as Thebe
// does, and Thebe's .thebe-activate / .thebe-status placeholders. Plain DOM, no Python.
import type { OutputPromptStyle, PromptStyle } from './config';

/** Pygments' line numbers (inline `span.linenos`, table `td.linenos`) and Sphinx's are not code. */
const NOT_CODE = '.linenos, .lineno, .linenodiv';

/**
 * The code of a block as the reader sees it: highlighting spans flattened, entities decoded
 * (the DOM's text), line numbers left out, `<br>` as a newline; leading blank lines and trailing
 * whitespace trimmed (indentation of the first line kept).
 */
export function codeOf(block: Element): string {
  let text = '';
  const walk = (node: Node): void => {
    for (const child of node.childNodes) {
      if (child.nodeType === child.TEXT_NODE || child.nodeType === child.CDATA_SECTION_NODE) text += child.nodeValue ?? '';
      else if (child instanceof Element) {
        if (child.matches(NOT_CODE)) continue;
        if (child.localName === 'br') text += '\n';
        else walk(child);
      }
    }
  };
  walk(block);
  return text
    .replace(/\u00a0/g, ' ')
    .replace(/^(?:[ \t]*\n)+/, '')
    .replace(/\s+$/, '');
}

const DEFAULT_IN = /^\s*(?:>>>|In \[\d*\]:)(?: |$)/;
const DEFAULT_CONTINUATION = /^\s*(?:\.\.\.|\.\.\.:)(?: |$)/;
const DEFAULT_OUT = /^\s*Out\[\d*\]:/;

function prefixMatcher(literal: string | undefined, fallback: RegExp | undefined): ((line: string) => number) | undefined {
  if (literal !== undefined) {
    const prompt = literal.trimEnd();
    return (line) => {
      const start = line.length - line.trimStart().length;
      if (!line.startsWith(prompt, start)) return -1;
      const end = start + prompt.length;
      // One space after the prompt belongs to it; the rest is the code's own indentation.
      return line[end] === ' ' ? end + 1 : end;
    };
  }
  if (!fallback) return undefined;
  return (line) => {
    const match = fallback.exec(line);
    return match ? match[0].length : -1;
  };
}

/**
 * Thebe's stripPrompts: a console session (`>>> ` / `... `, `In [1]: ` / `   ...: `) becomes one
 * cell per run of input lines; output lines (no prompt) end a cell. Indentation after the prompt
 * is kept (Thebe trims it, breaking loops). Returns undefined when the block has no prompt.
 */
export function splitInputPrompts(source: string, style: PromptStyle): string[] | undefined {
  const isInput = prefixMatcher(style.inPrompt, DEFAULT_IN)!;
  const isContinuation = prefixMatcher(style.continuationPrompt, style.inPrompt === undefined ? DEFAULT_CONTINUATION : undefined);
  const lines = source.split('\n');
  if (!lines.some((line) => isInput(line) >= 0)) return undefined;
  const cells: string[] = [];
  let cell: string[] | undefined;
  for (const line of lines) {
    const input = isInput(line);
    const continued = cell && isContinuation ? isContinuation(line) : -1;
    if (input >= 0) (cell ??= []).push(line.slice(input));
    else if (continued >= 0) cell!.push(line.slice(continued));
    else if (cell) {
      cells.push(cell.join('\n'));
      cell = undefined;
    }
  }
  if (cell) cells.push(cell.join('\n'));
  return cells.filter((code) => code.trim() !== '');
}

/** Thebe's stripOutputPrompts: an `Out[n]:` prompt line is output and ends a cell; the lines after it start the next one. */
export function splitOutputPrompts(source: string, style: OutputPromptStyle): string[] | undefined {
  const isOutput = prefixMatcher(style.outPrompt, DEFAULT_OUT)!;
  const lines = source.split('\n');
  if (!lines.some((line) => isOutput(line) >= 0)) return undefined;
  const cells: string[] = [];
  let cell: string[] = [];
  for (const line of lines) {
    if (isOutput(line) >= 0) {
      if (cell.length > 0) cells.push(cell.join('\n'));
      cell = [];
    } else cell.push(line);
  }
  if (cell.length > 0) cells.push(cell.join('\n'));
  return cells.map((code) => code.replace(/\s+$/, '')).filter((code) => code.trim() !== '');
}

/** Thebe's status widget in a `.thebe-status` placeholder (Thebe's classes, so the page's CSS applies). */
export function mountStatusWidget(document: Document): { update(status: string, message: string): void } | undefined {
  const placeholder = document.querySelector('.thebe-status:not(.thebe-status-mounted)');
  if (!placeholder) return undefined;
  const box = document.createElement('div');
  box.className = 'thebe-status thebe-status-mounted';
  box.title = 'Status:';
  const stub = document.createElement('span');
  stub.className = 'thebe-status-stub';
  stub.textContent = 'Status:';
  const field = document.createElement('span');
  field.className = 'thebe-status-field';
  field.textContent = 'No Kernel Attached';
  field.setAttribute('role', 'status');
  const message = document.createElement('div');
  message.className = 'thebe-status-message';
  box.append(stub, ' ', field, message);
  placeholder.replaceWith(box);
  return {
    update(status, text) {
      field.className = `thebe-status-field thebe-status-${status}`;
      field.textContent = status;
      message.textContent = text;
    },
  };
}

/** Thebe's activate button in a `.thebe-activate` placeholder; it calls `activate` (bootstrap). */
export function mountActivateWidget(document: Document, activate: () => void): HTMLButtonElement | undefined {
  const placeholder = document.querySelector('.thebe-activate:not(.thebe-activate-mounted)');
  if (!placeholder) return undefined;
  const box = document.createElement('div');
  box.className = 'thebe-activate thebe-activate-mounted';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'thebe-activate-button';
  button.textContent = 'Activate';
  button.addEventListener('click', () => {
    button.disabled = true;
    activate();
  });
  box.append(button);
  placeholder.replaceWith(box);
  return button;
}
