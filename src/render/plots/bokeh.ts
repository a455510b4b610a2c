// Bokeh json_item documents with BokehJS pinned to Pyodide's Bokeh (its own chunk; the widgets
// and tables plugins are chunks of their own, loaded when a document uses their models).
// Untrusted documents that would run JavaScript or insert HTML are refused before BokehJS sees them.
import Bokeh from '@bokeh/bokehjs/build/js/bokeh.esm.min.js';
import type { Mount } from './lazy';
import { bokehModelNames, untrustedBokehProblem } from './bokeh-policy';

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** BokehJS's plugins register their models with the core when imported. */
const PLUGINS: readonly (() => Promise<unknown>)[] = [
  () => import('@bokeh/bokehjs/build/js/bokeh-widgets.esm.min.js'),
  () => import('@bokeh/bokehjs/build/js/bokeh-tables.esm.min.js'),
];

async function loadPluginsFor(names: Set<string>): Promise<void> {
  const unknown = () => [...names].filter((name) => Bokeh.Models.get(name) === null);
  for (const load of PLUGINS) {
    if (unknown().length === 0) return;
    await load();
  }
}

/** `data` is `bokeh.embed.json_item(model)`: `{ doc, root_id, target_id?, version? }`. */
export const mount: Mount = async (target, data, _metadata, context) => {
  if (!isRecord(data) || !isRecord(data['doc']) || typeof data['root_id'] !== 'string') {
    throw new Error('expected a Bokeh json_item ({"doc": {...}, "root_id": "..."})');
  }
  if (!context.trusted) {
    const problem = untrustedBokehProblem(data);
    if (problem) throw new Error(`${problem}; this output is not trusted`);
  }
  await loadPluginsFor(bokehModelNames(data));
  await Bokeh.embed.embed_item(data, target);
};
