// Writing `.ipynb`: serialization byte-identical to what Jupyter writes (nbformat 4.5).
import type { MimeBundle, Output } from '../protocol';
import type { Cell, JsonObject, Notebook } from './model';
import { Warnings, isObject, isWritable, setKey, splitLines } from './ipynb-json';
import { normalizeNotebook } from './ipynb-repair';

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

export function cellToJson(cell: Cell): JsonObject {
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

export function outputToJson(output: Output): JsonObject {
  switch (output.output_type) {
    case 'stream':
      return { name: output.name, output_type: 'stream', text: splitLines(output.text) };
    case 'display_data':
      return { data: splitBundle(output.data), metadata: output.metadata, output_type: 'display_data' };
    case 'execute_result':
      return {
        data: splitBundle(output.data),
        execution_count: output.execution_count,
        metadata: output.metadata,
        output_type: 'execute_result',
      };
    case 'error':
      return { ename: output.ename, evalue: output.evalue, output_type: 'error', traceback: [...output.traceback] };
  }
}

/** Jupyter's _split_mimebundle: text/*, JavaScript and SVG as lines; images stay one base64 string. */
export function splitBundle(bundle: MimeBundle): JsonObject {
  const out: JsonObject = {};
  for (const mime of Object.keys(bundle)) {
    const value = bundle[mime];
    const split = typeof value === 'string' && (mime.startsWith('text/') || mime === 'application/javascript' || mime === 'image/svg+xml');
    setKey(out, mime, split ? splitLines(value) : value);
  }
  return out;
}

/** json.dumps(indent=1, sort_keys=True, ensure_ascii=False), as nbformat writes. */
export function writeJson(value: unknown, indent: string, parts: string[]): void {
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

/** Python sorts str keys by code point; UTF-16 order differs only when a surrogate meets U+E000-U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
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
