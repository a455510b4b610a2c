// Baseline page: a plain module worker that loads Pyodide from the same files Pyloom uses.
import { pyodideIndexURL } from 'virtual:pyloom-assets';

declare global {
  interface Window {
    benchResult?: Promise<{ firstResultMs: number; value: unknown; snapshot?: string; timings?: Record<string, number> }>;
  }
}

window.benchResult = new Promise((resolve, reject) => {
  const worker = new Worker(new URL('./bare-worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<{ value?: unknown; error?: string }>) => {
    if (event.data.error) reject(new Error(event.data.error));
    else resolve({ firstResultMs: performance.now(), value: event.data.value });
  };
  worker.postMessage(pyodideIndexURL);
});
