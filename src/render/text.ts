// Plain text, streams and errors: ANSI colours, and long text folded until "Show all".
import type { ErrorOutput, StreamOutput } from '../protocol';
import { parseAnsi, PLAIN_STYLE, segmentsToDom, styleAfter, type AnsiStyle } from './ansi';
import { asText, type MimeRenderer, type RenderContext } from './types';

/** Text longer than this (lines or characters) is folded to its head and tail. */
export const FOLD_LINES = 1000;
export const FOLD_CHARS = 1_000_000;
export const HEAD_LINES = 200;
export const TAIL_LINES = 100;
/** Unfolded long text is built this many lines (at most CHUNK_CHARS characters) per task. */
export const CHUNK_LINES = 1000;
const CHUNK_CHARS = 100_000;
const HEAD_CHARS = 200_000;
const TAIL_CHARS = 100_000;

/** Index just after the `count`-th newline of `text` (or its length): no array of all lines. */
function afterLines(text: string, count: number): number {
  let index = 0;
  for (let n = 0; n < count; n += 1) {
    const next = text.indexOf('\n', index);
    if (next < 0) return text.length;
    index = next + 1;
  }
  return index;
}

/** Index where the last `count` lines of `text` begin. */
function lastLines(text: string, count: number): number {
  let index = text.length;
  // A trailing newline ends the last line; it does not start another.
  if (text.endsWith('\n')) index -= 1;
  for (let n = 0; n < count; n += 1) {
    const previous = text.lastIndexOf('\n', index - 1);
    if (previous < 0) return 0;
    index = previous;
  }
  return index + 1;
}

/**
 * A cut inside a line (only very long lines are cut by length) moves back so that it splits
 * neither an escape sequence nor a surrogate pair. Never moves to or before `floor`.
 */
function safeCut(text: string, index: number, floor = 0): number {
  if (index >= text.length || index <= floor || text[index - 1] === '\n') return index;
  let cut = index;
  const escape = text.lastIndexOf('\x1b', cut);
  if (escape >= 0 && escape > cut - 64 && escape > floor) cut = escape;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff && cut - 1 > floor) cut -= 1;
  return cut;
}

function countLines(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) lines += 1;
  return lines;
}

/** One block per chunk: appending a block lays out only that block, not the whole <pre> again. */
function chunkBlock(document: Document, text: string, style: AnsiStyle): [HTMLElement, AnsiStyle] {
  const block = document.createElement('span');
  block.className = 'chunk';
  const { segments, end } = parseAnsi(text, style);
  block.append(segmentsToDom(document, segments));
  return [block, end];
}

/**
 * Unfolded long text: the first chunk now, then one chunk per task, so the page keeps answering
 * input while hundreds of thousands of lines are built. One chunk, not a time budget: building
 * plain text is cheap, but laying it out is not, and layout happens after the task. Stops if the
 * <pre> was replaced meanwhile.
 */
function appendInChunks(context: RenderContext, pre: HTMLElement, text: string): void {
  let style: AnsiStyle = PLAIN_STYLE;
  let offset = 0;
  const next = () => {
    const stop = safeCut(text, offset + afterLines(text.slice(offset, offset + CHUNK_CHARS), CHUNK_LINES), offset);
    let block: HTMLElement;
    [block, style] = chunkBlock(context.document, text.slice(offset, stop), style);
    pre.append(block);
    offset = stop;
  };
  next();
  const view = context.document.defaultView;
  const step = () => {
    if (!pre.isConnected) return;
    next();
    if (offset < text.length) view?.setTimeout(step, 0);
    else pre.dataset['complete'] = 'true';
  };
  if (offset < text.length && view) view.setTimeout(step, 0);
  else pre.dataset['complete'] = 'true';
}

/** A <pre> of ANSI text; very long text shows its head and tail and a "Show all" button. */
export function textBlock(context: RenderContext, text: string, className: string): HTMLElement {
  const { document } = context;
  const pre = document.createElement('pre');
  pre.className = className;
  const lines = countLines(text);
  if (text.length <= FOLD_CHARS && lines <= FOLD_LINES) {
    pre.append(segmentsToDom(document, parseAnsi(text).segments));
    return pre;
  }
  if (context.expanded) {
    appendInChunks(context, pre, text);
    return pre;
  }
  // Folded: building megabytes of spans would freeze the page. Colours set in the hidden middle
  // still apply to the tail.
  const headEnd = safeCut(text, Math.min(afterLines(text, HEAD_LINES), HEAD_CHARS));
  const tailStart = Math.max(safeCut(text, Math.max(lastLines(text, TAIL_LINES), text.length - TAIL_CHARS)), headEnd);
  const [headBlock, headStyle] = chunkBlock(document, text.slice(0, headEnd), PLAIN_STYLE);
  const [tailBlock] = chunkBlock(document, text.slice(tailStart), styleAfter(text.slice(headEnd, tailStart), headStyle));
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'show-all';
  button.dataset['action'] = 'expand';
  button.textContent = `Show all (${lines.toLocaleString('en')} lines, ${text.length.toLocaleString('en')} characters)`;
  pre.append(headBlock, button, tailBlock);
  return pre;
}

export const plainText: MimeRenderer = {
  mimeTypes: ['text/plain'],
  rank: 120,
  safe: true,
  render: (data, _metadata, context) => textBlock(context, asText(data), 'text'),
};

export function renderStream(output: StreamOutput, context: RenderContext): HTMLElement {
  return textBlock(context, output.text, `stream ${output.name}`);
}

export function renderError(output: ErrorOutput, context: RenderContext): HTMLElement {
  // IPython's traceback entries are whole frames; joined they are what a terminal shows.
  const text = output.traceback.length > 0 ? output.traceback.join('\n') : `${output.ename}: ${output.evalue}`;
  const element = textBlock(context, text, 'error');
  element.setAttribute('role', 'alert');
  return element;
}
