// <py-output>: renders a cell's outputs (nbformat v4) in shadow DOM through the MIME registry.
import { adoptStyles, html, LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { Output, OutputEvent } from '../protocol';
import { defaultRenderers, renderOutput } from '../render/registry';
import { createSanitizer } from '../render/sanitize';
import type { MimeRenderer, RenderContext, Sanitizer, WidgetDisplay } from '../render/types';
import { OutputList } from '../runtime/output-list';
import { ensureKatexFonts, katexStyles, outputStyles, richStyles } from './output-styles';

let sanitizer: Sanitizer | undefined;

/** What an output showed when it was rendered: the same values mean the node can be kept. */
interface Rendered {
  key: readonly unknown[];
  node: HTMLElement;
}

function renderKey(output: Output, expanded: boolean): readonly unknown[] {
  switch (output.output_type) {
    case 'stream':
      // Streams grow in place; the text itself (not its length) changes when \r rewrites a line.
      return [output.text, expanded];
    case 'error':
      return [output, expanded];
    default:
      // update_display_data replaces data and metadata.
      return [output.data, output.metadata, expanded];
  }
}

const sameKey = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((value, i) => value === b[i]);

/** Detail of the `output-expand` event. */
export interface OutputExpandDetail {
  /** Index of the output in `outputs`. */
  index: number;
}

/**
 * Shows outputs: streams with ANSI colours, rich MIME bundles, errors with coloured tracebacks.
 * Untrusted by default (the policy is in src/render/registry.ts); `trusted` lets HTML scripts and
 * JavaScript outputs run. Components render, they never run Python: feed it `outputs`, or events
 * through `apply()`.
 *
 * @fires output-expand - the user pressed "Show all" on a folded output (detail: OutputExpandDetail)
 * @csspart output - every output; also `stream`, `display_data`, `execute_result`, `error`
 * @cssprop --pyloom-font - font of rich (HTML, Markdown) outputs
 * @cssprop --pyloom-text-color - text colour
 * @cssprop --pyloom-output-background - background behind outputs (also inverse-video text)
 * @cssprop --pyloom-output-font - monospace font of text outputs
 * @cssprop --pyloom-error-background - background of errors and stderr
 * @cssprop --pyloom-notice-color - text of notices (untrusted JavaScript, undecodable data)
 * @cssprop --pyloom-notice-background - background of notices
 * @cssprop --pyloom-link-color - links in HTML and Markdown
 * @cssprop --pyloom-table-border - rule under table headers
 * @cssprop --pyloom-table-stripe - background of odd table rows
 * @cssprop --pyloom-ansi-red - and the other ANSI colours: black, red, green, yellow, blue,
 *   magenta, cyan, white, and bright-* of each
 */
export class PyOutput extends LitElement {
  static override styles = outputStyles;

  @property({ attribute: false }) outputs: readonly Output[] = [];
  /** Let HTML scripts and JavaScript outputs run. Only for output whose source you trust. */
  @property({ type: Boolean, reflect: true }) trusted: boolean = false;
  /** Show every long output in full (the user can also expand one with its "Show all" button). */
  @property({ type: Boolean, reflect: true }) expanded: boolean = false;
  /** Show JupyterLab's `[n]:` prompt beside execute results (notebook cells do). */
  @property({ type: Boolean, reflect: true }) prompts: boolean = false;
  /** The MIME renderers, richest first by rank; add your own to show more types. */
  @property({ attribute: false }) renderers: readonly MimeRenderer[] = defaultRenderers;
  /** Live widgets of the runtime these outputs come from (src/widgets/host.ts); none: widgets show a notice. */
  @property({ attribute: false }) widgets: WidgetDisplay | undefined;

  #list = new OutputList();
  /** The array #list was built from: a new `outputs` array from outside resets the model. */
  #listSource: readonly Output[] | undefined;
  /** Rendered nodes by output, with what they showed, so streaming re-renders only what changed. */
  #rendered = new WeakMap<Output, Rendered>();
  #outputOf = new WeakMap<Element, Output>();
  #expandedOutputs = new WeakSet<Output>();
  #prompts = new WeakMap<Output, HTMLElement>();

  /**
   * Apply one output event with Jupyter's semantics (src/runtime/output-list.ts): stream chunks
   * merge, `\r` rewrites a line, update_display_data replaces outputs by display id, and
   * clear_output(wait=True) clears only when the next output arrives, in the same frame.
   * Returns true when the outputs changed.
   */
  apply(event: OutputEvent): boolean {
    if (this.#listSource !== this.outputs) {
      // Outputs set from outside (a stored notebook): continue from them. Their display ids are
      // gone (transient data is not stored), as in Jupyter.
      this.#list = new OutputList();
      for (const output of this.outputs) this.#list.apply(structuredClone(output));
    }
    const changed = this.#list.apply(event);
    if (changed || this.#listSource !== this.outputs) {
      this.outputs = [...this.#list.outputs];
      this.#listSource = this.outputs;
    }
    return changed;
  }

  /**
   * A DOM Range over characters `from`..`to` (UTF-16) of the text output `index` shows (a find
   * match, to highlight). Undefined when that text is not on screen as such: not rendered yet, a
   * rich output, or inside the folded middle of a long text.
   */
  textRange(index: number, from: number, to: number): Range | undefined {
    const output = this.outputs[index];
    const node = output && this.#rendered.get(output)?.node;
    if (!node?.isConnected) return undefined;
    const walker = this.ownerDocument.createTreeWalker(node, NodeFilter.SHOW_TEXT, {
      // The fold's "Show all" button is not part of the text.
      acceptNode: (text) => (text.parentElement?.closest('button') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const range = this.ownerDocument.createRange();
    let offset = 0;
    let started = false;
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const length = text.nodeValue?.length ?? 0;
      if (!started && from < offset + length) {
        range.setStart(text, from - offset);
        started = true;
      }
      if (started && to <= offset + length) {
        range.setEnd(text, to - offset);
        return range;
      }
      offset += length;
    }
    return undefined;
  }

  /** Remove every output now. */
  clear(): void {
    this.#list = new OutputList();
    this.outputs = [];
    this.#listSource = this.outputs;
  }

  override render() {
    return html`<div class="outputs" @click=${this.#onClick}></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('trusted') || changed.has('renderers') || changed.has('widgets')) this.#rendered = new WeakMap();
    const container = this.renderRoot.querySelector<HTMLElement>('.outputs');
    if (!container) return;
    ensureKatexFonts(this.ownerDocument);
    const purifier = (sanitizer ??= createSanitizer(window));
    const nodes = this.outputs.map((output) => {
      const expanded = this.expanded || this.#expandedOutputs.has(output);
      const key = renderKey(output, expanded);
      const cached = this.#rendered.get(output);
      if (cached && sameKey(cached.key, key)) return cached.node;
      const context: RenderContext = {
        document: this.ownerDocument,
        trusted: this.trusted,
        sanitizer: purifier,
        expanded,
        styleRoot: (root) => adoptStyles(root, [katexStyles, richStyles]),
        ...(this.widgets ? { widgets: this.widgets } : {}),
      };
      const node = renderOutput(output, context, this.renderers);
      this.#rendered.set(output, { key, node });
      this.#outputOf.set(node, output);
      return node;
    });
    const shown = this.prompts
      ? this.outputs.flatMap((output, i) => (output.output_type === 'execute_result' ? [this.#promptFor(output), nodes[i]!] : [nodes[i]!]))
      : nodes;
    // Only changed positions are touched: moving a node would reload an iframe and close JSON.
    shown.forEach((node, index) => {
      const current = container.children[index];
      if (current !== node) container.insertBefore(node, current ?? null);
    });
    while (container.children.length > shown.length) container.lastElementChild?.remove();
  }

  #promptFor(output: Output & { output_type: 'execute_result' }): HTMLElement {
    const text = `[${output.execution_count ?? ' '}]:`;
    let node = this.#prompts.get(output);
    if (!node || node.dataset['prompt'] !== text) {
      node = this.ownerDocument.createElement('div');
      node.className = 'out-prompt';
      // Drawn by CSS from the attribute: not in copied text, and the cell's own prompt says the count.
      node.setAttribute('aria-hidden', 'true');
      node.dataset['prompt'] = text;
      this.#prompts.set(output, node);
    }
    return node;
  }

  #onClick = (event: Event) => {
    const target = event.target;
    if (!(target instanceof HTMLElement) || target.dataset['action'] !== 'expand') return;
    const node = target.closest('.output');
    const output = node ? this.#outputOf.get(node) : undefined;
    if (!output) return;
    this.#expandedOutputs.add(output);
    this.requestUpdate();
    const detail: OutputExpandDetail = { index: this.outputs.indexOf(output) };
    this.dispatchEvent(new CustomEvent('output-expand', { detail, bubbles: true, composed: true }));
  };
}

if (!customElements.get('py-output')) customElements.define('py-output', PyOutput);

declare global {
  interface HTMLElementTagNameMap {
    'py-output': PyOutput;
  }
  interface HTMLElementEventMap {
    'output-expand': CustomEvent<OutputExpandDetail>;
  }
}
