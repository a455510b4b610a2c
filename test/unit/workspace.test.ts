// The worker's workspace on real Pyodide in Node (memory store): the page and Python see the same
// files, what a cell writes is stored after it, a new kernel (restart, warm start) mounts it again,
// a cell waits for the mount, and storage-full refusals name the file and change nothing.
import { describe, expect, test } from 'vitest';
import { unzipSync } from 'fflate';
import { createKernel, type SnapshotStore } from '../../worker/kernel';
import { memoryStore, normalizePath, StorageFullError, type WorkspaceStore } from '../../worker/workspace/store';
import { workspacePathOf } from '../../worker/workspace/mount';
import type { WorkerEvent } from '../../src/protocol';
import { nodeKernelDeps, PYODIDE_DIR, WHEEL_URL } from './helpers/node-kernel';

const text = (s: string) => new Blob([s]);
const CSV = 'name,score\nada,3\nbob,5\n';

async function kernelOn(store: WorkspaceStore, extra: { snapshots?: SnapshotStore; workingDirectory?: string } = {}) {
  const api = createKernel({
    ...nodeKernelDeps(),
    workspaceStore: Promise.resolve(store),
    ...(extra.snapshots ? { snapshots: extra.snapshots } : {}),
  });
  const events: WorkerEvent[] = [];
  const info = await api.boot(
    { indexURL: PYODIDE_DIR, pyloomWheelURL: WHEEL_URL, ...(extra.workingDirectory ? { workingDirectory: extra.workingDirectory } : {}) },
    (e) => events.push(e),
  );
  let id = 0;
  const run = async (code: string) => {
    const executionId = ++id;
    const ack = await api.execute({ id: executionId, code });
    const outputs = events.flatMap((e) => (e.type === 'output' && e.executionId === executionId ? [e.event] : []));
    const stdout = outputs
      .map((o) => (o.output_type === 'stream' ? o.text : o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : ''))
      .join('');
    return { ...ack, outputs, stdout };
  };
  return { api, events, info, run };
}

async function stored(store: WorkspaceStore, path: string): Promise<string> {
  return (await store.read(path)).text();
}

describe('workspace paths', () => {
  test('normalized, and no way out of the workspace', () => {
    expect(normalizePath('/data//x.csv/')).toBe('data/x.csv');
    expect(normalizePath('')).toBe('');
    expect(() => normalizePath('a/../b')).toThrow("'.' and '..' are not allowed");
    expect(workspacePathOf('/workspace/a/b', '/')).toBe('a/b');
    expect(workspacePathOf('x.csv', '/workspace/nb')).toBe('nb/x.csv');
    expect(workspacePathOf('../../etc/passwd', '/workspace/nb')).toBeUndefined();
    expect(workspacePathOf('/workspaces/x', '/')).toBeUndefined();
  });
});

describe('the page and Python share one tree', () => {
  test('files from the page are read by a cell (csv, import of a sibling module); a written file is stored after the cell', async () => {
    const store = memoryStore();
    const { api, events, run } = await kernelOn(store);
    await api.writeFile('data/scores.csv', text(CSV));
    const helpers = 'def double(x):\n    return 2 * x\n';
    await api.writeFile('helpers.py', text(helpers));
    const read = await run(
      'import csv, os, helpers\nwith open("data/scores.csv", newline="") as f:\n    rows = list(csv.DictReader(f))\nprint(os.getcwd(), [r["name"] for r in rows], helpers.double(21))',
    );
    expect(read.stdout).toBe("/workspace ['ada', 'bob'] 42\n");
    const write = await run('with open("out.csv", "w") as f:\n    f.write("total\\n8\\n")');
    expect(write.status).toBe('ok');
    expect(await stored(store, 'out.csv')).toBe('total\n8\n');
    expect(events).toContainEqual({ type: 'files', paths: ['out.csv'] });
    const listing = await api.listFiles('');
    expect(listing.map((e) => [e.name, e.kind, e.size])).toEqual([
      ['data', 'directory', CSV.length],
      ['helpers.py', 'file', helpers.length],
      ['out.csv', 'file', 8],
    ]);
    expect(await (await api.readFile('out.csv')).text()).toBe('total\n8\n');
  });

  test('a restarted kernel mounts the same files; deletes, renames and folders made by Python are stored', async () => {
    const store = memoryStore();
    const first = await kernelOn(store);
    await first.api.writeFile('a.txt', text('A'));
    await first.run('import os, shutil\nos.makedirs("d/e")\nopen("d/e/f.txt", "w").write("F")\nos.rename("a.txt", "b.txt")');
    const second = await kernelOn(store);
    const { stdout } = await second.run('import os\nprint(sorted(os.listdir(".")), open("b.txt").read(), open("d/e/f.txt").read())');
    expect(stdout).toBe("['b.txt', 'd'] A F\n");
    await second.run('import shutil\nshutil.rmtree("d")\nshutil.move("b.txt", "c.txt")');
    expect((await store.list()).map((e) => e.path)).toEqual(['c.txt']);
  });

  test('page operations: rename, move into a folder, delete, zip a folder', async () => {
    const store = memoryStore();
    const { api, run } = await kernelOn(store);
    await api.makeDirectory('in');
    await api.writeFile('x.txt', text('X'));
    await api.movePath('x.txt', 'in/y.txt');
    await expect(api.movePath('in', 'in/deeper')).rejects.toThrow('cannot be moved into itself');
    await api.writeFile('z.txt', text('Z'));
    await expect(api.movePath('z.txt', 'in/y.txt')).rejects.toThrow('"in/y.txt" already exists');
    expect((await run('print(open("in/y.txt").read())')).stdout).toBe('X\n');
    const zip = unzipSync(new Uint8Array(await (await api.zipPath('in')).arrayBuffer()));
    expect(Object.keys(zip)).toEqual(['y.txt']);
    expect(new TextDecoder().decode(zip['y.txt'])).toBe('X');
    await api.deletePath('in');
    expect((await run('import os\nprint(os.path.exists("in"))')).stdout).toBe('False\n');
    expect((await store.list()).map((e) => e.path)).toEqual(['z.txt']);
    await expect(api.readFile('in/y.txt')).rejects.toThrow('"in/y.txt" does not exist in the workspace');
  });

  test('the working directory is the notebook folder: relative paths and imports resolve there', async () => {
    const store = memoryStore();
    const { api, run } = await kernelOn(store, { workingDirectory: 'projects/one' });
    await api.writeFile('projects/one/helpers.py', text('NAME = "one"\n'));
    await api.writeFile('projects/two/helpers.py', text('NAME = "two"\n'));
    expect((await run('import os, helpers\nprint(os.getcwd(), helpers.NAME)')).stdout).toBe('/workspace/projects/one one\n');
    await api.setWorkingDirectory('projects/two');
    expect((await run('import os, sys\nsys.modules.pop("helpers")\nimport helpers\nprint(os.getcwd(), helpers.NAME)')).stdout).toBe(
      '/workspace/projects/two two\n',
    );
  });
});

describe('magics on the workspace', () => {
  test('%run other.ipynb and %cd act on workspace files', async () => {
    const store = memoryStore();
    const { api, run } = await kernelOn(store);
    const other = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ id: 'a', cell_type: 'code', metadata: {}, source: 'answer = 6 * 7', outputs: [], execution_count: null }],
    };
    await api.writeFile('lib/other.ipynb', text(JSON.stringify(other)));
    expect((await run('%cd lib\n%run other.ipynb\nimport os\nprint(answer, os.getcwd())')).stdout).toContain('42 /workspace/lib');
  });
});

describe('mount timing', () => {
  test('a cell that starts before the workspace is mounted waits and sees the files', async () => {
    const inner = memoryStore();
    await inner.write('early.txt', new TextEncoder().encode('there'));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: WorkspaceStore = { ...inner, list: async () => (await gate, inner.list()) };
    const { run } = await kernelOn(slow);
    const cell = run('print(open("early.txt").read())');
    let settled = false;
    void cell.then(() => (settled = true));
    // The kernel answers other calls meanwhile, so the cell is truly waiting on the mount.
    await Promise.resolve();
    expect(settled).toBe(false);
    release();
    expect((await cell).stdout).toBe('there\n');
  });

  test('a warm start (memory snapshot) mounts the workspace again', async () => {
    const snapshots = new Map<string, Uint8Array>();
    let saved!: () => void;
    const savedOnce = new Promise<void>((resolve) => (saved = resolve));
    const snapshotStore: SnapshotStore = {
      load: async (key) => snapshots.get(key),
      save: async (key, bytes) => {
        snapshots.set(key, bytes);
        saved();
      },
      discard: async (key) => void snapshots.delete(key),
    };
    const store = memoryStore();
    const cold = await kernelOn(store, { snapshots: snapshotStore });
    expect(cold.info.snapshot).toBe('saving'); // stored after boot; savedOnce waits for it
    await cold.run('open("from-cold.txt", "w").write("kept")');
    await savedOnce;
    const warm = await kernelOn(store, { snapshots: snapshotStore });
    expect(warm.info.snapshot).toBe('restored');
    expect((await warm.run('import os\nprint(os.getcwd(), open("from-cold.txt").read())')).stdout).toBe('/workspace kept\n');
  });
});

describe('storage full', () => {
  test('a page write that does not fit is refused by name and size; the old file is kept', async () => {
    const store = memoryStore({ quotaBytes: 1000 });
    const { api, run } = await kernelOn(store);
    await api.writeFile('data.csv', text('old'));
    const error = await api.writeFile('data.csv', new Blob([new Uint8Array(2000)])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFullError);
    expect(String(error)).toContain('Storage is full: "data.csv" (2.0 kB) was not saved because only 1000 B is free');
    expect(await stored(store, 'data.csv')).toBe('old');
    expect((await run('print(open("data.csv").read())')).stdout).toBe('old\n');
  });

  test('a cell whose file does not fit: the error event names it, the store is unchanged, a later save succeeds', async () => {
    const store = memoryStore({ quotaBytes: 1000 });
    const { events, run, api } = await kernelOn(store);
    await run('open("big.bin", "wb").write(b"x" * 5000)');
    const failure = events.find((e) => e.type === 'files' && e.error);
    expect(failure).toMatchObject({ type: 'files', error: expect.stringContaining('"big.bin" (4.9 kB) was not saved') });
    expect(await store.list()).toEqual([]);
    // Still in Python's file system; once it fits, the next save stores it.
    await run('open("big.bin", "wb").write(b"x" * 500)');
    expect((await store.read('big.bin')).size).toBe(500);
    expect((await api.workspaceUsage()).files).toBe(500);
  });
});

describe('read-only mode (another tab owns the workspace)', () => {
  test('page writes are refused, Python writes are not stored; taking over reads the store again', async () => {
    const store = memoryStore();
    await store.write('shared.txt', new TextEncoder().encode('v1'));
    const api = createKernel({ ...nodeKernelDeps(), workspaceStore: Promise.resolve(store) });
    await api.boot({ indexURL: PYODIDE_DIR, pyloomWheelURL: WHEEL_URL, workspaceWritable: false, workingDirectory: 'nb' }, () => undefined);
    await expect(api.writeFile('x.txt', text('x'))).rejects.toThrow('another tab owns the workspace');
    await api.execute({ id: 1, code: 'open("scratch.txt", "w").write("s")' });
    expect((await store.list()).map((e) => e.path)).toEqual(['shared.txt']);
    await store.write('shared.txt', new TextEncoder().encode('v2')); // the owning tab's change
    await api.setWorkspaceWritable(true);
    expect(await (await api.readFile('shared.txt')).text()).toBe('v2');
    expect(await api.statPath('nb/scratch.txt')).toBeNull();
    await api.execute({ id: 2, code: 'open("kept.txt", "w").write("k")' });
    expect(await stored(store, 'nb/kept.txt')).toBe('k');
  });

  test('reloadPaths: a read-only tab reads what the owner (or the page notebook files) wrote, path by path or whole', async () => {
    const store = memoryStore();
    await store.write('notes.txt', new TextEncoder().encode('v1'));
    await store.write('gone.txt', new TextEncoder().encode('old'));
    const { api, run } = await kernelOn(store);
    await api.setWorkspaceWritable(false);
    // The owning tab writes and deletes behind this worker's back.
    await store.write('notes.txt', new TextEncoder().encode('v2'));
    await store.write('new/added.ipynb', new TextEncoder().encode('{}'));
    await store.remove('gone.txt');
    expect((await run('print(open("notes.txt").read())')).stdout).toBe('v1\n');
    await api.reloadPaths(['notes.txt', 'new/added.ipynb', 'gone.txt']);
    const seen = await run('import os\nprint(open("notes.txt").read(), open("new/added.ipynb").read(), os.path.exists("gone.txt"))');
    expect(seen.stdout).toBe('v2 {} False\n');
    await store.write('later.txt', new TextEncoder().encode('whole'));
    await api.reloadPaths(null);
    expect((await run('print(open("later.txt").read())')).stdout).toBe('whole\n');
  });
});
