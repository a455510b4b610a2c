// <py-output>: renders a cell's outputs (nbformat v4) in shadow DOM through the MIME registry.
import katexCss from 'katex/dist/katex.min.css?inline';
import { css, html, LitElement, unsafeCSS, type PropertyValues } from 'lit';
import type { Output, OutputEvent } from '../protocol';
import { defaultRenderers, renderOutput } from '../render/registry';
import { createSanitizer } from '../render/sanitize';
import type { RenderContext, Sanitizer } from '../render/types';
import { OutputList } from '../runtime/output-list';

let sanitizer: Sanitizer | undefined;

/** @font-face rules are ignored inside shadow roots, so KaTeX's fonts are declared once on the page. */
function ensureKatexFonts(document: Document): void {
  if (document.querySelector('style[data-pyloom-katex-fonts]')) return;
  const style = document.createElement('style');
  style.dataset['pyloomKatexFonts'] = '';
  style.textContent = (katexCss.match(/@font-face\{[^}]*\}/g) ?? []).join('\n');
  document.head.append(style);
}

/**
 * Shows outputs: streams with ANSI colours, rich MIME bundles, errors with coloured tracebacks.
 * Untrusted by default (see src/render/sanitize.ts); `trusted` lets HTML scripts and JavaScript run.
 *
 * @csspart output - every output; also `stream`, `display_data`, `execute_result`, `error`
 * @cssprop --pyloom-font - font of rich (HTML, Markdown) outputs
 * @cssprop --pyloom-text-color - text colour
 * @cssprop --pyloom-output-font - monospace font of text outputs
 * @cssprop --pyloom-error-background - background of errors and stderr
 * @cssprop --pyloom-ansi-red - and the other ANSI colours (black … white, bright-*)
 */
export class PyOutput extends LitElement {
  static override properties = {
    outputs: { attribute: false },
    trusted: { type: Boolean, reflect: true },
    expanded: { type: Boolean, reflect: true },
  };

  static override styles = [
    unsafeCSS(katexCss),
    css`
      :host {
        display: block;
        font: var(--pyloom-font, 15px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif);
        color: var(--pyloom-text-color, #1d2330);
        --pyloom-ansi-black: #3e424d;
        --pyloom-ansi-red: #c33;
        --pyloom-ansi-green: #1a7f37;
        --pyloom-ansi-yellow: #9a6700;
        --pyloom-ansi-blue: #0550ae;
        --pyloom-ansi-magenta: #8250df;
        --pyloom-ansi-cyan: #1b7c83;
        --pyloom-ansi-white: #6e7781;
        --pyloom-ansi-bright-black: #57606a;
        --pyloom-ansi-bright-red: #e5534b;
        --pyloom-ansi-bright-green: #2da44e;
        --pyloom-ansi-bright-yellow: #bf8700;
        --pyloom-ansi-bright-blue: #218bff;
        --pyloom-ansi-bright-magenta: #a475f9;
        --pyloom-ansi-bright-cyan: #3192aa;
        --pyloom-ansi-bright-white: #8c959f;
      }
      /* contain: content keeps output (position: fixed included) inside its own box. */
      .output {
        contain: content;
        overflow-x: auto;
        margin: 0.25rem 0;
      }
      pre {
        margin: 0;
        padding: 0.25rem 0.5rem;
        font: var(--pyloom-output-font, 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
        white-space: pre-wrap;
        word-break: break-word;
      }
      .stderr,
      .error {
        background: var(--pyloom-error-background, #fdf0f0);
      }
      .notice {
        font: 13px/1.4 system-ui, sans-serif;
        color: #6e4b00;
        background: #fff8e1;
        padding: 0.25rem 0.5rem;
      }
      img {
        max-width: 100%;
        height: auto;
      }
      img.unconfined {
        max-width: none;
      }
      .json details {
        margin-left: 1rem;
        font: 13px/1.4 ui-monospace, monospace;
      }
      .json > details {
        margin-left: 0;
      }
      .json-row {
        margin-left: 1rem;
        font: 13px/1.4 ui-monospace, monospace;
      }
      .json-key {
        color: var(--pyloom-ansi-magenta);
      }
      .json-string {
        color: var(--pyloom-ansi-green);
      }
      .json-number,
      .json-boolean,
      .json-null {
        color: var(--pyloom-ansi-blue);
      }
      .show-all {
        display: block;
        margin: 0.25rem 0;
        font: 13px system-ui, sans-serif;
      }
      .html table {
        border-collapse: collapse;
      }
      .html th,
      .html td {
        padding: 0.2rem 0.5rem;
        border-bottom: 1px solid #ddd;
        text-align: right;
      }
    `,
  ];

  declare outputs: readonly Output[];
  declare trusted: boolean;
  declare expanded: boolean;
  #list = new OutputList();
  /** The array #list was built from: a new `outputs` array from outside resets the model. */
  #listSource: readonly Output[] | undefined;
  /** Rendered nodes by output, with what they showed, so streaming re-renders only what changed. */
  #rendered = new WeakMap<Output, { key: unknown; node: HTMLElement }>();

  constructor() {
    super();
    this.outputs = [];
    this.trusted = false;
    this.expanded = false;
  }

  /** Apply one output event (stream chunk, display update, clear) with Jupyter's semantics. */
  apply(event: OutputEvent): void {
    if (this.#listSource !== this.outputs) {
      this.#list = new OutputList();
      for (const output of this.outputs) this.#list.apply(structuredClone(output));
    }
    this.#list.apply(event);
    this.outputs = [...this.#list.outputs];
    this.#listSource = this.outputs;
  }

  clear(): void {
    this.#list = new OutputList();
    this.outputs = [];
    this.#listSource = this.outputs;
  }

  override render() {
    return html`<div class="outputs" @click=${this.#onClick}></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('trusted') || changed.has('expanded')) this.#rendered = new WeakMap();
    const container = this.renderRoot.querySelector('.outputs');
    if (!container) return;
    ensureKatexFonts(this.ownerDocument);
    sanitizer ??= createSanitizer(window);
    const context: RenderContext = { document: this.ownerDocument, trusted: this.trusted, sanitizer, expanded: this.expanded };
    const nodes = this.outputs.map((output) => {
      const key = output.output_type === 'stream' ? output.text.length : 'data' in output ? output.data : output;
      const cached = this.#rendered.get(output);
      if (cached && cached.key === key) return cached.node;
      const node = renderOutput(output, context, defaultRenderers);
      this.#rendered.set(output, { key, node });
      return node;
    });
    // Only changed positions are touched: moving a node would reload an iframe and close JSON.
    nodes.forEach((node, index) => {
      const current = container.children[index];
      if (current !== node) container.insertBefore(node, current ?? null);
    });
    while (container.children.length > nodes.length) container.lastElementChild?.remove();
  }

  #onClick = (event: Event) => {
    const target = event.target;
    if (target instanceof HTMLElement && target.dataset['action'] === 'expand') this.expanded = true;
  };
}

if (!customElements.get('py-output')) customElements.define('py-output', PyOutput);

declare global {
  interface HTMLElementTagNameMap {
    'py-output': PyOutput;
  }
}
