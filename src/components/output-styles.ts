// The styles of <py-output>: its own sheet, the sheet every rich (HTML, Markdown, SVG) output's shadow
// root adopts, and KaTeX's (its fonts declared on the page, where shadow roots can use them).
import katexCss from 'katex/dist/katex.min.css?inline';
import { css, unsafeCSS } from 'lit';
import { ANSI_CSS } from '../render/ansi';

/** @font-face rules are ignored inside shadow roots, so KaTeX's fonts are declared once on the page. */
export function ensureKatexFonts(document: Document): void {
  if (document.querySelector('style[data-pyloom-katex-fonts]')) return;
  const style = document.createElement('style');
  style.dataset['pyloomKatexFonts'] = '';
  style.textContent = (katexCss.match(/@font-face\{[^}]*\}/g) ?? []).join('\n');
  document.head.append(style);
}

export const katexStyles = unsafeCSS(katexCss);

/** Adopted by every HTML/Markdown/SVG output's own shadow root (shared sheets, parsed once). */
export const richStyles = css`
  :host {
    display: block;
  }
  img,
  svg {
    max-width: 100%;
    height: auto;
  }
  a {
    color: var(--pyloom-link-color, #0550ae);
  }
  pre,
  code {
    font: var(--pyloom-output-font, 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
  }
  table {
    border-collapse: collapse;
    border-spacing: 0;
    font-size: 13px;
  }
  thead {
    border-bottom: 1px solid var(--pyloom-table-border, #aaa);
    vertical-align: bottom;
  }
  th,
  td {
    padding: 0.25rem 0.5rem;
    text-align: right;
    vertical-align: middle;
  }
  tbody tr:nth-child(odd) {
    background: var(--pyloom-table-stripe, #f5f5f5);
  }
  /* Rendered DataFrames, as JupyterLab shows them: bold headers, row hover, no outer borders. */
  table {
    margin: 0.25rem 0;
    color: inherit;
    border: none;
    table-layout: fixed;
  }
  th {
    font-weight: bold;
  }
  tbody th {
    vertical-align: top;
  }
  tbody tr:hover {
    background: var(--pyloom-table-hover, #e3ecfa);
  }
`;

/** <py-output>'s own sheet: prompts, folding, notices, JSON trees, find highlights, ANSI colours. */
export const outputStyles = [
  katexStyles,
  unsafeCSS(ANSI_CSS),
  css`
    :host {
      display: block;
      font: var(--pyloom-font, 15px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif);
      color: var(--pyloom-text-color, #1d2330);
      background: var(--pyloom-output-background, transparent);
    }
    /* Find matches in text outputs (CSS Custom Highlights set by the notebook's find bar). */
    ::highlight(pyloom-find) {
      background-color: var(--pyloom-find-match-bg, #fde68a);
      color: #1d2330;
    }
    ::highlight(pyloom-find-current) {
      background-color: var(--pyloom-find-current-bg, #f59e0b);
      color: #111;
    }
    /* With prompts, the host reaches into the cell's prompt column (--pyloom-prompt-width). */
    :host([prompts]) .outputs {
      display: grid;
      grid-template-columns: var(--pyloom-prompt-width, 4.5rem) minmax(0, 1fr);
      column-gap: 0.5rem;
    }
    :host([prompts]) .outputs > .output {
      grid-column: 2;
    }
    /* The prompt column lies over the cell's gutter: its collapse bars stay clickable. */
    :host([prompts]) {
      pointer-events: none;
    }
    :host([prompts]) .output {
      pointer-events: auto;
    }
    .out-prompt {
      grid-column: 1;
      margin: 0.25rem 0;
      padding: 0.25rem 0;
      text-align: right;
      font: var(--pyloom-output-font, 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
      color: var(--pyloom-out-prompt-color, #b3261e);
      user-select: none;
    }
    .out-prompt::before {
      content: attr(data-prompt);
    }
    /* Paint and layout containment: an output (position: fixed included) stays in its box. */
    .output {
      contain: content;
      overflow-x: auto;
      margin: 0.25rem 0;
    }
    .html,
    .markdown,
    .svg {
      display: block;
      contain: content;
    }
    pre {
      margin: 0;
      padding: 0.25rem 0.5rem;
      font: var(--pyloom-output-font, 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    pre .chunk {
      display: block;
    }
    .stderr,
    .error {
      background: var(--pyloom-error-background, #fdf0f0);
    }
    .notice {
      font: 13px/1.4 system-ui, sans-serif;
      color: var(--pyloom-notice-color, #6e4b00);
      background: var(--pyloom-notice-background, #fff8e1);
      padding: 0.25rem 0.5rem;
    }
    img {
      max-width: 100%;
      height: auto;
    }
    img.unconfined {
      max-width: none;
    }
    .json {
      font: var(--pyloom-output-font, 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    }
    .json-children {
      margin-left: 1.25rem;
    }
    .json summary {
      cursor: pointer;
    }
    .json-row {
      margin-left: 1rem;
    }
    .json-key {
      color: var(--pyloom-ansi-magenta, #8250df);
    }
    .json-string {
      color: var(--pyloom-ansi-green, #1a7f37);
    }
    .json-number,
    .json-boolean,
    .json-null {
      color: var(--pyloom-ansi-blue, #0550ae);
    }
    .json-more,
    .show-all {
      display: block;
      margin: 0.25rem 0;
      font: 13px system-ui, sans-serif;
    }
  `,
];
