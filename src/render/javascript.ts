// application/javascript: run only for trusted output, with `element` (its output area) in scope,
// as Jupyter does; untrusted output gets an explanation instead.
import { asText, notice, type MimeRenderer } from './types';
import { errorMessage } from '../shared/errors';

export const javascript: MimeRenderer = {
  mimeTypes: ['application/javascript', 'text/javascript'],
  rank: 0,
  safe: false,
  render(data, _metadata, context) {
    const element = context.document.createElement('div');
    element.className = 'javascript';
    if (!context.trusted) {
      element.append(notice(context.document, 'JavaScript output was not run: this output is not trusted.'));
      return element;
    }
    // Deferred so the code sees `element` attached to the page, as in Jupyter.
    queueMicrotask(() => {
      try {
        new Function('element', asText(data))(element);
      } catch (error) {
        element.append(notice(context.document, `JavaScript output failed: ${errorMessage(error)}`));
      }
    });
    return element;
  },
};
