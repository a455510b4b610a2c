// text/markdown with marked (GFM) and KaTeX math; the resulting HTML is always sanitized.
import { Marked, type TokenizerAndRendererExtension } from 'marked';
import { mathToHtml } from './math';
import { asText, type MimeRenderer } from './types';

// Math is tokenized by marked itself, so `$` inside code spans and blocks stays literal.
const blockMath: TokenizerAndRendererExtension = {
  name: 'blockMath',
  level: 'block',
  start: (src) => src.match(/\$\$/)?.index,
  tokenizer(src) {
    const match = /^\$\$([\s\S]+?)\$\$(?:\n|$)/.exec(src);
    return match ? { type: 'blockMath', raw: match[0], text: match[1]! } : undefined;
  },
  renderer: (token) => `<div class="math">${mathToHtml({ tex: String(token['text']), display: true })}</div>`,
};

const inlineMath: TokenizerAndRendererExtension = {
  name: 'inlineMath',
  level: 'inline',
  start: (src) => src.match(/\$/)?.index,
  tokenizer(src) {
    const display = /^\$\$([\s\S]+?)\$\$/.exec(src);
    if (display) return { type: 'inlineMath', raw: display[0], text: display[1]!, display: true };
    const match = /^\$((?:\\\$|[^$\n])+?)\$(?!\d)/.exec(src);
    return match ? { type: 'inlineMath', raw: match[0], text: match[1]!, display: false } : undefined;
  },
  renderer: (token) => mathToHtml({ tex: String(token['text']), display: token['display'] === true }),
};

const marked = new Marked({ gfm: true, async: false, extensions: [blockMath, inlineMath] });

export function markdownToHtml(source: string): string {
  return marked.parse(source, { async: false });
}

export const markdown: MimeRenderer = {
  mimeTypes: ['text/markdown'],
  rank: 60,
  safe: 'sanitized',
  render(data, _metadata, context) {
    const wrapper = context.document.createElement('div');
    wrapper.className = 'markdown';
    wrapper.append(context.sanitizer.html(markdownToHtml(asText(data))));
    return wrapper;
  },
};
