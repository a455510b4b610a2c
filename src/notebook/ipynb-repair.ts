// nbformat 4.x → a valid 4.5 model: lenient repair, each repair reported as a user-facing warning.
import type { ErrorOutput, MimeBundle, Output, StreamOutput } from '../protocol';
import { type Cell, type JsonObject, type Notebook, newCellId } from './model';
import {
  CELL_ID,
  JSON_MIME,
  NotebookFileError,
  SILENT_LEFTOVERS,
  Warnings,
  clip,
  copyJson,
  isEmptyValue,
  isObject,
  isScalar,
  joinStrings,
  own,
  setKey,
  typeName,
} from './ipynb-json';
import { normalizeCellMetadata, normalizeFreeMetadata, normalizeNotebookMetadata } from './ipynb-metadata';

// ---- nbformat 4 → a valid 4.5 model. Pure: never mutates its input, which may be a live model.

export function normalizeNotebook(metadata: unknown, cells: unknown[], minor: number, warnings: Warnings, name: string): Notebook {
  const read: { cell: Cell; id: unknown; place: string }[] = [];
  cells.forEach((cell, index) => {
    const place = `cell ${index + 1}`;
    if (!isObject(cell)) {
      warnings.add(`is ${typeName(cell)}, not a cell; skipped`, place);
      return;
    }
    read.push({ cell: normalizeCell(cell, place, warnings), id: own(cell, 'id'), place });
  });
  if (cells.length > 0 && read.length === 0) {
    throw new NotebookFileError(
      `${name} is not a notebook Pyloom can read: none of the ${cells.length} entries in its 'cells' list is a cell.`,
    );
  }
  assignIds(read, minor, warnings);
  return { nbformat: 4, nbformat_minor: 5, metadata: normalizeNotebookMetadata(metadata, warnings), cells: read.map((r) => r.cell) };
}

/** Keeps the first valid occurrence of each id; the rest get fresh ids that collide with none kept. */
export function assignIds(read: { cell: Cell; id: unknown; place: string }[], minor: number, warnings: Warnings): void {
  const taken = new Set<string>();
  const keep = read.map(({ id }) => {
    if (typeof id !== 'string' || !CELL_ID.test(id) || taken.has(id)) return false;
    taken.add(id);
    return true;
  });
  read.forEach(({ cell, id, place }, i) => {
    if (keep[i] && typeof id === 'string') {
      cell.id = id;
      return;
    }
    cell.id = newCellId(taken);
    taken.add(cell.id);
    // Before 4.5 cells had no ids; adding them is the upgrade itself, not a repair.
    if (id !== undefined || minor >= 5) {
      warnings.add('cell id was missing, not valid (1-64 letters, digits, - or _) or a duplicate; gave it a new id', place);
    }
  });
}

export function normalizeCell(raw: JsonObject, place: string, warnings: Warnings): Cell {
  const typeValue = own(raw, 'cell_type');
  let type: Cell['cell_type'];
  if (typeValue === 'code' || typeValue === 'markdown' || typeValue === 'raw') {
    type = typeValue;
  } else if (typeValue === undefined && Array.isArray(own(raw, 'outputs'))) {
    type = 'code';
    warnings.add("had no 'cell_type'; read it as a code cell because it has outputs", place);
  } else {
    type = 'raw';
    const what = typeof typeValue === 'string' ? `unknown cell type '${clip(typeValue, 40)}'` : `'cell_type' was ${typeName(typeValue)}`;
    warnings.add(`${what}; kept it as a raw cell`, place);
  }

  const source = readText(raw, 'source', place, warnings) ?? '';
  const metadata = normalizeCellMetadata(own(raw, 'metadata'), type, place, warnings);
  const allowed = type === 'code' ? CODE_KEYS : TEXT_KEYS;
  for (const key of Object.keys(raw)) {
    if (allowed.has(key) || SILENT_LEFTOVERS.has(key) || isEmptyValue(raw[key])) continue;
    if (key === 'attachments') warnings.add('dropped attachments: code cells cannot have them in nbformat 4.5', place);
    else warnings.add(`dropped the unknown cell key '${clip(key, 40)}' (nbformat 4.5 has no place for it)`, place);
  }

  // Ids are assigned afterwards, across all cells.
  if (type === 'code') {
    const execution_count = readCount(raw, place, warnings);
    return { id: '', cell_type: 'code', source, metadata, execution_count, outputs: normalizeOutputs(raw, place, warnings) };
  }
  const attachments = normalizeAttachments(own(raw, 'attachments'), place, warnings);
  return attachments ? { id: '', cell_type: type, source, metadata, attachments } : { id: '', cell_type: type, source, metadata };
}

export const CODE_KEYS = new Set(['id', 'cell_type', 'metadata', 'source', 'outputs', 'execution_count']);
export const TEXT_KEYS = new Set(['id', 'cell_type', 'metadata', 'source', 'attachments']);

export function readCount(raw: JsonObject, place: string, warnings: Warnings): number | null {
  const value = own(raw, 'execution_count');
  if (value === undefined || value === null) return null;
  // Safe integers only: JSON.stringify writes 1e+308, which Python reads as a float the schema rejects.
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  const what = typeof value === 'number' ? 'negative, fractional or too large' : `${typeName(value)}, not a count`;
  warnings.add(`'execution_count' was ${what}; cleared it`, place);
  return null;
}

export function normalizeOutputs(raw: JsonObject, place: string, warnings: Warnings): Output[] {
  const value = own(raw, 'outputs');
  if (!Array.isArray(value)) {
    warnings.add(
      value === undefined ? "had no 'outputs'; gave it none" : `'outputs' was ${typeName(value)}, not a list; removed it`,
      place,
    );
    return [];
  }
  const outputs: Output[] = [];
  value.forEach((output, index) => {
    const normalized = normalizeOutput(output, `${place} output ${index + 1}`, warnings);
    if (normalized) outputs.push(normalized);
  });
  return outputs;
}

export function normalizeOutput(raw: unknown, place: string, warnings: Warnings): Output | null {
  if (!isObject(raw)) {
    warnings.add(`is ${typeName(raw)}, not an output; dropped it`, place);
    return null;
  }
  const type = own(raw, 'output_type');
  let output: Output | null;
  let allowed: readonly string[];
  switch (type) {
    case 'stream':
      output = normalizeStream(raw, place, warnings);
      allowed = ['output_type', 'name', 'text'];
      break;
    case 'display_data':
    case 'execute_result': {
      const data = own(raw, 'data');
      if (!isObject(data)) {
        warnings.add(`${type} output had ${data === undefined ? "no 'data'" : `'data' that was ${typeName(data)}`}; dropped it`, place);
        return null;
      }
      const bundle = normalizeBundle(data, place, warnings);
      const metadata = normalizeFreeMetadata(own(raw, 'metadata'), `${place} metadata`, warnings);
      if (type === 'display_data') {
        output = { output_type: 'display_data', data: bundle, metadata };
        allowed = ['output_type', 'data', 'metadata'];
      } else {
        output = { output_type: 'execute_result', execution_count: readCount(raw, place, warnings), data: bundle, metadata };
        allowed = ['output_type', 'data', 'metadata', 'execution_count'];
      }
      break;
    }
    case 'error':
      output = normalizeError(raw, place, warnings);
      allowed = ['output_type', 'ename', 'evalue', 'traceback'];
      break;
    default: {
      const what =
        typeof type === 'string' ? `output of unknown type '${clip(type, 40)}'` : `output whose 'output_type' was ${typeName(type)}`;
      warnings.add(`dropped an ${what} (nbformat 4.5 cannot store it)`, place.replace(/ output \d+$/, ''));
      return null;
    }
  }
  if (output) {
    for (const key of Object.keys(raw)) {
      if (allowed.includes(key) || SILENT_LEFTOVERS.has(key) || isEmptyValue(raw[key])) continue;
      warnings.add(`dropped the unknown output key '${clip(key, 40)}' (nbformat 4.5 has no place for it)`, place);
    }
  }
  return output;
}

export function normalizeStream(raw: JsonObject, place: string, warnings: Warnings): StreamOutput | null {
  const text = readText(raw, 'text', place, warnings);
  if (text === undefined) {
    warnings.add("stream output had no 'text'; dropped it", place);
    return null;
  }
  const name = own(raw, 'name');
  if (name === 'stdout' || name === 'stderr') return { output_type: 'stream', name, text };
  const problem =
    typeof name === 'string' ? `stream '${clip(name, 40)}' is neither stdout nor stderr` : `stream output's 'name' was ${typeName(name)}`;
  warnings.add(`${problem}; shown as stdout`, place);
  return { output_type: 'stream', name: 'stdout', text };
}

export function normalizeError(raw: JsonObject, place: string, warnings: Warnings): ErrorOutput {
  const field = (key: 'ename' | 'evalue'): string => {
    const value = own(raw, key);
    if (typeof value === 'string') return value;
    warnings.add(`error output's '${key}' was ${typeName(value)}; ${isScalar(value) ? 'kept as text' : 'left empty'}`, place);
    return isScalar(value) ? String(value) : '';
  };
  const ename = field('ename');
  const evalue = field('evalue');
  const value = own(raw, 'traceback');
  let traceback: string[];
  if (Array.isArray(value) && value.every((line) => typeof line === 'string')) {
    traceback = value;
  } else if (Array.isArray(value)) {
    warnings.add("error output's traceback held items that are not text; kept them as text", place);
    traceback = value.map((line) => (typeof line === 'string' ? line : isScalar(line) ? String(line) : ''));
  } else if (typeof value === 'string') {
    warnings.add("error output's traceback was one text instead of a list of lines; split it", place);
    traceback = value.split('\n');
  } else {
    warnings.add(`error output's traceback was ${typeName(value)}; left it empty`, place);
    traceback = [];
  }
  return { output_type: 'error', ename, evalue, traceback };
}

/** A multiline string field (string or list of strings) as one string; undefined when absent. */
export function readText(raw: JsonObject, key: string, place: string, warnings: Warnings): string | undefined {
  const value = own(raw, key);
  const joined = joinStrings(value);
  if (joined !== undefined) return joined;
  if (value === undefined) {
    if (key === 'source') warnings.add("had no 'source'; left it empty", place);
    return undefined;
  }
  if (Array.isArray(value)) {
    warnings.add(`'${key}' held items that are not text; kept them as text`, place);
    return value.map((item) => (typeof item === 'string' ? item : isScalar(item) ? String(item) : '')).join('');
  }
  if (isScalar(value) && value !== null) {
    warnings.add(`'${key}' was ${typeName(value)}; kept it as text`, place);
    return String(value);
  }
  warnings.add(`'${key}' was ${typeName(value)}; left it empty`, place);
  return '';
}

export function normalizeBundle(raw: JsonObject, place: string, warnings: Warnings): MimeBundle {
  const bundle: MimeBundle = {};
  for (const mime of Object.keys(raw)) {
    const value = raw[mime];
    if (JSON_MIME.test(mime)) {
      const copy = copyJson(value, `${place} '${clip(mime, 60)}' data`, warnings);
      if (copy !== undefined) setKey(bundle, mime, copy);
      continue;
    }
    const text = joinStrings(value);
    if (text !== undefined) {
      setKey(bundle, mime, text);
    } else if (isScalar(value) && value !== null) {
      warnings.add(`'${clip(mime, 60)}' data was ${typeName(value)}; kept it as text`, place);
      setKey(bundle, mime, String(value));
    } else if (Array.isArray(value)) {
      warnings.add(`'${clip(mime, 60)}' data held items that are not text; kept them as text`, place);
      setKey(bundle, mime, value.map((item) => (typeof item === 'string' ? item : isScalar(item) ? String(item) : '')).join(''));
    } else {
      warnings.add(`'${clip(mime, 60)}' data was ${typeName(value)}, which only JSON types can hold; dropped it`, place);
    }
  }
  return bundle;
}

export function normalizeAttachments(raw: unknown, place: string, warnings: Warnings): Record<string, MimeBundle> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) {
    warnings.add(`'attachments' was ${typeName(raw)}; dropped it`, place);
    return undefined;
  }
  const out: Record<string, MimeBundle> = {};
  let count = 0;
  for (const name of Object.keys(raw)) {
    const bundle = raw[name];
    if (!isObject(bundle)) {
      warnings.add(`attachment '${clip(name, 60)}' was ${typeName(bundle)}, not a MIME bundle; dropped it`, place);
      continue;
    }
    setKey(out, name, normalizeBundle(bundle, `${place} attachment '${clip(name, 60)}'`, warnings));
    count++;
  }
  return count > 0 ? out : undefined;
}
