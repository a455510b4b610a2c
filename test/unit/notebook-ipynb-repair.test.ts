// The .ipynb reader's lenient repair (src/notebook/ipynb-repair.ts, ipynb-metadata.ts): each kind of
// damage repaired and reported by place, schema-rejected metadata dropped, warnings grouped and capped.
import { describe, expect, test } from 'vitest';
import { parseNotebook, serializeNotebook, toIpynb } from '../../src/notebook/ipynb';
import { newNotebook, type CodeCell, type JsonObject } from '../../src/notebook/model';
import { codeCell, expectValid } from './helpers/ipynb';

describe('repairs are made and reported', () => {
  const base = (cells: unknown[], extra: JsonObject = {}): string =>
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
      cells,
      ...extra,
    });

  test('each kind of damage is repaired, named by place, and the export is valid', (ctx) => {
    const { notebook, warnings } = parseNotebook(
      base(
        [
          { cell_type: 'code', id: 'ok-1', source: 42, metadata: {}, outputs: [], execution_count: 1 },
          { cell_type: 'code', id: 'ok-2', source: ['a'], execution_count: '7' },
          { cell_type: 'widget', id: 'ok-3', source: 'strange', metadata: {} },
          {
            cell_type: 'code',
            id: 'ok-4',
            source: 'x',
            metadata: { tags: ['a', 'a', 'b,c', 3], collapsed: 'yes', x_keep: 1 },
            execution_count: -2,
            outputs: [
              { output_type: 'stream', name: 'stdout' },
              { output_type: 'clear_output', wait: false },
              { output_type: 'display_data', data: { 'text/plain': ['a', 'b'], 'image/png': null }, metadata: { x: 1 } },
              { output_type: 'error', ename: 'E', traceback: 'line 1\nline 2' },
              'nonsense',
            ],
          },
          7,
          { cell_type: 'markdown', id: 'ok-1', source: 'duplicate id', metadata: {}, extra_key: 'gone' },
          { cell_type: 'markdown', id: 'not valid!', source: 'bad id', metadata: {} },
        ],
        { worksheets_leftover: true },
      ),
      'broken.ipynb',
    );
    const text = warnings.join('\n');
    expect(text).toMatch(/Cell 1: 'source' was a number; kept it as text/);
    expect(text).toMatch(/Cell 2: had no 'metadata'/);
    expect(text).toMatch(/Cell 2: had no 'outputs'/);
    expect(text).toMatch(/Cell 2: 'execution_count' was a string, not a count; cleared it/);
    expect(text).toMatch(/Cell 3: unknown cell type 'widget'; kept it as a raw cell/);
    expect(text).toMatch(/Cell 4 metadata: dropped tags/);
    expect(text).toMatch(/Cell 4 metadata: 'collapsed' was a string/);
    expect(text).toMatch(/Cell 4: 'execution_count' was negative, fractional or too large; cleared it/);
    expect(text).toMatch(/Cell 4 output 1: stream output had no 'text'; dropped it/);
    expect(text).toMatch(/Cell 4: dropped an output of unknown type 'clear_output' \(nbformat 4\.5 cannot store it\)/);
    expect(text).toMatch(/Cell 4 output 3: 'image\/png' data was null/);
    expect(text).toMatch(/Cell 4 output 4: error output's 'evalue' was missing; left empty/);
    expect(text).toMatch(/Cell 4 output 5: is a string, not an output/);
    expect(text).toMatch(/Cell 5: is a number, not a cell; skipped/);
    expect(text).toMatch(/Cell 6: dropped the unknown cell key 'extra_key'/);
    expect(text).toMatch(/Cells 6, 7: cell id was missing, not valid .* or a duplicate; gave it a new id/);
    expect(text).toMatch(/Dropped the top-level key 'worksheets_leftover'/);

    expect(notebook.cells).toHaveLength(6);
    expect(notebook.cells.map((c) => c.cell_type)).toEqual(['code', 'code', 'raw', 'code', 'markdown', 'markdown']);
    expect(notebook.cells[0]?.source).toBe('42');
    expect(notebook.cells.slice(0, 4).map((c) => c.id)).toEqual(['ok-1', 'ok-2', 'ok-3', 'ok-4']);
    expect(new Set(notebook.cells.map((c) => c.id)).size).toBe(6);
    const repaired = codeCell(notebook, 3);
    expect(repaired.metadata).toEqual({ tags: ['a'], x_keep: 1 });
    expect(repaired.outputs).toEqual([
      { output_type: 'display_data', data: { 'text/plain': 'ab' }, metadata: { x: 1 } },
      { output_type: 'error', ename: 'E', evalue: '', traceback: ['line 1', 'line 2'] },
    ]);
    expectValid(toIpynb(notebook), ctx);
  });

  test('known metadata with values the schema rejects is dropped; unknown metadata is kept', (ctx) => {
    const { notebook, warnings } = parseNotebook(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'python3' }, language_info: 'python', title: 5, orig_nbformat: 'x', custom: { kept: [1] } },
        cells: [
          {
            cell_type: 'code',
            id: 'c',
            source: '',
            metadata: { name: 'two\nlines', execution: { 'iopub.status.busy': 5, ok: 'yes' }, scrolled: 'auto', trusted: true },
            outputs: [],
            execution_count: null,
          },
          { cell_type: 'raw', id: 'r', source: '', metadata: { format: ['x'], jupyter: 'no' } },
        ],
      }),
    );
    expect(notebook.metadata).toEqual({ kernelspec: { name: 'python3', display_name: 'python3' }, custom: { kept: [1] } });
    expect(notebook.cells[0]?.metadata).toEqual({ execution: { ok: 'yes' }, scrolled: 'auto' });
    expect(notebook.cells[1]?.metadata).toEqual({});
    expect(warnings.join('\n')).toMatch(/'kernelspec' had no display name/);
    expect(warnings.join('\n')).toMatch(/'language_info' was not valid/);
    expect(warnings.join('\n')).toMatch(/'title' was a number/);
    expectValid(toIpynb(notebook), ctx);
  });

  test('values nested too deeply are dropped with a warning, not a crash', (ctx) => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const output = `{"output_type": "display_data", "metadata": {}, "data": {"application/json": ${deep}, "text/plain": "x"}}`;
    const cell = `{"cell_type": "code", "id": "a", "metadata": {}, "source": "", "execution_count": null, "outputs": [${output}]}`;
    const text = `{"nbformat": 4, "nbformat_minor": 5, "metadata": {"deep": ${deep}, "fine": 1}, "cells": [${cell}]}`;
    const { notebook, warnings } = parseNotebook(text);
    expect(notebook.metadata).toEqual({ fine: 1 });
    expect(codeCell(notebook, 0).outputs[0]).toEqual({ output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: {} });
    expect(warnings.join('\n')).toMatch(/nested more than 500 levels deep/);
    expectValid(toIpynb(notebook), ctx);
  });

  test('a __proto__ key is kept as data and changes no prototype', () => {
    const text = `{"nbformat": 4, "nbformat_minor": 5, "metadata": {"__proto__": {"polluted": true}}, "cells": []}`;
    const { notebook } = parseNotebook(text);
    expect(Object.keys(notebook.metadata)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(notebook.metadata)).toBe(Object.prototype);
    expect(({} as JsonObject).polluted).toBeUndefined();
    expect(serializeNotebook(notebook)).toContain('"__proto__": {\n   "polluted": true');
    expect(parseNotebook(serializeNotebook(notebook)).notebook).toEqual(notebook);
  });

  test('warnings from a 5,000-cell broken notebook are grouped and capped', () => {
    const cells = Array.from({ length: 5000 }, (_, i) => ({
      cell_type: i % 2 ? 'code' : `kind${i % 40}`,
      source: i,
      id: 'same',
      [`junk${i % 30}`]: 1,
    }));
    const { notebook, warnings } = parseNotebook(base(cells));
    expect(notebook.cells).toHaveLength(5000);
    expect(warnings.length).toBeLessThanOrEqual(21);
    expect(warnings[warnings.length - 1]).toMatch(/^…and \d+ more kinds of repair$/);
    expect(warnings.join('\n')).toMatch(/Cells 1, 2, 3, 4, 5 and 4995 more: 'source' was a number/);
  });

  test('toIpynb repairs what the UI may get wrong: duplicate ids, a bad execution count', (ctx) => {
    const notebook = newNotebook();
    const cell = notebook.cells[0] as CodeCell;
    notebook.cells.push({ ...cell, execution_count: 1.5 }, { ...cell, id: 'big-count', execution_count: 1e308 });
    const doc = toIpynb(notebook) as { cells: { id: string; execution_count: unknown }[] };
    expect(doc.cells[0]?.id).toBe(cell.id);
    expect(doc.cells[1]?.id).not.toBe(cell.id);
    expect(doc.cells[1]?.execution_count).toBeNull();
    // 1e308 is an integer to JavaScript, but written as 1e+308 Python reads a float.
    expect(doc.cells[2]?.execution_count).toBeNull();
    expectValid(doc, ctx);
  });
});
