// @vitest-environment jsdom
// The sanitizer alone: what the XSS corpus leaves behind (the Chromium test checks that nothing
// runs; this one checks that nothing able to run or navigate is left), links, styles, top layer.
import { describe, expect, test } from 'vitest';
import { cleanStyleSheet } from '../../src/render/sanitize';
import { XSS_VECTORS } from '../fixtures/xss-vectors';
import { host, sanitizer } from './helpers/render';

// jsdom compiles inline handlers even in the inert documents DOMPurify parses into (browsers never
// do; the Chromium test checks that nothing runs). A vector's handler firing there on a timer, in a
// scope where the clobbering vector has made `__pwned` an element, must not crash the run: what is
// left in the sanitized output is what this file checks.
window.addEventListener('error', (event) => {
  if (/__pwned/.test(event.message)) event.preventDefault();
});

const DANGEROUS_TAGS = [
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'base',
  'meta',
  'link',
  'animate',
  'set',
  'discard',
  'noscript',
  'portal',
];
const DANGEROUS_ATTRS = ['action', 'formaction', 'srcdoc', 'autofocus', 'popover', 'popovertarget', 'command', 'commandfor'];

/** Everything in a sanitized tree (template contents included) that could run, navigate or submit. */
function findings(id: string, fragment: DocumentFragment): string[] {
  const found: string[] = [];
  const visit = (root: ParentNode) => {
    for (const el of root.querySelectorAll('*')) {
      const tag = el.localName;
      if (DANGEROUS_TAGS.includes(tag)) found.push(`${id}: <${tag}>`);
      for (const attr of el.attributes) {
        const value = attr.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
        if (attr.name.startsWith('on')) found.push(`${id}: ${tag}[${attr.name}]`);
        if (DANGEROUS_ATTRS.includes(attr.name)) found.push(`${id}: ${tag}[${attr.name}]`);
        if (/(javascript|vbscript|data:text\/html)/.test(value) && attr.name !== 'title' && attr.name !== 'alt')
          found.push(`${id}: ${tag}[${attr.name}=${attr.value}]`);
        if (/href|src|data|poster|background/.test(attr.name) && value.startsWith('data:') && !value.startsWith('data:image/'))
          found.push(`${id}: ${tag}[${attr.name}] data URL`);
      }
      if (el.getAttribute('name') === '__pwned' || el.id === '__pwned') found.push(`${id}: clobbering <${tag}>`);
      if (el instanceof HTMLTemplateElement) visit(el.content);
    }
  };
  visit(host(fragment));
  return found;
}

describe('the XSS corpus', () => {
  test(`${XSS_VECTORS.length} vectors (at least 40), through the HTML and the SVG profile, leave nothing that can run or navigate`, () => {
    expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(XSS_VECTORS.map((v) => v.id)).size).toBe(XSS_VECTORS.length);
    const found = XSS_VECTORS.flatMap(({ id, markup }) => [
      ...findings(id, sanitizer.html(markup)),
      ...findings(`${id} (svg)`, sanitizer.svg(markup)),
    ]);
    expect(found).toEqual([]);
  });

  test('the check above does find what an unsanitized tree holds', () => {
    const raw = (markup: string) => document.createRange().createContextualFragment(markup);
    const unsanitized = XSS_VECTORS.filter(({ id, markup }) => findings(id, raw(markup)).length > 0);
    // Most vectors are visibly dangerous before sanitizing; the rest are parser tricks (mXSS).
    expect(unsanitized.length).toBeGreaterThan(XSS_VECTORS.length * 0.7);
  });
});

describe('policy details', () => {
  test('links open in a new tab without an opener; safe URLs are kept', () => {
    const root = host(
      sanitizer.html(
        '<a href="https://example.org/a">x</a><a href="#frag">y</a><a href="mailto:a@b.c">m</a><map><area href="https://example.org/b"></map>',
      ),
    );
    expect(
      [...root.querySelectorAll('a, area')].map((a) => [a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')]),
    ).toEqual([
      ['https://example.org/a', '_blank', 'noopener noreferrer'],
      ['#frag', '_blank', 'noopener noreferrer'],
      ['mailto:a@b.c', '_blank', 'noopener noreferrer'],
      ['https://example.org/b', '_blank', 'noopener noreferrer'],
    ]);
  });

  test('pandas-style tables keep their <style>, classes and inline styles', () => {
    const root = host(
      sanitizer.html(
        '<style scoped>.dataframe tbody tr th { vertical-align: top }</style><table class="dataframe" border="1"><tr><th style="text-align: right">a</th></tr></table>',
      ),
    );
    expect(root.querySelector('style')?.textContent).toBe('.dataframe tbody tr th { vertical-align: top }');
    expect(root.querySelector('table')?.className).toBe('dataframe');
    expect(root.querySelector('th')?.getAttribute('style')).toBe('text-align: right');
  });

  test('ids and names get a prefix, so they cannot clobber globals', () => {
    const root = host(sanitizer.html('<img id="location" name="cookie" src="x.png">'));
    expect([root.querySelector('img')?.id, root.querySelector('img')?.getAttribute('name')]).toEqual([
      'user-content-location',
      'user-content-cookie',
    ]);
  });

  test('nothing can open in the top layer or steal focus', () => {
    const root = host(
      sanitizer.html(
        '<div popover id="p">over</div><button popovertarget="p" popovertargetaction="show">open</button><button commandfor="d" command="show-modal">m</button><dialog id="d">d</dialog><input autofocus>',
      ),
    );
    for (const el of root.querySelectorAll('*')) {
      expect([...el.attributes].map((a) => a.name).filter((name) => /popover|command|autofocus/.test(name))).toEqual([]);
    }
    expect(root.textContent).toBe('overopenmd');
  });
});

describe('cleanStyleSheet', () => {
  test('drops @import, @property and @font-face, keeps the rest', () => {
    expect(cleanStyleSheet('@import url(https://evil.example/x.css); td { color: red }')).toBe(' td { color: red }');
    expect(cleanStyleSheet('@IMPORT "x.css";p{}')).toBe('p{}');
    expect(cleanStyleSheet('@property --pyloom-ansi-red { syntax: "<color>"; inherits: false; initial-value: red } b { x: y }')).toBe(
      ' b { x: y }',
    );
    expect(cleanStyleSheet('@font-face { font-family: x; src: url(x.woff) } i {}')).toBe(' i {}');
    expect(cleanStyleSheet('@media (min-width: 1px) { td { color: red } }')).toBe('@media (min-width: 1px) { td { color: red } }');
  });

  test('a sheet that escapes an at-rule name is dropped whole', () => {
    expect(cleanStyleSheet('@\\69mport url(x.css); td { color: red }')).toBe('');
    expect(cleanStyleSheet('@imp\\6frt url(x.css);')).toBe('');
    expect(cleanStyleSheet('td::before { content: "\\2014" }')).toBe('td::before { content: "\\2014" }');
  });

  test('the sanitizer applies it to <style> in HTML and in SVG', () => {
    expect(host(sanitizer.html('<style>@import "x.css"; p { color: red }</style>')).querySelector('style')?.textContent).toBe(
      ' p { color: red }',
    );
    expect(
      host(sanitizer.svg('<svg><style>@import "x.css"; rect { fill: red }</style><rect/></svg>')).querySelector('style')?.textContent,
    ).toBe(' rect { fill: red }');
  });
});

describe('script in CSS', () => {
  test('style attributes and sheets with javascript:, expression() or bindings are dropped, escapes and comments undone', () => {
    const attributes = [
      'background:url(javascript:alert(1))',
      'background:url("java\\73 cript:alert(1)")',
      'background:url(java/**/script:alert(1))',
      'width: expression(alert(1))',
      'behavior: url(x.htc)',
      '-moz-binding: url(x.xml#xss)',
    ];
    for (const style of attributes) {
      expect(
        host(sanitizer.html(`<div style='${style}'>x</div>`))
          .querySelector('div')
          ?.hasAttribute('style'),
      ).toBe(false);
      expect(cleanStyleSheet(`div { ${style} }`)).toBe('');
    }
    expect(
      host(sanitizer.html(`<div style="color: red; background: url(https://example.org/a.png)">x</div>`))
        .querySelector('div')
        ?.getAttribute('style'),
    ).toBe('color: red; background: url(https://example.org/a.png)');
  });
});
