// Moving notebooks from the previous release's IndexedDB store into workspace files: the stores
// are written by that release's own module (helpers/legacy-notebook-store.ts, verbatim), the
// migration reads them (IndexedDB from fake-indexeddb; the workspace in memory).
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test } from 'vitest';
import { get, createStore, set } from 'idb-keyval';
import { parseNotebook, serializeNotebook } from '../../src/notebook/ipynb';
import { newCell, newNotebook, type Notebook } from '../../src/notebook/model';
import { describeMigration, migrateLegacyNotebooks } from '../../src/notebook/migrate';
import { memoryDisk } from '../../src/notebook/notebook-disk';
import { NotebookStore } from '../../src/notebook/store';
import { NotebookStore as LegacyStore } from './helpers/legacy-notebook-store';

let db = 0;
const opened: { close(): void }[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

function stores(): { legacy: LegacyStore; dbName: string; store: NotebookStore } {
  const dbName = `legacy-${++db}`;
  const legacy = new LegacyStore({ dbName, tabId: 'old-release' });
  const store = new NotebookStore({ disk: memoryDisk(), tabId: 'new', channel: `migrate-${db}` });
  opened.push(legacy, store);
  return { legacy, dbName, store };
}

const made = new Map<string, Notebook>();
/** A notebook with what a user's notebook holds: outputs of every kind, counts, metadata (one per tag: cell ids are random). */
function richNotebook(tag: string): Notebook {
  const known = made.get(tag);
  if (known) return structuredClone(known);
  const code = newCell('code', `print("${tag}")\n1 + 1`);
  if (code.cell_type === 'code') {
    code.execution_count = 3;
    code.outputs = [
      { output_type: 'stream', name: 'stdout', text: `${tag}\n` },
      { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '2' }, metadata: {} },
      {
        output_type: 'display_data',
        data: { 'image/png': 'iVBORw0KGgo=', 'text/plain': '<Figure>' },
        metadata: { 'image/png': { width: 10 } },
      },
      { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['\u001b[31mValueError\u001b[0m: bad'] },
    ];
  }
  const notebook = newNotebook([newCell('markdown', `# ${tag}`), code]);
  notebook.metadata = { ...notebook.metadata, pyloom: { runtime: 'pyodide' }, custom: { kept: [1, 2] } };
  made.set(tag, notebook);
  return structuredClone(notebook);
}

describe('migrating the IndexedDB notebook store', () => {
  test('every notebook appears as a file with the same JSON and outputs; old records go only after; idempotent', async () => {
    const { legacy, dbName, store } = stores();
    const one = await legacy.create('analysis', richNotebook('one'));
    const two = await legacy.create('week 1/intro', richNotebook('two'));
    await legacy.setLastOpened(one.id);
    const saved = await legacy.save(one.id, richNotebook('one, saved again'), one.rev);
    expect(saved.status).toBe('saved');

    const report = await migrateLegacyNotebooks(store, { dbName });
    expect(report.failed).toEqual([]);
    expect(report.moved.map((m) => m.path).sort()).toEqual(['analysis.ipynb', 'week 1-intro.ipynb']);
    expect(report.lastOpened).toBe('analysis.ipynb');
    for (const [id, path] of [
      [one.id, 'analysis.ipynb'],
      [two.id, 'week 1-intro.ipynb'],
    ] as const) {
      const old = await legacy.load(id);
      expect(old).toBeUndefined(); // deleted after the file was read back
      const file = await store.disk.read(path);
      expect(file).toBeDefined();
      expect(parseNotebook(file!.text).notebook).toEqual(id === one.id ? richNotebook('one, saved again') : richNotebook('two'));
    }
    expect(await legacy.list()).toEqual([]);
    // A second run (another visit) changes nothing.
    const again = await migrateLegacyNotebooks(store, { dbName });
    expect(again).toEqual({ moved: [], renamed: [], failed: [] });
    expect((await store.list()).length).toBe(2);
  });

  test('a name taken by a different file keeps both; a run stopped before deleting does not copy twice', async () => {
    const { legacy, dbName, store } = stores();
    await store.create('report', newNotebook([newCell('code', 'already a file')]));
    const old = await legacy.create('report', richNotebook('old'));
    // An earlier run wrote the file but stopped before deleting the record.
    await store.disk.write('other.ipynb', serializeNotebook(richNotebook('other')));
    await legacy.create('other', richNotebook('other'));
    const report = await migrateLegacyNotebooks(store, { dbName });
    expect(report.renamed).toEqual([{ name: 'report.ipynb', path: 'report-1.ipynb' }]);
    expect(report.moved.map((m) => m.path).sort()).toEqual(['other.ipynb', 'report-1.ipynb']);
    expect((await store.load('report.ipynb'))?.notebook.cells[0]?.source).toBe('already a file');
    expect((await store.load('report-1.ipynb'))?.notebook).toEqual(richNotebook('old'));
    expect((await store.list()).map((m) => m.id).sort()).toEqual(['other.ipynb', 'report-1.ipynb', 'report.ipynb']);
    expect(await legacy.load(old.id)).toBeUndefined();
    expect(describeMigration(report)?.details).toEqual([
      '"report.ipynb" is "report-1.ipynb": a different file already had its name, and both are kept.',
    ]);
  });

  test('a corrupt record is kept, copied as raw JSON, and reported with what to do; the others move', async () => {
    const { legacy, dbName, store } = stores();
    const good = await legacy.create('good', richNotebook('good'));
    const bad = await legacy.create('bad', richNotebook('bad'));
    const raw = createStore(dbName, 'notebooks');
    await set(`doc:${bad.id}`, { not: 'a notebook' }, raw);
    const report = await migrateLegacyNotebooks(store, { dbName });
    expect(report.moved.map((m) => m.path)).toEqual(['good.ipynb']);
    expect(report.failed).toEqual([
      '"bad.ipynb" could not be moved into the workspace: its content is not a notebook. It is kept in browser storage, and its raw data is in the workspace as "bad.recovered.json" to download and repair.',
    ]);
    expect(JSON.parse((await store.disk.read('bad.recovered.json'))!.text)).toEqual({ not: 'a notebook' });
    expect(await get(`meta:${bad.id}`, raw)).toBeDefined();
    expect(await get(`doc:${bad.id}`, raw)).toEqual({ not: 'a notebook' });
    expect(await legacy.load(good.id)).toBeUndefined();
  });

  test('a write that fails keeps the old record for the next visit', async () => {
    const { legacy, dbName, store } = stores();
    const kept = await legacy.create('kept', richNotebook('kept'));
    const write = store.disk.write;
    store.disk.write = () => Promise.reject(new DOMException('quota', 'QuotaExceededError'));
    const report = await migrateLegacyNotebooks(store, { dbName });
    expect(report.failed[0]).toMatch(
      /^"kept.ipynb" was not moved into the workspace \(quota\); it is kept in browser storage and is tried again at the next visit\.$/,
    );
    expect((await legacy.load(kept.id))?.notebook).toEqual(richNotebook('kept'));
    store.disk.write = write;
    expect((await migrateLegacyNotebooks(store, { dbName })).moved).toEqual([{ name: 'kept.ipynb', path: 'kept.ipynb' }]);
  });

  test('no old database: nothing is created and nothing reported', async () => {
    const { store } = stores();
    expect(await migrateLegacyNotebooks(store, { dbName: 'never-written' })).toEqual({ moved: [], renamed: [], failed: [] });
    expect((await indexedDB.databases()).some((d) => d.name === 'never-written')).toBe(false);
  });
});
