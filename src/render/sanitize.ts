// The untrusted-output sanitizer: DOMPurify configured for output areas on someone else's page.
//
// Trust policy (README "Output and trust"): untrusted HTML keeps markup, styles and images, and
// loses everything that can run or navigate on its own: <script>, event handlers, javascript: and
// other non-allowlisted URL schemes, forms and form actions, frames, <object>/<embed>, <base>,
// <meta>, <link>, SVG <animate>/<set> (they can rewrite href to javascript:). Links open in a new
// tab without an opener. <style> is kept (pandas tables need it) minus @import; the output area is
// in shadow DOM with `contain: content`, so styles can neither reach the host page nor draw
// outside the output's box.
import createDOMPurify, { type Config } from 'dompurify';
import type { Sanitizer } from './types';

const FORBID_TAGS = [
  'script', 'form', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'meta',
  'link', 'portal', 'noscript', 'animate', 'set', 'animateMotion', 'animateTransform', 'handler',
];
const FORBID_ATTR = ['action', 'formaction', 'srcdoc', 'ping', 'xmlns:xlink'];

export function createSanitizer(window: Window & typeof globalThis): Sanitizer {
  const purify = createDOMPurify(window);
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName.toLowerCase() === 'a' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style' && node.textContent?.includes('@import')) {
      node.textContent = node.textContent.replace(/@import[^;]*;?/gi, '');
    }
  });
  // FORCE_BODY: a leading <style> would otherwise be parsed into <head> and lost.
  // SANITIZE_NAMED_PROPS: ids and names get a user-content- prefix, so they cannot clobber globals.
  const base: Config = {
    FORBID_TAGS,
    FORBID_ATTR,
    ADD_ATTR: ['target'],
    ALLOW_UNKNOWN_PROTOCOLS: false,
    FORCE_BODY: true,
    SANITIZE_NAMED_PROPS: true,
  };
  return {
    html: (markup) => purify.sanitize(markup, { ...base, RETURN_DOM_FRAGMENT: true }),
    svg: (markup) =>
      purify.sanitize(markup, { ...base, USE_PROFILES: { svg: true, svgFilters: true }, RETURN_DOM_FRAGMENT: true }),
  };
}
