// The .ipynb reader/writer against real files: Jupyter-identical output, upgrades that match
// nbformat's, schema-valid exports, readable errors for files that are not notebooks (repairs and their
// warnings: notebook-ipynb-repair.test.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test, vi } from 'vitest';
import type { ErrorOutput, ExecuteResultOutput, StreamOutput } from '../../src/protocol';
import { NotebookFileError, parseNotebook, serializeNotebook, toIpynb } from '../../src/notebook/ipynb';
import { newNotebook, type Cell, type JsonObject } from '../../src/notebook/model';
import { codeCell, expectValid } from './helpers/ipynb';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/notebooks');

const fixtureBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(FIXTURES, name)));
const fixtureText = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const V45 = 'jupyter-v4.5.ipynb';
const V44 = 'jupyter-v4.4-no-ids.ipynb';
const V3 = 'ipython2-v3.ipynb';

/** A file as JSON with every cell id replaced by its index, to compare upgrades whose ids are random. */
function withIndexIds(text: string): string {
  const doc = JSON.parse(text) as { cells: { id?: string }[] };
  doc.cells.forEach((cell, index) => (cell.id = `ID${index}`));
  return JSON.stringify(doc, null, 1);
}

function readError(input: string | Uint8Array, fileName = 'bad.ipynb'): NotebookFileError {
  try {
    parseNotebook(input, fileName);
  } catch (error) {
    if (!(error instanceof NotebookFileError)) throw error;
    return error;
  }
  throw new Error('expected a NotebookFileError');
}

describe('reading real notebooks', () => {
  test('a JupyterLab 4.5 notebook: every part lands in the model', () => {
    const { notebook, warnings } = parseNotebook(fixtureBytes(V45), V45);
    expect(warnings).toEqual([]);
    expect(notebook.nbformat).toBe(4);
    expect(notebook.nbformat_minor).toBe(5);
    expect(notebook.cells.map((c) => [c.id, c.cell_type])).toEqual([
      ['intro-md', 'markdown'],
      ['a1b2c3d4', 'code'],
      ['plot-cell', 'code'],
      ['json-cell', 'code'],
      ['error-cell', 'code'],
      ['raw-rst', 'raw'],
      ['empty-cell', 'code'],
    ]);
    // Unknown metadata at every level, verbatim.
    expect(notebook.metadata.x_pyloom_fixture).toEqual({
      owner: 'test suite',
      nested: [1, 2.5, { deep: [null, true, 'ünïcødé'] }],
      '10': 'numeric-looking key',
      '2': 'another',
    });
    expect(notebook.metadata['toc-autonumbering']).toBe(true);
    const intro = notebook.cells[0] as Cell;
    expect(intro.source).toBe(
      '# Checkerboard analysis\n\nA tiny image kept as an attachment:\n\n![checker](attachment:checker.png)\n\nUnicode: café, 日本語, 🐍.',
    );
    expect(intro.metadata).toEqual({ tags: ['intro'], x_cell_note: { reviewed: false } });
    expect(intro.cell_type === 'markdown' && intro.attachments?.['checker.png']?.['image/png']).toMatch(/^iVBORw0KGgo/);

    const run = codeCell(notebook, 1);
    expect(run.execution_count).toBe(1);
    expect(run.metadata.x_cell_flag).toEqual([1, 'two', { three: 3 }]);
    expect(run.outputs.map((o) => o.output_type)).toEqual(['stream', 'stream', 'stream', 'execute_result']);
    expect((run.outputs[0] as StreamOutput).text).toBe('step 0\nstep 1\nstep 2\n');
    expect((run.outputs[1] as StreamOutput).name).toBe('stderr');
    expect((run.outputs[2] as StreamOutput).text).toBe('progress\r 50%\r100%\n');
    const result = run.outputs[3] as ExecuteResultOutput;
    expect(result.data['text/html']).toBe('<table>\n<tr><th>answer</th></tr>\n<tr><td>42</td></tr>\n</table>');
    expect(result.metadata).toEqual({ x_output_meta: { source: 'fixture' } });

    const plot = codeCell(notebook, 2).outputs[0];
    expect(plot?.output_type === 'display_data' && plot.data['image/png']).toMatch(/^iVBORw0KGgo.*=$/);
    expect(plot?.output_type === 'display_data' && plot.metadata).toEqual({
      'image/png': { width: 4, height: 4 },
      needs_background: 'light',
    });

    const json = codeCell(notebook, 3).outputs[0] as ExecuteResultOutput;
    expect(json.data['application/json']).toEqual({
      points: [
        [0, 1],
        [2, 3],
      ],
      label: 'grid',
      empty: {},
      none: null,
    });
    expect(json.data['application/vnd.pyloom.test+json']).toEqual(['a', 1, false]);

    const error = codeCell(notebook, 4).outputs[0] as ErrorOutput;
    expect(error.ename).toBe('ZeroDivisionError');
    expect(error.traceback).toHaveLength(4);
    expect(error.traceback[0]).toContain('\u001b[0;31m');

    const raw = notebook.cells[5] as Cell;
    expect(raw.metadata).toEqual({ format: 'text/restructuredtext', x_raw_meta: 7 });
    expect(codeCell(notebook, 6)).toMatchObject({ source: '', execution_count: null, outputs: [] });
  });

  test('writing the 4.5 notebook gives back the exact bytes Jupyter wrote', () => {
    const { notebook } = parseNotebook(fixtureBytes(V45));
    expect(serializeNotebook(notebook)).toBe(fixtureText(V45));
  });

  test.each([V45, V44, V3])('round trip keeps everything: %s', (name) => {
    const first = parseNotebook(fixtureBytes(name), name).notebook;
    const text = serializeNotebook(first);
    const second = parseNotebook(text, name);
    expect(second.warnings).toEqual([]);
    expect(second.notebook).toEqual(first);
    expect(serializeNotebook(second.notebook)).toBe(text);
  });

  test('a 4.4 notebook is upgraded to 4.5 the way nbformat does it (cell ids added, quietly)', () => {
    const { notebook, warnings } = parseNotebook(fixtureBytes(V44), V44);
    expect(warnings).toEqual([]);
    const ids = notebook.cells.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    expect(notebook.metadata.toc).toMatchObject({ title_cell: 'Table of Contents' });
    expect(withIndexIds(serializeNotebook(notebook))).toBe(withIndexIds(fixtureText('jupyter-v4.4-no-ids.upgraded-by-nbformat.ipynb')));
  });

  test('an nbformat 3 notebook is converted like nbformat converts it, with a warning', () => {
    const { notebook, warnings } = parseNotebook(fixtureBytes(V3), V3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Converted from nbformat 3/);
    // Both worksheets, in order; headings became markdown.
    expect(notebook.cells.map((c) => c.cell_type)).toEqual(['markdown', 'markdown', 'code', 'markdown', 'code', 'code', 'raw', 'code']);
    expect(notebook.cells[0]?.source).toBe('# Old IPython 2 notebook');
    expect(notebook.cells[3]?.source).toBe('## Plots and errors');
    const first = codeCell(notebook, 2);
    expect(first).toMatchObject({ source: "x = 6 * 7\nprint 'hello'\nx", execution_count: 1, metadata: { collapsed: false } });
    expect(first.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'hello\n' },
      { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '42', 'text/html': '<b>42</b>' }, metadata: {} },
    ]);
    const display = codeCell(notebook, 4).outputs;
    expect(display[0]).toMatchObject({ output_type: 'display_data', metadata: { 'image/png': { width: 4 } } });
    expect(display[1]).toMatchObject({ data: { 'application/json': { a: [1, 2] } } });
    expect(codeCell(notebook, 5).outputs[0]).toMatchObject({ output_type: 'error', ename: 'ZeroDivisionError' });
    expect(notebook.metadata).toEqual({ x_legacy_meta: { kept: true } });
    expect(withIndexIds(serializeNotebook(notebook))).toBe(withIndexIds(fixtureText('ipython2-v3.upgraded-by-nbformat.ipynb')));
  });

  test.for([V45, V44, V3])('the export of %s validates against the nbformat 4.5 schema', (name, ctx) => {
    const { notebook } = parseNotebook(fixtureBytes(name), name);
    expectValid(toIpynb(notebook), ctx);
    expectValid(JSON.parse(serializeNotebook(notebook)), ctx);
  });

  test('text, ArrayBuffer, Uint8Array and a UTF-8 byte order mark are all read', () => {
    const text = fixtureText(V45);
    const bytes = fixtureBytes(V45);
    const expected = parseNotebook(text).notebook;
    const buffer = new ArrayBuffer(bytes.length);
    new Uint8Array(buffer).set(bytes);
    expect(parseNotebook(buffer).notebook).toEqual(expected);
    expect(parseNotebook(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes])).notebook).toEqual(expected);
    expect(parseNotebook(`\ufeff${text}`).notebook).toEqual(expected);
  });

  test('a new Pyloom notebook exports as valid nbformat 4.5', (ctx) => {
    const doc = toIpynb(newNotebook());
    expect(doc).toMatchObject({ nbformat: 4, nbformat_minor: 5 });
    expectValid(doc, ctx);
  });
});

describe('files that are not notebooks give a NotebookFileError saying what is wrong', () => {
  const nb = (rest: JsonObject): string => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [], ...rest });
  const cases: [string, string | Uint8Array, RegExp[]][] = [
    ['invalid UTF-8 (C3 28)', new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]), [/bad\.ipynb is not UTF-8 text/, /encoding/]],
    ['a lone FF byte', new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), [/not UTF-8/]],
    ['UTF-16 text', new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), [/UTF-16/, /UTF-8/]],
    ['an empty file', '  \n', [/empty/]],
    ['plain text', 'print("hello")', [/not valid JSON/, /not a Jupyter notebook/]],
    ['a cut-short file', '{"nbformat": 4, "cells": [', [/not valid JSON/, /cut short/]],
    ['a JSON list', '[1, 2]', [/is a list/, /not a Jupyter notebook/, /'cells'/]],
    ['a JSON number', '42', [/a number \(42\)/, /not a Jupyter notebook/]],
    ['a JSON object without cells', '{"name": "package.json"}', [/no 'cells' list/, /not a Jupyter notebook/]],
    ['nbformat 5', nb({ nbformat: 5 }), [/nbformat 5/, /newer/]],
    ['nbformat 2', nb({ nbformat: 2 }), [/nbformat 2/, /jupyter nbconvert/]],
    ['nbformat as a string', nb({ nbformat: '4' }), [/'nbformat' is a string/, /number 4/]],
    ['nbformat 4 without cells', '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}', [/no 'cells' list/]],
    ['cells that is not a list', nb({ cells: 'oops' }), [/'cells' is a string/, /not a list/]],
    ['cells with no cell in them', nb({ cells: [1, null, 'x'] }), [/none of the 3 entries/]],
    ['nbformat 3 without worksheets', '{"nbformat": 3, "metadata": {}}', [/nbformat 3/, /'worksheets'/]],
    ['100,000 nested lists', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, [/is a list/, /not a Jupyter notebook/]],
  ];
  test.each(cases)('%s', (_label, input, patterns) => {
    const error = readError(input);
    expect(error).toBeInstanceOf(NotebookFileError);
    expect(error.name).toBe('NotebookFileError');
    // No cause: these are expected failures, not reader bugs caught by the safety net.
    expect(error.cause).toBeUndefined();
    for (const pattern of patterns) expect(error.message).toMatch(pattern);
  });

  test('the message names the file, or says "This file" without a name', () => {
    expect(readError('[]', 'results.ipynb').message).toMatch(/^results\.ipynb /);
    expect(() => parseNotebook('[]')).toThrow(/^This file /);
  });

  test('an unexpected failure inside the reader still reaches the user as a NotebookFileError, with its cause', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(() => {
      throw new TypeError('no randomness today');
    });
    try {
      const error = readError(fixtureBytes(V44), V44);
      expect(error.message).toMatch(/unexpected problem in Pyloom's notebook reader \(TypeError: no randomness today\)/);
      expect(error.message).toMatch(/report it/);
      expect(error.cause).toBeInstanceOf(TypeError);
    } finally {
      spy.mockRestore();
    }
  });

  test('the parser position is quoted for broken JSON', () => {
    expect(readError('{"nbformat": 4, "cells": [}]}').message).toMatch(/position \d+|token/i);
  });
});

describe('writing', () => {
  test("text is split into lines like Python's splitlines(keepends=True); images stay one string", () => {
    const notebook = newNotebook([
      {
        id: 'a',
        cell_type: 'code',
        source: 'a\r\nb\rc\u2028d\x0ce\n\nlast',
        metadata: {},
        execution_count: 1,
        outputs: [
          {
            output_type: 'display_data',
            data: {
              'image/png': 'AAAA\nBBBB',
              'image/svg+xml': '<svg>\n</svg>',
              'application/javascript': 'a;\nb;',
              'application/json': { k: 'v\n' },
              'text/latex': '$x$',
            },
            metadata: {},
          },
        ],
      },
      { id: 'b', cell_type: 'markdown', source: 'ends with newline\n', metadata: {} },
    ]);
    const doc = JSON.parse(serializeNotebook(notebook)) as { cells: JsonObject[] };
    expect(doc.cells[0]?.source).toEqual(['a\r\n', 'b\r', 'c\u2028', 'd\x0c', 'e\n', '\n', 'last']);
    expect(doc.cells[1]?.source).toEqual(['ends with newline\n']);
    expect((doc.cells[0]?.outputs as JsonObject[])[0]?.data).toEqual({
      'image/png': 'AAAA\nBBBB',
      'image/svg+xml': ['<svg>\n', '</svg>'],
      'application/javascript': ['a;\n', 'b;'],
      'application/json': { k: 'v\n' },
      'text/latex': ['$x$'],
    });
    expect(doc.cells[1]).not.toHaveProperty('attachments');
  });

  test("keys are sorted like Python's sort_keys (code points, numeric-looking keys as text)", () => {
    const notebook = newNotebook([]);
    notebook.metadata = { b: 1, '10': 2, '2': 3, a: { z: 1, y: 2 }, '\uffff': 4, '\u{1f600}': 5 };
    const text = serializeNotebook(notebook);
    const order = [...text.matchAll(/^ {2}"([^"]*)":/gm)].map((m) => m[1]);
    expect(order).toEqual(['10', '2', 'a', 'b', '\uffff', '\u{1f600}']);
    expect(text).toContain('"a": {\n   "y": 2,\n   "z": 1\n  }');
    expect(text.endsWith('}\n')).toBe(true);
  });
});

describe('size', () => {
  test('a ~10 MB notebook of images and text parses and serializes quickly', () => {
    const base64 = 'iVBORw0KGgo' + 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123456789+/'.repeat(10_900);
    const cells = Array.from({ length: 20 }, (_, i) => ({
      cell_type: 'code',
      id: `big-${i}`,
      metadata: {},
      execution_count: i + 1,
      source: Array.from({ length: 200 }, (_, j) => `x_${j} = ${j} * ${i}\n`),
      outputs: [
        { output_type: 'stream', name: 'stdout', text: Array.from({ length: 2000 }, (_, j) => `line ${j} of the output of cell ${i}\n`) },
        { output_type: 'display_data', data: { 'image/png': base64, 'text/plain': ['<Figure size 640x480 with 1 Axes>'] }, metadata: {} },
      ],
    }));
    const text = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }, null, 1);
    const bytes = new TextEncoder().encode(text);
    expect(bytes.length).toBeGreaterThan(10_000_000);
    let start = performance.now();
    const { notebook, warnings } = parseNotebook(bytes, 'big.ipynb');
    const parseMs = performance.now() - start;
    start = performance.now();
    const out = serializeNotebook(notebook);
    const writeMs = performance.now() - start;
    console.log(`${(bytes.length / 1e6).toFixed(1)} MB notebook: parse ${parseMs.toFixed(0)} ms, serialize ${writeMs.toFixed(0)} ms`);
    expect(warnings).toEqual([]);
    expect(notebook.cells).toHaveLength(20);
    expect(out.length).toBeGreaterThan(10_000_000);
  });
});
