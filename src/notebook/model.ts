// The in-memory notebook: nbformat 4.5 shapes with `source` joined into one string, so the
// editor, autosave and `.ipynb` writer share one model without conversion.
import type { MimeBundle, Output } from '../protocol';

export type JsonObject = { [key: string]: unknown };

interface CellBase {
  /** nbformat 4.5 cell id: 1-64 characters of [a-zA-Z0-9-_], unique in the notebook. */
  id: string;
  source: string;
  /** Preserved as read (unknown keys included). */
  metadata: JsonObject;
}
export interface CodeCell extends CellBase {
  cell_type: 'code';
  execution_count: number | null;
  outputs: Output[];
}
export interface MarkdownCell extends CellBase {
  cell_type: 'markdown';
  attachments?: Record<string, MimeBundle>;
}
export interface RawCell extends CellBase {
  cell_type: 'raw';
  attachments?: Record<string, MimeBundle>;
}
export type Cell = CodeCell | MarkdownCell | RawCell;
export type CellType = Cell['cell_type'];

export interface Notebook {
  nbformat: 4;
  /** Always 5 once loaded: older minors are upgraded (cell ids added) on import. */
  nbformat_minor: number;
  /** Preserved as read (kernelspec, language_info and anything unknown). */
  metadata: JsonObject;
  cells: Cell[];
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh cell id (8 random characters, like JupyterLab's), unique among `taken`. */
export function newCellId(taken: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    const id = Array.from(bytes, (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
    if (!taken.has(id)) return id;
  }
}

export function newCell(type: CellType, source = '', taken?: ReadonlySet<string>): Cell {
  const id = newCellId(taken);
  if (type === 'code') return { id, cell_type: 'code', source, metadata: {}, execution_count: null, outputs: [] };
  return { id, cell_type: type, source, metadata: {} };
}

/** The metadata a new Pyloom notebook carries (what Jupyter writes for a Pyodide kernel). */
export function newNotebook(cells: Cell[] = [newCell('code')]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python', display_name: 'Python (Pyodide)', language: 'python' },
      language_info: { name: 'python', file_extension: '.py', mimetype: 'text/x-python' },
    },
    cells,
  };
}

/** Change a cell's type keeping id, source and metadata; outputs go when it stops being code. */
export function convertCell(cell: Cell, type: CellType): Cell {
  if (cell.cell_type === type) return cell;
  const { id, source, metadata } = cell;
  if (type === 'code') return { id, cell_type: 'code', source, metadata, execution_count: null, outputs: [] };
  const attachments = cell.cell_type !== 'code' ? cell.attachments : undefined;
  return attachments ? { id, cell_type: type, source, metadata, attachments } : { id, cell_type: type, source, metadata };
}

/** `metadata` with `patch` merged into its object under `key` (undefined values remove keys; an emptied key goes). */
export function patchMetadata(metadata: JsonObject, key: string, patch: JsonObject): JsonObject {
  const current = metadata[key];
  const base: JsonObject = current && typeof current === 'object' && !Array.isArray(current) ? { ...(current as JsonObject) } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  const next = { ...metadata };
  if (Object.keys(base).length) next[key] = base;
  else delete next[key];
  return next;
}
