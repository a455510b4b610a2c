// Pure cell-list edits behind JupyterLab's multi-cell commands: move a block, merge, split at
// cursors. Each returns a new list (cells are never mutated) and leaves undo to the session.
import { newCell, type Cell } from './model';

/** Indices of `ids` in `cells`, ascending; ids not in the notebook are ignored. */
export function indicesOf(cells: readonly Cell[], ids: Iterable<string>): number[] {
  const wanted = new Set(ids);
  const found: number[] = [];
  cells.forEach((cell, index) => {
    if (wanted.has(cell.id)) found.push(index);
  });
  return found;
}

/**
 * Move the cells `ids` (kept in notebook order, gathered together) so the first of them lands at
 * `index` of the list without them (0 = top, length = bottom). Returns the new list, or the same
 * list when nothing moves.
 */
export function moveTo(cells: readonly Cell[], ids: Iterable<string>, index: number): readonly Cell[] {
  const moving = new Set(ids);
  const block = cells.filter((cell) => moving.has(cell.id));
  if (block.length === 0) return cells;
  const rest = cells.filter((cell) => !moving.has(cell.id));
  const at = Math.max(0, Math.min(index, rest.length));
  const next = [...rest.slice(0, at), ...block, ...rest.slice(at)];
  return next.every((cell, i) => cell === cells[i]) ? cells : next;
}

/**
 * Move the cells `ids` up (-1) or down (+1) by one place as a block, as JupyterLab's
 * Ctrl+Shift+Up/Down does with a selection. At the top or bottom nothing moves.
 */
export function moveBy(cells: readonly Cell[], ids: Iterable<string>, delta: -1 | 1): readonly Cell[] {
  const at = indicesOf(cells, ids);
  const first = at[0];
  if (first === undefined) return cells;
  const last = at[at.length - 1]!;
  if ((delta < 0 && first === 0) || (delta > 0 && last === cells.length - 1)) return cells;
  // Gathered at the first selected cell, then shifted by one.
  return moveTo(
    cells,
    at.map((i) => cells[i]!.id),
    first + delta,
  );
}

export interface MergeResult {
  cells: readonly Cell[];
  /** The merged cell: the first cell's id and type, sources joined by a blank line. */
  merged: Cell;
  /** The cells it replaced, in order, as they were. */
  originals: Cell[];
  /** Position of the merged cell. */
  index: number;
}

/**
 * Merge cells into the first of them, as JupyterLab does: sources joined with a blank line, the
 * first cell's type, id and metadata; a merged code cell has no outputs (its code never ran as one).
 * Markdown attachments are combined. Returns undefined for fewer than two cells.
 */
export function mergeCells(cells: readonly Cell[], ids: Iterable<string>): MergeResult | undefined {
  const at = indicesOf(cells, ids);
  if (at.length < 2) return undefined;
  const originals = at.map((i) => cells[i]!);
  const first = originals[0]!;
  const source = originals.map((cell) => cell.source).join('\n\n');
  let merged: Cell;
  if (first.cell_type === 'code') {
    merged = { ...first, source, outputs: [], execution_count: null };
  } else {
    const attachments = Object.assign({}, ...originals.map((cell) => (cell.cell_type !== 'code' ? (cell.attachments ?? {}) : {})));
    merged = Object.keys(attachments).length ? { ...first, source, attachments } : { ...first, source };
  }
  const doomed = new Set(originals.map((cell) => cell.id));
  const index = at[0]!;
  const next = cells.filter((cell, i) => i === index || !doomed.has(cell.id)).map((cell) => (cell.id === first.id ? merged : cell));
  return { cells: next, merged, originals, index };
}

export interface SplitResult {
  cells: readonly Cell[];
  /** The new cells, in order; the first keeps the original's id. */
  parts: Cell[];
  original: Cell;
  index: number;
}

/**
 * Split a cell at UTF-16 `offsets` into its source (a cursor, or both ends of a selection), as
 * JupyterLab's Ctrl+Shift+- does. Each part loses the newlines at its edges; parts left empty are
 * dropped unless every part is empty. The first part keeps the id and metadata; a code cell's
 * outputs stay with the last part (the code that printed last). Fresh ids avoid `taken`; `reuse`
 * gives the parts after the first their ids back (a redo), where still free.
 * Returns undefined when there is nothing to split (no offset strictly inside the text).
 */
export function splitCell(
  cells: readonly Cell[],
  id: string,
  offsets: readonly number[],
  taken: Set<string>,
  reuse: readonly string[] = [],
): SplitResult | undefined {
  const index = cells.findIndex((cell) => cell.id === id);
  const original = cells[index];
  if (!original) return undefined;
  const cuts = [...new Set(offsets)].filter((o) => o > 0 && o < original.source.length).sort((a, b) => a - b);
  if (cuts.length === 0) return undefined;
  const bounds = [0, ...cuts, original.source.length];
  let texts = bounds.slice(1).map((end, i) => original.source.slice(bounds[i], end).replace(/^\n+/, '').replace(/\n+$/, ''));
  if (texts.some((text) => text !== '')) texts = texts.filter((text) => text !== '');
  if (texts.length < 2) return undefined;
  const parts = texts.map((source, i): Cell => {
    const last = i === texts.length - 1;
    if (i === 0) {
      return original.cell_type === 'code' && !last ? { ...original, source, outputs: [], execution_count: null } : { ...original, source };
    }
    const again = reuse[i];
    const made = newCell(original.cell_type, source, taken);
    const fresh = again && !taken.has(again) ? { ...made, id: again } : made;
    taken.add(fresh.id);
    if (last && original.cell_type === 'code' && fresh.cell_type === 'code')
      return { ...fresh, outputs: original.outputs, execution_count: original.execution_count };
    return fresh;
  });
  const next = [...cells.slice(0, index), ...parts, ...cells.slice(index + 1)];
  return { cells: next, parts, original, index };
}
