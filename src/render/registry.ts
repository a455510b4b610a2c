// The ranked MIME renderer registry: the richest format of a bundle that the trust policy allows.
//
// ---- Trust policy --------------------------------------------------------------------------
// Output is untrusted unless the embedder says otherwise (`<py-output trusted>`), as in a Jupyter
// notebook you did not write: whoever wrote the code, or the data it printed, may be hostile.
//
// Untrusted:
// - Only renderers with `safe: true` (inert by construction: text, images, JSON, KaTeX) or
//   `safe: 'sanitized'` (HTML, Markdown: through the injected sanitizer) are chosen.
//   `application/javascript` is never run; a notice says so and the next format is shown.
// - The sanitizer (sanitize.ts, DOMPurify) removes <script>, event-handler attributes,
//   javascript:/vbscript:/data:text/html and other non-allowlisted URLs, forms and form actions,
//   <iframe>/<frame>/<object>/<embed>/<portal>, <base>, <meta> (http-equiv refresh), <link>,
//   SVG <animate>/<set>/<discard> (they can rewrite an href to javascript: later), noscript-style
//   mutation-XSS carriers, autofocus, and popover/command attributes (the top layer escapes any
//   box). Style attributes and sheets holding script (javascript: URLs, expression(), bindings;
//   after undoing CSS escapes) are dropped. ids and names get a `user-content-` prefix (no DOM
//   clobbering). Links open in a new tab with rel="noopener noreferrer".
// - <style> is kept (pandas styles its tables) minus @import, @property and @font-face. Each
//   HTML or Markdown output lives in a shadow root of its own (shadow.ts) inside <py-output>'s
//   shadow root, so its rules style only itself: not the page, not the other outputs, not the
//   notices. `:host` in it means that output's own box, and every output box has
//   `contain: content`, so even `position: fixed` stays inside the box and is clipped to it.
// - HTML whose metadata says `isolated: true` is not sanitized (that would break it) but goes
//   into an <iframe srcdoc sandbox=""> (no scripts, forms, popups, navigation; opaque origin).
// - SVG is shown as an <img> from a data: URL: an image document cannot run script or load
//   anything. Images are base64 checked and shown from data: URLs only.
// - Math (KaTeX) runs with trust: false (no \href, \url, \htmlId …) and its markup still goes
//   through the sanitizer.
// - What cannot be shown (bad base64, undecodable image, unknown type, JavaScript) degrades to a
//   visible notice; a renderer that throws becomes a notice too. Rendering never throws.
// - Not prevented: loading remote images and CSS url()s (tracking pixels); an output styling its
//   own box to look like something else.
//
// Trusted (explicit opt-in, as Jupyter does for notebooks you trust): HTML is inserted live and
// its <script>s run; `application/javascript` runs with `element` bound to its output area;
// isolated HTML's frame gets allow-scripts (still no allow-same-origin); SVG is inlined (through
// DOMPurify's SVG profile). Markdown is sanitized either way.
// ----------------------------------------------------------------------------------------------
import type { MimeBundle, Output, OutputMetadata } from '../protocol';
import { html } from './html';
import { raster, svg } from './image';
import { javascript } from './javascript';
import { json } from './json';
import { latex } from './latex';
import { markdown } from './markdown';
import { plotRenderers } from './plots/index';
import { plainText, renderError, renderStream } from './text';
import { widgetView } from './widget-view';
import { notice, type MimeRenderer, type RenderContext } from './types';
import { errorMessage } from '../shared/errors';

/**
 * Richest first, as Jupyter orders them: JavaScript, live widgets, plots (Plotly, Vega, Bokeh: loaded on first
 * use), HTML, Markdown, LaTeX, SVG, images, JSON, text.
 */
export const defaultRenderers: readonly MimeRenderer[] = [
  javascript,
  widgetView,
  ...plotRenderers,
  html,
  markdown,
  latex,
  svg,
  raster,
  json,
  plainText,
];

export interface Choice {
  mimeType: string;
  renderer: MimeRenderer;
}

/** The lowest-ranked renderer with data in the bundle; untrusted output only gets safe ones. */
export function pickRenderer(
  bundle: MimeBundle,
  trusted: boolean,
  renderers: readonly MimeRenderer[] = defaultRenderers,
): Choice | undefined {
  let best: Choice | undefined;
  for (const renderer of renderers) {
    if (!trusted && renderer.safe === false) continue;
    for (const mimeType of renderer.mimeTypes) {
      if (bundle[mimeType] === undefined || bundle[mimeType] === null) continue;
      if (!best || renderer.rank < best.renderer.rank) best = { mimeType, renderer };
    }
  }
  return best;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Jupyter keeps per-type metadata under the MIME type; some producers put it at the top level. */
function metadataFor(metadata: OutputMetadata, mimeType: string): OutputMetadata {
  const own = metadata[mimeType];
  return isRecord(own) ? { ...metadata, ...own } : metadata;
}

/** A MIME bundle as DOM: the chosen format, after a notice if trust held a richer one back. */
export function renderBundle(
  bundle: MimeBundle,
  metadata: OutputMetadata,
  context: RenderContext,
  renderers: readonly MimeRenderer[] = defaultRenderers,
): Node {
  const { document } = context;
  const choice = pickRenderer(bundle, context.trusted, renderers);
  const richest = context.trusted ? choice : pickRenderer(bundle, true, renderers);
  const fragment = document.createDocumentFragment();
  if (richest && richest.renderer !== choice?.renderer) {
    fragment.append(notice(document, `${richest.mimeType} output was not run: this output is not trusted.`));
  }
  if (!choice) {
    if (!richest) fragment.append(notice(document, `No renderer for this output (${Object.keys(bundle).join(', ') || 'empty bundle'}).`));
    return fragment;
  }
  try {
    fragment.append(choice.renderer.render(bundle[choice.mimeType], metadataFor(metadata, choice.mimeType), context, choice.mimeType));
  } catch (error) {
    fragment.append(notice(document, `Could not render ${choice.mimeType}: ${errorMessage(error)}`));
  }
  return fragment;
}

/** One nbformat output as DOM, wrapped in an element classed (and part-named) by its type. */
export function renderOutput(output: Output, context: RenderContext, renderers: readonly MimeRenderer[] = defaultRenderers): HTMLElement {
  const wrapper = context.document.createElement('div');
  wrapper.className = `output ${output.output_type}`;
  wrapper.setAttribute('part', `output ${output.output_type}`);
  try {
    switch (output.output_type) {
      case 'stream':
        wrapper.append(renderStream(output, context));
        break;
      case 'error':
        wrapper.append(renderError(output, context));
        break;
      case 'display_data':
      case 'execute_result':
        wrapper.append(renderBundle(output.data, output.metadata, context, renderers));
        break;
      default: {
        // Not in the type, but outputs also come from stored notebooks.
        const unknown: { output_type?: unknown } = output;
        wrapper.append(notice(context.document, `Unknown output type ${String(unknown.output_type)}`));
      }
    }
  } catch (error) {
    wrapper.append(notice(context.document, `Could not render this ${output.output_type} output: ${errorMessage(error)}`));
  }
  return wrapper;
}
