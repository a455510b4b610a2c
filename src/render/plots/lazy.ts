// A MIME renderer whose library loads on first use (a separate chunk): nothing of Plotly, Vega or
// BokehJS is in a page until an output of that type is shown.
import { contained } from '../shadow';
import { notice, type MimeRenderer, type RenderContext } from '../types';
import type { OutputMetadata } from '../../protocol';
import { errorMessage } from '../../shared/errors';

/** What a lazily loaded plot module does: draw `data` into `target` (attached to the page). */
export type Mount = (
  target: HTMLElement,
  data: unknown,
  metadata: OutputMetadata,
  context: RenderContext,
  mimeType: string,
) => Promise<void>;

export interface LazyRendererOptions {
  mimeTypes: readonly string[];
  rank: number;
  safe: MimeRenderer['safe'];
  /** Shown while the library loads, e.g. "Plotly". */
  library: string;
  /** Class of the output's host element (also the shadow host, so the plot's CSS stays inside). */
  className: string;
  /** Dynamic import of the plot module: one chunk per library. */
  load: () => Promise<Mount>;
}

/** Resolves when every lazy output rendered so far has finished (or failed): for tests and benches. */
const pending = new Set<Promise<void>>();
export function plotsSettled(): Promise<void> {
  return Promise.all([...pending]).then(() => undefined);
}

/**
 * The output is a host element with its own shadow root; the library is imported, then the plot is
 * drawn once the host is in the page (libraries measure their container). A failure to load or
 * draw becomes a notice in place of the plot, never a throw.
 */
export function lazyRenderer(options: LazyRendererOptions): MimeRenderer {
  let module: Promise<Mount> | undefined;
  return {
    mimeTypes: options.mimeTypes,
    rank: options.rank,
    safe: options.safe,
    render(data, metadata, context, mimeType) {
      const target = context.document.createElement('div');
      target.className = 'plot-target';
      const loading = notice(context.document, `Loading ${options.library}…`);
      loading.classList.add('plot-loading');
      const host = contained(context, `plot ${options.className}`, context.document.createDocumentFragment());
      host.shadowRoot?.append(loading, target);
      host.dataset['state'] = 'loading';
      const drawn = (async () => {
        try {
          const mount = await (module ??= options.load());
          await whenConnected(host);
          await mount(target, data, metadata, context, mimeType);
          host.dataset['state'] = 'done';
        } catch (error) {
          target.replaceChildren(notice(context.document, `Could not render ${mimeType} with ${options.library}: ${errorMessage(error)}`));
          host.dataset['state'] = 'error';
        } finally {
          loading.remove();
        }
      })();
      pending.add(drawn);
      void drawn.finally(() => pending.delete(drawn));
      return host;
    },
  };
}

/** Plot libraries size themselves from their container: wait until the host is in a document. */
export function whenConnected(element: HTMLElement): Promise<void> {
  if (element.isConnected) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (element.isConnected) resolve();
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}
