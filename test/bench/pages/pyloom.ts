// Pyloom page: time from navigation to the first cell result, then round trips and a print flood.
import { createRuntime, type Runtime } from '../../../src/index';

declare global {
  interface Window {
    benchResult?: Promise<{ firstResultMs: number; value: unknown }>;
    runtime: Runtime;
    longestTaskMs: number;
  }
}

window.longestTaskMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.longestTaskMs = Math.max(window.longestTaskMs, entry.duration);
}).observe({ type: 'longtask', buffered: true });

window.runtime = createRuntime();
window.benchResult = window.runtime.execute('1+1').then((reply) => ({
  firstResultMs: performance.now(),
  value: reply.outputs[0]?.output_type === 'execute_result' ? reply.outputs[0].data['text/plain'] : reply,
}));
