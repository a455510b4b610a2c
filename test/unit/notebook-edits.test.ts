// Multi-cell edits: block moves, merge and split at cursors (pure, src/notebook/edits.ts), and the
// session's undo and redo of each (insert, paste, delete of several cells, merge, split, move) —
// what Z and Shift+Z do in the page.
import { describe, expect, test } from 'vitest';
import { mergeCells, moveBy, moveTo, splitCell } from '../../src/notebook/edits';
import { CellHistory, orderOf, reinsertCells, removeCells, reorderCells, swapCells, type Step } from '../../src/notebook/history';
import { newCell, newNotebook, type Cell, type CodeCell } from '../../src/notebook/model';
import { NotebookSession, type SessionRuntime } from '../../src/notebook/session';

function cells(...sources: string[]): Cell[] {
  return sources.map((source, i) => ({ ...newCell('code', source), id: `c${i}` }));
}
const sources = (list: readonly Cell[]) => list.map((c) => c.source);

/** Edits never reach the runtime; running would be a bug in these tests. */
const idleRuntime: SessionRuntime = Object.assign(new EventTarget(), {
  status: 'idle' as const,
  reason: undefined,
  execute: () => Promise.reject(new Error('edits must not run code')),
  interrupt: () => Promise.resolve('idle' as const),
  restart: () => Promise.resolve(undefined),
});

describe('moveTo / moveBy', () => {
  const list = cells('a', 'b', 'c', 'd', 'e');
  test('a block lands at an index of the list without it', () => {
    expect(sources(moveTo(list, ['c1', 'c2'], 0))).toEqual(['b', 'c', 'a', 'd', 'e']);
    expect(sources(moveTo(list, ['c1', 'c2'], 3))).toEqual(['a', 'd', 'e', 'b', 'c']);
    expect(sources(moveTo(list, ['c0', 'c4'], 1))).toEqual(['b', 'a', 'e', 'c', 'd']);
  });
  test('no move returns the same list', () => {
    expect(moveTo(list, ['c1', 'c2'], 1)).toBe(list);
    expect(moveTo(list, ['nope'], 0)).toBe(list);
  });
  test('by one place, stopping at the edges', () => {
    expect(sources(moveBy(list, ['c1', 'c2'], -1))).toEqual(['b', 'c', 'a', 'd', 'e']);
    expect(sources(moveBy(list, ['c1', 'c2'], 1))).toEqual(['a', 'd', 'b', 'c', 'e']);
    expect(moveBy(list, ['c0', 'c1'], -1)).toBe(list);
    expect(moveBy(list, ['c4'], 1)).toBe(list);
  });
});

describe('mergeCells', () => {
  test('sources joined by a blank line into the first cell; code loses its outputs', () => {
    const list = cells('x = 1', 'y = 2', 'z');
    (list[0] as CodeCell).outputs = [{ output_type: 'stream', name: 'stdout', text: 'old\n' }];
    (list[0] as CodeCell).execution_count = 4;
    const result = mergeCells(list, ['c1', 'c0'])!;
    expect(sources(result.cells)).toEqual(['x = 1\n\ny = 2', 'z']);
    expect(result.merged).toMatchObject({ id: 'c0', outputs: [], execution_count: null });
    expect(result.originals.map((c) => c.id)).toEqual(['c0', 'c1']);
    expect(list[0]!.source).toBe('x = 1'); // not mutated
  });
  test('Markdown attachments are combined; one cell is not a merge', () => {
    const a: Cell = {
      id: 'm0',
      cell_type: 'markdown',
      source: '![a](attachment:a.png)',
      metadata: {},
      attachments: { 'a.png': { 'image/png': 'AA' } },
    };
    const b: Cell = {
      id: 'm1',
      cell_type: 'markdown',
      source: '![b](attachment:b.png)',
      metadata: {},
      attachments: { 'b.png': { 'image/png': 'BB' } },
    };
    const merged = mergeCells([a, b], ['m0', 'm1'])!.merged;
    expect(merged.cell_type === 'markdown' && Object.keys(merged.attachments ?? {})).toEqual(['a.png', 'b.png']);
    expect(mergeCells([a, b], ['m0'])).toBeUndefined();
  });
});

describe('splitCell', () => {
  test('at a cursor: two cells, edge newlines trimmed, outputs stay with the last part', () => {
    const list = cells('import math\n\nmath.pi');
    (list[0] as CodeCell).outputs = [{ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '3.14' }, metadata: {} }];
    const result = splitCell(list, 'c0', [12], new Set(['c0']))!;
    expect(sources(result.cells)).toEqual(['import math', 'math.pi']);
    expect(result.parts[0]).toMatchObject({ id: 'c0', outputs: [] });
    expect((result.parts[1] as CodeCell).outputs).toHaveLength(1);
    expect(result.parts[1]!.id).not.toBe('c0');
  });
  test('around a selection: three parts; cursors at the edges split nothing', () => {
    const list = cells('aaa bbb ccc');
    expect(sources(splitCell(list, 'c0', [4, 7], new Set())!.cells)).toEqual(['aaa ', 'bbb', ' ccc']);
    expect(splitCell(list, 'c0', [0], new Set())).toBeUndefined();
    expect(splitCell(list, 'c0', [11], new Set())).toBeUndefined();
  });
});

describe('history (pure)', () => {
  test('undo hands its inverse to redo and back; a new record drops the redo stack', () => {
    const log: string[] = [];
    const step =
      (name: string): Step =>
      () => {
        log.push(name);
        return { ids: [name], inverse: step(`${name}'`) };
      };
    const history = new CellHistory();
    history.record(step('a'));
    history.record(step('b'));
    expect(history.undo()).toEqual(['b']);
    expect(history.redo()).toEqual(["b'"]);
    expect(history.undo()).toEqual(["b''"]);
    history.record(step('c'));
    expect(history.redo()).toBeUndefined();
    expect([history.undo(), history.undo(), history.undo()]).toEqual([['c'], ['a'], undefined]);
    expect(log).toEqual(['b', "b'", "b''", 'c', 'a']);
  });

  test('remove and reinsert in place; a placeholder when nothing is left; taken ids renamed', () => {
    const list = cells('a', 'b', 'c');
    const removal = removeCells(list, ['c0', 'c2'])!;
    expect(sources(removal.cells)).toEqual(['b']);
    expect(removal.removed.map((r) => r.index)).toEqual([0, 2]);
    expect(sources(reinsertCells(removal.cells, removal).cells)).toEqual(['a', 'b', 'c']);
    expect(removeCells(list, ['nope'])).toBeUndefined();
    const all = removeCells(list, ['c0', 'c1', 'c2'])!;
    expect(all.placeholder && all.cells).toEqual([all.placeholder]);
    expect(sources(reinsertCells(all.cells, all).cells)).toEqual(['a', 'b', 'c']);
    const clash = reinsertCells([{ ...newCell('code', 'other'), id: 'c0' }], {
      removed: [{ index: 0, cell: list[0]! }],
      placeholder: undefined,
    });
    expect(clash.back[0]).not.toBe('c0');
    expect(sources(swapCells(list, ['c1'], [{ ...newCell('code', 'x'), id: 'c1' }], 0).cells)).toEqual(['a', 'x', 'c']);
  });

  test('reorder puts known cells back in their old order; cells added since keep their slots', () => {
    const list = cells('a', 'b', 'c');
    const order = orderOf(list);
    const moved = [list[2]!, { ...newCell('code', 'new'), id: 'n' }, list[0]!, list[1]!];
    expect(sources(reorderCells(moved, order))).toEqual(['a', 'new', 'b', 'c']);
  });
});

describe('session undo (Z)', () => {
  const open = (...src: string[]) => new NotebookSession(newNotebook(cells(...src)), idleRuntime);

  test('a multi-cell delete comes back in one undo, in place', () => {
    const session = open('a', 'b', 'c', 'd');
    session.delete(['c1', 'c2']);
    expect(sources(session.cells)).toEqual(['a', 'd']);
    expect(session.undo()).toEqual(['c1', 'c2']);
    expect(sources(session.cells)).toEqual(['a', 'b', 'c', 'd']);
    expect(session.undo()).toBeUndefined();
  });

  test('deleting every cell leaves one empty cell, which undo removes again', () => {
    const session = open('a', 'b');
    session.delete(['c0', 'c1']);
    expect(sources(session.cells)).toEqual(['']);
    session.undo();
    expect(sources(session.cells)).toEqual(['a', 'b']);
  });

  test('merge, then undo: the original cells with their outputs and ids', () => {
    const session = open('a', 'b', 'c');
    const merged = session.merge(['c0', 'c1'])!;
    expect(sources(session.cells)).toEqual(['a\n\nb', 'c']);
    expect(merged.id).toBe('c0');
    expect(session.undo()).toEqual(['c0', 'c1']);
    expect(sources(session.cells)).toEqual(['a', 'b', 'c']);
    expect(session.cells.map((c) => c.id)).toEqual(['c0', 'c1', 'c2']);
  });

  test('split, then undo: the original cell is back, later edits elsewhere are kept', () => {
    const session = open('one\ntwo', 'z');
    const parts = session.split('c0', [3]);
    expect(parts).toHaveLength(2);
    session.setSource('c1', 'z edited');
    expect(session.undo()).toEqual(['c0']);
    expect(sources(session.cells)).toEqual(['one\ntwo', 'z edited']);
  });

  test('a move is undone; a cell pasted after it (not undone) keeps its place', () => {
    const session = open('a', 'b', 'c');
    session.moveCells(['c0'], 1);
    expect(sources(session.cells)).toEqual(['b', 'a', 'c']);
    session.insert(3, 'code', 'new');
    expect(session.undo()).toEqual(['c2']); // the insert goes first; the cell now last is selected
    expect(sources(session.cells)).toEqual(['b', 'a', 'c']);
    expect(session.redo()).toHaveLength(1);
    session.insertCopies(0, [{ ...newCell('code', 'pasted'), id: 'x' }]);
    session.delete([session.cells.find((c) => c.source === 'pasted')!.id]);
    session.undo(); // the delete: the pasted cell is back at the top
    expect(sources(session.cells)).toEqual(['pasted', 'b', 'a', 'c', 'new']);
  });

  test('insert and paste are undone (Z) and redone (Shift+Z); a paste is one step however many cells', () => {
    const session = open('a', 'b');
    const added = session.insert(1, 'markdown', '*new*');
    expect(sources(session.cells)).toEqual(['a', '*new*', 'b']);
    expect(session.undo()).toEqual(['c1']);
    expect(sources(session.cells)).toEqual(['a', 'b']);
    expect(session.redo()).toEqual([added.id]);
    expect(session.cells[1]).toBe(added); // the same cell object, id and all
    const pasted = session.insertCopies(3, [session.cells[0]!, session.cells[2]!]);
    expect(sources(session.cells)).toEqual(['a', '*new*', 'b', 'a', 'b']);
    expect(new Set(session.cells.map((c) => c.id)).size).toBe(5);
    session.undo();
    expect(sources(session.cells)).toEqual(['a', '*new*', 'b']);
    expect(session.redo()).toEqual(pasted.map((c) => c.id));
    expect(sources(session.cells)).toEqual(['a', '*new*', 'b', 'a', 'b']);
  });

  test('every structural operation redoes after its undo, and undoes again after the redo', () => {
    const session = open('one\ntwo', 'b', 'c', 'd');
    const start = sources(session.cells);
    session.delete(['c2', 'c3']); // a cut is a copy then this delete
    session.merge(['c0', 'c1']);
    session.split('c0', [3]);
    session.moveCells([session.cells[1]!.id], -1);
    const end = sources(session.cells);
    expect(end).toEqual(['two\n\nb', 'one']);
    const states: string[][] = [];
    while (session.undo()) states.push(sources(session.cells));
    expect(states).toEqual([['one', 'two\n\nb'], ['one\ntwo\n\nb'], ['one\ntwo', 'b'], start]);
    const redone: string[][] = [];
    while (session.redo()) redone.push(sources(session.cells));
    expect(redone).toEqual([['one\ntwo', 'b'], ['one\ntwo\n\nb'], ['one', 'two\n\nb'], end]);
    session.undo();
    expect(sources(session.cells)).toEqual(['one', 'two\n\nb']);
  });

  test('a new operation after an undo drops the redo; replace() forgets both', () => {
    const session = open('a', 'b');
    session.delete(['c0']);
    session.undo();
    session.insert(0, 'code', 'x');
    expect(session.redo()).toBeUndefined();
    session.replace(newNotebook(cells('p')));
    expect(session.undo()).toBeUndefined();
  });

  test('undo of an insert whose cell is the last one left keeps one empty cell', () => {
    const session = open('a');
    session.insert(1, 'code', 'new');
    session.delete(['c0']);
    session.undo(); // delete
    session.undo(); // insert
    expect(sources(session.cells)).toEqual(['a']);
    session.delete(['c0']);
    expect(sources(session.cells)).toEqual(['']);
  });

  test('setMetadata merges and removes keys (collapsed input and outputs)', () => {
    const session = open('a');
    session.setMetadata('c0', 'jupyter', { source_hidden: true });
    session.setMetadata('c0', 'jupyter', { outputs_hidden: true });
    expect(session.cells[0]!.metadata).toEqual({ jupyter: { source_hidden: true, outputs_hidden: true } });
    session.setMetadata('c0', 'jupyter', { source_hidden: undefined, outputs_hidden: undefined });
    expect(session.cells[0]!.metadata).toEqual({});
  });
});
