// nbformat 3 → 4, following nbformat's v4/convert.py; the repair step then makes it valid 4.5.
import type { JsonObject } from './model';
import { NotebookFileError, V3_MIME_ALIASES, Warnings, isObject, joinStrings, kindOf, own, setKey, splitLines } from './ipynb-json';

// ---- nbformat 3 → 4, following nbformat's v4/convert.py; the v4 normalizer then repairs the rest.

export function upgradeV3(document: JsonObject, name: string, warnings: Warnings): { metadata: unknown; cells: unknown[] } {
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
  if (
    worksheets.length > 0 &&
    cells.length === 0 &&
    worksheets.every((ws) => !Array.isArray(isObject(ws) ? own(ws, 'cells') : undefined))
  ) {
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

export function upgradeCellV3(cell: JsonObject): JsonObject {
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

export function upgradeOutputV3(output: unknown): unknown {
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
