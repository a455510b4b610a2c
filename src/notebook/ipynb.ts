// Reading and writing `.ipynb` files: decoding, nbformat 3 / 4.0-4.4 upgrade to 4.5, lenient repair
// reported as user-facing warnings, and serialization byte-identical to what Jupyter writes.
import type { ErrorOutput, MimeBundle, Output, StreamOutput } from '../protocol';
import { newCellId, type Cell, type JsonObject, type Notebook } from './model';

/** A file that cannot be opened as a notebook. The message is shown to the user as-is. */
export class NotebookFileError extends Error {
  override name = 'NotebookFileError';
}

export interface ImportResult {
  notebook: Notebook;
  /** Repairs made while reading, one line each, for the user to see. */
  warnings: string[];
}

// Deeper JSON than this is dropped: V8's JSON.parse is iterative and accepts any depth, but the
// recursive copy and writer here (and Python's json on the Jupyter side, limit ~1000) do not.
const MAX_DEPTH = 500;
const MAX_WARNING_LINES = 20;
const MAX_PLACES = 5;
const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;
// The schema's own test for "this MIME type holds a JSON value" (nbformat's _is_json_mime agrees
// except for keys containing line breaks, where the schema is what validators check).
const JSON_MIME = /^application\/(.*\+)?json$/u;
// Python's str.splitlines boundaries: Jupyter splits text with them, so must we to write the same bytes.
const LINE_PIECE = /[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]|$)/g;
const HAS_LINE_BREAK = /[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
// nbformat's v3 → v4 aliases (plus markdown, which some v3 writers used).
const V3_MIME_ALIASES = new Map([
  ['text', 'text/plain'],
  ['html', 'text/html'],
  ['svg', 'image/svg+xml'],
  ['png', 'image/png'],
  ['jpeg', 'image/jpeg'],
  ['latex', 'text/latex'],
  ['json', 'application/json'],
  ['javascript', 'application/javascript'],
  ['markdown', 'text/markdown'],
]);
// Keys older writers leave on cells and outputs: the schema forbids them, but dropping them loses
// nothing, so no warning.
const SILENT_LEFTOVERS = new Set(['prompt_number', 'language', 'collapsed', 'transient']);

// ---------------------------------------------------------------------------------------------
// Reading

export function parseNotebook(input: string | ArrayBuffer | Uint8Array, fileName?: string): ImportResult {
  const name = fileName || 'This file';
  try {
    const document = parseJson(decode(input, name), name);
    const warnings = new Warnings();
    const notebook = readDocument(document, name, warnings);
    return { notebook, warnings: warnings.lines() };
  } catch (error) {
    if (error instanceof NotebookFileError) throw error;
    // The cause marks a reader bug (tests look for it); the user still gets a readable message.
    throw new NotebookFileError(
      `${name} could not be opened because of an unexpected problem in Pyloom's notebook reader ` +
        `(${describeError(error)}). Please report it, with the file if you can share it.`,
      { cause: error },
    );
  }
}

function decode(input: string | ArrayBuffer | Uint8Array, name: string): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new NotebookFileError(
      `${name} is UTF-16 text, but Jupyter notebooks are UTF-8. Save it again as UTF-8 and open it once more.`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NotebookFileError(
      `${name} is not UTF-8 text, so it is not a Jupyter notebook (notebooks are UTF-8 JSON). ` +
        `Check that you picked the right file; if it is a notebook saved in another encoding, save it again as UTF-8.`,
    );
  }
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (/^\s*$/.test(text)) throw new NotebookFileError(`${name} is empty, so it is not a Jupyter notebook.`);
    if (error instanceof SyntaxError) {
      const truncated = /end of (JSON )?(input|data)/i.test(error.message) ? ' It looks cut short: was the download or copy complete?' : '';
      throw new NotebookFileError(
        `${name} is not a Jupyter notebook: it is not valid JSON (${clip(error.message, 200)}).${truncated}`,
      );
    }
    // Engines other than V8 stop at a nesting limit (Firefox: "too much recursion").
    throw new NotebookFileError(
      `${name} could not be read: its JSON is nested too deeply or is too large for this browser ` +
        `(${clip(describeError(error), 200)}). It is not a notebook Pyloom can open.`,
    );
  }
}

function readDocument(document: unknown, name: string, warnings: Warnings): Notebook {
  const notAnotebook = `it is JSON but not a Jupyter notebook`;
  if (!isObject(document)) {
    throw new NotebookFileError(
      `${name} is ${kindOf(document)}; ${notAnotebook}, which is a JSON object with 'cells', 'metadata' and 'nbformat'.`,
    );
  }
  const nbformat = own(document, 'nbformat');
  const cells = own(document, 'cells');
  const worksheets = own(document, 'worksheets');
  let version: 3 | 4;
  if (nbformat === undefined) {
    if (Array.isArray(cells)) version = 4;
    else if (Array.isArray(worksheets)) version = 3;
    else throw new NotebookFileError(`${name} has no 'cells' list and no 'nbformat' version; ${notAnotebook}.`);
    warnings.add(`the file has no 'nbformat' version; read it as nbformat ${version}`);
  } else if (typeof nbformat !== 'number' || !Number.isInteger(nbformat)) {
    throw new NotebookFileError(
      `${name} is not a notebook Pyloom can read: its 'nbformat' is ${kindOf(nbformat)}, where Jupyter notebooks have the number 4 (or 3 for old ones).`,
    );
  } else if (nbformat === 4 || nbformat === 3) {
    version = nbformat;
  } else if (nbformat === 1 || nbformat === 2) {
    throw new NotebookFileError(
      `${name} is an nbformat ${nbformat} notebook (IPython before 2.0); Pyloom reads nbformat 3 and 4. ` +
        `Upgrade it with Jupyter first: jupyter nbconvert --to notebook --output new.ipynb '${fileLabel(name)}'.`,
    );
  } else if (nbformat > 4) {
    throw new NotebookFileError(
      `${name} is an nbformat ${nbformat} notebook, newer than the nbformat 4 that Pyloom and Jupyter read today.`,
    );
  } else {
    throw new NotebookFileError(`${name} has 'nbformat' ${nbformat}, which no Jupyter notebook has; ${notAnotebook}.`);
  }

  if (version === 3) {
    const upgraded = upgradeV3(document, name, warnings);
    warnings.add('converted from nbformat 3 (IPython 2); it will be saved as nbformat 4.5');
    return normalizeNotebook(upgraded.metadata, upgraded.cells, 0, warnings, name);
  }

  if (cells === undefined) throw new NotebookFileError(`${name} has no 'cells' list; ${notAnotebook}.`);
  if (!Array.isArray(cells)) {
    throw new NotebookFileError(`${name} is not a notebook Pyloom can read: its 'cells' is ${kindOf(cells)}, not a list of cells.`);
  }
  const minorValue = own(document, 'nbformat_minor');
  let minor = 0;
  if (typeof minorValue === 'number' && Number.isInteger(minorValue) && minorValue >= 0) minor = minorValue;
  else warnings.add(`'nbformat_minor' was ${typeName(minorValue)}; read the file as nbformat 4.0`);
  if (minor > 5) {
    warnings.add(`the file is nbformat 4.${minor}, newer than 4.5; anything 4.5 cannot hold was dropped and it will be saved as 4.5`);
  }
  for (const key of Object.keys(document)) {
    if (key !== 'cells' && key !== 'metadata' && key !== 'nbformat' && key !== 'nbformat_minor') {
      warnings.add(`dropped the top-level key '${clip(key, 40)}' (nbformat 4.5 has no place for it)`);
    }
  }
  return normalizeNotebook(own(document, 'metadata'), cells, minor, warnings, name);
}

// ---- nbformat 3 → 4, following nbformat's v4/convert.py; the v4 normalizer then repairs the rest.

function upgradeV3(document: JsonObject, name: string, warnings: Warnings): { metadata: unknown; cells: unknown[] } {
  const worksheets = own(document, 'worksheets');
  if (!Array.isArray(worksheets)) {
    throw new NotebookFileError(
      `${name} says it is an nbformat 3 notebook but has ` +
        `${worksheets === undefined ? "no 'worksheets' list" : `'worksheets' that is ${kindOf(worksheets)}`}; its cells cannot be found.`,
    );
  }
  const cells: unknown[] = [];
  worksheets.forEach((worksheet, index) => {
    const wsCells = isObject(worksheet) ? own(worksheet, 'cells') : undefined;
    if (!Array.isArray(wsCells)) {
      warnings.add(`worksheet ${index + 1} has no list of cells; skipped`);
      return;
    }
    for (const cell of wsCells) cells.push(isObject(cell) ? upgradeCellV3(cell) : cell);
  });
  if (worksheets.length > 0 && cells.length === 0 && worksheets.every((ws) => !Array.isArray(isObject(ws) ? own(ws, 'cells') : undefined))) {
    throw new NotebookFileError(`${name} is an nbformat 3 notebook whose worksheets hold no cells that can be read.`);
  }
  let metadata = own(document, 'metadata');
  if (isObject(metadata)) {
    // v3 kept the notebook's name and a signature in metadata; nbformat drops both on upgrade.
    const { name: _name, signature: _signature, ...rest } = metadata;
    metadata = rest;
  }
  return { metadata, cells };
}

function upgradeCellV3(cell: JsonObject): JsonObject {
  const out: JsonObject = { ...cell };
  if (!Object.hasOwn(out, 'metadata')) out.metadata = {};
  const type = own(out, 'cell_type');
  if (type === 'code') {
    delete out.language;
    if (Object.hasOwn(out, 'collapsed')) {
      const metadata = own(out, 'metadata');
      if (isObject(metadata)) out.metadata = { ...metadata, collapsed: own(out, 'collapsed') };
      delete out.collapsed;
    }
    out.source = Object.hasOwn(out, 'input') ? own(out, 'input') : '';
    delete out.input;
    out.execution_count = Object.hasOwn(out, 'prompt_number') ? own(out, 'prompt_number') : null;
    delete out.prompt_number;
    const outputs = own(out, 'outputs');
    if (Array.isArray(outputs)) out.outputs = outputs.map(upgradeOutputV3);
  } else if (type === 'heading') {
    const level = own(out, 'level');
    delete out.level;
    out.cell_type = 'markdown';
    const source = joinStrings(Object.hasOwn(out, 'source') ? own(out, 'source') : '');
    if (source !== undefined) {
      // Markdown has six heading levels; nbformat would write more hashes, which is a paragraph.
      const hashes = typeof level === 'number' && Number.isInteger(level) ? Math.min(Math.max(level, 1), 6) : 1;
      const singleLine = splitLines(source)
        .map((line) => line.replace(/(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])$/, ''))
        .join(' ');
      out.source = `${'#'.repeat(hashes)} ${singleLine}`;
    }
  } else if (type === 'html') {
    out.cell_type = 'markdown';
  }
  return out;
}

function upgradeOutputV3(output: unknown): unknown {
  if (!isObject(output)) return output;
  const type = own(output, 'output_type');
  if (type === 'pyout' || type === 'display_data') {
    const out: JsonObject = { output_type: type === 'pyout' ? 'execute_result' : 'display_data' };
    if (type === 'pyout') out.execution_count = own(output, 'prompt_number') ?? null;
    const data: JsonObject = {};
    for (const key of Object.keys(output)) {
      if (key === 'output_type' || key === 'metadata' || key === 'prompt_number' || key === 'execution_count') continue;
      setKey(data, V3_MIME_ALIASES.get(key) ?? key, output[key]);
    }
    const json = own(data, 'application/json');
    if (typeof json === 'string') {
      try {
        data['application/json'] = JSON.parse(json);
      } catch {
        // A string is a JSON value too: keeping it shows the user what was there.
      }
    }
    out.data = data;
    const metadata = own(output, 'metadata');
    if (isObject(metadata)) {
      const renamed: JsonObject = {};
      for (const key of Object.keys(metadata)) setKey(renamed, V3_MIME_ALIASES.get(key) ?? key, metadata[key]);
      out.metadata = renamed;
    } else {
      out.metadata = metadata ?? {};
    }
    return out;
  }
  if (type === 'pyerr') return { ...output, output_type: 'error' };
  if (type === 'stream') {
    const { stream, ...rest } = output;
    return { ...rest, name: stream ?? 'stdout' };
  }
  return output;
}

// ---- nbformat 4 → a valid 4.5 model. Pure: never mutates its input, which may be a live model.

function normalizeNotebook(metadata: unknown, cells: unknown[], minor: number, warnings: Warnings, name: string): Notebook {
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
    throw new NotebookFileError(`${name} is not a notebook Pyloom can read: none of the ${cells.length} entries in its 'cells' list is a cell.`);
  }
  assignIds(read, minor, warnings);
  return { nbformat: 4, nbformat_minor: 5, metadata: normalizeNotebookMetadata(metadata, warnings), cells: read.map((r) => r.cell) };
}

/** Keeps the first valid occurrence of each id; the rest get fresh ids that collide with none kept. */
function assignIds(read: { cell: Cell; id: unknown; place: string }[], minor: number, warnings: Warnings): void {
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

function normalizeCell(raw: JsonObject, place: string, warnings: Warnings): Cell {
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

const CODE_KEYS = new Set(['id', 'cell_type', 'metadata', 'source', 'outputs', 'execution_count']);
const TEXT_KEYS = new Set(['id', 'cell_type', 'metadata', 'source', 'attachments']);

function readCount(raw: JsonObject, place: string, warnings: Warnings): number | null {
  const value = own(raw, 'execution_count');
  if (value === undefined || value === null) return null;
  // Safe integers only: JSON.stringify writes 1e+308, which Python reads as a float the schema rejects.
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  const what = typeof value === 'number' ? 'negative, fractional or too large' : `${typeName(value)}, not a count`;
  warnings.add(`'execution_count' was ${what}; cleared it`, place);
  return null;
}

function normalizeOutputs(raw: JsonObject, place: string, warnings: Warnings): Output[] {
  const value = own(raw, 'outputs');
  if (!Array.isArray(value)) {
    warnings.add(value === undefined ? "had no 'outputs'; gave it none" : `'outputs' was ${typeName(value)}, not a list; removed it`, place);
    return [];
  }
  const outputs: Output[] = [];
  value.forEach((output, index) => {
    const normalized = normalizeOutput(output, `${place} output ${index + 1}`, warnings);
    if (normalized) outputs.push(normalized);
  });
  return outputs;
}

function normalizeOutput(raw: unknown, place: string, warnings: Warnings): Output | null {
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
      const what = typeof type === 'string' ? `output of unknown type '${clip(type, 40)}'` : `output whose 'output_type' was ${typeName(type)}`;
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

function normalizeStream(raw: JsonObject, place: string, warnings: Warnings): StreamOutput | null {
  const text = readText(raw, 'text', place, warnings);
  if (text === undefined) {
    warnings.add("stream output had no 'text'; dropped it", place);
    return null;
  }
  const name = own(raw, 'name');
  if (name === 'stdout' || name === 'stderr') return { output_type: 'stream', name, text };
  const problem = typeof name === 'string' ? `stream '${clip(name, 40)}' is neither stdout nor stderr` : `stream output's 'name' was ${typeName(name)}`;
  warnings.add(`${problem}; shown as stdout`, place);
  return { output_type: 'stream', name: 'stdout', text };
}

function normalizeError(raw: JsonObject, place: string, warnings: Warnings): ErrorOutput {
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
function readText(raw: JsonObject, key: string, place: string, warnings: Warnings): string | undefined {
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

function joinStrings(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join('');
  return undefined;
}

function normalizeBundle(raw: JsonObject, place: string, warnings: Warnings): MimeBundle {
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

function normalizeAttachments(raw: unknown, place: string, warnings: Warnings): Record<string, MimeBundle> | undefined {
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

// ---- Metadata: unknown keys are kept verbatim; known keys are checked against the schema, because
// a file Jupyter's validator rejects is worse than a dropped bad value.

function normalizeNotebookMetadata(raw: unknown, warnings: Warnings): JsonObject {
  const place = 'notebook metadata';
  const metadata = normalizeFreeMetadata(raw, place, warnings, ['orig_nbformat', 'orig_nbformat_minor', 'signature']);
  const kernelspec = own(metadata, 'kernelspec');
  if (kernelspec !== undefined) {
    if (isObject(kernelspec) && typeof own(kernelspec, 'name') === 'string') {
      if (typeof own(kernelspec, 'display_name') !== 'string') {
        warnings.add("'kernelspec' had no display name; used its name", place);
        metadata.kernelspec = { ...kernelspec, display_name: own(kernelspec, 'name') };
      }
    } else {
      warnings.add("'kernelspec' was not valid (it needs a 'name' and a 'display_name'); dropped it", place);
      delete metadata.kernelspec;
    }
  }
  const languageInfo = own(metadata, 'language_info');
  if (languageInfo !== undefined) {
    if (isObject(languageInfo) && typeof own(languageInfo, 'name') === 'string') {
      const fixed: JsonObject = { ...languageInfo };
      let changed = false;
      for (const key of ['file_extension', 'mimetype', 'pygments_lexer']) {
        if (Object.hasOwn(fixed, key) && typeof fixed[key] !== 'string') {
          delete fixed[key];
          changed = true;
        }
      }
      const mode = own(fixed, 'codemirror_mode');
      if (mode !== undefined && typeof mode !== 'string' && !isObject(mode)) {
        delete fixed.codemirror_mode;
        changed = true;
      }
      if (changed) {
        warnings.add("'language_info' had entries of the wrong type; dropped them", place);
        metadata.language_info = fixed;
      }
    } else {
      warnings.add("'language_info' was not valid (it needs a 'name'); dropped it", place);
      delete metadata.language_info;
    }
  }
  dropUnless(metadata, 'title', (v) => typeof v === 'string', 'text', place, warnings);
  dropUnless(metadata, 'authors', Array.isArray, 'a list', place, warnings);
  return metadata;
}

function normalizeCellMetadata(raw: unknown, type: Cell['cell_type'], place: string, warnings: Warnings): JsonObject {
  const where = `${place} metadata`;
  const metadata = normalizeFreeMetadata(raw, where, warnings, ['trusted']);
  // The schema's pattern ^.+$ (JavaScript semantics): one non-empty line.
  dropUnless(metadata, 'name', (v) => typeof v === 'string' && /^.+$/u.test(v), 'one line of text', where, warnings);
  dropUnless(metadata, 'jupyter', isObject, 'an object', where, warnings);
  const tags = own(metadata, 'tags');
  if (tags !== undefined) {
    if (!Array.isArray(tags)) {
      warnings.add(`'tags' was ${typeName(tags)}, not a list; dropped it`, where);
      delete metadata.tags;
    } else {
      const kept = [...new Set(tags.filter((tag): tag is string => typeof tag === 'string' && tag !== '' && !tag.includes(',')))];
      if (kept.length !== tags.length) {
        warnings.add('dropped tags that were empty, not text, contained a comma or were repeated', where);
        metadata.tags = kept;
      }
    }
  }
  if (type === 'code') {
    dropUnless(metadata, 'collapsed', (v) => typeof v === 'boolean', 'true or false', where, warnings);
    dropUnless(metadata, 'scrolled', (v) => typeof v === 'boolean' || v === 'auto', "true, false or 'auto'", where, warnings);
    const execution = own(metadata, 'execution');
    if (execution !== undefined) {
      if (!isObject(execution)) {
        warnings.add(`'execution' was ${typeName(execution)}, not an object; dropped it`, where);
        delete metadata.execution;
      } else if (!Object.values(execution).every((v) => typeof v === 'string')) {
        warnings.add("'execution' held timestamps that are not text; dropped those", where);
        const fixed: JsonObject = {};
        for (const key of Object.keys(execution)) if (typeof execution[key] === 'string') setKey(fixed, key, execution[key]);
        metadata.execution = fixed;
      }
    }
  } else if (type === 'raw') {
    dropUnless(metadata, 'format', (v) => typeof v === 'string', 'text', where, warnings);
  }
  return metadata;
}

/** A metadata object copied key by key (so one too-deep value loses only itself). */
function normalizeFreeMetadata(
  raw: unknown,
  place: string,
  warnings: Warnings,
  transient: readonly string[] = [],
): JsonObject {
  if (!isObject(raw)) {
    const message = raw === undefined ? "had no 'metadata'; gave it an empty one" : `'metadata' was ${typeName(raw)}; replaced it with an empty one`;
    warnings.add(message, place.replace(/ metadata$/, ''));
    return {};
  }
  const out: JsonObject = {};
  for (const key of Object.keys(raw)) {
    // Jupyter strips these on every read and write (nbformat's strip_transient).
    if (transient.includes(key)) continue;
    const copy = copyJson(raw[key], `${place} '${clip(key, 60)}'`, warnings);
    if (copy !== undefined) setKey(out, key, copy);
  }
  return out;
}

function dropUnless(
  metadata: JsonObject,
  key: string,
  valid: (value: unknown) => boolean,
  expected: string,
  place: string,
  warnings: Warnings,
): void {
  if (!Object.hasOwn(metadata, key) || valid(metadata[key])) return;
  warnings.add(`'${key}' was ${typeName(metadata[key])}, where nbformat expects ${expected}; dropped it`, place);
  delete metadata[key];
}

// ---------------------------------------------------------------------------------------------
// Writing

export function serializeNotebook(notebook: Notebook): string {
  const parts: string[] = [];
  writeJson(toIpynb(notebook), '', parts);
  parts.push('\n');
  return parts.join('');
}

export function toIpynb(notebook: Notebook): JsonObject {
  // The model is normalized again so a model the UI got slightly wrong (a duplicate id, a bad
  // execution count) still yields a file Jupyter accepts. Warnings have nowhere to go here.
  const clean = normalizeNotebook(notebook.metadata, notebook.cells, 5, new Warnings(), 'The notebook');
  return {
    cells: clean.cells.map(cellToJson),
    metadata: clean.metadata,
    nbformat: 4,
    nbformat_minor: 5,
  };
}

function cellToJson(cell: Cell): JsonObject {
  const base: JsonObject = { cell_type: cell.cell_type, id: cell.id, metadata: cell.metadata, source: splitLines(cell.source) };
  if (cell.cell_type === 'code') {
    base.execution_count = cell.execution_count;
    base.outputs = cell.outputs.map(outputToJson);
  } else if (cell.attachments && Object.keys(cell.attachments).length > 0) {
    const attachments: JsonObject = {};
    for (const name of Object.keys(cell.attachments)) setKey(attachments, name, splitBundle(cell.attachments[name] ?? {}));
    base.attachments = attachments;
  }
  return base;
}

function outputToJson(output: Output): JsonObject {
  switch (output.output_type) {
    case 'stream':
      return { name: output.name, output_type: 'stream', text: splitLines(output.text) };
    case 'display_data':
      return { data: splitBundle(output.data), metadata: output.metadata, output_type: 'display_data' };
    case 'execute_result':
      return { data: splitBundle(output.data), execution_count: output.execution_count, metadata: output.metadata, output_type: 'execute_result' };
    case 'error':
      return { ename: output.ename, evalue: output.evalue, output_type: 'error', traceback: [...output.traceback] };
  }
}

/** Jupyter's _split_mimebundle: text/*, JavaScript and SVG as lines; images stay one base64 string. */
function splitBundle(bundle: MimeBundle): JsonObject {
  const out: JsonObject = {};
  for (const mime of Object.keys(bundle)) {
    const value = bundle[mime];
    const split = typeof value === 'string' && (mime.startsWith('text/') || mime === 'application/javascript' || mime === 'image/svg+xml');
    setKey(out, mime, split ? splitLines(value) : value);
  }
  return out;
}

/** Python's str.splitlines(keepends=True): joining the result gives the input back. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  if (!HAS_LINE_BREAK.test(text)) return [text];
  const lines = text.match(LINE_PIECE) ?? [];
  // The pattern ends with one empty match at the end of the text.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** json.dumps(indent=1, sort_keys=True, ensure_ascii=False), as nbformat writes. */
function writeJson(value: unknown, indent: string, parts: string[]): void {
  if (typeof value === 'string') {
    parts.push(JSON.stringify(value));
  } else if (typeof value === 'number') {
    parts.push(Number.isFinite(value) ? JSON.stringify(value) : 'null');
  } else if (typeof value === 'boolean') {
    parts.push(value ? 'true' : 'false');
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      parts.push('[]');
      return;
    }
    const inner = `${indent} `;
    // Lists of lines are most of a big notebook's text: one join instead of three pushes per line.
    if (value.every((item) => typeof item === 'string')) {
      parts.push('[\n', inner, value.map((line) => JSON.stringify(line)).join(`,\n${inner}`), '\n', indent, ']');
      return;
    }
    parts.push('[\n');
    value.forEach((item, index) => {
      parts.push(inner);
      writeJson(isWritable(item) ? item : null, inner, parts);
      parts.push(index < value.length - 1 ? ',\n' : '\n');
    });
    parts.push(indent, ']');
  } else if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((key) => isWritable(value[key]))
      .sort(compareCodePoints);
    if (keys.length === 0) {
      parts.push('{}');
      return;
    }
    const inner = `${indent} `;
    parts.push('{\n');
    keys.forEach((key, index) => {
      parts.push(inner, JSON.stringify(key), ': ');
      writeJson(value[key], inner, parts);
      parts.push(index < keys.length - 1 ? ',\n' : '\n');
    });
    parts.push(indent, '}');
  } else {
    parts.push('null');
  }
}

function isWritable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** Python sorts str keys by code point; UTF-16 order differs only when a surrogate meets U+E000-U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Warnings grouped by message, so a repair made in 5,000 cells is one line, and capped. */
class Warnings {
  private readonly groups = new Map<string, { places: string[]; count: number }>();

  add(message: string, place?: string): void {
    let group = this.groups.get(message);
    if (!group) {
      group = { places: [], count: 0 };
      this.groups.set(message, group);
    }
    if (place === undefined) return;
    group.count++;
    if (group.places.length < MAX_PLACES && !group.places.includes(place)) group.places.push(place);
  }

  lines(): string[] {
    const lines: string[] = [];
    for (const [message, { places, count }] of this.groups) {
      if (places.length === 0) {
        lines.push(capitalize(message));
        continue;
      }
      const more = count > places.length ? ` and ${count - places.length} more` : '';
      // "cells 3, 5 and 9 more" reads better than "cell 3, cell 5 and 9 more".
      const label = places.length > 1 && places.every((p) => /^cell \d+$/.test(p)) ? `cells ${places.map((p) => p.slice(5)).join(', ')}` : places.join(', ');
      lines.push(`${capitalize(label)}${more}: ${message}`);
    }
    if (lines.length <= MAX_WARNING_LINES) return lines;
    const rest = lines.length - MAX_WARNING_LINES;
    return [...lines.slice(0, MAX_WARNING_LINES), `…and ${rest} more kind${rest === 1 ? '' : 's'} of repair`];
  }
}

class TooDeep extends Error {}

/** A deep copy of a JSON value; too-deep values are dropped (undefined) with a warning. */
function copyJson(value: unknown, place: string, warnings: Warnings): unknown {
  try {
    return copyValue(value, 0);
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
    warnings.add(`dropped a value nested more than ${MAX_DEPTH} levels deep`, place);
    return undefined;
  }
}

function copyValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (depth >= MAX_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return value.map((item) => (isWritable(item) ? copyValue(item, depth + 1) : null));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (isWritable(item)) setKey(out, key, copyValue(item, depth + 1));
    }
    return out;
  }
  return null;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: a parsed key is data, never Object.prototype's `constructor` or `toString`. */
function own(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Assignment that stores a `__proto__` key as data instead of changing the prototype. */
function setKey(object: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isEmptyValue(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

/** The JSON type of a value, for warnings: without the value, so repeats group into one line. */
function typeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return 'true or false';
  return `a ${typeof value}`;
}

/** The JSON type of a value with a glimpse of it, for errors. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `a string ("${clip(value, 30)}")`;
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fileLabel(name: string): string {
  return name === 'This file' ? 'notebook.ipynb' : name.replace(/'/g, "'\\''");
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
