// Raster images and SVG as <img>: an image document can neither run script nor load anything.
import { asText, notice, type MimeRenderer, type RenderContext } from './types';

function imageElement(context: RenderContext, src: string, metadata: Record<string, unknown>, mimeType: string): HTMLElement {
  const img = context.document.createElement('img');
  img.src = src;
  img.alt = typeof metadata['alt'] === 'string' ? metadata['alt'] : `${mimeType} output`;
  for (const side of ['width', 'height'] as const) {
    const value = metadata[side];
    if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?(px|%)?$/.test(value))) {
      img.setAttribute(side, String(value));
    }
  }
  if (metadata['unconfined'] === true) img.classList.add('unconfined');
  return img;
}

export const raster: MimeRenderer = {
  mimeTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'],
  rank: 90,
  safe: true,
  render(data, metadata, context, mimeType) {
    const base64 = asText(data).replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return notice(context.document, `${mimeType} output is not valid base64 and cannot be shown`);
    return imageElement(context, `data:${mimeType};base64,${base64}`, metadata, mimeType);
  },
};

// Untrusted SVG is shown as an image rather than sanitized inline markup: SVG loaded through <img>
// never runs script, never loads external resources and cannot style the page, whatever it holds.
// Trusted SVG is inlined (selectable text, CSS, links), still through the SVG sanitizer profile.
export const svg: MimeRenderer = {
  mimeTypes: ['image/svg+xml'],
  rank: 80,
  safe: true,
  render(data, metadata, context, mimeType) {
    const markup = asText(data);
    if (context.trusted) {
      const wrapper = context.document.createElement('div');
      wrapper.className = 'svg';
      wrapper.append(context.sanitizer.svg(markup));
      return wrapper;
    }
    const bytes = new TextEncoder().encode(markup);
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return imageElement(context, `data:image/svg+xml;base64,${btoa(binary)}`, metadata, mimeType);
  },
};
