// Find and replace across cells, the table of contents and the selection rules (pure modules of
// src/notebook/), and the key names the command registry binds.
import { describe, expect, test } from 'vitest';
import { compileQuery, findMatches, outputText, replaceAll, replaceOne, replacementFor } from '../../src/notebook/find';
import { newCell, type Cell, type CodeCell } from '../../src/notebook/model';
import { extendBy, extendTo, selectedIds, single } from '../../src/notebook/selection';
import { headingsOf } from '../../src/notebook/toc';
import { keyName, KeySequence } from '../../src/components/keymap';

const code = (id: string, source: string): Cell => ({ ...newCell('code', source), id });
const md = (id: string, source: string): Cell => ({ ...newCell('markdown', source), id });
const pattern = (query: string, caseSensitive = false, regex = false) => {
  const compiled = compileQuery(query, { caseSensitive, regex });
  if (!compiled.ok) throw new Error(compiled.error);
  return compiled.pattern;
};

describe('find', () => {
  const nb = [code('a', 'Total = total + 1\nprint(total)'), md('b', '# The total'), code('c', 'x = 1')];
  test('plain text, case-insensitive by default, in notebook order', () => {
    expect(findMatches(nb, pattern('total')).map((m) => `${m.cellId}:${m.from}`)).toEqual(['a:0', 'a:8', 'a:24', 'b:6']);
  });
  test('match case', () => {
    expect(findMatches(nb, pattern('Total', true))).toEqual([{ cellId: 'a', from: 0, to: 5 }]);
  });
  test('regular expressions; special characters are literal without the option', () => {
    expect(findMatches(nb, pattern('t\\w+l', false, true))).toHaveLength(4);
    expect(findMatches(nb, pattern('x = 1'))).toEqual([{ cellId: 'c', from: 0, to: 5 }]);
    expect(findMatches(nb, pattern('(1'))).toEqual([]);
    const bad = compileQuery('(1', { caseSensitive: false, regex: true });
    expect(bad.ok).toBe(false);
  });
  test('patterns matching only empty text find nothing', () => {
    expect(findMatches(nb, pattern('', false, true))).toEqual([]);
    expect(findMatches(nb, pattern('x*', false, true)).every((m) => m.to > m.from)).toBe(true);
  });
  test('replace one and all, with groups for regular expressions', () => {
    const p = pattern('(\\w+) = (\\d)', false, true);
    const [first] = findMatches(nb, p).filter((m) => m.cellId === 'c');
    expect(replaceOne('x = 1', first!, p, '$2 == $1')).toBe('1 == x');
    expect(replaceAll('Total total TOTAL', pattern('total'), 'sum')).toBe('sum sum sum');
    // Without the regular-expression option, '$1' in the replacement is text.
    const plain = { caseSensitive: false, regex: false };
    expect(replaceAll('cost: 5', pattern('5'), replacementFor('$1 & $&', plain))).toBe('cost: $1 & $&');
  });
});

describe('find in outputs', () => {
  const withOutputs: CodeCell = {
    id: 'o',
    cell_type: 'code',
    source: 'print(total)',
    metadata: {},
    outputs: [
      { output_type: 'stream', name: 'stdout', text: 'total: \x1b[31m42\x1b[0m\nTOTAL again\n' },
      { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': ['the ', 'total'] }, metadata: {} },
      { output_type: 'display_data', data: { 'text/html': '<b>total</b>', 'text/plain': 'total' }, metadata: {} },
      {
        output_type: 'error',
        ename: 'NameError',
        evalue: "name 'total' is not defined",
        traceback: ['\x1b[31mNameError\x1b[0m: name \x1b[1mtotal\x1b[0m is not defined'],
      },
    ],
    execution_count: 1,
  };
  test('text outputs as searched: ANSI codes removed, text/plain-only bundles, rich outputs not at all', () => {
    const [stream, result, rich, error] = withOutputs.outputs.map(outputText);
    expect(stream).toBe('total: 42\nTOTAL again\n');
    expect(result).toBe('the total');
    expect(rich).toBeUndefined();
    expect(error).toBe('NameError: name total is not defined');
  });
  test('with the option, matches in outputs follow the source, by output index and offset; without, none', () => {
    const found = findMatches([withOutputs, code('z', 'total')], pattern('total'), undefined, true);
    expect(found.map((m) => `${m.cellId}:${m.output ?? 'src'}:${m.from}-${m.to}`)).toEqual([
      'o:src:6-11',
      'o:0:0-5',
      'o:0:10-15',
      'o:1:4-9',
      'o:3:16-21',
      'z:src:0-5',
    ]);
    expect(findMatches([withOutputs], pattern('total'))).toHaveLength(1);
    expect(findMatches([withOutputs], pattern('total', true), undefined, true)).toHaveLength(4);
    expect(findMatches([withOutputs], pattern('total'), 3, true)).toHaveLength(3);
  });
});

describe('table of contents', () => {
  test('ATX and Setext headings of Markdown cells, not code, not fenced blocks', () => {
    const nb = [
      md('a', '# Intro to **pandas**\ntext\n## [Data](http://x) loading ##'),
      code('b', '# not a heading'),
      md('c', '```\n# in code\n```\nResults\n-------'),
      md('d', '###### Deep'),
    ];
    expect(headingsOf(nb)).toEqual([
      { cellId: 'a', level: 1, text: 'Intro to pandas' },
      { cellId: 'a', level: 2, text: 'Data loading' },
      { cellId: 'c', level: 2, text: 'Results' },
      { cellId: 'd', level: 6, text: 'Deep' },
    ]);
  });
});

describe('selection', () => {
  const nb = ['a', 'b', 'c', 'd'].map((id) => code(id, ''));
  test('Shift+Down twice then Shift+Up: anchor stays, head moves', () => {
    let s = single('b');
    s = extendBy(nb, s, 1);
    s = extendBy(nb, s, 1);
    expect(selectedIds(nb, s)).toEqual(['b', 'c', 'd']);
    s = extendBy(nb, s, 1); // at the bottom: no change
    s = extendBy(nb, s, -1);
    expect(selectedIds(nb, s)).toEqual(['b', 'c']);
    expect(s.head).toBe('c');
  });
  test('upwards and Shift+click give notebook order', () => {
    expect(selectedIds(nb, extendBy(nb, single('b'), -1))).toEqual(['a', 'b']);
    expect(selectedIds(nb, extendTo(single('d'), 'b'))).toEqual(['b', 'c', 'd']);
  });
  test('a deleted anchor or head shrinks the selection', () => {
    expect(selectedIds(nb.slice(1), { anchor: 'a', head: 'c' })).toEqual(['c']);
    expect(selectedIds(nb, { anchor: 'b', head: 'gone' })).toEqual(['b']);
  });
});

describe('key names', () => {
  const press = (key: string, code: string, mods: Partial<Record<'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) =>
    keyName({ key, code, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });
  test('letters, shifted punctuation by key cap, Cmd as Ctrl, bare modifiers ignored', () => {
    expect(press('m', 'KeyM')).toBe('M');
    expect(press('M', 'KeyM', { shiftKey: true })).toBe('Shift+M');
    expect(press('_', 'Minus', { shiftKey: true, ctrlKey: true })).toBe('Ctrl+Shift+-');
    expect(press('c', 'KeyC', { shiftKey: true, metaKey: true })).toBe('Ctrl+Shift+C');
    expect(press('ArrowUp', 'ArrowUp', { shiftKey: true })).toBe('Shift+ArrowUp');
    expect(press('Shift', 'ShiftLeft', { shiftKey: true })).toBeUndefined();
  });
  test('chords complete within the time, single keys at once', () => {
    const keys = new KeySequence(() => ['D D', 'A', 'I I'], 800);
    expect(keys.feed('D', 0)).toBeUndefined();
    expect(keys.waiting).toBe(true);
    expect(keys.feed('D', 500)).toBe('D D');
    expect(keys.feed('D', 1000)).toBeUndefined();
    expect(keys.feed('D', 2000)).toBeUndefined(); // too late: this D starts a new chord
    expect(keys.feed('A', 2100)).toBe('A');
    expect(keys.feed('I', 3000)).toBeUndefined();
    expect(keys.feed('D', 3100)).toBeUndefined(); // a different second key breaks the chord
  });
});
