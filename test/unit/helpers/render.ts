// Renderer test kit for jsdom: a RenderContext with the real sanitizer, and ways into the DOM.
import { createSanitizer } from '../../../src/render/sanitize';
import type { RenderContext } from '../../../src/render/types';

export const sanitizer = createSanitizer(window);

export function renderContext(overrides: Partial<RenderContext> = {}): RenderContext {
  return { document, trusted: false, sanitizer, expanded: false, styleRoot: () => undefined, ...overrides };
}

/** A detached <div> holding `node`, to query. */
export function host(node: Node): HTMLElement {
  const div = document.createElement('div');
  div.append(node);
  return div;
}

/** The shadow root an HTML, Markdown or trusted SVG output renders into. */
export function inner(element: ParentNode, selector = '.html, .markdown, .svg'): ShadowRoot {
  const root = element.querySelector(selector)?.shadowRoot;
  if (!root) throw new Error(`no ${selector} element with a shadow root in ${element.textContent ?? ''}`);
  return root;
}

/** A 1×1 PNG. */
export const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
