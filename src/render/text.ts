// Plain text, streams and errors: ANSI colours, and long text folded until "show all".
import type { ErrorOutput, StreamOutput } from '../protocol';
import { ansiToDom } from './ansi';
import { asText, type MimeRenderer, type RenderContext } from './types';

export const FOLD_LINES = 1000;
export const FOLD_CHARS = 1_000_000;
const HEAD_LINES = 200;
const TAIL_LINES = 100;

/** A <pre> of ANSI text; very long text shows its head and tail and an expand button. */
export function textBlock(context: RenderContext, text: string, className: string): HTMLElement {
  const { document } = context;
  const pre = document.createElement('pre');
  pre.className = className;
  const lines = text.split('\n');
  if (context.expanded || (lines.length <= FOLD_LINES && text.length <= FOLD_CHARS)) {
    pre.append(ansiToDom(document, text));
    return pre;
  }
  // Folding: rendering megabytes of spans would freeze the page.
  const head = lines.slice(0, HEAD_LINES).join('\n').slice(0, FOLD_CHARS / 2);
  const tail = lines.slice(-TAIL_LINES).join('\n').slice(-FOLD_CHARS / 4);
  const hidden = document.createElement('button');
  hidden.type = 'button';
  hidden.className = 'show-all';
  hidden.dataset['action'] = 'expand';
  hidden.textContent = `Show all (${lines.length.toLocaleString('en')} lines, ${text.length.toLocaleString('en')} characters)`;
  pre.append(ansiToDom(document, `${head}\n`), hidden, ansiToDom(document, `\n${tail}`));
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
  const text = output.traceback.length > 0 ? output.traceback.join('\n') : `${output.ename}: ${output.evalue}`;
  const element = textBlock(context, text, 'error');
  element.setAttribute('role', 'alert');
  return element;
}
