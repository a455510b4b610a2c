// Real Pyodide in Node for unit tests: the worker kernel with Node-side loaders.
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildWheel } from '../../../python-packages/wheel';
import { createKernel, type KernelDeps } from '../../../worker/kernel';
import type { BootOptions, OutputEvent, WorkerApi, WorkerEvent } from '../../../src/protocol';
import { checkSeam } from './seam';

const require = createRequire(import.meta.url);
export const PYODIDE_DIR = `${dirname(require.resolve('pyodide/pyodide.mjs'))}/`;
export const WHEEL_URL = 'memory:pyloom.whl';

export interface NodeKernel {
  api: WorkerApi;
  events: WorkerEvent[];
  /** Output events of one execution id. */
  outputsOf(id: number): OutputEvent[];
  /** Resolves with the first output event (already seen or still to come) that matches. */
  nextOutput(match: (event: OutputEvent) => boolean): Promise<OutputEvent>;
  run(code: string): Promise<{ status: string; executionCount: number | null; outputs: OutputEvent[] }>;
}

let wheelBytes: Uint8Array | undefined;

/** Kernel dependencies for Node: Pyodide from node_modules, the wheel built in memory. */
export function nodeKernelDeps(): KernelDeps {
  wheelBytes ??= buildWheel().bytes;
  const bytes = wheelBytes;
  return {
    // Pyodide under Node caches downloads; a fresh folder per kernel keeps tests apart.
    packageCacheDir: mkdtempSync(join(tmpdir(), 'pyloom-package-cache-')),
    importPyodide: async () => (await import('pyodide')) as never,
    fetchBytes: async (url) => {
      if (url === WHEEL_URL) return bytes;
      if (url.startsWith('/')) return new Uint8Array(await readFile(url)); // lock files on disk
      const response = await fetch(url);
      if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

export async function bootNodeKernel(options: Partial<BootOptions> = {}, deps: KernelDeps = nodeKernelDeps()): Promise<NodeKernel> {
  const api = createKernel(deps);
  const events: WorkerEvent[] = [];
  const waiters = new Set<(event: WorkerEvent) => void>();
  // Every event is checked against the protocol's shapes (see ./seam): tests assert no problems.
  await api.boot({ indexURL: PYODIDE_DIR, pyloomWheelURL: WHEEL_URL, ...options }, (e) => {
    checkSeam(e);
    events.push(e);
    for (const waiter of [...waiters]) waiter(e);
  });
  const outputsOf = (id: number) => events.flatMap((e) => (e.type === 'output' && e.executionId === id ? [e.event] : []));
  let nextId = 1;
  return {
    api,
    events,
    outputsOf,
    nextOutput(match) {
      const seen = events.find((e) => e.type === 'output' && match(e.event));
      if (seen?.type === 'output') return Promise.resolve(seen.event);
      return new Promise((resolve) => {
        const waiter = (e: WorkerEvent) => {
          if (e.type !== 'output' || !match(e.event)) return;
          waiters.delete(waiter);
          resolve(e.event);
        };
        waiters.add(waiter);
      });
    },
    async run(code) {
      const id = nextId++;
      const ack = await api.execute({ id, code });
      return { ...ack, outputs: outputsOf(id) };
    },
  };
}
