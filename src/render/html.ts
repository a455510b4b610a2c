// text/html: sanitized when untrusted, isolated in a sandboxed frame when the output asks for it,
// live (scripts run) only when trusted.
import { asText, type MimeRenderer, type RenderContext } from './types';

function isolatedFrame(context: RenderContext, markup: string, metadata: Record<string, unknown>): HTMLElement {
  const frame = context.document.createElement('iframe');
  // No allow-scripts and no allow-same-origin: the document is inert and cannot reach this page.
  frame.setAttribute('sandbox', '');
  frame.setAttribute('title', 'isolated output');
  frame.srcdoc = markup;
  const height = typeof metadata['height'] === 'number' ? metadata['height'] : 300;
  frame.style.cssText = `width: 100%; height: ${height}px; border: 0;`;
  return frame;
}

/** Trusted HTML whose <script>s run: a contextual fragment keeps scripts executable. */
function liveFragment(context: RenderContext, markup: string): DocumentFragment {
  const range = context.document.createRange();
  range.selectNodeContents(context.document.body);
  return range.createContextualFragment(markup);
}

export const html: MimeRenderer = {
  mimeTypes: ['text/html'],
  rank: 50,
  safe: 'sanitized',
  render(data, metadata, context) {
    const markup = asText(data);
    const wrapper = context.document.createElement('div');
    wrapper.className = 'html';
    if (metadata['isolated'] === true) wrapper.append(isolatedFrame(context, markup, metadata));
    else wrapper.append(context.trusted ? liveFragment(context, markup) : context.sanitizer.html(markup));
    return wrapper;
  },
};
