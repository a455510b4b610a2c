// The command registry: one binding per key and mode, names unique, every toolbar entry labelled —
// the toolbar, the keys, the help panel and the palette all read this list.
import { describe, expect, test } from 'vitest';
import { bindingsFor, COMMANDS, shortcutOf, type NotebookCommand } from '../../src/components/notebook-commands';

describe('command registry', () => {
  test('no key is bound twice in a mode; a duplicate is refused with both names', () => {
    expect(bindingsFor('command').get('Shift+M')?.id).toBe('merge-cells');
    expect(bindingsFor('edit').get('Ctrl+Shift+-')?.id).toBe('split-cell-at-cursor');
    const clash: NotebookCommand[] = [...COMMANDS, { id: 'other', label: 'Other', keys: { command: ['Shift+M'] }, run: () => undefined }];
    expect(() => bindingsFor('command', clash)).toThrow(/Shift\+M is bound to both merge-cells and other/);
  });

  test('ids and labels are unique; the issue’s keys are all bound', () => {
    expect(new Set(COMMANDS.map((c) => c.id)).size).toBe(COMMANDS.length);
    expect(new Set(COMMANDS.map((c) => c.label)).size).toBe(COMMANDS.length);
    const command = bindingsFor('command');
    for (const key of [
      'Shift+ArrowUp',
      'Shift+ArrowDown',
      'Shift+J',
      'Shift+K',
      'Shift+M',
      'Ctrl+F',
      'Shift+L',
      'H',
      'Ctrl+Shift+C',
      'D D',
      'Z',
      'X',
      'C',
      'V',
    ]) {
      expect(command.has(key), key).toBe(true);
    }
  });

  test('tooltips show the first binding', () => {
    const find = COMMANDS.find((c) => c.id === 'find')!;
    expect(shortcutOf(find)).toBe('Ctrl+F');
    expect(shortcutOf(COMMANDS.find((c) => c.id === 'run-all-cells')!)).toBeUndefined();
  });
});
