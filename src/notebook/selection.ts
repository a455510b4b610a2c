// JupyterLab's cell selection: an anchor and an active (head) cell; the selection is every cell
// between them. Plain data and functions over the cell list, so the rules are tested without a DOM.
import type { Cell } from './model';

export interface CellSelection {
  /** Where a Shift-extension started. */
  anchor: string;
  /** The active cell: the one that has focus, runs with Shift+Enter, and edits. */
  head: string;
}

export const single = (id: string): CellSelection => ({ anchor: id, head: id });

/**
 * Ids selected, in notebook order. An anchor or head no longer in the notebook shrinks the
 * selection to the one that remains (or nothing).
 */
export function selectedIds(cells: readonly Cell[], selection: CellSelection | undefined): string[] {
  if (!selection) return [];
  const a = cells.findIndex((c) => c.id === selection.anchor);
  const h = cells.findIndex((c) => c.id === selection.head);
  if (h < 0) return a < 0 ? [] : [selection.anchor];
  if (a < 0) return [selection.head];
  return cells.slice(Math.min(a, h), Math.max(a, h) + 1).map((c) => c.id);
}

/** Shift+Up/Down, Shift+K/J: the head moves by one, the anchor stays. At an edge nothing changes. */
export function extendBy(cells: readonly Cell[], selection: CellSelection, delta: -1 | 1): CellSelection {
  const h = cells.findIndex((c) => c.id === selection.head);
  const next = cells[h + delta];
  return h < 0 || !next ? selection : { anchor: selection.anchor, head: next.id };
}

/** Shift+click: from the anchor to `id`. */
export function extendTo(selection: CellSelection | undefined, id: string): CellSelection {
  return { anchor: selection?.anchor ?? id, head: id };
}

/** After the selected cells moved or were replaced, the same ids in their new places (block order kept). */
export function spanOf(ids: readonly string[]): CellSelection | undefined {
  const first = ids[0];
  const last = ids[ids.length - 1];
  return first && last ? { anchor: first, head: last } : undefined;
}
