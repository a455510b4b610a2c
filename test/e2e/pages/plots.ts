// Plot renderer test page: <py-output> with the default registry, a sentinel for payloads, a log of
// CSP violations (the CSP variant of this page forbids eval), and a way to await lazy plots.
import '../../../src/components/py-output';
import type { PyOutput } from '../../../src/components/py-output';
import { plotsSettled } from '../../../src/render/plots/index';

declare global {
  interface Window {
    __pwned: (id: string) => void;
    pwned: string[];
    cspViolations: string[];
    /** Whether `new Function` is refused on this page (true only under the CSP variant). */
    evalBlocked: boolean;
    makeOutput: (trusted: boolean) => PyOutput;
    plotsSettled: () => Promise<void>;
  }
}

window.pwned = [];
window.__pwned = (id: string) => window.pwned.push(id);
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) =>
  window.cspViolations.push(`${event.violatedDirective}: ${event.sample} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`),
);
// The page's own probe below is reported asynchronously: the page is ready once that report came
// and was cleared (this listener runs after the logging one), so every violation logged after ready is a renderer's.
const probeReported = new Promise<void>((resolve) => document.addEventListener('securitypolicyviolation', () => resolve(), { once: true }));
try {
  window.evalBlocked = new Function('return false')() as boolean;
} catch {
  window.evalBlocked = true;
}
window.makeOutput = (trusted: boolean) => {
  const element = document.createElement('py-output');
  element.trusted = trusted;
  document.body.append(element);
  return element;
};
window.plotsSettled = plotsSettled;
if (window.evalBlocked) await probeReported;
window.cspViolations.length = 0;
document.body.dataset['ready'] = 'true';
