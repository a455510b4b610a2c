// numpy in the warm start, Pyodide 0.29.0 in Node with genuine numpy 2.2.5 from ../shared/wheels
// (figures, not pass/fail): (a') bare loadPyodide + loadPackage('numpy') + import, (b') Pyloom's
// first visit with a numpy first cell, (b'') the next visit, which boots cold and snapshots numpy,
// (c') the visit after, restored with numpy imported. Also the snapshot's size (raw, gzip) and
// the restore's fix-up time. Writes test/bench/results/numpy-warm-start.json.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createKernel, type SnapshotStore } from '../../worker/kernel';
import { nodeKernelDeps, WHEEL_URL } from '../unit/helpers/node-kernel';
import type { TestServer } from '../unit/helpers/http-server';
import { NO_NUMPY_WHY, PYODIDE_029_DIR, serveNumpy029, SHARED_WHEELS } from '../unit/helpers/pyodide-029';
import type { WorkerEvent } from '../../src/protocol';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const CELL = 'import numpy\nnumpy.arange(10).sum()';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

class MemoryStore implements SnapshotStore {
  entries = new Map<string, Uint8Array>();
  wanted = new Map<string, string[]>();
  saved: Promise<unknown> = Promise.resolve();
  async load(key: string) {
    return this.entries.get(key);
  }
  async save(key: string, bytes: Uint8Array) {
    this.entries.clear();
    this.entries.set(key, bytes);
  }
  async discard(key: string) {
    this.entries.delete(key);
  }
  async wantedPackages(key: string) {
    return this.wanted.get(key) ?? [];
  }
  async setWantedPackages(key: string, names: string[]) {
    this.wanted.set(key, names);
  }
}

let server: TestServer | undefined;
beforeAll(async () => {
  if (SHARED_WHEELS) server = await serveNumpy029();
});
afterAll(() => server?.close());

async function bare(): Promise<number> {
  const started = performance.now();
  const { loadPyodide } = await import('pyodide-0.29');
  // A fresh package cache: Node Pyodide would otherwise keep the wheel in node_modules (a warm cache).
  const py = await loadPyodide({
    indexURL: PYODIDE_029_DIR,
    packageBaseUrl: `${server!.base}/`,
    packageCacheDir: mkdtempSync(join(tmpdir(), 'pyloom-bench-')),
  });
  await py.loadPackage('numpy');
  const value = String(py.runPython('import numpy; numpy.arange(10).sum()'));
  if (value !== '45') throw new Error(`bare numpy gave ${value}`);
  return performance.now() - started;
}

/** One visit: boot with `store`, run the numpy cell; ms to its result, and how the boot went. */
async function visit(store: MemoryStore) {
  const deps = { ...nodeKernelDeps(), snapshots: store };
  deps.importPyodide = async () => (await import('pyodide-0.29')) as never;
  const kernel = createKernel(deps);
  const events: WorkerEvent[] = [];
  let storedEvent: () => void = () => undefined;
  const stored = new Promise<void>((resolve) => (storedEvent = resolve));
  const started = performance.now();
  const info = await kernel.boot({ indexURL: PYODIDE_029_DIR, pyloomWheelURL: WHEEL_URL, packageBaseUrl: `${server!.base}/` }, (e) => {
    events.push(e);
    if (e.type === 'snapshot') storedEvent();
  });
  await kernel.execute({ id: 1, code: CELL });
  const ms = performance.now() - started;
  const result = events.find((e) => e.type === 'output' && e.event.output_type === 'execute_result');
  expect(result).toMatchObject({ event: { data: { 'text/plain': 'np.int32(45)' } } });
  if (info.snapshot === 'saving') await stored;
  return { ms, snapshot: info.snapshot, fallback: info.snapshotFallback, installMs: info.timings['install-pyloom'] ?? 0 };
}

test('numpy warm start figures (Pyodide 0.29.0, Node)', async (context) => {
  if (!SHARED_WHEELS) context.skip(NO_NUMPY_WHY);
  const a: number[] = [];
  const b: number[] = [];
  const b2: number[] = [];
  const c: number[] = [];
  const fixup: number[] = [];
  let raw = 0;
  let gzip = 0;
  for (let run = 0; run < RUNS; run++) {
    a.push(await bare());
    const store = new MemoryStore();
    b.push((await visit(store)).ms);
    const taking = await visit(store);
    expect(taking.snapshot, taking.fallback).toBe('saving');
    b2.push(taking.ms);
    const restored = await visit(store);
    expect(restored.snapshot, restored.fallback).toBe('restored');
    c.push(restored.ms);
    fixup.push(restored.installMs);
    const [bytes] = store.entries.values();
    raw = bytes!.byteLength;
    gzip = gzipSync(bytes!, { level: 6 }).byteLength;
  }
  const figures = {
    runs: RUNS,
    aBareMs: median(a),
    bFirstVisitMs: median(b),
    bSnapshotVisitMs: median(b2),
    cRestoredVisitMs: median(c),
    ratioCtoA: median(c) / median(a),
    restoreInstallPhaseMs: median(fixup),
    snapshotRawMB: raw / 1e6,
    snapshotGzipMB: gzip / 1e6,
    samples: { a, b, b2, c, fixup },
  };
  mkdirSync('test/bench/results', { recursive: true });
  writeFileSync('test/bench/results/numpy-warm-start.json', `${JSON.stringify(figures, null, 2)}\n`);
  console.log(
    [
      `(a')  bare loadPyodide + loadPackage numpy + import     ${figures.aBareMs.toFixed(0)} ms`,
      `(b')  Pyloom first visit, numpy first cell              ${figures.bFirstVisitMs.toFixed(0)} ms`,
      `(b'') next visit: cold boot that snapshots numpy        ${figures.bSnapshotVisitMs.toFixed(0)} ms`,
      `(c')  visit restored with numpy in the snapshot         ${figures.cRestoredVisitMs.toFixed(0)} ms  = ${figures.ratioCtoA.toFixed(2)}× (a')`,
      `restore phase (pyloom + numpy files + .so fix-up + self-check) ${figures.restoreInstallPhaseMs.toFixed(0)} ms`,
      `snapshot ${figures.snapshotRawMB.toFixed(1)} MB raw, ${figures.snapshotGzipMB.toFixed(1)} MB gzip -6`,
    ].join('\n'),
  );
});
