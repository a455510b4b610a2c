// TeX math with KaTeX: finding $…$, $$…$$, \(…\), \[…\] and equation environments in text.
import katex from 'katex';
import type { RenderContext } from './types';

export interface MathSpan {
  tex: string;
  display: boolean;
}

// Display forms first so $$ is not read as two empty inline spans.
const MATH =
  /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|(\\begin\{(equation|align|gather|multline)\*?\}[\s\S]+?\\end\{\4\*?\})|\\\(([\s\S]+?)\\\)|\$((?:\\\$|[^$\n])+?)\$/g;

/** Split text into plain parts and math parts, in order. */
export function splitMath(text: string): (string | MathSpan)[] {
  const parts: (string | MathSpan)[] = [];
  let last = 0;
  for (const m of text.matchAll(MATH)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    const display = m[1] ?? m[2] ?? m[3];
    parts.push(display !== undefined ? { tex: display, display: true } : { tex: (m[5] ?? m[6])!, display: false });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/**
 * KaTeX markup for one formula; TeX errors show in place (throwOnError: false), never throw.
 * The MathML <annotation> holding the TeX source is dropped: the sanitizer removes the element
 * but keeps its text, which would leave screen readers reading the source after the formula.
 */
export function mathToHtml(span: MathSpan): string {
  const markup = katex.renderToString(span.tex, { displayMode: span.display, throwOnError: false, output: 'htmlAndMathml', trust: false });
  // KaTeX escapes the source, so the annotation cannot contain its own closing tag.
  return markup.replace(/<annotation\b[^>]*>[\s\S]*?<\/annotation>/g, '');
}

/** A formula as inert DOM (KaTeX's markup still goes through the sanitizer: defence in depth). */
export function mathNode(context: RenderContext, span: MathSpan): DocumentFragment {
  return context.sanitizer.html(mathToHtml(span));
}
