// @vitest-environment jsdom
// Every renderer, the registry's choice under the trust policy, and the sanitizer's output on the
// XSS corpus (the Chromium test checks that nothing executes; this one checks what is left).
import { describe, expect, test } from 'vitest';
import { ansiToDom, stripAnsi } from '../../src/render/ansi';
import { splitMath } from '../../src/render/math';
import { pickRenderer, renderBundle, renderOutput } from '../../src/render/registry';
import { createSanitizer } from '../../src/render/sanitize';
import { FOLD_LINES } from '../../src/render/text';
import type { RenderContext } from '../../src/render/types';
import { XSS_VECTORS } from '../fixtures/xss-vectors';

const sanitizer = createSanitizer(window);
const context = (overrides: Partial<RenderContext> = {}): RenderContext => ({
  document,
  trusted: false,
  sanitizer,
  expanded: false,
  ...overrides,
});
const host = (node: Node): HTMLElement => {
  const div = document.createElement('div');
  div.append(node);
  return div;
};
const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('ANSI', () => {
  test('colours, bold, reset and 256/24-bit colours become styled spans', () => {
    const el = host(ansiToDom(document, 'a\x1b[31mred\x1b[1;32mgreen-bold\x1b[0m plain \x1b[38;5;196mx\x1b[38;2;1;2;3my'));
    const spans = [...el.querySelectorAll('span')];
    expect(el.textContent).toBe('aredgreen-bold plain xy');
    expect(spans.map((s) => s.textContent)).toEqual(['red', 'green-bold', 'x', 'y']);
    expect(spans[0]!.style.color).toBe('var(--pyloom-ansi-red)');
    expect(spans[1]!.style.fontWeight).toBe('bold');
    expect(spans[2]!.style.color).toBe('rgb(255, 0, 0)');
    expect(spans[3]!.style.color).toBe('rgb(1, 2, 3)');
  });

  test('text is never parsed as HTML, other control sequences are dropped', () => {
    const el = host(ansiToDom(document, '<img src=x onerror=alert(1)>\x1b[2K\x1b[1A done'));
    expect(el.querySelector('img')).toBeNull();
    expect(el.textContent).toBe('<img src=x onerror=alert(1)> done');
    expect(stripAnsi('\x1b[31mred\x1b[39m')).toBe('red');
  });
});

describe('registry', () => {
  const bundle = {
    'application/javascript': 'element.textContent = "ran"',
    'text/html': '<b>h</b>',
    'text/markdown': '*m*',
    'image/png': PNG_1x1,
    'text/plain': 'p',
  };

  test('picks the richest format the trust policy allows', () => {
    expect(pickRenderer(bundle, true)?.mimeType).toBe('application/javascript');
    expect(pickRenderer(bundle, false)?.mimeType).toBe('text/html');
    expect(pickRenderer({ 'text/markdown': 'm', 'image/png': PNG_1x1, 'text/plain': 'p' }, false)?.mimeType).toBe('text/markdown');
    expect(pickRenderer({ 'image/png': PNG_1x1, 'application/json': {} }, false)?.mimeType).toBe('image/png');
    expect(pickRenderer({ 'application/javascript': 'x' }, false)).toBeUndefined();
  });

  test('nothing renderable degrades to a message, never a throw', () => {
    const el = host(renderBundle({ 'application/javascript': 'x' }, {}, context()));
    expect(el.textContent).toMatch(/No renderer for this output \(application\/javascript\) in untrusted mode/);
    const bad = host(renderBundle({ 'image/png': '<not base64>' }, {}, context()));
    expect(bad.textContent).toMatch(/not valid base64/);
  });

  test('untrusted JavaScript is explained and the next format shown', () => {
    const el = host(renderBundle({ 'application/javascript': 'x()', 'text/plain': '<Javascript object>' }, {}, context()));
    expect(el.querySelector('.notice')?.textContent).toBe('application/javascript output was not run: this output is not trusted.');
    expect(el.querySelector('pre.text')?.textContent).toBe('<Javascript object>');
  });

  test('trusted JavaScript runs with element in scope', async () => {
    const untrusted = host(renderBundle({ 'application/javascript': 'element.textContent = "ran"' }, {}, context({ trusted: true })));
    document.body.append(untrusted);
    await Promise.resolve();
    expect(untrusted.textContent).toBe('ran');
    untrusted.remove();
  });
});

describe('renderers', () => {
  test('text/plain and streams keep text as text, with ANSI colours', () => {
    const el = renderOutput({ output_type: 'stream', name: 'stderr', text: '\x1b[31mwarn\x1b[0m <b>x</b>\n' }, context());
    expect(el.querySelector('pre.stream.stderr span')?.textContent).toBe('warn');
    expect(el.querySelector('b')).toBeNull();
    const plain = renderOutput({ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '42' }, metadata: {} }, context());
    expect(plain.querySelector('pre.text')?.textContent).toBe('42');
  });

  test('errors show the coloured traceback', () => {
    const el = renderOutput(
      { output_type: 'error', ename: 'ValueError', evalue: 'v', traceback: ['\x1b[31m---\x1b[39m', '\x1b[31mValueError\x1b[39m: v'] },
      context(),
    );
    expect(el.querySelector('pre.error')?.getAttribute('role')).toBe('alert');
    expect(el.textContent).toBe('---\nValueError: v');
    expect(el.querySelectorAll('pre.error span')).toHaveLength(2);
  });

  test('long text is folded until expanded', () => {
    const text = Array.from({ length: FOLD_LINES + 500 }, (_, i) => `line ${i}`).join('\n');
    const folded = renderOutput({ output_type: 'stream', name: 'stdout', text }, context());
    expect(folded.querySelector('button.show-all')?.textContent).toBe(`Show all (1,500 lines, ${text.length.toLocaleString('en')} characters)`);
    expect(folded.textContent).not.toContain('line 700\n');
    expect(folded.textContent).toContain('line 1499');
    const full = renderOutput({ output_type: 'stream', name: 'stdout', text }, context({ expanded: true }));
    expect(full.querySelector('button')).toBeNull();
    expect(full.textContent).toContain('line 700\n');
  });

  test('text/html is sanitized when untrusted, isolated when asked, live when trusted', () => {
    const markup = '<table><tr><td>1</td></tr></table><img src=x onerror="alert(1)"><script>alert(2)</script>';
    const safe = host(renderBundle({ 'text/html': markup }, {}, context()));
    expect(safe.querySelector('td')?.textContent).toBe('1');
    expect(safe.querySelector('img')?.hasAttribute('onerror')).toBe(false);
    expect(safe.querySelector('script')).toBeNull();
    const isolated = host(renderBundle({ 'text/html': markup }, { 'text/html': { isolated: true } }, context()));
    const frame = isolated.querySelector('iframe');
    expect(frame?.getAttribute('sandbox')).toBe('');
    expect(frame?.srcdoc).toBe(markup);
    const live = host(renderBundle({ 'text/html': '<script>1</script><i>x</i>' }, {}, context({ trusted: true })));
    expect(live.querySelector('script')).not.toBeNull();
  });

  test('text/markdown renders GFM and math, and keeps $ in code', () => {
    const el = host(renderBundle({ 'text/markdown': '# Title\n\n| a |\n|---|\n| 1 |\n\nEuler $e^{i\\pi}=-1$ and `$HOME`\n\n$$\\int_0^1 x\\,dx$$' }, {}, context()));
    expect(el.querySelector('h1')?.textContent).toBe('Title');
    expect(el.querySelector('table td')?.textContent).toBe('1');
    expect(el.querySelectorAll('.katex')).toHaveLength(2);
    expect(el.querySelector('.katex-display')).not.toBeNull();
    expect(el.querySelector('code')?.textContent).toBe('$HOME');
  });

  test('markdown cannot smuggle HTML payloads', () => {
    const el = host(renderBundle({ 'text/markdown': '[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n<script>alert(1)</script>' }, {}, context()));
    expect(el.querySelector('a')?.getAttribute('href') ?? null).toBeNull();
    expect(el.querySelector('img')?.hasAttribute('onerror')).toBe(false);
    expect(el.querySelector('script')).toBeNull();
  });

  test('text/latex typesets each kind of delimiter', () => {
    expect(splitMath('a $x$ b $$y$$ \\[z\\] \\(w\\) \\begin{equation}v\\end{equation}')).toEqual([
      'a ',
      { tex: 'x', display: false },
      ' b ',
      { tex: 'y', display: true },
      ' ',
      { tex: 'z', display: true },
      ' ',
      { tex: 'w', display: false },
      ' ',
      { tex: '\\begin{equation}v\\end{equation}', display: true },
    ]);
    const el = host(renderBundle({ 'text/latex': 'Area: $\\pi r^2$' }, {}, context()));
    expect(el.textContent).toContain('Area: ');
    expect(el.querySelector('.katex')).not.toBeNull();
    const broken = host(renderBundle({ 'text/latex': '$\\frac{1}{$' }, {}, context()));
    expect(broken.querySelector('.katex-error, .katex')).not.toBeNull();
  });

  test('images become data-URL <img> with their metadata', () => {
    for (const mime of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) {
      const el = host(renderBundle({ [mime]: `${PNG_1x1.slice(0, 20)}\n${PNG_1x1.slice(20)}` }, { [mime]: { width: 40, height: '30' } }, context()));
      const img = el.querySelector('img')!;
      expect(img.src).toBe(`data:${mime};base64,${PNG_1x1}`);
      expect([img.getAttribute('width'), img.getAttribute('height')]).toEqual(['40', '30']);
    }
    const unsafeSize = host(renderBundle({ 'image/png': PNG_1x1 }, { 'image/png': { width: '1" onerror="x' } }, context()));
    expect(unsafeSize.querySelector('img')?.hasAttribute('width')).toBe(false);
  });

  test('untrusted SVG is an image; trusted SVG is inline and still sanitized', () => {
    const markup = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/><script>alert(2)</script></svg>';
    const img = host(renderBundle({ 'image/svg+xml': markup }, {}, context())).querySelector('img')!;
    expect(img.src.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(atob(img.src.split(',')[1]!)).toBe(markup);
    const inline = host(renderBundle({ 'image/svg+xml': markup }, {}, context({ trusted: true })));
    expect(inline.querySelector('circle')).not.toBeNull();
    expect(inline.querySelector('svg')?.hasAttribute('onload')).toBe(false);
    expect(inline.querySelector('script')).toBeNull();
  });

  test('application/json is a lazy, collapsible tree', () => {
    const data = { name: 'x', list: Array.from({ length: 150 }, (_, i) => i), nested: { deep: { deeper: true } } };
    const el = host(renderBundle({ 'application/json': data }, {}, context()));
    const root = el.querySelector('details')!;
    expect(root.open).toBe(true);
    expect(root.querySelector('summary')?.textContent).toBe('root: {…} 3 keys');
    const list = [...root.querySelectorAll('details')].find((d) => d.querySelector('summary')?.textContent?.startsWith('list'))!;
    expect(list.querySelector('.json-children')).toBeNull(); // not built until opened
    list.open = true;
    list.dispatchEvent(new Event('toggle'));
    expect(list.querySelectorAll('.json-children > .json-row')).toHaveLength(100);
    expect(list.querySelector('.json-more')?.textContent).toBe('… 50 more');
    const expanded = host(renderBundle({ 'application/json': data }, { 'application/json': { expanded: true, root: 'cfg' } }, context()));
    expect([...expanded.querySelectorAll('details')].every((d) => d.open)).toBe(true);
    expect(expanded.querySelector('summary')?.textContent).toBe('cfg: {…} 3 keys');
  });
});

describe('sanitizer against the XSS corpus', () => {
  test(`${XSS_VECTORS.length} vectors (at least 40) leave nothing that can run or navigate`, () => {
    expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(40);
    const offending: string[] = [];
    for (const { id, markup } of XSS_VECTORS) {
      for (const fragment of [sanitizer.html(markup), sanitizer.svg(markup)]) {
        const root = host(fragment);
        for (const el of [root, ...root.querySelectorAll('*')]) {
          const tag = el.localName;
          if (['script', 'iframe', 'object', 'embed', 'form', 'base', 'meta', 'link', 'animate', 'set', 'noscript'].includes(tag)) {
            offending.push(`${id}: <${tag}>`);
          }
          for (const attr of el.attributes) {
            const value = attr.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
            if (attr.name.startsWith('on')) offending.push(`${id}: ${tag}[${attr.name}]`);
            if (/^(javascript|vbscript|data:text\/html)/.test(value) || (attr.name.includes('href') && value.startsWith('data:'))) {
              offending.push(`${id}: ${tag}[${attr.name}=${attr.value}]`);
            }
            if (['action', 'formaction', 'srcdoc'].includes(attr.name)) offending.push(`${id}: ${tag}[${attr.name}]`);
          }
          if (el.getAttribute('name') === '__pwned' || el.id === '__pwned') offending.push(`${id}: clobbering ${tag}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  test('links open in a new tab without an opener', () => {
    const a = host(sanitizer.html('<a href="https://example.org">x</a>')).querySelector('a')!;
    expect([a.getAttribute('target'), a.getAttribute('rel')]).toEqual(['_blank', 'noopener noreferrer']);
  });

  test('styles are kept without @import', () => {
    const style = host(sanitizer.html('<style>@import url(https://evil.example/x.css); td { color: red }</style><p>t</p>')).querySelector('style');
    expect(style?.textContent).toBe(' td { color: red }');
  });
});
