// The browser store and autosave (IndexedDB from fake-indexeddb, BroadcastChannel from Node):
// two stores with different tab ids stand for two tabs on one notebook.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Autosave, type SaveStateDetail } from '../../src/notebook/autosave';
import { newCell, newNotebook, type Notebook } from '../../src/notebook/model';
import { NotebookStore } from '../../src/notebook/store';

let db = 0;
const opened: NotebookStore[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

/** Two tabs on one database. */
function tabs(): [NotebookStore, NotebookStore] {
  const dbName = `test-${++db}`;
  const a = new NotebookStore({ dbName, tabId: 'tab-a' });
  const b = new NotebookStore({ dbName, tabId: 'tab-b' });
  opened.push(a, b);
  return [a, b];
}

const withSource = (source: string): Notebook => newNotebook([newCell('code', source)]);

describe('NotebookStore', () => {
  test('create, list newest first, load, unique names, rename, duplicate, delete', async () => {
    const [store] = tabs();
    const one = await store.create('analysis', withSource('1'));
    // list() orders by update time (ms): the second must be stamped after the first.
    await vi.waitUntil(() => Date.now() > one.updated, { timeout: 10_000 });
    const two = await store.create('analysis.ipynb', withSource('2'));
    expect(one.name).toBe('analysis.ipynb');
    expect(two.name).toBe('analysis-1.ipynb');
    expect((await store.list()).map((m) => m.id)).toEqual([two.id, one.id]);
    expect((await store.load(one.id))?.notebook.cells[0]?.source).toBe('1');
    expect((await store.rename(one.id, 'final'))?.name).toBe('final.ipynb');
    const copy = await store.duplicate(one.id);
    expect(copy?.name).toBe('final-Copy.ipynb');
    expect((await store.load(copy!.id))?.notebook.cells[0]?.source).toBe('1');
    await store.delete(one.id);
    expect(await store.load(one.id)).toBeUndefined();
    expect((await store.list()).map((m) => m.name).sort()).toEqual(['analysis-1.ipynb', 'final-Copy.ipynb']);
  });

  test('a save based on an old revision is refused as a conflict; force overwrites', async () => {
    const [a, b] = tabs();
    const meta = await a.create('shared', withSource('start'));
    const saved = await b.save(meta.id, withSource('from b'), meta.rev);
    expect(saved.status).toBe('saved');
    const stale = await a.save(meta.id, withSource('from a'), meta.rev);
    expect(stale).toMatchObject({ status: 'conflict', theirs: { writer: 'tab-b', rev: meta.rev + 1 } });
    expect((await a.load(meta.id))?.notebook.cells[0]?.source).toBe('from b');
    const forced = await a.save(meta.id, withSource('from a'), meta.rev, { force: true });
    expect(forced.status).toBe('saved');
    expect((await b.load(meta.id))?.notebook.cells[0]?.source).toBe('from a');
  });

  test('clearAll empties everything', async () => {
    const [store] = tabs();
    const meta = await store.create('x', withSource(''));
    await store.setLastOpened(meta.id);
    await store.clearAll();
    expect(await store.list()).toEqual([]);
    expect(await store.lastOpened()).toBeUndefined();
  });
});

describe('Autosave', () => {
  const states = (autosave: Autosave) => {
    const seen: SaveStateDetail[] = [];
    autosave.addEventListener('state', (e) => seen.push((e as CustomEvent<SaveStateDetail>).detail));
    return seen;
  };

  test('changes are written within the max wait even while edits keep coming', async () => {
    const [store] = tabs();
    let notebook = withSource('v0');
    const meta = await store.create('auto', notebook);
    const autosave = new Autosave(store, { delayMs: 200, maxWaitMs: 500 });
    await autosave.attach(meta, () => notebook);
    // An edit every 100 ms (a typist: the pace is the input, not a wait), each one sooner than the
    // 200 ms quiet time, so the quiet-time rule alone would never save. The burst goes on for up
    // to 10 s (20× the max wait, for a loaded machine's late timers) and stops at the first save.
    let savedDuringBurst = false;
    for (let i = 1; i <= 100 && !savedDuringBurst; i++) {
      notebook = withSource(`v${i}`);
      autosave.changed();
      await new Promise((r) => setTimeout(r, 100));
      savedDuringBurst = (await store.load(meta.id))?.notebook.cells[0]?.source !== 'v0';
    }
    expect(savedDuringBurst).toBe(true);
    await autosave.flush();
    expect(autosave.state).toBe('saved');
  });

  test('two tabs: the second writer is told, keeps nothing silently, and can keep its version', async () => {
    const [a, b] = tabs();
    const meta = await a.create('two tabs', withSource('start'));
    let inA = withSource('start');
    let inB = withSource('start');
    const saveA = new Autosave(a, { delayMs: 10 });
    const saveB = new Autosave(b, { delayMs: 10 });
    await saveA.attach(meta, () => inA);
    await saveB.attach(meta, () => inB);
    const seenB = states(saveB);
    inA = withSource('edited in A');
    saveA.changed();
    await saveA.flush();
    // B hears of A's save over the BroadcastChannel before it even edits.
    await expect.poll(() => saveB.state, { timeout: 30_000 }).toBe('conflict');
    expect(seenB.at(-1)?.message).toMatch(/changed in another tab/);
    inB = withSource('edited in B');
    saveB.changed();
    await saveB.flush();
    expect((await a.load(meta.id))?.notebook.cells[0]?.source).toBe('edited in A');
    expect(saveB.state).toBe('conflict');
    await saveB.keepMine();
    expect((await a.load(meta.id))?.notebook.cells[0]?.source).toBe('edited in B');
    expect(saveB.state).toBe('saved');
    await expect.poll(() => saveA.state, { timeout: 30_000 }).toBe('conflict');
  });

  test('a conflict is found by the revision check even without the channel message', async () => {
    const [a, b] = tabs();
    const meta = await a.create('no channel', withSource('start'));
    await b.save(meta.id, withSource('b'), meta.rev);
    // Tab A attached with the old revision (the message came before it attached, or was lost).
    const saveA = new Autosave(a, { delayMs: 10 });
    await saveA.attach(meta, () => withSource('a'));
    saveA.changed();
    const result = await saveA.flush();
    expect(result?.status).toBe('conflict');
    expect(saveA.state).toBe('conflict');
    expect((await a.load(meta.id))?.notebook.cells[0]?.source).toBe('b');
  });
});
