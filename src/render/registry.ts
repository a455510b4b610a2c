// The ranked MIME renderer registry: the richest format of a bundle that the trust policy allows.
import type { MimeBundle, Output } from '../protocol';
import { html } from './html';
import { raster, svg } from './image';
import { javascript } from './javascript';
import { json } from './json';
import { latex } from './latex';
import { markdown } from './markdown';
import { plainText, renderError, renderStream } from './text';
import { notice, type MimeRenderer, type RenderContext } from './types';

export const defaultRenderers: readonly MimeRenderer[] = [javascript, html, markdown, latex, svg, raster, json, plainText];

export interface Choice {
  mimeType: string;
  renderer: MimeRenderer;
}

/** The lowest-ranked renderer with data in the bundle; untrusted output only gets safe ones. */
export function pickRenderer(bundle: MimeBundle, trusted: boolean, renderers: readonly MimeRenderer[] = defaultRenderers): Choice | undefined {
  let best: Choice | undefined;
  for (const renderer of renderers) {
    if (!trusted && renderer.safe === false) continue;
    for (const mimeType of renderer.mimeTypes) {
      if (bundle[mimeType] === undefined) continue;
      if (!best || renderer.rank < best.renderer.rank) best = { mimeType, renderer };
    }
  }
  return best;
}

export function renderBundle(bundle: MimeBundle, metadata: Record<string, unknown>, context: RenderContext, renderers = defaultRenderers): Node {
  const choice = pickRenderer(bundle, context.trusted, renderers);
  const skipped = context.trusted ? undefined : pickRenderer(bundle, true, renderers);
  if (skipped && skipped.renderer !== choice?.renderer && skipped.renderer.safe === false && choice) {
    // Say what was held back, then show the next-best format, as Jupyter falls back for untrusted output.
    const fragment = context.document.createDocumentFragment();
    fragment.append(notice(context.document, `${skipped.mimeType} output was not run: this output is not trusted.`));
    fragment.append(renderBundle(bundle, metadata, { ...context }, renderers.filter((r) => r !== skipped.renderer)));
    return fragment;
  }
  if (!choice) {
    const types = Object.keys(bundle).join(', ') || 'nothing';
    return notice(context.document, `No renderer for this output (${types})${context.trusted ? '' : ' in untrusted mode'}.`);
  }
  // Jupyter keeps per-type metadata under the MIME type; some producers put it at the top level.
  const own = metadata[choice.mimeType];
  const typeMetadata = own && typeof own === 'object' && !Array.isArray(own) ? { ...metadata, ...(own as Record<string, unknown>) } : metadata;
  try {
    return choice.renderer.render(bundle[choice.mimeType], typeMetadata, context, choice.mimeType);
  } catch (error) {
    return notice(context.document, `Could not render ${choice.mimeType}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** One nbformat output as DOM, wrapped in an element classed by its type. */
export function renderOutput(output: Output, context: RenderContext, renderers = defaultRenderers): HTMLElement {
  const wrapper = context.document.createElement('div');
  wrapper.className = `output ${output.output_type}`;
  wrapper.setAttribute('part', `output ${output.output_type}`);
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
    default:
      wrapper.append(notice(context.document, `Unknown output type ${(output as { output_type?: unknown }).output_type}`));
  }
  return wrapper;
}
