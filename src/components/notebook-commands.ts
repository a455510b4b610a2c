// The one list of notebook commands: label, keys per mode, toolbar icon. The toolbar, the key
// handler, the shortcut help panel (H) and the command palette (Ctrl+Shift+C) all read it.
import type { NotebookSession } from '../notebook/session';
import type { IconName } from './icons';
import type { NotebookController } from './notebook-controller';

export type ToolbarGroup = 'cell' | 'run' | 'kernel' | 'view';

export interface NotebookCommand {
  /** Stable name (as JupyterLab's `notebook:…` ids, without the prefix). */
  id: string;
  /** What the palette, the help panel and the toolbar's accessible name say. */
  label: string;
  /** Bindings in command mode and in edit mode (keymap.ts spelling; "D D" is a chord). */
  keys?: { command?: readonly string[]; edit?: readonly string[] };
  /** Shown on the toolbar, in this group, with this icon. */
  toolbar?: { group: ToolbarGroup; icon: IconName };
  run(notebook: NotebookController, session: NotebookSession): void;
}

export const COMMANDS: readonly NotebookCommand[] = [
  // cell edits
  {
    id: 'insert-cell-above',
    label: 'Insert cell above',
    keys: { command: ['A'] },
    toolbar: { group: 'cell', icon: 'addAbove' },
    run: (n) => n.insert(0),
  },
  {
    id: 'insert-cell-below',
    label: 'Insert cell below',
    keys: { command: ['B'] },
    toolbar: { group: 'cell', icon: 'addBelow' },
    run: (n) => n.insert(1),
  },
  {
    id: 'delete-cell',
    label: 'Delete cells',
    keys: { command: ['D D'] },
    toolbar: { group: 'cell', icon: 'delete' },
    run: (n) => n.deleteSelected(),
  },
  {
    id: 'undo-cell-action',
    label: 'Undo cell operation',
    keys: { command: ['Z'] },
    toolbar: { group: 'cell', icon: 'undo' },
    run: (n) => n.undo(),
  },
  { id: 'redo-cell-action', label: 'Redo cell operation', keys: { command: ['Shift+Z'] }, run: (n) => n.undo(true) },
  { id: 'cut-cell', label: 'Cut cells', keys: { command: ['X'] }, toolbar: { group: 'cell', icon: 'cut' }, run: (n) => n.copy(true) },
  { id: 'copy-cell', label: 'Copy cells', keys: { command: ['C'] }, toolbar: { group: 'cell', icon: 'copy' }, run: (n) => n.copy(false) },
  {
    id: 'paste-cell-below',
    label: 'Paste cells below',
    keys: { command: ['V'] },
    toolbar: { group: 'cell', icon: 'paste' },
    run: (n) => n.paste('below'),
  },
  { id: 'paste-cell-above', label: 'Paste cells above', keys: { command: ['Shift+V'] }, run: (n) => n.paste('above') },
  {
    id: 'move-cell-up',
    label: 'Move cells up',
    keys: { command: ['Ctrl+Shift+ArrowUp'], edit: ['Ctrl+Shift+ArrowUp'] },
    toolbar: { group: 'cell', icon: 'up' },
    run: (n) => n.move(-1),
  },
  {
    id: 'move-cell-down',
    label: 'Move cells down',
    keys: { command: ['Ctrl+Shift+ArrowDown'], edit: ['Ctrl+Shift+ArrowDown'] },
    toolbar: { group: 'cell', icon: 'down' },
    run: (n) => n.move(1),
  },
  {
    id: 'merge-cells',
    label: 'Merge cells',
    keys: { command: ['Shift+M'] },
    toolbar: { group: 'cell', icon: 'merge' },
    run: (n) => n.merge(),
  },
  {
    id: 'split-cell-at-cursor',
    label: 'Split cell at cursor',
    keys: { edit: ['Ctrl+Shift+-'] },
    toolbar: { group: 'cell', icon: 'split' },
    run: (n) => n.split(),
  },
  { id: 'change-cell-to-code', label: 'Change cell type to code', keys: { command: ['Y'] }, run: (n) => n.setType('code') },
  { id: 'change-cell-to-markdown', label: 'Change cell type to Markdown', keys: { command: ['M'] }, run: (n) => n.setType('markdown') },
  { id: 'change-cell-to-raw', label: 'Change cell type to raw', keys: { command: ['R'] }, run: (n) => n.setType('raw') },
  // selection and modes
  { id: 'enter-edit-mode', label: 'Edit cell (edit mode)', keys: { command: ['Enter'] }, run: (n) => n.enterEdit() },
  { id: 'enter-command-mode', label: 'Leave editor (command mode)', keys: { edit: ['Escape'] }, run: (n) => n.leaveEdit(undefined) },
  { id: 'select-above', label: 'Select cell above', keys: { command: ['ArrowUp', 'K'] }, run: (n) => n.selectRelative(-1) },
  { id: 'select-below', label: 'Select cell below', keys: { command: ['ArrowDown', 'J'] }, run: (n) => n.selectRelative(1) },
  {
    id: 'extend-selection-above',
    label: 'Extend selection above',
    keys: { command: ['Shift+ArrowUp', 'Shift+K'] },
    run: (n) => n.extend(-1),
  },
  {
    id: 'extend-selection-below',
    label: 'Extend selection below',
    keys: { command: ['Shift+ArrowDown', 'Shift+J'] },
    run: (n) => n.extend(1),
  },
  { id: 'select-all', label: 'Select all cells', keys: { command: ['Ctrl+A'] }, run: (n) => n.selectAll() },
  // running
  {
    id: 'run-cell-and-select-next',
    label: 'Run',
    keys: { command: ['Shift+Enter'], edit: ['Shift+Enter'] },
    toolbar: { group: 'run', icon: 'run' },
    run: (n) => n.run('next'),
  },
  { id: 'run-cell', label: 'Run in place', keys: { command: ['Ctrl+Enter'], edit: ['Ctrl+Enter'] }, run: (n) => n.run('stay') },
  {
    id: 'run-cell-and-insert-below',
    label: 'Run and insert below',
    keys: { command: ['Alt+Enter'], edit: ['Alt+Enter'] },
    run: (n) => n.run('insert'),
  },
  { id: 'run-all-cells', label: 'Run all', toolbar: { group: 'run', icon: 'runAll' }, run: (n) => n.runAll() },
  { id: 'run-all-above', label: 'Run all above', run: (n, s) => n.activeId && s.runAbove(n.activeId) },
  { id: 'run-all-below', label: 'Run selected and all below', run: (n, s) => n.activeId && s.runBelow(n.activeId) },
  {
    id: 'interrupt-kernel',
    label: 'Interrupt',
    keys: { command: ['I I'] },
    toolbar: { group: 'kernel', icon: 'stop' },
    run: (_, s) => void s.interrupt(),
  },
  {
    id: 'restart-kernel',
    label: 'Restart',
    keys: { command: ['0 0'] },
    toolbar: { group: 'kernel', icon: 'restart' },
    run: (_, s) => void s.restart(),
  },
  {
    id: 'restart-run-all',
    label: 'Restart & run all',
    toolbar: { group: 'kernel', icon: 'restartRun' },
    run: (_, s) => void s.restartAndRunAll(),
  },
  { id: 'clear-all-outputs', label: 'Clear outputs', toolbar: { group: 'kernel', icon: 'clear' }, run: (_, s) => s.clearOutputs() },
  // view
  { id: 'hide-input', label: 'Collapse or expand input', run: (n) => n.toggleHidden('source') },
  { id: 'hide-output', label: 'Collapse or expand outputs', run: (n) => n.toggleHidden('outputs') },
  { id: 'expand-all', label: 'Expand all inputs and outputs', run: (n, s) => expandAll(n, s) },
  {
    id: 'toggle-line-numbers',
    label: 'Line numbers',
    keys: { command: ['Shift+L'] },
    toolbar: { group: 'view', icon: 'lines' },
    run: (n) => n.toggleLineNumbers(),
  },
  {
    id: 'find',
    label: 'Find and replace',
    keys: { command: ['Ctrl+F'], edit: ['Ctrl+F'] },
    toolbar: { group: 'view', icon: 'search' },
    run: (n) => n.toggle('find', true),
  },
  { id: 'toggle-toc', label: 'Table of contents', toolbar: { group: 'view', icon: 'toc' }, run: (n) => n.toggle('toc') },
  {
    id: 'show-shortcuts',
    label: 'Keyboard shortcuts',
    keys: { command: ['H'] },
    toolbar: { group: 'view', icon: 'keyboard' },
    run: (n) => n.toggle('help', true),
  },
  {
    id: 'command-palette',
    label: 'Command palette',
    keys: { command: ['Ctrl+Shift+C'], edit: ['Ctrl+Shift+C'] },
    toolbar: { group: 'view', icon: 'palette' },
    run: (n) => n.toggle('palette', true),
  },
];

function expandAll(n: NotebookController, s: NotebookSession): void {
  for (const cell of s.cells) s.setMetadata(cell.id, 'jupyter', { source_hidden: undefined, outputs_hidden: undefined });
  n.selectSpan(n.selectedIds());
}

/** The first binding of a command in a mode, for tooltips ("Insert cell above (A)"). */
export function shortcutOf(command: NotebookCommand): string | undefined {
  return command.keys?.command?.[0] ?? command.keys?.edit?.[0];
}

/** Command per binding in one mode. Two commands sharing a key in a mode is a programming error. */
export function bindingsFor(mode: 'command' | 'edit', commands: readonly NotebookCommand[] = COMMANDS): Map<string, NotebookCommand> {
  const map = new Map<string, NotebookCommand>();
  for (const command of commands) {
    for (const key of command.keys?.[mode] ?? []) {
      const taken = map.get(key);
      if (taken) throw new Error(`key ${key} is bound to both ${taken.id} and ${command.id} in ${mode} mode`);
      map.set(key, command);
    }
  }
  return map;
}
