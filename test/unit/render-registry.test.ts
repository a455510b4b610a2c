// @vitest-environment jsdom
// The registry's choice of renderer under the trust policy, its notices, and that rendering never
// throws whatever the data.
import { describe, expect, test } from 'vitest';
import type { Output } from '../../src/protocol';
import { defaultRenderers, pickRenderer, renderBundle, renderOutput } from '../../src/render/registry';
import type { MimeRenderer } from '../../src/render/types';
import { host, PNG_1x1, renderContext } from './helpers/render';

const everything = {
  'application/javascript': 'element.textContent = "ran"',
  'text/html': '<b>h</b>',
  'text/markdown': '*m*',
  'text/latex': '$x$',
  'image/svg+xml': '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
  'image/png': PNG_1x1,
  'application/json': { a: 1 },
  'text/plain': 'p',
};

/** The order a bundle's formats would be chosen in, richest first, by dropping each winner. */
function preference(trusted: boolean): string[] {
  const bundle: Record<string, unknown> = { ...everything };
  const order: string[] = [];
  for (let choice = pickRenderer(bundle, trusted); choice; choice = pickRenderer(bundle, trusted)) {
    order.push(choice.mimeType);
    delete bundle[choice.mimeType];
  }
  return order;
}

describe('pickRenderer', () => {
  test("trusted output gets the richest format, in Jupyter's order", () => {
    expect(preference(true)).toEqual([
      'application/javascript',
      'text/html',
      'text/markdown',
      'text/latex',
      'image/svg+xml',
      'image/png',
      'application/json',
      'text/plain',
    ]);
  });

  test('untrusted output never gets a renderer that is not safe', () => {
    expect(preference(false)).toEqual([
      'text/html',
      'text/markdown',
      'text/latex',
      'image/svg+xml',
      'image/png',
      'application/json',
      'text/plain',
    ]);
    for (const renderer of defaultRenderers) {
      for (const mimeType of renderer.mimeTypes) {
        const choice = pickRenderer({ [mimeType]: 'x' }, false);
        expect(choice === undefined || choice.renderer.safe !== false).toBe(true);
      }
    }
    expect(pickRenderer({ 'application/javascript': 'x' }, false)).toBeUndefined();
    expect(pickRenderer({ 'text/javascript': 'x' }, true)?.mimeType).toBe('text/javascript');
  });

  test('missing, null and unknown types are not chosen', () => {
    expect(pickRenderer({ 'text/html': null, 'text/plain': 'p' }, false)?.mimeType).toBe('text/plain');
    expect(pickRenderer({ 'application/x-unknown': 'x' }, true)).toBeUndefined();
    expect(pickRenderer({}, true)).toBeUndefined();
  });

  test('custom renderers take part by rank and by safety', () => {
    const custom: MimeRenderer = {
      mimeTypes: ['application/vnd.custom'],
      rank: 10,
      safe: true,
      render: () => document.createTextNode('custom'),
    };
    const unsafe: MimeRenderer = { ...custom, mimeTypes: ['application/vnd.unsafe'], rank: 5, safe: false };
    const renderers = [...defaultRenderers, custom, unsafe];
    const bundle = { 'application/vnd.custom': 1, 'application/vnd.unsafe': 2, 'text/html': '<b>h</b>' };
    expect(pickRenderer(bundle, false, renderers)?.mimeType).toBe('application/vnd.custom');
    expect(pickRenderer(bundle, true, renderers)?.mimeType).toBe('application/vnd.unsafe');
    expect(pickRenderer(bundle, false)?.mimeType).toBe('text/html');
  });
});

describe('renderBundle', () => {
  test('untrusted JavaScript is explained and the next format shown', () => {
    const el = host(renderBundle({ 'application/javascript': 'x()', 'text/plain': '<Javascript object>' }, {}, renderContext()));
    expect(el.querySelector('.notice')?.textContent).toBe('application/javascript output was not run: this output is not trusted.');
    expect(el.querySelector('pre.text')?.textContent).toBe('<Javascript object>');
    const only = host(renderBundle({ 'application/javascript': 'x()' }, {}, renderContext()));
    expect(only.textContent).toBe('application/javascript output was not run: this output is not trusted.');
  });

  test('no notice when trust held nothing back', () => {
    const el = host(renderBundle({ 'text/html': '<b>h</b>', 'text/plain': 'h' }, {}, renderContext()));
    expect(el.querySelector('.notice')).toBeNull();
    const trusted = host(renderBundle({ 'application/javascript': '', 'text/plain': 'x' }, {}, renderContext({ trusted: true })));
    expect(trusted.querySelector('.notice')).toBeNull();
  });

  test('a bundle nothing can render says what it held', () => {
    expect(host(renderBundle({ 'application/x-foo': 1, 'application/x-bar': 2 }, {}, renderContext())).textContent).toBe(
      'No renderer for this output (application/x-foo, application/x-bar).',
    );
    expect(host(renderBundle({}, {}, renderContext())).textContent).toBe('No renderer for this output (empty bundle).');
  });

  test('a renderer that throws becomes a notice', () => {
    const broken: MimeRenderer = {
      mimeTypes: ['text/plain'],
      rank: 1,
      safe: true,
      render: () => {
        throw new Error('exploded');
      },
    };
    const el = host(renderBundle({ 'text/plain': 'x' }, {}, renderContext(), [broken]));
    expect(el.querySelector('.notice')?.textContent).toBe('Could not render text/plain: exploded');
  });

  test("per-type metadata (Jupyter's metadata[mime]) wins over top-level metadata", () => {
    let seen: unknown;
    const probe: MimeRenderer = {
      mimeTypes: ['image/png'],
      rank: 1,
      safe: true,
      render: (_d, metadata) => ((seen = metadata), document.createTextNode('')),
    };
    renderBundle({ 'image/png': PNG_1x1 }, { width: 1, alt: 'a', 'image/png': { width: 2 } }, renderContext(), [probe]);
    expect(seen).toEqual({ width: 2, alt: 'a', 'image/png': { width: 2 } });
    renderBundle({ 'image/png': PNG_1x1 }, { 'image/png': 'not an object', height: 3 }, renderContext(), [probe]);
    expect(seen).toEqual({ 'image/png': 'not an object', height: 3 });
  });

  test('data of the wrong shape degrades to text or a notice, never a throw', () => {
    const shapes: unknown[] = [null, 42, true, { a: 1 }, ['a', 'b'], [1, 2], '', '\u0000', 'x'.repeat(10)];
    for (const mimeType of defaultRenderers.flatMap((r) => r.mimeTypes)) {
      for (const data of shapes) {
        for (const trusted of [false, true]) {
          if (mimeType.includes('javascript') && trusted) continue; // would run the data as code
          expect(() => renderBundle({ [mimeType]: data }, {}, renderContext({ trusted }))).not.toThrow();
        }
      }
    }
  });
});

describe('renderOutput', () => {
  test('every output is wrapped in an element classed and part-named by its type', () => {
    const outputs: Output[] = [
      { output_type: 'stream', name: 'stdout', text: 'out' },
      { output_type: 'display_data', data: { 'text/plain': 'd' }, metadata: {} },
      { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': 'r' }, metadata: {} },
      { output_type: 'error', ename: 'E', evalue: 'v', traceback: [] },
    ];
    expect(
      outputs.map((o) => renderOutput(o, renderContext())).map((el) => [el.className, el.getAttribute('part'), el.textContent]),
    ).toEqual([
      ['output stream', 'output stream', 'out'],
      ['output display_data', 'output display_data', 'd'],
      ['output execute_result', 'output execute_result', 'r'],
      ['output error', 'output error', 'E: v'],
    ]);
  });

  test('an output type from a newer or broken notebook becomes a notice', () => {
    const stored: unknown = JSON.parse('{"output_type": "pyout", "text": "x"}');
    const el = renderOutput(stored as Output, renderContext());
    expect(el.querySelector('.notice')?.textContent).toBe('Unknown output type pyout');
    const broken: unknown = JSON.parse('{"output_type": "stream", "name": "stdout"}');
    expect(renderOutput(broken as Output, renderContext()).querySelector('.notice')?.textContent).toMatch(
      /^Could not render this stream output: /,
    );
  });
});
