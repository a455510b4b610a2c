// Vega-Lite (v4, v5, v6) and Vega (v5) with vega-embed, its own chunk. Expressions run in
// vega-interpreter, so no `new Function` runs: a chart works under a CSP without 'unsafe-eval'
// and a hostile spec cannot turn an expression into code.
import embed from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import type { Mount } from './lazy';

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `application/vnd.vega.v5+json` is Vega; every `application/vnd.vegalite.*` type is Vega-Lite. */
export const mount: Mount = async (target, data, _metadata, _context, mimeType) => {
  if (!isRecord(data)) throw new Error('expected a Vega or Vega-Lite specification (a JSON object)');
  const mode = mimeType.startsWith('application/vnd.vega.') ? 'vega' : 'vega-lite';
  await embed(target, data as Parameters<typeof embed>[1], {
    mode,
    ast: true,
    expr: expressionInterpreter,
    // Export as PNG/SVG only: "open in editor" would post the spec to another site.
    actions: { export: true, source: false, compiled: false, editor: false },
    renderer: 'svg',
  });
};
