// The notebook view's state and actions: selection (anchor/head), command/edit mode, the cell
// clipboard, which Markdown cells show their editor, line numbers, open panels. Every command of
// the registry (notebook-commands.ts) calls one method here; the element only renders.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Cell, CellType } from '../notebook/model';
import { extendBy, extendTo, selectedIds, single, spanOf, type CellSelection } from '../notebook/selection';
import type { NotebookSession } from '../notebook/session';
import type { PyCell } from './py-cell';

export type Mode = 'command' | 'edit';
export type Panel = 'find' | 'toc' | 'help' | 'palette';

/** What the controller needs from its element. */
export interface NotebookHost extends ReactiveControllerHost {
  readonly session: NotebookSession | undefined;
  cellElement(id: string): PyCell | null;
  /** Called after the mode changes (the element fires its event). */
  modeChanged(mode: Mode): void;
}

export class NotebookController implements ReactiveController {
  selection: CellSelection | undefined;
  mode: Mode = 'command';
  lineNumbers = false;
  panels = new Set<Panel>();
  /** Markdown cells showing their editor. */
  readonly editingMarkdown = new Set<string>();
  /** Cells copied or cut with C / X, pasted with V / Shift+V. */
  #clipboard: Cell[] = [];
  #focusAfterUpdate: 'cell' | 'editor' | undefined;

  constructor(private readonly host: NotebookHost) {
    host.addController(this);
  }

  private get session(): NotebookSession | undefined {
    return this.host.session;
  }

  /** The active cell (head of the selection). */
  get activeId(): string | undefined {
    return this.selection?.head;
  }

  /** Selected ids in notebook order (at least the active cell). */
  selectedIds(): string[] {
    return selectedIds(this.session?.cells ?? [], this.selection);
  }

  hostUpdated(): void {
    const target = this.#focusAfterUpdate;
    this.#focusAfterUpdate = undefined;
    const element = this.activeId ? this.host.cellElement(this.activeId) : null;
    if (!target || !element) return;
    if (target === 'editor') void element.focusEditor();
    else {
      element.focus({ preventScroll: true });
      element.scrollIntoView({ block: 'nearest' });
    }
  }

  /** A new or replaced session: the first cell is selected, nothing is edited. */
  reset(): void {
    this.editingMarkdown.clear();
    const first = this.session?.cells[0];
    this.selection = first ? single(first.id) : undefined;
  }

  /** Keep the selection on cells that exist (after deletes, reloads). */
  repair(): void {
    const session = this.session;
    if (!session) return;
    for (const id of this.editingMarkdown) if (!session.cell(id)) this.editingMarkdown.delete(id);
    const ids = this.selectedIds();
    if (ids.length === 0) this.reset();
    else if (!session.cell(this.selection!.head) || !session.cell(this.selection!.anchor)) this.selection = spanOf(ids);
  }

  // ---- selection and mode ----
  select(id: string, mode: Mode = 'command'): void {
    const cell = this.session?.cell(id);
    if (!cell) return;
    this.selection = single(id);
    if (mode === 'edit' && cell.cell_type === 'markdown') this.editingMarkdown.add(id);
    this.setMode(mode);
    this.#focusAfterUpdate = mode === 'edit' ? 'editor' : 'cell';
    this.host.requestUpdate();
  }

  /** Select several cells at once (first to last), active at the last. */
  selectSpan(ids: string[]): void {
    const span = spanOf(ids);
    if (!span) return;
    this.selection = span;
    this.setMode('command');
    this.#focusAfterUpdate = 'cell';
    this.host.requestUpdate();
  }

  /** Shift+Up/Down, Shift+K/J. */
  extend(delta: -1 | 1): void {
    if (!this.session || !this.selection) return;
    this.selection = extendBy(this.session.cells, this.selection, delta);
    this.#focusAfterUpdate = 'cell';
    this.host.requestUpdate();
  }

  /** Shift+click. */
  extendTo(id: string): void {
    this.selection = extendTo(this.selection, id);
    this.setMode('command');
    this.#focusAfterUpdate = 'cell';
    this.host.requestUpdate();
  }

  selectAll(): void {
    this.selectSpan(this.session?.cells.map((c) => c.id) ?? []);
  }

  /** Up/Down, K/J: one cell, the selection collapses onto it. */
  selectRelative(delta: -1 | 1, mode: Mode = 'command', cursor?: 'start' | 'end'): void {
    const session = this.session;
    if (!session || !this.activeId) return;
    const next = session.cells[session.index(this.activeId) + delta];
    if (!next) return;
    this.select(next.id, mode);
    if (mode === 'edit' && cursor) void this.host.updateComplete.then(() => this.host.cellElement(next.id)?.focusEditor(cursor));
  }

  enterEdit(): void {
    if (this.activeId) this.select(this.activeId, 'edit');
  }

  /** Esc in an editor: a Markdown cell with text renders again. */
  leaveEdit(id: string | undefined): void {
    const target = id ?? this.activeId;
    if (!target) return;
    const cell = this.session?.cell(target);
    if (cell?.cell_type === 'markdown' && cell.source.trim()) this.editingMarkdown.delete(target);
    this.select(target, 'command');
  }

  setMode(mode: Mode): void {
    if (this.mode === mode) return;
    this.mode = mode;
    this.host.modeChanged(mode);
    this.host.requestUpdate();
  }

  // ---- edits ----
  insert(offset: 0 | 1, type: CellType = 'code', mode: Mode = 'command'): void {
    const session = this.session;
    if (!session) return;
    const ids = this.selectedIds();
    const anchor = offset === 0 ? ids[0] : ids[ids.length - 1];
    const index = anchor ? session.index(anchor) + offset : session.cells.length;
    this.select(session.insert(index, type).id, mode);
  }

  append(): void {
    const session = this.session;
    if (session) this.select(session.insert(session.cells.length, 'code').id, 'edit');
  }

  deleteSelected(): void {
    const session = this.session;
    const ids = this.selectedIds();
    if (!session || ids.length === 0) return;
    const index = session.index(ids[0]!);
    session.delete(ids);
    const next = session.cells[Math.min(index, session.cells.length - 1)];
    if (next) this.select(next.id);
  }

  /** Z: undo the last cell operation; Shift+Z: redo it. Typing is the editor's own undo (Ctrl+Z). */
  undo(redo = false): void {
    const ids = redo ? this.session?.redo() : this.session?.undo();
    if (ids?.length) this.selectSpan(ids);
  }

  move(delta: -1 | 1): void {
    const ids = this.selectedIds();
    if (ids.length === 0) return;
    this.session?.moveCells(ids, delta);
    this.#focusAfterUpdate = this.mode === 'edit' ? 'editor' : 'cell';
    this.host.requestUpdate();
  }

  /** Drag and drop: the dragged cells land at `index` of the list without them. */
  moveTo(ids: string[], index: number): void {
    this.session?.moveCellsTo(ids, index);
    this.selectSpan(ids);
  }

  setType(type: CellType): void {
    for (const id of this.selectedIds()) {
      this.editingMarkdown.delete(id);
      this.session?.setType(id, type);
    }
    this.#focusAfterUpdate = 'cell';
    this.host.requestUpdate();
  }

  copy(cut: boolean): void {
    const session = this.session;
    if (!session) return;
    this.#clipboard = this.selectedIds().flatMap((id) => {
      const cell = session.cell(id);
      return cell ? [structuredClone(cell)] : [];
    });
    if (cut) this.deleteSelected();
  }

  paste(where: 'above' | 'below'): void {
    const session = this.session;
    if (!session || this.#clipboard.length === 0) return;
    const ids = this.selectedIds();
    const at =
      ids.length === 0 ? session.cells.length : where === 'above' ? session.index(ids[0]!) : session.index(ids[ids.length - 1]!) + 1;
    this.selectSpan(session.insertCopies(at, this.#clipboard).map((c) => c.id));
  }

  /** Shift+M: the selected cells become one; a single selected cell takes in the one below. */
  merge(): void {
    const session = this.session;
    if (!session) return;
    let ids = this.selectedIds();
    if (ids.length === 1) {
      const below = session.cells[session.index(ids[0]!) + 1];
      ids = below ? [ids[0]!, below.id] : ids;
    }
    const merged = session.merge(ids);
    if (merged) this.select(merged.id, this.mode);
  }

  /** Ctrl+Shift+-: split the active cell at its cursor (or around its selected text). */
  split(): void {
    const id = this.activeId;
    const session = this.session;
    if (!id || !session) return;
    const offsets = this.host.cellElement(id)?.cursorOffsets() ?? [];
    const parts = session.split(id, offsets);
    const last = parts[parts.length - 1];
    if (last) this.select(last.id, 'edit');
  }

  /** Hide or show the input or outputs of the selected cells (nbformat's jupyter.*_hidden). */
  toggleHidden(part: 'source' | 'outputs', hidden?: boolean): void {
    const session = this.session;
    if (!session) return;
    const key = part === 'source' ? 'source_hidden' : 'outputs_hidden';
    const ids = this.selectedIds();
    const value = hidden ?? !ids.every((id) => isHidden(session.cell(id), part));
    for (const id of ids) session.setMetadata(id, 'jupyter', { [key]: value || undefined });
    this.#focusAfterUpdate = 'cell';
  }

  toggleLineNumbers(): void {
    this.lineNumbers = !this.lineNumbers;
    this.host.requestUpdate();
  }

  // ---- running ----
  /** Run the selected cells (render Markdown), then: select the next, stay, or insert below. */
  run(then: 'next' | 'stay' | 'insert'): void {
    const session = this.session;
    const ids = this.selectedIds();
    if (!session || ids.length === 0) return;
    for (const id of ids) this.editingMarkdown.delete(id);
    session.run(ids);
    const last = session.index(ids[ids.length - 1]!);
    if (then === 'stay') {
      if (ids.length === 1) this.select(ids[0]!, 'command');
      else this.selectSpan(ids);
    } else if (then === 'insert' || last === session.cells.length - 1) {
      this.select(session.insert(last + 1, 'code').id, 'edit');
    } else {
      this.select(session.cells[last + 1]!.id, 'command');
    }
  }

  runAll(): void {
    for (const cell of this.session?.cells ?? []) this.editingMarkdown.delete(cell.id);
    this.session?.runAll();
    this.host.requestUpdate();
  }

  // ---- panels ----
  toggle(panel: Panel, open = !this.panels.has(panel)): void {
    if (open) this.panels.add(panel);
    else this.panels.delete(panel);
    this.host.requestUpdate();
  }

  /** Select a cell without moving focus (the find bar keeps it); Markdown shows its source. */
  selectQuietly(id: string): void {
    const cell = this.session?.cell(id);
    if (!cell) return;
    this.selection = single(id);
    if (cell.cell_type === 'markdown') this.editingMarkdown.add(id);
    this.host.requestUpdate();
  }

  /** After a panel closes: focus goes back to the active cell or its editor. */
  restoreFocus(): void {
    this.#focusAfterUpdate = this.mode === 'edit' ? 'editor' : 'cell';
    this.host.requestUpdate();
  }

  /** Show a cell (a heading, a find result): select it and bring it into view. */
  reveal(id: string): void {
    this.select(id, 'command');
  }
}

export function isHidden(cell: Cell | undefined, part: 'source' | 'outputs'): boolean {
  const jupyter = cell?.metadata['jupyter'];
  if (!jupyter || typeof jupyter !== 'object') return false;
  return (jupyter as Record<string, unknown>)[part === 'source' ? 'source_hidden' : 'outputs_hidden'] === true;
}
