// Undo and redo of cell operations (JupyterLab's Z / Shift+Z in command mode): each step undoes
// one operation and hands back the step that redoes it, so the two stacks mirror each other. Also
// the pure list edits the steps use to put cells back (cells are never mutated).
import { newCell, type Cell } from './model';

export interface StepResult {
  /** Cells to select afterwards (the ones brought back, moved or next to the ones removed). */
  ids: string[];
  /** The step that reverses this one (redo for an undo, undo for a redo). */
  inverse: Step;
}
/** Applies a change to the session's cells now. */
export type Step = () => StepResult;

/** A step that finds nothing left to do (its cells are gone). */
export const NOTHING: Step = () => ({ ids: [], inverse: NOTHING });

/** Steps kept for undo; older ones are dropped (each holds the cells it restores). */
const DEPTH = 200;

export class CellHistory {
  #undo: Step[] = [];
  #redo: Step[] = [];

  /** A new operation, given as the step that undoes it. What was undone before can no longer be redone. */
  record(undo: Step): void {
    this.#undo.push(undo);
    if (this.#undo.length > DEPTH) this.#undo.shift();
    this.#redo = [];
  }

  /** Undo the last operation: the ids to select, or undefined when there is nothing to undo. */
  undo(): string[] | undefined {
    return apply(this.#undo, this.#redo);
  }

  /** Redo the last undone operation: the ids to select, or undefined when there is nothing to redo. */
  redo(): string[] | undefined {
    return apply(this.#redo, this.#undo);
  }

  clear(): void {
    this.#undo = [];
    this.#redo = [];
  }
}

function apply(from: Step[], to: Step[]): string[] | undefined {
  const step = from.pop();
  if (!step) return undefined;
  const { ids, inverse } = step();
  to.push(inverse);
  return ids;
}

export interface Removal {
  cells: Cell[];
  /** The cells taken out, each with its index in the list before. */
  removed: { index: number; cell: Cell }[];
  /** The empty cell added when nothing was left (a notebook keeps one cell, like JupyterLab). */
  placeholder: Cell | undefined;
}

/** The list without `ids`; undefined when none of them is there. */
export function removeCells(cells: readonly Cell[], ids: Iterable<string>): Removal | undefined {
  const doomed = new Set(ids);
  const removed: { index: number; cell: Cell }[] = [];
  const kept: Cell[] = [];
  cells.forEach((cell, index) => {
    if (doomed.has(cell.id)) removed.push({ index, cell });
    else kept.push(cell);
  });
  if (removed.length === 0) return undefined;
  const placeholder = kept.length === 0 ? newCell('code', '', new Set(cells.map((c) => c.id))) : undefined;
  if (placeholder) kept.push(placeholder);
  return { cells: kept, removed, placeholder };
}

/**
 * Put removed cells back at their old indices. The placeholder a remove-everything left goes,
 * unless it was used since (it is then another cell). An id taken meanwhile gets a fresh one.
 */
export function reinsertCells(
  cells: readonly Cell[],
  removal: Pick<Removal, 'removed' | 'placeholder'>,
): { cells: Cell[]; back: string[] } {
  const next = cells.filter((c) => c !== removal.placeholder);
  const taken = new Set(next.map((c) => c.id));
  const back = removal.removed.map(({ index, cell }) => {
    const restored = taken.has(cell.id) ? { ...cell, id: newCell('raw', '', taken).id } : cell;
    taken.add(restored.id);
    next.splice(Math.min(index, next.length), 0, restored);
    return restored.id;
  });
  return { cells: next, back };
}

/** Replace the cells `ids` (wherever they are now) by `replacement`, at `index` if they are gone. */
export function swapCells(
  cells: readonly Cell[],
  ids: readonly string[],
  replacement: readonly Cell[],
  index: number,
): { cells: Cell[]; back: string[] } {
  const gone = new Set(ids);
  const at = cells.findIndex((c) => gone.has(c.id));
  const kept = cells.filter((c) => !gone.has(c.id));
  const taken = new Set(kept.map((c) => c.id));
  const back = replacement.map((cell) => {
    const restored = taken.has(cell.id) ? { ...cell, id: newCell('raw', '', taken).id } : cell;
    taken.add(restored.id);
    return restored;
  });
  kept.splice(at >= 0 ? at : Math.min(index, kept.length), 0, ...back);
  return { cells: kept, back: back.map((c) => c.id) };
}

/** Each cell's position, to restore an order later with `reorderCells`. */
export function orderOf(cells: readonly Cell[]): Map<string, number> {
  return new Map(cells.map((c, i) => [c.id, i]));
}

/** The cells known to `order` back in that order, in the slots they hold now; cells added since keep their places. */
export function reorderCells(cells: readonly Cell[], order: ReadonlyMap<string, number>): Cell[] {
  const known = cells.filter((c) => order.has(c.id)).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  let k = 0;
  return cells.map((c) => (order.has(c.id) ? known[k++]! : c));
}
