// Warm start in Node Pyodide: a cold boot takes a memory snapshot, the next boot restores it and is
// indistinguishable from a fresh runtime; a broken snapshot is discarded and the boot goes cold.
import { describe, expect, test } from 'vitest';
import { createKernel, type SnapshotStore } from '../../worker/kernel';
import type { WorkerEvent } from '../../src/protocol';
import { nodeKernelDeps, PYODIDE_DIR, WHEEL_URL } from './helpers/node-kernel';

/** The SnapshotStore contract, in memory, recording what the kernel asked. */
class MemoryStore implements SnapshotStore {
  entries = new Map<string, Uint8Array>();
  log: string[] = [];
  saved: Promise<void> = Promise.resolve();
  #onSave: (() => void) | undefined;
  /** When set, save() rejects with this message (a full disk, a quota). */
  failSave: string | undefined;
  async load(key: string) {
    this.log.push('load');
    return this.entries.get(key);
  }
  async save(key: string, bytes: Uint8Array) {
    this.log.push('save');
    if (this.failSave) {
      this.#onSave?.();
      throw new Error(this.failSave);
    }
    this.entries.set(key, bytes);
    this.#onSave?.();
  }
  async discard(key: string) {
    this.log.push('discard');
    this.entries.delete(key);
  }
  nextSave(): Promise<void> {
    return new Promise((resolve) => (this.#onSave = resolve));
  }
}

async function boot(store: MemoryStore) {
  const kernel = createKernel({ ...nodeKernelDeps(), snapshots: store });
  const events: WorkerEvent[] = [];
  const started = performance.now();
  let storedEvent: (event: WorkerEvent & { type: 'snapshot' }) => void = () => undefined;
  /** The `snapshot` event: how storing this boot's snapshot ended. */
  const stored = new Promise<WorkerEvent & { type: 'snapshot' }>((resolve) => (storedEvent = resolve));
  const info = await kernel.boot({ indexURL: PYODIDE_DIR, pyloomWheelURL: WHEEL_URL }, (e) => {
    events.push(e);
    if (e.type === 'snapshot') storedEvent(e);
  });
  const ms = performance.now() - started;
  let id = 0;
  const run = async (code: string) => {
    const executionId = ++id;
    const ack = await kernel.execute({ id: executionId, code });
    return { ...ack, outputs: events.flatMap((e) => (e.type === 'output' && e.executionId === executionId ? [e.event] : [])) };
  };
  return { kernel, info, ms, run, stored };
}

const probe = [
  'import sys',
  'user = sorted(k for k in globals() if not k.startswith("_") and k not in ("In", "Out", "exit", "quit", "get_ipython", "display", "sys", "leftover"))',
  'print("stdout works")',
  'from IPython.display import HTML, display',
  'display(HTML("<b>display works</b>"))',
  '(user, sys.path[:3], "leftover" in globals())',
].join('\n');

describe('memory snapshot warm start', () => {
  test('cold boot takes one; the next boot restores it and behaves like a fresh runtime', async () => {
    const store = new MemoryStore();
    const saved = store.nextSave();
    const cold = await boot(store);
    // Reported as stored only once the store has it.
    expect(cold.info.snapshot).toBe('saving');
    await saved;
    expect(await cold.stored).toEqual({ type: 'snapshot', snapshot: 'taken' });
    expect(store.entries.size).toBe(1);
    const [bytes] = store.entries.values();
    expect(bytes!.byteLength).toBeGreaterThan(10_000_000);
    const coldProbe = await cold.run(`leftover = 1\n${probe}`);

    const warm = await boot(store);
    expect(warm.info.snapshotFallback, warm.info.snapshotFallback).toBeUndefined();
    expect(warm.info.snapshot).toBe('restored');
    expect(warm.info.snapshotFallback).toBeUndefined();
    const warmProbe = await warm.run(probe);
    console.log(JSON.stringify(cold.info.timings), JSON.stringify(warm.info.timings));
    console.log(
      `cold boot ${cold.ms.toFixed(0)} ms, warm boot ${warm.ms.toFixed(0)} ms; snapshot ${(bytes!.byteLength / 1e6).toFixed(1)} MB`,
    );
    // The same shape as a fresh runtime: output, display, sys.path; no variable of the cold session.
    expect(warmProbe.executionCount).toBe(1);
    expect(warmProbe.outputs.map((o) => o.output_type)).toEqual(['stream', 'display_data', 'execute_result']);
    const coldResult = coldProbe.outputs.find((o) => o.output_type === 'execute_result');
    const warmResult = warmProbe.outputs.find((o) => o.output_type === 'execute_result');
    expect(warmResult).toMatchObject({ data: { 'text/plain': expect.stringMatching(/, False\)$/) } });
    expect((warmResult as { data: Record<string, string> }).data['text/plain']!.replace(/, (True|False)\)$/, '')).toBe(
      (coldResult as { data: Record<string, string> }).data['text/plain']!.replace(/, (True|False)\)$/, ''),
    );
    // Modules pyloom imports lazily still load (the wheel was written again after restore).
    const later = await warm.run('from pyloom import tracebacks, stdin\nimport pyloom.completion\n"ok"');
    expect(later.status).toBe('ok');
    const completion = await warm.kernel.complete({ code: 'import mat', cursor: 10 });
    expect(completion.items.map((i) => i.label)).toContain('math');
  }, 120_000);

  test('a snapshot that cannot be restored is discarded and the boot goes cold', async () => {
    const store = new MemoryStore();
    const saved = store.nextSave();
    await boot(store);
    await saved;
    const [key] = store.entries.keys();
    store.entries.set(key!, new Uint8Array(1024)); // garbage under the right key
    store.log = [];
    const next = await boot(store);
    expect(next.info.snapshot).toBe('saving');
    expect((await next.stored).snapshot).toBe('taken');
    expect(next.info.snapshotFallback).toBeTruthy();
    expect(store.log).toEqual(['load', 'discard', 'save']);
    const { outputs } = await next.run('1 + 1');
    expect(outputs[0]).toMatchObject({ data: { 'text/plain': '2' } });
  }, 120_000);

  test('a snapshot the store refuses is reported failed, with the reason, after boot', async () => {
    const store = new MemoryStore();
    store.failSave = 'QuotaExceededError: the quota has been exceeded';
    const cold = await boot(store);
    expect(cold.info.snapshot).toBe('saving');
    expect(await cold.stored).toEqual({
      type: 'snapshot',
      snapshot: 'failed',
      reason: 'the snapshot could not be stored: QuotaExceededError: the quota has been exceeded',
    });
    expect(store.entries.size).toBe(0);
    const { outputs } = await cold.run('2 * 21');
    expect(outputs[0]).toMatchObject({ data: { 'text/plain': '42' } });
  }, 120_000);

  test('snapshot: false boots cold and stores nothing', async () => {
    const store = new MemoryStore();
    const kernel = createKernel({ ...nodeKernelDeps(), snapshots: store });
    const info = await kernel.boot({ indexURL: PYODIDE_DIR, pyloomWheelURL: WHEEL_URL, snapshot: false }, () => undefined);
    expect(info.snapshot).toBe('off');
    expect(store.log).toEqual([]);
  }, 120_000);
});
