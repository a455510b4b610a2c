// A notebook bound to a runtime: cell edits (add, delete, move, merge, split, retype) with undo of
// the structural ones, and running cells in order with Jupyter's rules (outputs cleared at start,
// stop the queue on error, counts).
// Cells are replaced, never mutated, so elements can tell what changed by identity.
import type { Output, OutputEvent } from '../protocol';
import type { ExecuteOptions, ExecuteReply, InputRequest, RuntimeStatus } from '../runtime/runtime';
import { mergeCells, moveBy, moveTo, splitCell } from './edits';
import { convertCell, newCell, type Cell, type CellType, type CodeCell, type JsonObject, type Notebook } from './model';
import { errorMessage } from '../shared/errors';
import { nextInput, runtimeFailure } from './run-reply';

/** The part of a Runtime a session uses. */
export interface SessionRuntime extends EventTarget {
  readonly status: RuntimeStatus;
  readonly reason: string | undefined;
  execute(code: string, options?: ExecuteOptions): Promise<ExecuteReply>;
  interrupt(): Promise<'interrupted' | 'restarted' | 'idle'>;
  restart(reason?: string): Promise<unknown>;
}

export type CellRunState = 'queued' | 'running';

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
  /** Cells waiting or running, in run order. */
  #queue: string[] = [];
  #states = new Map<string, CellRunState>();
  #running: string | undefined;
  #pumping = false;
  /** Undo (Z) of cell operations: each entry puts the cells back and returns the ids to select. */
  #undo: (() => string[])[] = [];
  /** Asks the user for a line when Python calls input() in cell `cellId`. */
  onInput: ((cellId: string, request: InputRequest) => Promise<string | undefined>) | undefined;

  constructor(notebook: Notebook, runtime: SessionRuntime) {
    super();
    this.#notebook = notebook;
    this.runtime = runtime;
  }

  get notebook(): Notebook {
    return this.#notebook;
  }
  get cells(): readonly Cell[] {
    return this.#notebook.cells;
  }
  runState(id: string): CellRunState | undefined {
    return this.#states.get(id);
  }
  index(id: string): number {
    return this.#notebook.cells.findIndex((c) => c.id === id);
  }
  cell(id: string): Cell | undefined {
    return this.#notebook.cells.find((c) => c.id === id);
  }

  /** Show another notebook (a file opened, a reload from another tab). Runs in progress are dropped. */
  replace(notebook: Notebook): void {
    this.#clearQueue();
    this.#undo = [];
    this.#notebook = notebook;
    this.#emit({ structure: true, cells: [], persist: false });
  }

  // ---- edits ----
  insert(index: number, type: CellType = 'code', source = ''): Cell {
    const cell = newCell(type, source, this.#ids());
    const cells = [...this.cells];
    cells.splice(Math.max(0, Math.min(index, cells.length)), 0, cell);
    this.#setCells(cells);
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
    this.#dequeue(id);
    const cells = this.cells.map((c) => (c.id === id ? convertCell(c, type) : c));
    this.#setCells(cells);
  }

  /** Delete cells; a notebook always keeps one cell, like JupyterLab. One undo brings all back. */
  delete(ids: string[]): void {
    const doomed = new Set(ids);
    const removed: { index: number; cell: Cell }[] = [];
    const kept: Cell[] = [];
    this.cells.forEach((cell, index) => {
      if (doomed.has(cell.id)) {
        this.#dequeue(cell.id);
        removed.push({ index, cell });
      } else {
        kept.push(cell);
      }
    });
    if (removed.length === 0) return;
    const placeholder = kept.length === 0 ? newCell('code', '', this.#ids()) : undefined;
    if (placeholder) kept.push(placeholder);
    this.#setCells(kept);
    this.#undo.push(() => this.#reinsert(removed, placeholder));
  }

  /**
   * Undo the last cell operation (delete, merge, split, move). Returns the ids of the cells it
   * brought back or moved (to select), or undefined when there is nothing to undo.
   */
  undo(): string[] | undefined {
    return this.#undo.pop()?.();
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
    const result = mergeCells(this.cells, ids);
    if (!result) return undefined;
    for (const cell of result.originals) this.#dequeue(cell.id);
    this.#setCells([...result.cells]);
    this.#undo.push(() => this.#swap([result.merged.id], result.originals, result.index));
    return result.merged;
  }

  /** Split a cell at UTF-16 offsets into its source. Returns the parts, or [] when nothing split. */
  split(id: string, offsets: readonly number[]): Cell[] {
    const result = splitCell(this.cells, id, offsets, this.#ids());
    if (!result) return [];
    this.#dequeue(id);
    this.#setCells([...result.cells]);
    this.#undo.push(() => this.#swap(result.parts.map((c) => c.id), [result.original], result.index));
    return result.parts;
  }

  /** Merge into a cell's metadata (`patch` keys replace; undefined values remove). */
  setMetadata(id: string, key: string, patch: JsonObject): void {
    const cell = this.cell(id);
    if (!cell) return;
    const current = cell.metadata[key];
    const base: JsonObject = current && typeof current === 'object' && !Array.isArray(current) ? { ...(current as JsonObject) } : {};
    for (const [name, value] of Object.entries(patch)) {
      if (value === undefined) delete base[name];
      else base[name] = value;
    }
    const metadata = { ...cell.metadata };
    if (Object.keys(base).length) metadata[key] = base;
    else delete metadata[key];
    this.#replaceCell({ ...cell, metadata });
  }

  #rearrange(cells: readonly Cell[], ids: string[]): void {
    if (cells === this.cells) return;
    const order = new Map(this.cells.map((c, i) => [c.id, i]));
    this.#setCells([...cells]);
    this.#undo.push(() => {
      // Back to the old order; cells added since keep their places.
      const known = this.cells.filter((c) => order.has(c.id)).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      let k = 0;
      this.#setCells(this.cells.map((c) => (order.has(c.id) ? known[k++]! : c)));
      return ids;
    });
  }

  /** Replace the cells `ids` (wherever they are now) by `cells`, at `index` if they are gone. */
  #swap(ids: string[], cells: Cell[], index: number): string[] {
    const gone = new Set(ids);
    const at = this.cells.findIndex((c) => gone.has(c.id));
    const kept = this.cells.filter((c) => !gone.has(c.id));
    const taken = new Set(kept.map((c) => c.id));
    const back = cells.map((cell) => (taken.has(cell.id) ? { ...cell, id: newCell('raw', '', taken).id } : cell));
    for (const id of ids) this.#dequeue(id);
    kept.splice(at >= 0 ? at : Math.min(index, kept.length), 0, ...back);
    this.#setCells(kept);
    return back.map((c) => c.id);
  }

  #reinsert(removed: { index: number; cell: Cell }[], placeholder: Cell | undefined): string[] {
    // The empty cell a delete-everything left behind goes, unless it was used since.
    const cells = this.cells.filter((c) => c !== placeholder);
    const taken = new Set(cells.map((c) => c.id));
    const back = removed.map(({ index, cell }) => {
      const restored = taken.has(cell.id) ? { ...cell, id: newCell('raw', '', taken).id } : cell;
      cells.splice(Math.min(index, cells.length), 0, restored);
      return restored.id;
    });
    this.#setCells(cells);
    return back;
  }

  clearOutputs(ids: string[] = this.cells.map((c) => c.id)): void {
    const changed: string[] = [];
    const cells = this.cells.map((cell) => {
      if (cell.cell_type !== 'code' || !ids.includes(cell.id) || this.#states.has(cell.id)) return cell;
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
    for (const id of ids) {
      const cell = this.cell(id);
      if (cell?.cell_type !== 'code' || this.#states.has(id)) continue;
      this.#queue.push(id);
      this.#states.set(id, 'queued');
    }
    this.#emit({ structure: false, cells: ids, persist: false });
    void this.#pump();
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
    this.#dropQueued();
    return this.runtime.interrupt();
  }

  async restart(): Promise<void> {
    this.#clearQueue();
    await this.runtime.restart('runtime restarted: variables were lost');
  }

  async restartAndRunAll(): Promise<void> {
    await this.restart();
    this.runAll();
  }

  get busy(): boolean {
    return this.#running !== undefined || this.#queue.length > 0;
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (let id = this.#queue.shift(); id !== undefined; id = this.#queue.shift()) {
        const cell = this.cell(id);
        if (cell?.cell_type !== 'code') {
          this.#states.delete(id);
          continue;
        }
        const ok = await this.#runOne(cell);
        if (!ok) this.#dropQueued();
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Runs one cell; false when the queue behind it should stop. */
  async #runOne(cell: CodeCell): Promise<boolean> {
    const id = cell.id;
    this.#running = id;
    this.#states.set(id, 'running');
    this.#patchCode(id, { outputs: [], execution_count: null });
    if (this.runtime.status === 'dead') {
      // A crashed runtime is replaced by a fresh one on the next run.
      await this.runtime.restart('runtime restarted after it stopped: variables were lost').catch(() => undefined);
    }
    let reply: ExecuteReply | undefined;
    let failure: string | undefined;
    try {
      reply = await this.runtime.execute(cell.source, {
        onOutput: (_event: OutputEvent, outputs: readonly Output[]) => {
          if (this.#running === id) this.#patchCode(id, { outputs: [...outputs] }, false);
        },
        onInput: (request) => this.onInput?.(id, request),
      });
    } catch (error) {
      failure = errorMessage(error);
    }
    if (this.#running !== id) return false; // dropped by replace()
    this.#running = undefined;
    this.#states.delete(id);
    if (reply?.status === 'aborted') {
      // Stopped by restarting the runtime (an interrupt that did not take): say what was lost.
      const notice: Output = { output_type: 'stream', name: 'stderr', text: `${this.runtime.reason ?? 'runtime restarted'}\n` };
      this.#patchCode(id, { outputs: [...reply.outputs, notice], execution_count: null });
      return false;
    }
    if (reply) {
      this.#patchCode(id, { outputs: [...reply.outputs], execution_count: reply.executionCount });
      // IPython's set_next_input (%load): the cell's new text, or a new cell below it, as JupyterLab does.
      const next = nextInput(reply.payload);
      if (next?.replace) this.setSource(id, next.text);
      else if (next) this.insert(this.index(id) + 1, 'code', next.text);
      return reply.status === 'ok';
    }
    const current = this.cell(id);
    const previous = current?.cell_type === 'code' ? current.outputs : [];
    this.#patchCode(id, { outputs: [...previous, runtimeFailure(failure ?? 'unknown error')] });
    return false;
  }

  #patchCode(id: string, patch: Partial<Pick<CodeCell, 'outputs' | 'execution_count'>>, persist = true): void {
    const cell = this.cell(id);
    if (cell?.cell_type !== 'code') return;
    this.#replaceCell({ ...cell, ...patch }, persist);
  }

  #dropQueued(): void {
    const dropped = this.#queue.splice(0);
    for (const id of dropped) this.#states.delete(id);
    if (dropped.length) this.#emit({ structure: false, cells: dropped, persist: false });
  }

  #clearQueue(): void {
    this.#dropQueued();
    const running = this.#running;
    if (running) {
      this.#running = undefined;
      this.#states.delete(running);
      this.#emit({ structure: false, cells: [running], persist: false });
    }
  }

  #dequeue(id: string): void {
    const at = this.#queue.indexOf(id);
    if (at >= 0) this.#queue.splice(at, 1);
    if (this.#running !== id) this.#states.delete(id);
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
