// The baseline worker: nothing but loadPyodide and one expression.
import type { loadPyodide as LoadPyodide } from 'pyodide';

self.onmessage = async (event: MessageEvent<string>) => {
  try {
    const { loadPyodide } = (await import(/* @vite-ignore */ `${event.data}pyodide.mjs`)) as { loadPyodide: typeof LoadPyodide };
    const pyodide = await loadPyodide({ indexURL: event.data });
    self.postMessage({ value: pyodide.runPython('1+1') as number });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
