// A docs page whose one autorun cell displays every XSS vector of the corpus as HTML and as
// Markdown; `?trust=1` opts the page into trusted output (the control that must trip the sentinel).
import { XSS_VECTORS } from '../../fixtures/xss-vectors';

const trust = new URLSearchParams(location.search).get('trust') === '1';
const config = Object.assign(document.createElement('script'), { type: 'application/json', textContent: JSON.stringify({ trust }) });
config.dataset['pyloomConfig'] = '';
document.head.append(config);
const cell = document.createElement('pre');
cell.dataset['executable'] = '';
cell.dataset['autorun'] = '';
cell.textContent = [
  'import json',
  'from IPython.display import HTML, Markdown, display',
  `vectors = json.loads(${JSON.stringify(JSON.stringify(XSS_VECTORS))})`,
  'for v in vectors:',
  '    display(HTML(v["markup"]))',
  '    display(Markdown(v["markup"]))',
  'print("shown", len(vectors))',
].join('\n');
document.body.prepend(cell);
await import('../../../src/embed/index');
