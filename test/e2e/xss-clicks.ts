// Clicking everything an output kept, for the XSS tests, without a per-element timeout: the
// elements are found inside the page (open shadow roots included), each one gets the whole pointer
// sequence dispatched on it (so a handler runs even under an overlay or on a zero-size element),
// and visible links also get a real mouse click (user activation, so a javascript: URL opened in
// a new tab becomes a popup the tests can see).
import type { Page } from '@playwright/test';

/** What a surviving javascript: URL, form action or click handler could hide in. */
export const CLICKABLE = 'a, area, button, input, summary, .katex, [class*=xss-click]';

declare global {
  interface Window {
    /** Visible links found by the last clickEverything, for the real mouse clicks. */
    __xssLinks?: Element[];
  }
}

/**
 * Clicks every element matching `selector` under the elements matching `hostSelector` (both
 * found through open shadow roots; `hostSelector` is matched within one tree). Resolves
 * with how many elements got the dispatched sequence and how many links a real mouse click.
 */
export async function clickEverything(
  page: Page,
  hostSelector: string,
  selector = CLICKABLE,
): Promise<{ dispatched: number; mouse: number }> {
  const dispatched = await page.evaluate(
    ({ hostSelector, selector }) => {
      /** Every element under root matching `css`, open shadow roots included. */
      const deep = (root: ParentNode, css: string, into: Element[] = []): Element[] => {
        for (const el of root.querySelectorAll('*')) {
          if (el.matches(css)) into.push(el);
          if (el.shadowRoot) deep(el.shadowRoot, css, into);
        }
        return into;
      };
      const found: Element[] = [];
      for (const host of deep(document, hostSelector)) {
        deep(host, selector, found);
        if (host.shadowRoot) deep(host.shadowRoot, selector, found);
      }
      const init = { bubbles: true, composed: true, cancelable: true, view: window };
      for (const el of found) {
        for (const type of ['pointerover', 'pointerenter', 'pointerdown']) el.dispatchEvent(new PointerEvent(type, init));
        for (const type of ['mouseover', 'mouseenter', 'mousedown']) el.dispatchEvent(new MouseEvent(type, init));
        if (el instanceof HTMLElement || el instanceof SVGElement) el.focus();
        el.dispatchEvent(new PointerEvent('pointerup', init));
        el.dispatchEvent(new MouseEvent('mouseup', init));
        if (el instanceof HTMLElement) el.click();
        else el.dispatchEvent(new MouseEvent('click', init));
      }
      window.__xssLinks = found.filter((el) => el.matches('a[href], area[href]') && el.getClientRects().length > 0);
      return found.length;
    },
    { hostSelector, selector },
  );
  const links = await page.evaluate(() => window.__xssLinks!.length);
  for (let i = 0; i < links; i += 1) {
    const point = await page.evaluate((i) => {
      const el = window.__xssLinks![i]!;
      if (!el.isConnected) return null;
      el.scrollIntoView({ block: 'center', inline: 'center' });
      const rect = el.getClientRects()[0];
      return rect && rect.width > 0 && rect.height > 0 ? { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 } : null;
    }, i);
    if (point) await page.mouse.click(point.x, point.y);
  }
  return { dispatched, mouse: links };
}
