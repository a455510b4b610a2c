// @vitest-environment jsdom
// The plot renderers' registry entries (chosen over the HTML fallback, for every Vega type), the lazy
// wrapper (a load or draw failure becomes a notice) and the untrusted-Bokeh policy on recorded documents.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { pickRenderer } from '../../src/render/registry';
import { bokehModelNames, untrustedBokehProblem } from '../../src/render/plots/bokeh-policy';
import { lazyRenderer, plotsSettled } from '../../src/render/plots/lazy';
import { BOKEH_JSON_ITEM, VEGA_MIME_TYPES } from '../../src/render/plots/index';
import { renderContext } from './helpers/render';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/plots', name), 'utf8'));

describe('registry', () => {
  test('plot data wins over the HTML and JSON a library sends beside it, trusted or not', () => {
    for (const trusted of [true, false]) {
      const bundle = { 'text/html': '<div>fallback</div>', 'application/json': {}, 'text/plain': 'Figure' };
      expect(pickRenderer({ ...bundle, 'application/vnd.plotly.v1+json': {} }, trusted)?.mimeType).toBe('application/vnd.plotly.v1+json');
      expect(pickRenderer({ ...bundle, [BOKEH_JSON_ITEM]: {} }, trusted)?.mimeType).toBe(BOKEH_JSON_ITEM);
      for (const type of VEGA_MIME_TYPES) expect(pickRenderer({ ...bundle, [type]: {} }, trusted)?.mimeType).toBe(type);
    }
  });

  test('the recorded Altair 6 bundle is picked by its own (".json") type', () => {
    const bundle = fixture('altair.json')['bundle'] as Record<string, unknown>;
    expect(pickRenderer(bundle, false)?.mimeType).toBe('application/vnd.vegalite.v6.json');
  });
});

describe('lazyRenderer', () => {
  const context = renderContext();
  test('a module that fails to load or draw leaves a notice naming the type and library', async () => {
    const failing = lazyRenderer({
      mimeTypes: ['x/y'],
      rank: 1,
      safe: true,
      library: 'Lib',
      className: 'lib',
      load: () => Promise.reject(new Error('chunk missing')),
    });
    const throwing = lazyRenderer({
      mimeTypes: ['x/y'],
      rank: 1,
      safe: true,
      library: 'Lib',
      className: 'lib',
      load: async () => async () => Promise.reject(new Error('bad figure')),
    });
    const a = failing.render({}, {}, context, 'x/y') as HTMLElement;
    const b = throwing.render({}, {}, context, 'x/y') as HTMLElement;
    document.body.append(a, b);
    expect(a.shadowRoot?.textContent).toContain('Loading Lib…');
    await plotsSettled();
    expect(a.dataset['state']).toBe('error');
    expect(a.shadowRoot?.textContent).toBe('Could not render x/y with Lib: chunk missing');
    expect(b.shadowRoot?.textContent).toBe('Could not render x/y with Lib: bad figure');
  });

  test('the module is loaded once and draws each output into its own target', async () => {
    let loads = 0;
    const drawn: unknown[] = [];
    const renderer = lazyRenderer({
      mimeTypes: ['x/y'],
      rank: 1,
      safe: true,
      library: 'Lib',
      className: 'lib',
      load: async () => {
        loads++;
        return async (target, data) => {
          drawn.push(data);
          target.textContent = `drawn ${String(data)}`;
        };
      },
    });
    const nodes = [1, 2, 3].map((n) => renderer.render(n, {}, context, 'x/y') as HTMLElement);
    document.body.append(...nodes);
    await plotsSettled();
    expect(loads).toBe(1);
    expect(drawn).toEqual([1, 2, 3]);
    expect(nodes.map((n) => [n.dataset['state'], n.shadowRoot?.textContent])).toEqual([1, 2, 3].map((n) => ['done', `drawn ${n}`]));
  });
});

describe('untrusted Bokeh policy (recorded json_item documents)', () => {
  test('a plain plot passes; Div and CustomJS are refused by name', () => {
    expect(untrustedBokehProblem(fixture('bokeh.json')['item'])).toBeUndefined();
    expect(untrustedBokehProblem(fixture('bokeh-div.json')['item'])).toMatch(/holds a Div model/);
    expect(untrustedBokehProblem(fixture('bokeh-customjs.json')['item'])).toMatch(/holds a CustomJS model/);
  });

  test('a HoverTool whose tooltips are an HTML template is refused; tuple tooltips are text and pass', () => {
    const hover = (tooltips: unknown) => ({
      doc: { roots: [{ type: 'object', name: 'HoverTool', id: 'p1', attributes: { tooltips } }] },
      root_id: 'p1',
    });
    expect(untrustedBokehProblem(hover('<img src=x onerror=alert(1)>'))).toMatch(/HTML tooltip template/);
    expect(untrustedBokehProblem(hover([['x', '@x']]))).toBeUndefined();
    for (const name of ['CustomJSHover', 'CustomJSTickFormatter', 'HTMLLabel', 'HTMLTemplateFormatter', 'Tooltip', 'FuncTickFormatter']) {
      expect(untrustedBokehProblem({ doc: { roots: [{ type: 'object', name, id: 'p1' }] } })).toContain(name);
    }
  });

  test('model names are collected from the whole document', () => {
    const names = bokehModelNames(fixture('bokeh.json')['item']);
    expect(names).toContain('Figure');
    expect(names).toContain('GlyphRenderer');
    expect(names).toContain('ColumnDataSource');
  });
});

test('BokehJS is pinned to the Bokeh of the Pyodide lock (a json_item must meet the same BokehJS)', () => {
  const read = (path: string) => JSON.parse(readFileSync(join(process.cwd(), 'node_modules', path), 'utf8')) as Record<string, unknown>;
  const lock = read('pyodide/pyodide-lock.json') as { packages: Record<string, { version: string }> };
  expect(read('@bokeh/bokehjs/package.json')['version']).toBe(lock.packages['bokeh']!.version);
  const manifest = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  expect(manifest.dependencies['@bokeh/bokehjs']).toBe(lock.packages['bokeh']!.version); // exact, no caret
});
