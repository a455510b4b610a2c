// The shapes every MIME renderer shares: plain data (convention 9), the sanitizer injected.
import type { OutputMetadata } from '../protocol';

export interface Sanitizer {
  /** Untrusted HTML → inert DOM: no scripts, handlers, javascript: URLs, forms, frames. */
  html(markup: string): DocumentFragment;
  /** Untrusted SVG → inert SVG DOM (DOMPurify's SVG profile). */
  svg(markup: string): DocumentFragment;
}

/** Shows live Jupyter widgets (src/widgets/host.ts); absent where no Python is connected. */
export interface WidgetDisplay {
  /** Draw widget `modelId` into `target` (attached to the page); rejects with the reason it cannot. */
  display(modelId: string, target: HTMLElement): Promise<void>;
}

export interface RenderContext {
  document: Document;
  /** Trusted output may run scripts (JavaScript, <script> in HTML); untrusted never does. */
  trusted: boolean;
  sanitizer: Sanitizer;
  /** Show text in full even when long (the user pressed "Show all" for this output). */
  expanded: boolean;
  /**
   * Give a rich output's own shadow root the styles its content needs (KaTeX, tables): the
   * component adopts shared style sheets; tests may do nothing.
   */
  styleRoot(root: ShadowRoot): void;
  /** Live widgets of the runtime this output came from, when there is one. */
  widgets?: WidgetDisplay;
}

export interface MimeRenderer {
  mimeTypes: readonly string[];
  /** Lower wins: the richest format a bundle has is rendered. */
  rank: number;
  /** true: inert by construction; 'sanitized': safe because it goes through the sanitizer;
   *  false: only in trusted mode. */
  safe: boolean | 'sanitized';
  render(data: unknown, metadata: OutputMetadata, context: RenderContext, mimeType: string): Node;
}

/** A visible explanation instead of output that cannot or must not be shown. Never throws. */
export function notice(document: Document, text: string): HTMLElement {
  const element = document.createElement('div');
  element.className = 'notice';
  element.setAttribute('role', 'note');
  element.textContent = text;
  return element;
}

export function asText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Array.isArray(data) && data.every((part) => typeof part === 'string')) return data.join(''); // nbformat multiline
  return data === undefined || data === null ? '' : JSON.stringify(data);
}
