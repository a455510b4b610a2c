// text/latex: the math in it typeset with KaTeX, the text between left as text.
import { mathNode, splitMath } from './math';
import { asText, type MimeRenderer } from './types';

export const latex: MimeRenderer = {
  mimeTypes: ['text/latex'],
  rank: 70,
  safe: true,
  render(data, _metadata, context) {
    const wrapper = context.document.createElement('div');
    wrapper.className = 'latex';
    for (const part of splitMath(asText(data))) {
      wrapper.append(typeof part === 'string' ? context.document.createTextNode(part) : mathNode(context, part));
    }
    return wrapper;
  },
};
