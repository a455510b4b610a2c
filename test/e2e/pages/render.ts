// Render test page: <py-output> and the runtime, plus a sentinel that any executed payload hits.
import '../../../src/components/py-output';
import type { PyOutput } from '../../../src/components/py-output';
import { createRuntime } from '../../../src/index';

declare global {
  interface Window {
    __pwned: (id: string) => void;
    pwned: string[];
    createRuntime: typeof createRuntime;
    makeOutput: (trusted: boolean) => PyOutput;
  }
}

window.pwned = [];
window.__pwned = (id: string) => window.pwned.push(id);
// Sandboxed frames (isolated HTML) cannot reach window.__pwned; a payload there reports by message.
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (data && typeof data === 'object' && 'pwned' in data) window.pwned.push(`isolated:${String(data.pwned)}`);
});
window.createRuntime = createRuntime;
window.makeOutput = (trusted: boolean) => {
  const element = document.createElement('py-output');
  element.trusted = trusted;
  document.body.append(element);
  return element;
};
document.body.dataset['ready'] = 'true';
