// Notebook files and autosave (the workspace in memory, BroadcastChannel from Node): two stores
// with different tab ids on one disk stand for two tabs on one workspace.
import { afterEach, describe, expect, test } from 'vitest';
import { Autosave } from '../../src/notebook/autosave';
import { serializeNotebook } from '../../src/notebook/ipynb';
import { newCell, newNotebook, type Notebook } from '../../src/notebook/model';
import { memoryDisk, type NotebookDisk } from '../../src/notebook/notebook-disk';
import { NotebookStore, NotebookUnreadableError } from '../../src/notebook/store';

let channel = 0;
const opened: NotebookStore[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

/** Two tabs on one workspace; `written` collects the paths each told the worker to reload. */
function tabs(disk: NotebookDisk = memoryDisk()): [NotebookStore, NotebookStore] & { written: string[][] } {
  const name = `test-${++channel}`;
  const written: string[][] = [];
  const a = new NotebookStore({ disk, tabId: 'tab-a', channel: name, onWritten: (paths) => written.push(paths) });
  const b = new NotebookStore({ disk, tabId: 'tab-b', channel: name });
  opened.push(a, b);
  return Object.assign([a, b] as [NotebookStore, NotebookStore], { written });
}

const withSource = (source: string): Notebook => newNotebook([newCell('code', source)]);

describe('NotebookStore (notebooks as workspace files)', () => {
  test('create, list newest first, load, unique names, rename, duplicate, delete', async () => {
    const [store] = tabs();
    const one = await store.create('analysis', withSource('1'));
    const two = await store.create('analysis.ipynb', withSource('2'));
    expect(one.id).toBe('analysis.ipynb');
    expect(two.id).toBe('analysis-1.ipynb');
    expect((await store.list()).map((m) => m.id)).toEqual([two.id, one.id]);
    expect((await store.load(one.id))?.notebook.cells[0]?.source).toBe('1');
    const renamed = await store.rename(one.id, 'final');
    expect(renamed?.id).toBe('final.ipynb');
    expect(await store.load(one.id)).toBeUndefined();
    const copy = await store.duplicate(renamed!.id);
    expect(copy?.name).toBe('final-Copy.ipynb');
    expect((await store.load(copy!.id))?.notebook.cells[0]?.source).toBe('1');
    await store.delete(renamed!.id);
    expect(await store.load(renamed!.id)).toBeUndefined();
    expect((await store.list()).map((m) => m.id).sort()).toEqual(['analysis-1.ipynb', 'final-Copy.ipynb']);
  });

  test('the file is the notebook as Jupyter writes it; a notebook in a subfolder keeps its folder', async () => {
    const [store] = tabs();
    const notebook = withSource('print(1)');
    const meta = await store.create('intro', notebook, 'week1/day2');
    expect(meta.id).toBe('week1/day2/intro.ipynb');
    expect((await store.disk.read(meta.id))?.text).toBe(serializeNotebook(notebook));
    expect((await store.duplicate(meta.id))?.id).toBe('week1/day2/intro-Copy.ipynb');
    expect((await store.rename(meta.id, 'outro'))?.id).toBe('week1/day2/outro.ipynb');
    expect((await store.rename('week1/day2/outro.ipynb', 'archive/old'))?.id).toBe('archive/old.ipynb');
  });

  test('the worker is told which paths the page wrote', async () => {
    const pair = tabs();
    const meta = await pair[0].create('told', withSource(''));
    await pair[0].rename(meta.id, 'renamed');
    await pair[0].delete('renamed.ipynb');
    expect(pair.written).toEqual([['told.ipynb'], ['told.ipynb', 'renamed.ipynb'], ['renamed.ipynb']]);
  });

  test('a save based on an old revision is refused as a conflict; force overwrites', async () => {
    const [a, b] = tabs();
    const meta = await a.create('shared', withSource('start'));
    const saved = await b.save(meta.id, withSource('from b'), meta.rev);
    expect(saved.status).toBe('saved');
    const stale = await a.save(meta.id, withSource('from a'), meta.rev);
    expect(stale).toMatchObject({ status: 'conflict', theirs: { id: meta.id } });
    expect((await a.load(meta.id))?.notebook.cells[0]?.source).toBe('from b');
    const forced = await a.save(meta.id, withSource('from a'), meta.rev, { force: true });
    expect(forced.status).toBe('saved');
    expect((await b.load(meta.id))?.notebook.cells[0]?.source).toBe('from a');
  });

  test('a file changed behind the store (Python wrote it) is a conflict too', async () => {
    const [store] = tabs();
    const meta = await store.create('py', withSource('mine'));
    await store.disk.write(meta.id, serializeNotebook(withSource('written by a cell')));
    expect((await store.save(meta.id, withSource('edited'), meta.rev)).status).toBe('conflict');
    expect((await store.load(meta.id))?.notebook.cells[0]?.source).toBe('written by a cell');
  });

  test('a file that is not valid ipynb is refused with what to do, and left as it was', async () => {
    const [store] = tabs();
    await store.disk.write('broken.ipynb', '{"cells": [');
    const error = await store.load('broken.ipynb').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotebookUnreadableError);
    expect(String(error)).toMatch(
      /"broken.ipynb" is not a notebook Pyloom can open: .*The file is unchanged; download it from the Files panel/,
    );
    expect((await store.disk.read('broken.ipynb'))?.text).toBe('{"cells": [');
  });

  test('the notebook open last is remembered; cleared() forgets it', async () => {
    const [store] = tabs();
    store.setLastOpened('a/b.ipynb');
    expect(store.lastOpened()).toBe('a/b.ipynb');
    store.cleared();
    expect(store.lastOpened()).toBeUndefined();
  });
});

describe('Autosave', () => {
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

  test('two tabs: a clean tab is told to reload, a tab with edits gets a conflict and can keep its version', async () => {
    const [a, b] = tabs();
    const meta = await a.create('two tabs', withSource('start'));
    let inA = withSource('start');
    let inB = withSource('start');
    const saveA = new Autosave(a, { delayMs: 10 });
    const saveB = new Autosave(b, { delayMs: 60_000 });
    await saveA.attach(meta, () => inA);
    await saveB.attach(meta, () => inB);
    const stale = new Promise((resolve) => saveB.addEventListener('stale', resolve, { once: true }));
    inA = withSource('edited in A');
    saveA.changed();
    await saveA.flush();
    // B had nothing unsaved: it hears of A's save over the BroadcastChannel and may show it.
    await stale;
    expect(saveB.state).toBe('saved');
    // B edits (a long quiet time: still pending) and then hears of another save by A: a conflict.
    inB = withSource('edited in B');
    saveB.changed();
    inA = withSource('edited in A again');
    saveA.changed();
    await saveA.flush();
    await expect.poll(() => saveB.state, { timeout: 30_000 }).toBe('conflict');
    expect(saveB.message).toMatch(/changed in another tab/);
    await saveB.flush();
    expect((await a.load(meta.id))?.notebook.cells[0]?.source).toBe('edited in A again');
    await saveB.keepMine();
    expect((await a.load(meta.id))?.notebook.cells[0]?.source).toBe('edited in B');
    expect(saveB.state).toBe('saved');
  });

  test('a read-only tab holds its edits, writes them once it owns the workspace, and still checks the revision', async () => {
    const [a] = tabs();
    const meta = await a.create('held', withSource('start'));
    let owned = false;
    let mine = withSource('start');
    const autosave = new Autosave(a, { delayMs: 10, writable: () => owned });
    await autosave.attach(meta, () => mine);
    expect(autosave.state).toBe('readonly');
    mine = withSource('edited while read-only');
    autosave.changed();
    await autosave.flush();
    expect(autosave.state).toBe('readonly');
    expect(autosave.held).toBe(true);
    expect(autosave.message).toMatch(/Another tab owns the workspace/);
    expect((await a.load(meta.id))?.notebook.cells[0]?.source).toBe('start');
    owned = true;
    await autosave.resume();
    expect(autosave.state).toBe('saved');
    expect((await a.load(meta.id))?.notebook.cells[0]?.source).toBe('edited while read-only');
    // Held again, and the file changed meanwhile (the other tab wrote it): a conflict, nothing overwritten.
    owned = false;
    mine = withSource('second edit');
    autosave.changed();
    await a.disk.write(meta.id, serializeNotebook(withSource('from the owner')));
    owned = true;
    await autosave.resume();
    expect(autosave.state).toBe('conflict');
    expect((await a.load(meta.id))?.notebook.cells[0]?.source).toBe('from the owner');
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

  test('a rename is "saving" until the file is written under its new name and remembered; pending edits go first', async () => {
    // The write of `blocked` waits for `release`: the moment between the rename and its file write.
    const inner = memoryDisk();
    let blocked = '';
    let release: () => void = () => undefined;
    let reached: () => void = () => undefined;
    const block = (path: string) => {
      blocked = path;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const reachedIt = new Promise<void>((resolve) => (reached = resolve));
      return { gate, reachedIt };
    };
    let gate: Promise<void> = Promise.resolve();
    const disk: NotebookDisk = {
      ...inner,
      write: async (path, text) => {
        if (path === blocked) {
          reached();
          await gate;
        }
        return inner.write(path, text);
      },
    };
    const [store] = tabs(disk);
    let notebook = withSource('first');
    const meta = await store.create('draft', notebook);
    const autosave = new Autosave(store, { delayMs: 10_000 });
    await autosave.attach(meta, () => notebook);
    const states: string[] = [];
    autosave.addEventListener('state', (event) => states.push((event as CustomEvent<{ state: string }>).detail.state));
    notebook = withSource('edited before the rename');
    autosave.changed();
    let reachedIt: Promise<void>;
    ({ gate, reachedIt } = block('final.ipynb'));
    let remembered: string | undefined;
    const renaming = autosave.rename('final', (renamed) => {
      remembered = renamed.id;
      states.push(`remembered ${renamed.id}`);
    });
    // Said at once, before any write: a reload now would not be told "saved".
    expect(autosave.state).toBe('saving');
    await reachedIt;
    // The edits are in the old file; the new one is being written: still 'saving', nothing remembered.
    expect((await store.load('draft.ipynb'))?.notebook.cells[0]?.source).toBe('edited before the rename');
    expect(autosave.state).toBe('saving');
    expect(remembered).toBeUndefined();
    expect(await disk.exists('final.ipynb')).toBe(false);
    release();
    const renamed = await renaming;
    expect(renamed?.id).toBe('final.ipynb');
    expect(autosave.meta?.id).toBe('final.ipynb');
    expect(autosave.state).toBe('saved');
    // 'saved' only after the page remembered the new name; never in between.
    expect(states.slice(states.indexOf('remembered final.ipynb'))).toEqual(['remembered final.ipynb', 'saved']);
    expect(states.slice(0, states.indexOf('remembered final.ipynb'))).not.toContain('saved');
    expect(await disk.exists('draft.ipynb')).toBe(false);
    expect((await store.load('final.ipynb'))?.notebook.cells[0]?.source).toBe('edited before the rename');
    // An edit made while the rename was written is saved under the new name.
    ({ gate, reachedIt } = block('last.ipynb'));
    const again = autosave.rename('last', () => undefined);
    await reachedIt;
    notebook = withSource('edited during the rename');
    autosave.changed();
    release();
    await again;
    expect(autosave.state).toBe('pending');
    await autosave.flush();
    expect(autosave.state).toBe('saved');
    expect((await store.load('last.ipynb'))?.notebook.cells[0]?.source).toBe('edited during the rename');
    expect(await disk.exists('final.ipynb')).toBe(false);
  });

  test('a rename that fails keeps the old name and says saved (the file is whole); a conflict refuses the rename', async () => {
    const inner = memoryDisk();
    let full = false;
    const disk: NotebookDisk = {
      ...inner,
      write: async (path, text) => {
        if (full) throw new DOMException('quota', 'QuotaExceededError');
        return inner.write(path, text);
      },
    };
    const [a, b] = tabs(disk);
    const meta = await a.create('keep', withSource('x'));
    const autosave = new Autosave(a);
    await autosave.attach(meta, () => withSource('x'));
    full = true;
    await expect(autosave.rename('other', () => undefined)).rejects.toThrow('quota');
    expect(autosave.state).toBe('saved');
    expect(autosave.meta?.id).toBe('keep.ipynb');
    expect(await disk.exists('keep.ipynb')).toBe(true);
    full = false;
    await b.save(meta.id, withSource('theirs'), meta.rev);
    autosave.changed();
    await autosave.flush();
    expect(autosave.state).toBe('conflict');
    await expect(autosave.rename('other', () => undefined)).rejects.toThrow('conflict');
    expect(await disk.exists('other.ipynb')).toBe(false);
  });
});
