// text/html: sanitized when untrusted, isolated in a sandboxed frame when the output asks for it,
// live (scripts run) only when trusted; always in a shadow root of its own.
import { contained } from './shadow';
import { asText, type MimeRenderer, type RenderContext } from './types';

const DEFAULT_FRAME_HEIGHT = 300;

/**
 * Jupyter's `isolated: true`: the markup keeps everything sanitizing would strip, so it goes into
 * an <iframe srcdoc> whose sandbox never includes allow-same-origin. The frame's document has an
 * opaque origin: it cannot read this page, its storage or its cookies, even when its scripts run.
 * Untrusted: no sandbox permissions at all (no scripts, forms, popups or top navigation).
 */
function isolatedFrame(context: RenderContext, markup: string, metadata: Record<string, unknown>): HTMLElement {
  const frame = context.document.createElement('iframe');
  frame.setAttribute('sandbox', context.trusted ? 'allow-scripts' : '');
  frame.setAttribute('title', 'isolated output');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.srcdoc = markup;
  const height = metadata['height'];
  frame.style.width = '100%';
  frame.style.border = '0';
  frame.style.height = `${typeof height === 'number' && height > 0 ? height : DEFAULT_FRAME_HEIGHT}px`;
  return frame;
}

/**
 * Trusted HTML whose <script>s run. Scripts inserted with innerHTML never run; scripts of a
 * contextual fragment do once the fragment is in the document (Jupyter recreates script elements
 * for the same effect).
 */
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
    if (metadata['isolated'] === true) {
      const wrapper = context.document.createElement('div');
      wrapper.className = 'html isolated';
      wrapper.append(isolatedFrame(context, markup, metadata));
      return wrapper;
    }
    return contained(context, 'html', context.trusted ? liveFragment(context, markup) : context.sanitizer.html(markup));
  },
};
