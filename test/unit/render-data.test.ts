// @vitest-environment jsdom
// The data renderers: raster images, SVG, the application/json tree and application/javascript,
// with the real sanitizer injected.
import { describe, expect, test } from 'vitest';
import { renderBundle } from '../../src/render/registry';
import { JSON_EXPAND_BUDGET, JSON_PAGE } from '../../src/render/json';
import { host, inner, PNG_1x1, renderContext } from './helpers/render';

describe('images', () => {
  test('PNG, JPEG, GIF and WebP become data-URL <img>s with their Jupyter metadata', () => {
    for (const mime of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) {
      const metadata = { [mime]: { width: 40, height: '30', unconfined: true } };
      const img = host(renderBundle({ [mime]: `${PNG_1x1.slice(0, 20)}\n${PNG_1x1.slice(20)}` }, metadata, renderContext())).querySelector(
        'img',
      )!;
      expect(img.src).toBe(`data:${mime};base64,${PNG_1x1}`);
      expect([img.getAttribute('width'), img.getAttribute('height'), img.className, img.alt]).toEqual([
        '40',
        '30',
        'unconfined',
        `${mime} output`,
      ]);
    }
  });

  test('sizes that are not sizes are dropped; bad base64 is a notice', () => {
    const img = host(
      renderBundle({ 'image/png': PNG_1x1 }, { 'image/png': { width: '1" onerror="x', height: -5 } }, renderContext()),
    ).querySelector('img')!;
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
  const data = {
    name: 'x',
    one: { only: 1 },
    list: Array.from({ length: JSON_PAGE + 150 }, (_, i) => i),
    nested: { deep: { deeper: [true, null] } },
  };
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
    const el = host(
      renderBundle(
        { 'application/javascript': 'element.textContent = "ran:" + element.isConnected' },
        {},
        renderContext({ trusted: true }),
      ),
    );
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
