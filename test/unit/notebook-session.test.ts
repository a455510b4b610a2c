// NotebookSession on the real Runtime + kernel (Node Pyodide): run order, counts, Jupyter's
// stop-on-error, edits, undo; and a runtime that dies mid-cell (scripted: Node cannot OOM a worker).
import { afterAll, describe, expect, test } from 'vitest';
import { createRuntime, type ExecuteOptions, type ExecuteReply, type RuntimeStatus } from '../../src/runtime/runtime';
import { createKernel } from '../../worker/kernel';
import { newCell, newNotebook, type CodeCell } from '../../src/notebook/model';
import { NotebookSession, type ChangeDetail, type SessionRuntime } from '../../src/notebook/session';
import { nodeKernelDeps, PYODIDE_DIR, WHEEL_URL } from './helpers/node-kernel';
import { InProcessWorker } from './helpers/in-process-worker';

const runtime = createRuntime({
  indexURL: PYODIDE_DIR,
  pyloomWheelURL: WHEEL_URL,
  createWorker: () => new InProcessWorker(createKernel(nodeKernelDeps())),
});
afterAll(() => runtime.dispose());

function notebookOf(...sources: string[]) {
  return newNotebook(sources.map((source) => newCell('code', source)));
}

async function settle(session: NotebookSession): Promise<void> {
  await expect.poll(() => session.busy, { timeout: 180_000 }).toBe(false);
}

const code = (session: NotebookSession, index: number) => session.cells[index] as CodeCell;

describe('NotebookSession on a real runtime', () => {
  test('run all: cells run in order, counts increase, state is shared', async () => {
    const session = new NotebookSession(notebookOf('x = 20', 'x + 1', 'print("x is", x)'), runtime);
    const states: string[] = [];
    session.addEventListener('change', () => states.push(session.cells.map((c) => session.runState(c.id)?.[0] ?? '-').join('')));
    session.runAll();
    expect(session.runState(session.cells[2]!.id)).toBe('queued');
    await settle(session);
    expect(code(session, 1).outputs).toEqual([
      { output_type: 'execute_result', execution_count: code(session, 1).execution_count, data: { 'text/plain': '21' }, metadata: {} },
    ]);
    expect(code(session, 2).outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'x is 20\n' }]);
    const counts = session.cells.map((c) => (c as CodeCell).execution_count!);
    expect(counts[1]).toBe(counts[0]! + 1);
    expect(counts[2]).toBe(counts[1]! + 1);
    // The queue was visible: at some point the first ran while the others waited.
    expect(states).toContain('rqq');
  }, 240_000);

  test('an error stops the cells queued behind it (Jupyter run-all semantics)', async () => {
    const session = new NotebookSession(notebookOf('1/0', 'after = True'), runtime);
    session.runAll();
    await settle(session);
    expect(code(session, 0).outputs[0]).toMatchObject({ output_type: 'error', ename: 'ZeroDivisionError' });
    expect(code(session, 1).execution_count).toBeNull();
    expect(code(session, 1).outputs).toEqual([]);
  }, 240_000);

  test('running clears old outputs first; Markdown cells in a run are skipped', async () => {
    const nb = notebookOf('print("one")');
    nb.cells.unshift(newCell('markdown', '# Title'));
    const session = new NotebookSession(nb, runtime);
    session.runAll();
    await settle(session);
    session.setSource(session.cells[1]!.id, 'print("two")');
    session.run([session.cells[1]!.id]);
    await settle(session);
    expect(code(session, 1).outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'two\n' }]);
    expect(session.cells[0]).toMatchObject({ cell_type: 'markdown', source: '# Title' });
  }, 240_000);

  test('run above / run below', async () => {
    const session = new NotebookSession(notebookOf('a = 1', 'b = a + 1', 'b * 10'), runtime);
    session.runAbove(session.cells[2]!.id);
    await settle(session);
    expect(code(session, 2).execution_count).toBeNull();
    expect(code(session, 1).execution_count).not.toBeNull();
    session.runBelow(session.cells[2]!.id);
    await settle(session);
    expect(code(session, 2).outputs[0]).toMatchObject({ data: { 'text/plain': '20' } });
  }, 240_000);
  test("%load replaces the cell's text; set_next_input without replace adds a code cell below (JupyterLab's handling of the payload)", async () => {
    const session = new NotebookSession(
      notebookOf(
        '%%writefile session_snip.py\nprint("from the file")',
        '%load session_snip.py',
        'get_ipython().set_next_input("below = 1")',
        'after = 2',
      ),
      runtime,
    );
    const [, load, ask, after] = session.cells.map((c) => c.id);
    session.runAll();
    await settle(session);
    expect(session.cells.map((c) => c.source)).toEqual([
      '%%writefile session_snip.py\nprint("from the file")',
      '# %load session_snip.py\nprint("from the file")\n',
      'get_ipython().set_next_input("below = 1")',
      'below = 1',
      'after = 2',
    ]);
    expect(session.cells.map((c) => c.id)).toEqual([session.cells[0]!.id, load, ask, session.cells[3]!.id, after]);
    // %load does not run the code; the inserted cell is not run either; the queue went on.
    expect(code(session, 1).outputs).toEqual([]);
    expect(code(session, 1).execution_count).not.toBeNull();
    expect(code(session, 3)).toMatchObject({ cell_type: 'code', execution_count: null });
    expect(code(session, 4).execution_count).not.toBeNull();
    // Run again, the loaded code runs.
    session.run([load!]);
    await settle(session);
    expect(code(session, 1).outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'from the file\n' }]);
  }, 240_000);
});

describe('NotebookSession edits', () => {
  test('insert, move, retype, delete, undo delete; cells are replaced, not mutated', () => {
    const session = new NotebookSession(notebookOf('a', 'b'), runtime);
    const before = session.cells[0]!;
    const changes: ChangeDetail[] = [];
    session.addEventListener('change', (e) => changes.push((e as CustomEvent<ChangeDetail>).detail));
    const added = session.insert(1, 'markdown', '*hi*');
    expect(session.cells.map((c) => c.source)).toEqual(['a', '*hi*', 'b']);
    session.moveCells([added.id], 1);
    expect(session.cells.map((c) => c.source)).toEqual(['a', 'b', '*hi*']);
    session.setType(added.id, 'code');
    expect(session.cell(added.id)).toMatchObject({ cell_type: 'code', outputs: [], execution_count: null, source: '*hi*' });
    session.setSource(before.id, 'a2');
    expect(before.source).toBe('a'); // the old object is untouched
    expect(session.cells[0]!.source).toBe('a2');
    session.delete([added.id]);
    expect(session.cells.map((c) => c.source)).toEqual(['a2', 'b']);
    expect(session.undo()?.map((id) => session.cell(id)?.source)).toEqual(['*hi*']);
    expect(session.cells.map((c) => c.source)).toEqual(['a2', 'b', '*hi*']);
    session.delete(session.cells.map((c) => c.id));
    expect(session.cells).toHaveLength(1); // a notebook keeps one cell
    expect(changes.every((c) => c.persist)).toBe(true);
    const ids = new Set(session.cells.map((c) => c.id));
    expect(ids.size).toBe(session.cells.length);
  });

  test('pasted copies get fresh ids and keep outputs', () => {
    const nb = notebookOf('x');
    (nb.cells[0] as CodeCell).outputs = [{ output_type: 'stream', name: 'stdout', text: 'hi\n' }];
    const session = new NotebookSession(nb, runtime);
    const [copy] = session.insertCopies(1, [session.cells[0]!]);
    expect(copy!.id).not.toBe(session.cells[0]!.id);
    expect(copy).toMatchObject({ source: 'x', outputs: [{ text: 'hi\n' }] });
  });
});

/** A runtime that dies on `crash()` cells, like a worker killed by the browser. */
class DyingRuntime extends EventTarget implements SessionRuntime {
  status: RuntimeStatus = 'idle';
  reason: string | undefined;
  restarts = 0;
  count = 0;
  async execute(source: string, _options?: ExecuteOptions): Promise<ExecuteReply> {
    if (this.status === 'dead') throw new Error('the Python runtime died: earlier. Restart it to continue.');
    if (source === 'crash()') {
      this.status = 'dead';
      this.reason = 'out of memory';
      throw new Error('the Python runtime died: out of memory. Restart it to continue.');
    }
    this.count++;
    return { status: 'ok', executionCount: this.count, outputs: [] };
  }
  async interrupt() {
    return 'idle' as const;
  }
  async restart() {
    this.restarts++;
    this.status = 'idle';
    this.count = 0;
  }
}

describe('NotebookSession when the runtime dies', () => {
  test('the failing cell says so (an error output that is saved), the queue stops, the next run restarts', async () => {
    const dying = new DyingRuntime();
    const session = new NotebookSession(notebookOf('ok = 1', 'crash()', 'never()'), dying);
    session.runAll();
    await settle(session);
    expect(code(session, 1).outputs).toEqual([
      expect.objectContaining({ output_type: 'error', ename: 'RuntimeDied', evalue: expect.stringContaining('out of memory') }),
    ]);
    expect(code(session, 2).execution_count).toBeNull();
    expect(code(session, 0).execution_count).toBe(1);
    session.run([session.cells[2]!.id]);
    await settle(session);
    expect(dying.restarts).toBe(1);
    expect(code(session, 2).execution_count).toBe(1);
  });
});
