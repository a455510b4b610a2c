// Raster images and SVG as <img> from data: URLs; trusted SVG inline. Broken data shows a message.
import { contained } from './shadow';
import { asText, notice, type MimeRenderer, type RenderContext } from './types';

const SIZE = /^\d+(\.\d+)?(px|%)?$/;

/** Jupyter image metadata: width, height (numbers or CSS lengths), unconfined, alt. */
function imageElement(context: RenderContext, src: string, metadata: Record<string, unknown>, mimeType: string): HTMLElement {
  const img = context.document.createElement('img');
  img.alt = typeof metadata['alt'] === 'string' ? metadata['alt'] : `${mimeType} output`;
  for (const side of ['width', 'height'] as const) {
    const value = metadata[side];
    if ((typeof value === 'number' && value > 0) || (typeof value === 'string' && SIZE.test(value))) img.setAttribute(side, String(value));
  }
  if (metadata['unconfined'] === true) img.classList.add('unconfined');
  // A broken image icon says nothing; say what went wrong instead.
  img.addEventListener('error', () => img.replaceWith(notice(context.document, `${mimeType} output could not be decoded as an image`)), {
    once: true,
  });
  img.src = src;
  return img;
}

export const raster: MimeRenderer = {
  mimeTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'],
  rank: 90,
  safe: true,
  render(data, metadata, context, mimeType) {
    const base64 = asText(data).replace(/\s+/g, '');
    if (base64 === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
      return notice(context.document, `${mimeType} output is not valid base64 and cannot be shown`);
    }
    return imageElement(context, `data:${mimeType};base64,${base64}`, metadata, mimeType);
  },
};

/** SVG as an image document needs its namespace; hand-written SVG often leaves it out. */
function withNamespace(markup: string): string {
  return markup.replace(/<svg\b([^>]*)>/i, (tag: string, attributes: string) => {
    let extra = '';
    if (!/\sxmlns\s*=/.test(attributes)) extra += ' xmlns="http://www.w3.org/2000/svg"';
    if (!/\sxmlns:xlink\s*=/.test(attributes) && markup.includes('xlink:')) extra += ' xmlns:xlink="http://www.w3.org/1999/xlink"';
    return extra ? `<svg${extra}${tag.slice(4)}` : tag;
  });
}

// Untrusted SVG is shown as an <img> rather than as sanitized inline markup: an SVG loaded as an
// image never runs script, never loads external resources and cannot style the page, whatever it
// holds, so safety does not rest on a sanitizer keeping up with SVG's script and animation
// surface. Each image is its own document, so ids (matplotlib's clip paths) and <style> rules
// (matplotlib's `*{stroke-linejoin: round}`) of different figures cannot collide either.
// The cost: text in the SVG is not selectable and links in it do not work.
// Trusted SVG is inlined (selectable text, links), in a shadow root of its own, still through
// DOMPurify's SVG profile.
export const svg: MimeRenderer = {
  mimeTypes: ['image/svg+xml'],
  rank: 80,
  safe: true,
  render(data, metadata, context, mimeType) {
    const markup = asText(data);
    if (!/<svg\b/i.test(markup)) return notice(context.document, `${mimeType} output holds no <svg> element and cannot be shown`);
    if (context.trusted) return contained(context, 'svg', context.sanitizer.svg(markup));
    return imageElement(context, `data:image/svg+xml;charset=utf-8,${encodeURIComponent(withNamespace(markup))}`, metadata, mimeType);
  },
};
