// @vitest-environment jsdom
// Every MIME renderer on its own: text and streams (ANSI, folding), errors, HTML, Markdown, LaTeX,
// images, SVG, JSON and JavaScript, with the real sanitizer injected.
import { describe, expect, test } from 'vitest';
import { renderBundle, renderOutput } from '../../src/render/registry';
import { FOLD_CHARS, FOLD_LINES, HEAD_LINES, TAIL_LINES } from '../../src/render/text';
import { JSON_EXPAND_BUDGET, JSON_PAGE } from '../../src/render/json';
import { splitMath } from '../../src/render/math';
import { host, inner, PNG_1x1, renderContext } from './helpers/render';

const lines = (count: number, make = (i: number) => `line ${i}`) => Array.from({ length: count }, (_, i) => make(i)).join('\n');

describe('text/plain, streams and errors', () => {
  test('text stays text, with ANSI colours', () => {
    const el = renderOutput({ output_type: 'stream', name: 'stderr', text: '\x1b[31mwarn\x1b[0m <b>x</b>\n' }, renderContext());
    expect(el.querySelector('pre.stream.stderr span.ansi-red-fg')?.textContent).toBe('warn');
    expect(el.querySelector('b')).toBeNull();
    expect(el.textContent).toBe('warn <b>x</b>\n');
    const plain = renderOutput({ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': ['4', '2'] }, metadata: {} }, renderContext());
    expect(plain.querySelector('pre.text')?.textContent).toBe('42'); // nbformat's list-of-lines form
  });

  test('errors show the coloured traceback; without one, ename and evalue', () => {
    const traceback = ['\x1b[31m---\x1b[39m', '\x1b[36mCell In[1], line 1\x1b[39m\n\x1b[32m----> 1\x1b[39m 1/0', '\x1b[1;31mZeroDivisionError\x1b[0m: division by zero'];
    const el = renderOutput({ output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback }, renderContext());
    const pre = el.querySelector('pre.error')!;
    expect(pre.getAttribute('role')).toBe('alert');
    expect(pre.textContent).toBe('---\nCell In[1], line 1\n----> 1 1/0\nZeroDivisionError: division by zero');
    expect([...pre.querySelectorAll('span')].map((s) => [s.textContent, s.className])).toEqual([
      ['---', 'ansi-red-fg'],
      ['Cell In[1], line 1', 'ansi-cyan-fg'],
      ['----> 1', 'ansi-green-fg'],
      ['ZeroDivisionError', 'ansi-red-fg ansi-bold'],
    ]);
    const bare = renderOutput({ output_type: 'error', ename: 'KeyError', evalue: "'k'", traceback: [] }, renderContext());
    expect(bare.textContent).toBe("KeyError: 'k'");
  });

  test(`text over ${FOLD_LINES} lines shows its head and tail and a "Show all" button`, () => {
    const text = `${lines(FOLD_LINES + 500)}\n`;
    const folded = renderOutput({ output_type: 'stream', name: 'stdout', text }, renderContext());
    const button = folded.querySelector('button.show-all');
    expect(button?.getAttribute('data-action')).toBe('expand');
    expect(button?.textContent).toBe(`Show all (1,500 lines, ${text.length.toLocaleString('en')} characters)`);
    const [head, tail] = [...folded.querySelectorAll('pre > .chunk')].map((c) => c.textContent);
    expect(head).toBe(`${lines(HEAD_LINES)}\n`);
    expect(tail).toBe(`${lines(FOLD_LINES + 500).split('\n').slice(-TAIL_LINES).join('\n')}\n`);
    expect(folded.textContent).not.toContain('line 700\n');
    expect(renderOutput({ output_type: 'stream', name: 'stdout', text: lines(FOLD_LINES) }, renderContext()).querySelector('button')).toBeNull();
  });

  test('text over 1 MB in few lines is folded too, without splitting an escape sequence', () => {
    const long = `start \x1b[32m${'x'.repeat(FOLD_CHARS)}\x1b[31mred end`;
    const el = renderOutput({ output_type: 'stream', name: 'stdout', text: long }, renderContext());
    expect(el.querySelector('button.show-all')?.textContent).toBe(`Show all (1 lines, ${long.length.toLocaleString('en')} characters)`);
    expect(el.textContent!.length).toBeLessThan(FOLD_CHARS / 2);
    expect(el.textContent).not.toContain('\x1b');
    expect(el.textContent).not.toContain('[31m');
    const spans = [...el.querySelectorAll('span span')];
    expect(spans.at(-1)?.textContent).toBe('red end');
    expect(spans.at(-1)?.className).toBe('ansi-red-fg');
  });

  test('a colour set in the hidden middle still colours the tail', () => {
    const text = `${lines(HEAD_LINES + 10)}\n\x1b[34m${lines(2000)}`;
    const el = renderOutput({ output_type: 'stream', name: 'stdout', text }, renderContext());
    const tail = el.querySelectorAll('pre > .chunk')[1]!;
    expect(tail.querySelectorAll('span.ansi-blue-fg')).toHaveLength(1);
    expect(tail.textContent).toBe(lines(2000).split('\n').slice(-TAIL_LINES).join('\n'));
  });

  test('expanded long text is built in chunks, in later tasks, until it is complete', async () => {
    const text = lines(9000, (i) => (i % 1000 === 0 ? `\x1b[1mbold ${i}\x1b[0m` : `line ${i}`));
    const el = renderOutput({ output_type: 'stream', name: 'stdout', text }, renderContext({ expanded: true }));
    document.body.append(el);
    const pre = el.querySelector('pre')!;
    expect(pre.querySelector('button')).toBeNull();
    expect(pre.textContent!.length).toBeLessThan(text.length); // not all at once
    await expect.poll(() => pre.dataset['complete'], { timeout: 50_000 }).toBe('true');
    expect(pre.textContent).toBe(text.replace(/\x1b\[\d*m/g, ''));
    expect(pre.querySelectorAll('span.ansi-bold')).toHaveLength(9);
    el.remove();
  });

  test('chunked building stops once its output is gone', async () => {
    const el = renderOutput({ output_type: 'stream', name: 'stdout', text: lines(20_000) }, renderContext({ expanded: true }));
    const pre = el.querySelector('pre')!;
    const first = pre.childElementCount;
    // The control, started after it: once the shown one has built more chunks, the detached one's
    // next task (queued earlier) has run too, and must have added nothing.
    const shown = renderOutput({ output_type: 'stream', name: 'stdout', text: lines(20_000) }, renderContext({ expanded: true }));
    document.body.append(shown);
    const shownPre = shown.querySelector('pre')!;
    await expect.poll(() => shownPre.childElementCount, { timeout: 50_000 }).toBeGreaterThan(first + 1);
    expect(pre.childElementCount).toBe(first);
    expect(pre.dataset['complete']).toBeUndefined();
    shown.remove();
  });
});

describe('text/html', () => {
  const markup = '<style>td { color: red }</style><table><tr><td>1</td></tr></table><img src=x onerror="alert(1)"><script>alert(2)</script>';

  test('untrusted: sanitized, in a shadow root of its own with the shared styles', () => {
    let styled: ShadowRoot | undefined;
    const el = host(renderBundle({ 'text/html': markup }, {}, renderContext({ styleRoot: (root) => (styled = root) })));
    const root = inner(el);
    expect(styled).toBe(root);
    expect(root.querySelector('td')?.textContent).toBe('1');
    expect(root.querySelector('style')?.textContent).toBe('td { color: red }');
    expect(root.querySelector('img')?.hasAttribute('onerror')).toBe(false);
    expect(root.querySelector('script')).toBeNull();
    expect(el.querySelector('td, style')).toBeNull(); // nothing outside the output's own root
  });

  test('isolated: unsanitized in a sandboxed frame that never gets allow-same-origin', () => {
    const untrusted = host(renderBundle({ 'text/html': markup }, { 'text/html': { isolated: true, height: 120 } }, renderContext()));
    const frame = untrusted.querySelector('iframe')!;
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.srcdoc).toBe(markup);
    expect(frame.style.height).toBe('120px');
    const trusted = host(renderBundle({ 'text/html': markup }, { isolated: true }, renderContext({ trusted: true })));
    expect(trusted.querySelector('iframe')?.getAttribute('sandbox')).toBe('allow-scripts');
    expect(trusted.querySelector('iframe')?.style.height).toBe('300px');
  });

  test('trusted: live markup whose scripts are real script elements', () => {
    const root = inner(host(renderBundle({ 'text/html': '<script>window.ranTrusted = 1</script><i>x</i>' }, {}, renderContext({ trusted: true }))));
    expect(root.querySelector('script')?.textContent).toBe('window.ranTrusted = 1');
    expect(root.querySelector('i')?.textContent).toBe('x');
  });
});

describe('text/markdown', () => {
  const render = (source: string, trusted = false) => inner(host(renderBundle({ 'text/markdown': source }, {}, renderContext({ trusted }))));

  test('GFM, inline and display math, $ kept literal in code', () => {
    const root = render('# Title\n\n| a |\n|---|\n| 1 |\n\nEuler $e^{i\\pi}=-1$ and `$HOME`\n\n$$\\int_0^1 x\\,dx$$\n\n```\nprice = $5 + $6\n```');
    expect(root.querySelector('h1')?.textContent).toBe('Title');
    expect(root.querySelector('table td')?.textContent).toBe('1');
    expect(root.querySelectorAll('.katex')).toHaveLength(2);
    expect(root.querySelectorAll('.katex-display')).toHaveLength(1);
    expect(root.querySelector('p code')?.textContent).toBe('$HOME');
    expect(root.querySelector('pre code')?.textContent).toBe('price = $5 + $6\n');
  });

  test('dollars that are not math stay text', () => {
    const root = render('costs $5 and $10, or $ 3 $ each; escaped \\$x\\$');
    expect(root.querySelector('.katex')).toBeNull();
    expect(root.textContent).toBe('costs $5 and $10, or $ 3 $ each; escaped $x$\n');
  });

  test('inline $$…$$ is display math; TeX errors show in place', () => {
    const root = render('before $$x^2$$ after $\\frac{1}{$');
    expect(root.querySelectorAll('.katex-display')).toHaveLength(1);
    expect(root.querySelector('.katex-error')?.textContent).toContain('\\frac{1}{');
  });

  test('Markdown cannot smuggle HTML payloads, trusted or not', () => {
    for (const trusted of [false, true]) {
      const root = render('[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n<script>alert(1)</script>', trusted);
      expect(root.querySelector('a')?.getAttribute('href') ?? null).toBeNull();
      expect(root.querySelector('img')?.hasAttribute('onerror')).toBe(false);
      expect(root.querySelector('script')).toBeNull();
    }
  });

  test('links open in a new tab without an opener', () => {
    const a = render('[site](https://example.org)').querySelector('a')!;
    expect([a.href, a.target, a.rel]).toEqual(['https://example.org/', '_blank', 'noopener noreferrer']);
  });
});

describe('text/latex', () => {
  test('each kind of delimiter is found', () => {
    expect(splitMath('a $x$ b $$y$$ \\[z\\] \\(w\\) \\begin{equation}v\\end{equation} \\begin{align*}u\\end{align*}')).toEqual([
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
      ' ',
      { tex: '\\begin{align*}u\\end{align*}', display: true },
    ]);
    expect(splitMath('no math here')).toEqual(['no math here']);
  });

  test('math is typeset with KaTeX, the text between stays text', () => {
    const el = host(renderBundle({ 'text/latex': 'Area: $\\pi r^2$ and \\begin{equation}E = mc^2\\end{equation}' }, {}, renderContext()));
    expect(el.querySelector('.latex')?.firstChild?.textContent).toBe('Area: ');
    expect(el.querySelectorAll('.katex')).toHaveLength(2);
    expect(el.querySelectorAll('.katex-display')).toHaveLength(1);
    // MathML for screen readers, without the TeX source (it would be read out after the formula).
    expect(el.querySelector('.katex-mathml math')?.textContent).toBe('πr2');
  });

  test('broken TeX shows an error in place; untrusted commands make no links', () => {
    const broken = host(renderBundle({ 'text/latex': '$\\frac{1}{$' }, {}, renderContext()));
    expect(broken.querySelector('.katex-error')).not.toBeNull();
    const link = host(renderBundle({ 'text/latex': '$\\href{javascript:alert(1)}{x}$ $\\url{https://example.org}$' }, {}, renderContext()));
    expect(link.querySelector('a')).toBeNull();
    expect(link.querySelectorAll('.katex-error').length + link.querySelectorAll('.katex').length).toBeGreaterThan(0);
  });
});

describe('images', () => {
  test('PNG, JPEG, GIF and WebP become data-URL <img>s with their Jupyter metadata', () => {
    for (const mime of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) {
      const metadata = { [mime]: { width: 40, height: '30', unconfined: true } };
      const img = host(renderBundle({ [mime]: `${PNG_1x1.slice(0, 20)}\n${PNG_1x1.slice(20)}` }, metadata, renderContext())).querySelector('img')!;
      expect(img.src).toBe(`data:${mime};base64,${PNG_1x1}`);
      expect([img.getAttribute('width'), img.getAttribute('height'), img.className, img.alt]).toEqual(['40', '30', 'unconfined', `${mime} output`]);
    }
  });

  test('sizes that are not sizes are dropped; bad base64 is a notice', () => {
    const img = host(renderBundle({ 'image/png': PNG_1x1 }, { 'image/png': { width: '1" onerror="x', height: -5 } }, renderContext())).querySelector('img')!;
    expect([img.hasAttribute('width'), img.hasAttribute('height')]).toEqual([false, false]);
    for (const data of ['<not base64>', '', 'javascript:alert(1)']) {
      const el = host(renderBundle({ 'image/png': data }, {}, renderContext()));
      expect(el.querySelector('img')).toBeNull();
      expect(el.querySelector('.notice')?.textContent).toBe('image/png output is not valid base64 and cannot be shown');
    }
  });

  test('an image that fails to decode is replaced by a notice', () => {
    const el = host(renderBundle({ 'image/gif': 'AAAA' }, {}, renderContext()));
    el.querySelector('img')!.dispatchEvent(new Event('error'));
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('.notice')?.textContent).toBe('image/gif output could not be decoded as an image');
  });
});

describe('image/svg+xml', () => {
  const markup = '<svg width="10" height="10" onload="alert(1)"><circle r="5"/><a xlink:href="#x"/><script>alert(2)</script></svg>';

  test('untrusted SVG is an <img> of the markup, its namespaces added where missing', () => {
    const img = host(renderBundle({ 'image/svg+xml': markup }, { 'image/svg+xml': { width: 20 } }, renderContext())).querySelector('img')!;
    const prefix = 'data:image/svg+xml;charset=utf-8,';
    expect(img.src.startsWith(prefix)).toBe(true);
    expect(decodeURIComponent(img.src.slice(prefix.length))).toBe(
      markup.replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'),
    );
    expect(img.getAttribute('width')).toBe('20');
    const withNs = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>';
    const same = host(renderBundle({ 'image/svg+xml': withNs }, {}, renderContext())).querySelector('img')!;
    expect(decodeURIComponent(same.src.slice(prefix.length))).toBe(withNs);
  });

  test('trusted SVG is inline in its own shadow root and still sanitized', () => {
    const root = inner(host(renderBundle({ 'image/svg+xml': markup }, {}, renderContext({ trusted: true }))));
    expect(root.querySelector('circle')).not.toBeNull();
    expect(root.querySelector('svg')?.hasAttribute('onload')).toBe(false);
    expect(root.querySelector('script')).toBeNull();
  });

  test('data without an <svg> element is a notice', () => {
    const el = host(renderBundle({ 'image/svg+xml': '<html>not svg</html>' }, {}, renderContext()));
    expect(el.textContent).toBe('image/svg+xml output holds no <svg> element and cannot be shown');
  });
});

describe('application/json', () => {
  const data = { name: 'x', one: { only: 1 }, list: Array.from({ length: JSON_PAGE + 150 }, (_, i) => i), nested: { deep: { deeper: [true, null] } } };
  const open = (details: HTMLDetailsElement) => {
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
  };
  const find = (root: ParentNode, label: string) =>
    [...root.querySelectorAll('details')].find((d) => d.querySelector('summary')?.textContent?.startsWith(`${label}:`))!;

  test('a tree of <details> whose children are built when opened', () => {
    const el = host(renderBundle({ 'application/json': data }, {}, renderContext()));
    const root = el.querySelector('details')!;
    expect(root.open).toBe(true);
    expect([...root.querySelectorAll(':scope > .json-children > *')].map((c) => c.textContent?.split('\n')[0])).toEqual([
      'name: "x"',
      'one: {…} 1 key',
      `list: Array(${JSON_PAGE + 150})`,
      'nested: {…} 1 key',
    ]);
    const nested = find(root, 'nested');
    expect(nested.querySelector('.json-children')).toBeNull();
    open(nested);
    open(find(nested, 'deep'));
    open(find(nested, 'deeper'));
    expect([...find(nested, 'deeper').querySelectorAll('.json-row')].map((r) => [r.textContent, r.lastElementChild?.className])).toEqual([
      ['0: true', 'json-boolean'],
      ['1: null', 'json-null'],
    ]);
  });

  test(`children come ${JSON_PAGE} at a time behind a button`, () => {
    const el = host(renderBundle({ 'application/json': data }, {}, renderContext()));
    const list = find(el, 'list');
    open(list);
    expect(list.querySelectorAll('.json-children > .json-row')).toHaveLength(JSON_PAGE);
    const more = list.querySelector<HTMLButtonElement>('button.json-more')!;
    expect(more.textContent).toBe(`Show ${JSON_PAGE} more of 150`);
    more.click();
    expect(more.textContent).toBe('Show 50 more of 50');
    more.click();
    expect(list.querySelectorAll('.json-children > .json-row')).toHaveLength(JSON_PAGE + 150);
    expect(list.querySelector('button')).toBeNull();
    expect(list.querySelector('.json-children')?.lastElementChild?.textContent).toBe(`${JSON_PAGE + 149}: ${JSON_PAGE + 149}`);
  });

  test('expanded: true opens nodes, within a budget; root names the tree', () => {
    const el = host(renderBundle({ 'application/json': data }, { 'application/json': { expanded: true, root: 'cfg' } }, renderContext()));
    expect([...el.querySelectorAll('details')].every((d) => d.open)).toBe(true);
    expect(el.querySelectorAll('details')).toHaveLength(6);
    expect(el.querySelector('summary')?.textContent).toBe('cfg: {…} 4 keys');
    const wide = Array.from({ length: 50 }, () => Array.from({ length: 50 }, () => [1]));
    const big = host(renderBundle({ 'application/json': wide }, { expanded: true }, renderContext()));
    expect(big.querySelectorAll('details[open]').length).toBe(JSON_EXPAND_BUDGET + 1);
  });

  test('deep and huge data render instantly; long strings are cut', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    const huge = Array.from({ length: 1_000_000 }, (_, i) => i);
    const start = performance.now();
    const el = host(renderBundle({ 'application/json': { deep, huge, text: 'y'.repeat(50_000) } }, {}, renderContext()));
    // About 1 ms here (nothing walks the data): the bound is hundreds of times that, so only a
    // renderer that visits a million items or recurses 100,000 levels can fail it.
    expect(performance.now() - start).toBeLessThan(500);
    expect(el.querySelectorAll('details')).toHaveLength(3);
    expect(el.querySelector('.json-string')?.textContent).toMatch(/^"y{9999}… \(50,002 characters\)$/);
  });

  test('scalars at the top level are a single row', () => {
    expect(host(renderBundle({ 'application/json': 'just text' }, {}, renderContext())).textContent).toBe('root: "just text"');
  });
});

describe('application/javascript', () => {
  test('trusted: runs with `element` bound to its attached output area', async () => {
    const el = host(renderBundle({ 'application/javascript': 'element.textContent = "ran:" + element.isConnected' }, {}, renderContext({ trusted: true })));
    document.body.append(el);
    await Promise.resolve();
    expect(el.textContent).toBe('ran:true');
    el.remove();
  });

  test('trusted: an exception becomes a notice', async () => {
    const el = host(renderBundle({ 'application/javascript': 'throw new Error("nope")' }, {}, renderContext({ trusted: true })));
    await Promise.resolve();
    expect(el.querySelector('.notice')?.textContent).toBe('JavaScript output failed: nope');
  });
});
