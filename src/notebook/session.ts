// A notebook bound to a runtime: cell edits with undo/redo of the structural ones (history.ts), and
// running cells through its run queue (run-queue.ts, Jupyter's rules). Cells are replaced, never
// mutated, so elements can tell what changed by identity.
import type { InputRequest } from '../runtime/runtime';
import { mergeCells, moveBy, moveTo, splitCell } from './edits';
import { CellHistory, NOTHING, orderOf, reinsertCells, removeCells, reorderCells, swapCells, type Step, type StepResult } from './history';
import { convertCell, newCell, patchMetadata, type Cell, type CellType, type CodeCell, type JsonObject, type Notebook } from './model';
import { RunQueue, type CellRunState, type SessionRuntime } from './run-queue';

export type { CellRunState, SessionRuntime } from './run-queue';

export interface ChangeDetail {
  /** The cell list itself changed (insert, delete, move, retype, load). */
  structure: boolean;
  /** Cells whose content, outputs or run state changed. */
  cells: string[];
  /** Whether the change is worth saving (run states are not). */
  persist: boolean;
}

/** Events: `change` (CustomEvent<ChangeDetail>). */
export class NotebookSession extends EventTarget {
  #notebook: Notebook;
  readonly runtime: SessionRuntime;
  readonly #runs: RunQueue;
  /** Undo (Z) and redo (Shift+Z) of cell operations. */
  readonly #history = new CellHistory();
  /** Asks the user for a line when Python calls input() in cell `cellId`. */
  onInput: ((cellId: string, request: InputRequest) => Promise<string | undefined>) | undefined;

  constructor(notebook: Notebook, runtime: SessionRuntime) {
    super();
    this.#notebook = notebook;
    this.runtime = runtime;
    this.#runs = new RunQueue({
      runtime,
      cell: (id) => this.cell(id),
      patchCode: (id, patch, persist) => this.#patchCode(id, patch, persist),
      setNextInput: (id, text, replace) => {
        // As JupyterLab does: %load replaces the cell's text; other requests add a cell below it.
        if (replace) this.setSource(id, text);
        else this.insert(this.index(id) + 1, 'code', text);
      },
      runStatesChanged: (cells) => this.#emit({ structure: false, cells, persist: false }),
      input: (id, request) => this.onInput?.(id, request),
    });
  }

  get notebook(): Notebook {
    return this.#notebook;
  }
  get cells(): readonly Cell[] {
    return this.#notebook.cells;
  }
  runState(id: string): CellRunState | undefined {
    return this.#runs.state(id);
  }
  index(id: string): number {
    return this.#notebook.cells.findIndex((c) => c.id === id);
  }
  cell(id: string): Cell | undefined {
    return this.#notebook.cells.find((c) => c.id === id);
  }

  /** Show another notebook (a file opened, a reload from another tab). Runs in progress are dropped. */
  replace(notebook: Notebook): void {
    this.#runs.clear();
    this.#history.clear();
    this.#notebook = notebook;
    this.#emit({ structure: true, cells: [], persist: false });
  }

  // ---- edits ----
  insert(index: number, type: CellType = 'code', source = ''): Cell {
    const cell = newCell(type, source, this.#ids());
    const cells = [...this.cells];
    cells.splice(Math.max(0, Math.min(index, cells.length)), 0, cell);
    this.#setCells(cells);
    this.#history.record(this.#deleting([cell.id]));
    return cell;
  }

  /** Insert copies of cells (outputs included, as JupyterLab pastes them) with fresh ids. */
  insertCopies(index: number, copies: readonly Cell[]): Cell[] {
    const taken = this.#ids();
    const fresh = copies.map((copy) => {
      const cell: Cell = { ...structuredClone(copy), id: newCell('raw', '', taken).id };
      taken.add(cell.id);
      return cell;
    });
    const cells = [...this.cells];
    cells.splice(Math.max(0, Math.min(index, cells.length)), 0, ...fresh);
    this.#setCells(cells);
    this.#history.record(this.#deleting(fresh.map((c) => c.id)));
    return fresh;
  }

  setSource(id: string, source: string): void {
    const cell = this.cell(id);
    if (!cell || cell.source === source) return;
    this.#replaceCell({ ...cell, source });
  }

  setType(id: string, type: CellType): void {
    const cell = this.cell(id);
    if (!cell || cell.cell_type === type) return;
    this.#runs.remove(id);
    this.#setCells(this.cells.map((c) => (c.id === id ? convertCell(c, type) : c)));
  }

  /** Delete cells; a notebook always keeps one cell, like JupyterLab. One undo brings all back. */
  delete(ids: string[]): void {
    const restore = this.#remove(ids);
    if (restore) this.#history.record(restore);
  }

  /** Undo the last cell operation (insert, paste, delete, merge, split, move): ids to select, or undefined if none. */
  undo(): string[] | undefined {
    return this.#history.undo();
  }

  /** Redo the last undone cell operation: ids to select, or undefined if none. */
  redo(): string[] | undefined {
    return this.#history.redo();
  }

  /** Move cells up (-1) or down (+1) by one place, together. */
  moveCells(ids: string[], delta: -1 | 1): void {
    this.#rearrange(moveBy(this.cells, ids, delta), ids);
  }

  /** Move cells (gathered, in notebook order) so the first lands at `index` of the list without them. */
  moveCellsTo(ids: string[], index: number): void {
    this.#rearrange(moveTo(this.cells, ids, index), ids);
  }

  /** Merge cells into the first (sources joined by a blank line). Returns the merged cell. */
  merge(ids: string[]): Cell | undefined {
    const done = this.#mergeNow(ids);
    if (done) this.#history.record(done.undo);
    return done?.merged;
  }

  /** Split a cell at UTF-16 offsets into its source. Returns the parts, or [] when nothing split. */
  split(id: string, offsets: readonly number[]): Cell[] {
    const done = this.#splitNow(id, offsets);
    if (done) this.#history.record(done.undo);
    return done?.parts ?? [];
  }

  /** Merge into a cell's metadata (`patch` keys replace; undefined values remove). */
  setMetadata(id: string, key: string, patch: JsonObject): void {
    const cell = this.cell(id);
    if (!cell) return;
    this.#replaceCell({ ...cell, metadata: patchMetadata(cell.metadata, key, patch) });
  }

  #rearrange(cells: readonly Cell[], ids: string[]): void {
    if (cells === this.cells) return;
    const before = orderOf(this.cells);
    this.#setCells([...cells]);
    this.#history.record(this.#reordering(before, ids));
  }

  /** A step putting cells back in `order` (cells added since keep their places); its inverse moves them again. */
  #reordering(order: ReadonlyMap<string, number>, ids: string[]): Step {
    return () => {
      const now = orderOf(this.cells);
      this.#setCells(reorderCells(this.cells, order));
      return { ids, inverse: this.#reordering(now, ids) };
    };
  }

  /** Remove cells now; returns the step that brings them back (its inverse removes them again). */
  #remove(ids: readonly string[]): Step | undefined {
    const removal = removeCells(this.cells, ids);
    if (!removal) return undefined;
    for (const { cell } of removal.removed) this.#runs.remove(cell.id);
    this.#setCells(removal.cells);
    return () => {
      const { cells, back } = reinsertCells(this.cells, removal);
      this.#setCells(cells);
      return { ids: back, inverse: this.#deleting(back) };
    };
  }

  /** A step removing `ids` (an insert's undo, a delete's redo); the cell now in their place is selected. */
  #deleting(ids: readonly string[]): Step {
    return () => {
      const at = this.cells.findIndex((c) => ids.includes(c.id));
      const restore = this.#remove(ids);
      const near = this.cells[Math.min(Math.max(at, 0), this.cells.length - 1)];
      return { ids: near ? [near.id] : [], inverse: restore ?? NOTHING };
    };
  }

  #mergeNow(ids: readonly string[]): { merged: Cell; undo: Step } | undefined {
    const result = mergeCells(this.cells, ids);
    if (!result) return undefined;
    for (const cell of result.originals) this.#runs.remove(cell.id);
    this.#setCells([...result.cells]);
    const undo: Step = () => {
      const back = this.#swap([result.merged.id], result.originals, result.index);
      return { ids: back, inverse: () => this.#redone(this.#mergeNow(back), (done) => [done.merged.id]) };
    };
    return { merged: result.merged, undo };
  }

  #splitNow(id: string, offsets: readonly number[], reuse?: readonly string[]): { parts: Cell[]; undo: Step } | undefined {
    const result = splitCell(this.cells, id, offsets, this.#ids(), reuse);
    if (!result) return undefined;
    this.#runs.remove(id);
    this.#setCells([...result.cells]);
    const undo: Step = () => {
      const back = this.#swap(
        result.parts.map((c) => c.id),
        [result.original],
        result.index,
      );
      return {
        ids: back,
        inverse: () =>
          this.#redone(
            back[0] === undefined
              ? undefined
              : this.#splitNow(
                  back[0],
                  offsets,
                  result.parts.map((c) => c.id),
                ),
            (done) => done.parts.map((c) => c.id),
          ),
      };
    };
    return { parts: result.parts, undo };
  }

  /** A redo's result: what it selects and its own undo, or nothing when its cells are gone. */
  #redone<T extends { undo: Step }>(done: T | undefined, select: (done: T) => string[]): StepResult {
    return done ? { ids: select(done), inverse: done.undo } : { ids: [], inverse: NOTHING };
  }

  #swap(ids: string[], cells: Cell[], index: number): string[] {
    for (const id of ids) this.#runs.remove(id);
    const next = swapCells(this.cells, ids, cells, index);
    this.#setCells(next.cells);
    return next.back;
  }

  clearOutputs(ids: string[] = this.cells.map((c) => c.id)): void {
    const changed: string[] = [];
    const cells = this.cells.map((cell) => {
      if (cell.cell_type !== 'code' || !ids.includes(cell.id) || this.#runs.state(cell.id)) return cell;
      if (cell.outputs.length === 0 && cell.execution_count === null) return cell;
      changed.push(cell.id);
      return { ...cell, outputs: [], execution_count: null };
    });
    this.#notebook = { ...this.#notebook, cells };
    this.#emit({ structure: false, cells: changed, persist: true });
  }

  // ---- running ----
  /** Queue code cells to run in the given order (others are ignored). */
  run(ids: string[]): void {
    this.#runs.enqueue(ids);
  }
  runAll(): void {
    this.run(this.cells.map((c) => c.id));
  }
  /** Cells above `id`, not including it. */
  runAbove(id: string): void {
    this.run(this.cells.slice(0, Math.max(0, this.index(id))).map((c) => c.id));
  }
  /** `id` and every cell below it. */
  runBelow(id: string): void {
    const index = this.index(id);
    if (index >= 0) this.run(this.cells.slice(index).map((c) => c.id));
  }

  /** Stop the running cell; queued cells are dropped (as Jupyter does after an error). */
  async interrupt(): Promise<'interrupted' | 'restarted' | 'idle'> {
    this.#runs.dropQueued();
    return this.runtime.interrupt();
  }

  async restart(): Promise<void> {
    this.#runs.clear();
    await this.runtime.restart('runtime restarted: variables were lost');
  }

  async restartAndRunAll(): Promise<void> {
    await this.restart();
    this.runAll();
  }

  get busy(): boolean {
    return this.#runs.busy;
  }

  #patchCode(id: string, patch: Partial<Pick<CodeCell, 'outputs' | 'execution_count'>>, persist = true): void {
    const cell = this.cell(id);
    if (cell?.cell_type !== 'code') return;
    this.#replaceCell({ ...cell, ...patch }, persist);
  }

  #ids(): Set<string> {
    return new Set(this.cells.map((c) => c.id));
  }

  #replaceCell(cell: Cell, persist = true): void {
    const cells = this.cells.map((c) => (c.id === cell.id ? cell : c));
    this.#notebook = { ...this.#notebook, cells };
    this.#emit({ structure: false, cells: [cell.id], persist });
  }

  #setCells(cells: Cell[]): void {
    this.#notebook = { ...this.#notebook, cells };
    this.#emit({ structure: true, cells: [], persist: true });
  }

  #emit(detail: ChangeDetail): void {
    this.dispatchEvent(new CustomEvent<ChangeDetail>('change', { detail }));
  }
}
