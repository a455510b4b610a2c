// The plot renderers as registry entries: small wrappers; each library is a chunk of its own.
import { lazyRenderer } from './lazy';
import type { MimeRenderer } from '../types';

/** Richer than HTML (libraries send an HTML fallback beside the data). */
export const plotly: MimeRenderer = lazyRenderer({
  mimeTypes: ['application/vnd.plotly.v1+json'],
  rank: 20,
  safe: true,
  library: 'Plotly',
  className: 'plotly',
  load: async () => (await import('./plotly')).mount,
});

/** Altair 6 names its type `application/vnd.vegalite.v6.json`; Jupyter's own are `+json`. */
export const VEGA_MIME_TYPES = [
  'application/vnd.vegalite.v6+json',
  'application/vnd.vegalite.v6.json',
  'application/vnd.vegalite.v5+json',
  'application/vnd.vegalite.v5.json',
  'application/vnd.vegalite.v4+json',
  'application/vnd.vega.v5+json',
  'application/vnd.vega.v5.json',
] as const;

export const vega: MimeRenderer = lazyRenderer({
  mimeTypes: VEGA_MIME_TYPES,
  rank: 21,
  safe: true,
  library: 'Vega',
  className: 'vega',
  load: async () => (await import('./vega')).mount,
});

/** Pyloom's Bokeh hook emits `bokeh.embed.json_item(...)` under this type. */
export const BOKEH_JSON_ITEM = 'application/vnd.bokeh.json-item+json';

/** Safe as a type: the renderer itself refuses untrusted documents with code or HTML (bokeh-policy.ts). */
export const bokeh: MimeRenderer = lazyRenderer({
  mimeTypes: [BOKEH_JSON_ITEM],
  rank: 22,
  safe: true,
  library: 'Bokeh',
  className: 'bokeh',
  load: async () => (await import('./bokeh')).mount,
});

export const plotRenderers: readonly MimeRenderer[] = [plotly, vega, bokeh];
export { plotsSettled } from './lazy';
