// Warm start with a compiled package, on Pyodide 0.29.0 with genuine numpy 2.2.5 from ../shared/wheels
// (skipped with the reason when absent): a session that imports numpy makes the next boot snapshot it,
// the boot after restores it with the shared-library fix-up and numpy works at once; a snapshot whose
// fix-up or self-check fails is discarded and the boot goes cold with the reason.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createKernel, type SnapshotStore } from '../../worker/kernel';
import type { BootInfo, WorkerEvent } from '../../src/protocol';
import { nodeKernelDeps, WHEEL_URL } from './helpers/node-kernel';
import type { TestServer } from './helpers/http-server';
import { NO_NUMPY_WHY, NUMPY_029_WHEEL, PYODIDE_029_DIR, serveNumpy029, SHARED_WHEELS } from './helpers/pyodide-029';
import { packSnapshot, unpackSnapshot } from '../../worker/snapshot-dynlibs';
import { SELF_CHECKS, snapshotPackages } from '../../worker/snapshot-packages';
import { WarmStart } from '../../worker/snapshot';
import { readFileSync } from 'node:fs';

/** The SnapshotStore contract in memory, with the wanted-packages record. */
class MemoryStore implements SnapshotStore {
  entries = new Map<string, Uint8Array>();
  wanted = new Map<string, string[]>();
  log: string[] = [];
  async load(key: string) {
    this.log.push('load');
    return this.entries.get(key);
  }
  async save(key: string, bytes: Uint8Array) {
    this.log.push('save');
    this.entries.clear();
    this.entries.set(key, bytes);
  }
  async discard(key: string) {
    this.log.push('discard');
    this.entries.delete(key);
  }
  async wantedPackages(runtimeKey: string) {
    return this.wanted.get(runtimeKey) ?? [];
  }
  async setWantedPackages(runtimeKey: string, names: string[]) {
    this.log.push(`want ${names.join(',')}`);
    this.wanted.set(runtimeKey, names);
  }
}

let server: TestServer | undefined;
beforeAll(async () => {
  if (SHARED_WHEELS) server = await serveNumpy029();
});
afterAll(() => server?.close());

async function boot(store: MemoryStore) {
  const deps = { ...nodeKernelDeps(), snapshots: store };
  deps.importPyodide = async () => (await import('pyodide-0.29')) as never;
  const kernel = createKernel(deps);
  const events: WorkerEvent[] = [];
  let settled: (event: WorkerEvent & { type: 'snapshot' }) => void = () => undefined;
  /** How storing this boot's snapshot ended. */
  const stored = new Promise<WorkerEvent & { type: 'snapshot' }>((resolve) => (settled = resolve));
  const started = performance.now();
  const info: BootInfo = await kernel.boot(
    { indexURL: PYODIDE_029_DIR, pyloomWheelURL: WHEEL_URL, packageBaseUrl: `${server!.base}/` },
    (e) => {
      events.push(e);
      if (e.type === 'snapshot') settled(e);
    },
  );
  const ms = performance.now() - started;
  let id = 0;
  const run = async (code: string) => {
    const executionId = ++id;
    const ack = await kernel.execute({ id: executionId, code });
    const outputs = events.flatMap((e) => (e.type === 'output' && e.executionId === executionId ? [e.event] : []));
    return { ...ack, outputs, text: outputs.map((o) => ('text' in o ? o.text : '')).join('') };
  };
  const downloads = () =>
    events.flatMap((e) => (e.type === 'progress' && e.progress.kind === 'download' && e.progress.done ? [e.progress.file] : []));
  return { kernel, info, ms, run, stored, downloads };
}

const NUMPY_CELL =
  'import numpy as np\nprint(np.arange(10).sum(), np.linalg.det(np.array([[2.0, 1.0], [1.0, 3.0]])).round(6), np.fft.fft(np.ones(4)).real.tolist())';
const NUMPY_OUT = '45 5.0 [4.0, 0.0, 0.0, 0.0]\n';

/** Boot 1 (cold, pure-Python snapshot, the session imports numpy) and boot 2 (cold, snapshot with numpy). */
async function storeWithNumpySnapshot() {
  const store = new MemoryStore();
  const first = await boot(store);
  expect((await first.stored).snapshot).toBe('taken');
  expect((await first.run(NUMPY_CELL)).text).toBe(NUMPY_OUT);
  expect(store.log).toContain('want numpy');
  const second = await boot(store);
  expect(second.info.snapshot, second.info.snapshotFallback).toBe('saving');
  expect(await second.stored).toEqual({ type: 'snapshot', snapshot: 'taken' });
  const [key] = store.entries.keys();
  expect(key).toMatch(/; packages numpy==2\.2\.5#2ca46b70661caea8; v2$/);
  expect(key).toContain('pyodide 0.29.0;');
  return { store, key: key!, first, second };
}

describe('warm start with numpy (Pyodide 0.29.0, genuine numpy 2.2.5)', () => {
  test('the boot after a numpy session snapshots numpy; the next one restores it and numpy works at once', async (context) => {
    if (!SHARED_WHEELS) context.skip(NO_NUMPY_WHY);
    const { store, first, second } = await storeWithNumpySnapshot();
    const third = await boot(store);
    expect(third.info.snapshotFallback, third.info.snapshotFallback).toBeUndefined();
    expect(third.info.snapshot).toBe('restored');
    // numpy is already imported: the cell downloads nothing and its values are right.
    const downloadsBefore = third.downloads().length;
    const cell = await third.run(NUMPY_CELL);
    expect(cell.status).toBe('ok');
    expect(cell.executionCount).toBe(1);
    expect(cell.text).toBe(NUMPY_OUT);
    expect(third.downloads().slice(downloadsBefore)).not.toContain(NUMPY_029_WHEEL);
    // A clean state: no user names (numpy was imported outside the user's namespace), counts from 1.
    const fresh = await boot(store);
    const names = await fresh.run(
      'print(sorted(k for k in globals() if not k.startswith("_") and k not in ("In", "Out", "exit", "quit", "get_ipython", "display")))',
    );
    expect(names.executionCount).toBe(1);
    expect(names.text).toBe('[]\n');
    expect((await fresh.run('import sys\nprint("numpy" in sys.modules)')).text).toBe('True\n');
    // More of numpy after the restore: random, linalg.solve, a ufunc reduce, einsum.
    const more = await fresh.run(
      'import numpy as np\nrng = np.random.default_rng(7)\nm = rng.random((5, 5)) + 5 * np.eye(5)\nx = np.linalg.solve(m, np.ones(5))\nprint(bool(np.allclose(m @ x, 1)), np.add.reduce(np.arange(5)), np.einsum("i,i", np.arange(3), np.arange(3)))',
    );
    expect(more.text).toBe('True 10 5\n');
    const [bytes] = store.entries.values();
    console.log(
      `numpy warm start (Node, 0.29.0): first boot ${first.ms.toFixed(0)} ms, snapshot boot ${second.ms.toFixed(0)} ms, restore ${third.ms.toFixed(0)} ms ` +
        `(install-pyloom incl. fix-up ${third.info.timings['install-pyloom']?.toFixed(0)} ms); snapshot ${(bytes!.byteLength / 1e6).toFixed(1)} MB`,
    );
  }, 600_000);

  test('a snapshot whose fix-up or self-check fails is discarded and the boot goes cold with the reason', async (context) => {
    if (!SHARED_WHEELS) context.skip(NO_NUMPY_WHY);
    const { store, key } = await storeWithNumpySnapshot();
    const good = store.entries.get(key)!;

    // A fix-up that fails: the record puts numpy's library at a different table base.
    const { memory, state } = unpackSnapshot(good);
    state.libs[0]!.tableBase += 1;
    store.entries.set(key, packSnapshot(memory, state));
    store.log = [];
    const moved = await boot(store);
    expect(moved.info.snapshot).toBe('saving'); // cold, taking a pure-Python snapshot this time
    expect(moved.info.snapshotFallback).toMatch(/does not match the snapshot's record/);
    expect(store.log.slice(0, 2)).toEqual(['load', 'discard']);
    expect((await moved.run(NUMPY_CELL)).text).toBe(NUMPY_OUT); // numpy still loads on demand

    // A self-check that fails (its known answer changed here) is discarded the same way.
    store.entries.clear();
    store.entries.set(key, good);
    store.wanted.set([...store.wanted.keys()][0]!, ['numpy']);
    const numpyCheck = SELF_CHECKS['numpy']!;
    const expected = numpyCheck.expected;
    numpyCheck.expected = `${expected} (changed by the test)`;
    try {
      const failed = await boot(store);
      expect(failed.info.snapshot).toBe('saving');
      expect(failed.info.snapshotFallback).toMatch(/the restored numpy failed its self-check: the self-check of numpy gave \[45, /);
    } finally {
      numpyCheck.expected = expected;
    }

    // Bytes that are not a package snapshot under the package key: discarded, cold.
    store.entries.set(key, new Uint8Array(64));
    store.wanted.set([...store.wanted.keys()][0]!, ['numpy']);
    const garbage = await boot(store);
    expect(garbage.info.snapshotFallback).toMatch(/no shared-library record/);
    expect((await garbage.run('1 + 1')).outputs[0]).toMatchObject({ data: { 'text/plain': '2' } });
  }, 900_000);
});

describe('which loaded packages go into the snapshot (the Pyodide 0.29.0 lock)', () => {
  const lock = readFileSync(`${PYODIDE_029_DIR}pyodide-lock.json`, 'utf8');
  test('a compiled package with a self-check goes in, with its pure-Python company', () => {
    const { packages, skipped } = snapshotPackages(lock, ['numpy', 'micropip']);
    expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(['numpy', 'micropip']));
    expect(skipped).toEqual([]);
  });
  test('pure-Python packages alone make no package snapshot; compiled ones without a self-check stay out', () => {
    expect(snapshotPackages(lock, ['micropip']).packages).toEqual([]);
    const { packages, skipped } = snapshotPackages(lock, ['numpy', 'pandas', 'no-such-package']);
    // pandas stays out; its dependencies (loaded with it) may go in, numpy does.
    expect(packages.map((p) => p.name)).toContain('numpy');
    expect(packages.map((p) => p.name)).not.toContain('pandas');
    expect(skipped.join('\n')).toMatch(/no-such-package: not in the Pyodide lock file/);
    expect(skipped.join('\n')).toMatch(/pandas: (a dependency stays out|compiled, with no self-check)/);
  });
});

describe('a package snapshot is keyed by its runtime and its package set', () => {
  const lockJson = readFileSync(`${PYODIDE_029_DIR}pyodide-lock.json`, 'utf8');
  const open = async (wanted: string[], pyodideVersion = '0.29.0', wheel = new Uint8Array([1])) => {
    const store = new MemoryStore();
    const runtime = { pyodideVersion, wheel, indexURL: PYODIDE_029_DIR, lockJson };
    // The wanted list is stored under the runtime key, which open() computes: ask once to learn it.
    store.wantedPackages = async (key: string) => (store.wanted.set(key, wanted), wanted);
    return WarmStart.open(store, true, runtime);
  };
  test('another Pyodide version, pyloom build or package set gives another key', async () => {
    const numpy = (await open(['numpy'])).key;
    expect(numpy).toMatch(/^pyodide 0\.29\.0; pyloom [0-9a-f]{64}; core .*; v1; packages numpy==2\.2\.5#2ca46b70661caea8; v2$/);
    expect((await open(['numpy'], '0.29.1')).key).not.toBe(numpy);
    expect((await open(['numpy'], '0.29.0', new Uint8Array([2]))).key).not.toBe(numpy);
    expect((await open([])).key).not.toBe(numpy);
    expect((await open(['numpy', 'micropip'])).key).not.toBe(numpy);
  });
});
