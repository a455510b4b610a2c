// The untrusted-output sanitizer: DOMPurify configured for output areas on someone else's page
// (the policy it implements is written out in registry.ts).
import createDOMPurify, { type Config } from 'dompurify';
import type { Sanitizer } from './types';

// Everything here can run script, navigate, submit, load a document, or change how URLs resolve.
// SVG animation elements can rewrite an href to javascript: after sanitizing; <noscript> and
// friends are classic mutation-XSS carriers and show nothing useful in an output anyway.
const FORBID_TAGS = [
  'script',
  'form',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'meta',
  'link',
  'portal',
  'fencedframe',
  'noscript',
  'noembed',
  'noframes',
  'xmp',
  'plaintext',
  'isindex',
  'keygen',
  'animate',
  'set',
  'animateMotion',
  'animateTransform',
  'discard',
  'handler',
  'listener',
];
// Form submission targets; iframe documents; pings. autofocus scrolls the page to the output.
// popover / command attributes open elements in the browser's top layer, above every
// containment box: an output could cover the whole page after one click.
const FORBID_ATTR = [
  'action',
  'formaction',
  'srcdoc',
  'ping',
  'autofocus',
  'popover',
  'popovertarget',
  'popovertargetaction',
  'command',
  'commandfor',
  'interestfor',
];

/**
 * What a <style> may keep. At-rules that reach beyond the output go: @import (loads a sheet),
 * @property (registers a custom property for the whole document), @font-face. A backslash
 * escape inside an at-rule name has no honest use and could hide one of those, so such a sheet
 * is dropped entirely.
 */
export function cleanStyleSheet(css: string): string {
  if (/@[\w-]*\\/.test(css) || scriptInCss(css)) return '';
  return css.replace(/@import\b[^;]*;?/gi, '').replace(/@(?:property|font-face)\b[^{]*\{[^}]*\}?/gi, '');
}

/**
 * Script in CSS (javascript: URLs, IE's expression() and behavior, Firefox's old -moz-binding):
 * no current browser runs these, so this is defence in depth. CSS escapes and comments are
 * undone first, as a CSS parser would.
 */
export function scriptInCss(css: string): boolean {
  const plain = css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\\([0-9a-f]{1,6})\s?/gi, (_, hex: string) => String.fromCodePoint(Math.min(Number.parseInt(hex, 16), 0x10ffff)))
    .replace(/\\(.)/g, '$1')
    .replace(/[\s\u0000-\u001f]/g, '');
  return /javascript:|vbscript:|expression\(|behavior:|-moz-binding/i.test(plain);
}

export function createSanitizer(window: Window & typeof globalThis): Sanitizer {
  const purify = createDOMPurify(window);
  purify.addHook('afterSanitizeAttributes', (node) => {
    const style = node.getAttribute('style');
    if (style && scriptInCss(style)) node.removeAttribute('style');
    const name = node.nodeName.toLowerCase();
    if ((name === 'a' || name === 'area') && (node.hasAttribute('href') || node.hasAttribute('xlink:href'))) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style' && node.textContent) {
      const cleaned = cleanStyleSheet(node.textContent);
      if (cleaned !== node.textContent) node.textContent = cleaned;
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
    svg: (markup) => purify.sanitize(markup, { ...base, USE_PROFILES: { svg: true, svgFilters: true }, RETURN_DOM_FRAGMENT: true }),
  };
}
