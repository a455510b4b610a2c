// text/markdown with marked (GFM) and KaTeX math; the resulting HTML is always sanitized.
import { Marked, type TokenizerAndRendererExtension } from 'marked';
import { mathToHtml } from './math';
import { contained } from './shadow';
import { asText, type MimeRenderer } from './types';

// Math is tokenized by marked itself, so `$` inside code spans and code blocks stays literal.
const blockMath: TokenizerAndRendererExtension = {
  name: 'blockMath',
  level: 'block',
  start: (src) => src.match(/\$\$/)?.index,
  tokenizer(src) {
    const match = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n|$)/.exec(src);
    return match ? { type: 'blockMath', raw: match[0], text: match[1]! } : undefined;
  },
  renderer: (token) => `<div class="math">${mathToHtml({ tex: String(token['text']), display: true })}</div>\n`,
};

// Pandoc's rule for inline $…$: no space just inside the dollars and no digit right after the
// closing one, so "costs $5 and $10" stays text.
const INLINE = /^\$(?!\s)((?:\\[\s\S]|[^\\$\n])+?)(?<!\s)\$(?!\d)/;

const inlineMath: TokenizerAndRendererExtension = {
  name: 'inlineMath',
  level: 'inline',
  start: (src) => src.match(/\$/)?.index,
  tokenizer(src) {
    const display = /^\$\$([\s\S]+?)\$\$/.exec(src);
    if (display) return { type: 'inlineMath', raw: display[0], text: display[1]!, display: true };
    const match = INLINE.exec(src);
    return match ? { type: 'inlineMath', raw: match[0], text: match[1]!, display: false } : undefined;
  },
  renderer: (token) => mathToHtml({ tex: String(token['text']), display: token['display'] === true }),
};

const marked = new Marked({ gfm: true, async: false, extensions: [blockMath, inlineMath] });

/** Markdown as HTML, math typeset. Not safe to insert: raw HTML passes through; sanitize it. */
export function markdownToHtml(source: string): string {
  return marked.parse(source, { async: false });
}

export const markdown: MimeRenderer = {
  mimeTypes: ['text/markdown'],
  rank: 60,
  safe: 'sanitized',
  render(data, _metadata, context) {
    // Sanitized even when trusted: Jupyter does not run scripts from Markdown either.
    return contained(context, 'markdown', context.sanitizer.html(markdownToHtml(asText(data))));
  },
};
