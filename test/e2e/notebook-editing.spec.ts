// JupyterLab's editing features on the notebook page, driven as a user: keyboard and pointer for
// multi-cell selection, run/delete/cut/copy/paste/move, merge and split with undo, drag and drop,
// collapse, contents, line numbers, shortcut help and the command palette (find: notebook-find.spec.ts).
import { expect, test } from '@playwright/test';
import { COMMANDS } from '../../src/components/notebook-commands';
import { button, cell, clickCell, expectSelected, expectSources, openEditing } from './notebook-cells';
import { openCells, openNotebook } from './notebook-page';

test('multi-cell selection with Shift+J/K, Shift+arrows and Shift+click; delete and one undo brings all back', async ({ page }) => {
  await openEditing(page, ['a', 'b', 'c', 'd', 'e']);
  await clickCell(page, 2);
  await page.keyboard.press('Shift+J');
  await page.keyboard.press('Shift+ArrowDown');
  await expectSelected(page, [2, 3, 4]);
  await expect(cell(page, 4)).toHaveAttribute('active', '');
  await page.keyboard.press('Shift+K');
  await expectSelected(page, [2, 3]);
  await page.keyboard.press('d');
  await page.keyboard.press('d');
  await expectSources(page, ['a', 'd', 'e']);
  await page.keyboard.press('z');
  await expectSources(page, ['a', 'b', 'c', 'd', 'e']);
  await expectSelected(page, [2, 3]);
  // Pointer: click, Shift+click, then the toolbar's delete and undo.
  await clickCell(page, 1);
  await clickCell(page, 3, ['Shift']);
  await expectSelected(page, [1, 2, 3]);
  await button(page, 'Delete cells').click();
  await expectSources(page, ['d', 'e']);
  await button(page, 'Undo cell operation').click();
  await expectSources(page, ['a', 'b', 'c', 'd', 'e']);
});

test('cut, copy and paste a selection; move it with Ctrl+Shift+arrows and the toolbar', async ({ page }) => {
  await openEditing(page, ['a', 'b', 'c', 'd']);
  await clickCell(page, 1);
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('x');
  await expectSources(page, ['c', 'd']);
  await page.keyboard.press('j');
  await page.keyboard.press('v');
  await expectSources(page, ['c', 'd', 'a', 'b']);
  await expectSelected(page, [3, 4]);
  await page.keyboard.press('c');
  await clickCell(page, 1);
  await page.keyboard.press('Shift+V');
  await expectSources(page, ['a', 'b', 'c', 'd', 'a', 'b']);
  // Move the selection (the two pasted cells) down, then up twice with the toolbar.
  await page.keyboard.press('Control+Shift+ArrowDown');
  await expectSources(page, ['c', 'a', 'b', 'd', 'a', 'b']);
  await button(page, 'Move cells up').click();
  await expectSources(page, ['a', 'b', 'c', 'd', 'a', 'b']);
  await page.keyboard.press('z');
  await expectSources(page, ['c', 'a', 'b', 'd', 'a', 'b']);
});

test('run a selection: Shift+Enter runs every selected cell and selects the one after', async ({ page }) => {
  await openNotebook(page);
  await openCells(page, 'run.ipynb', ['x = 6', 'x * 7', 'print("after")']);
  await clickCell(page, 1);
  await page.keyboard.press('Shift+J');
  await page.keyboard.press('Shift+Enter');
  await expect(cell(page, 2).locator('py-output pre')).toHaveText('42');
  await expect(cell(page, 3).locator('py-output pre')).toHaveCount(0);
  await expectSelected(page, [3]);
  // The execute result carries JupyterLab's [n]: prompt.
  await expect(cell(page, 2).locator('py-output .out-prompt')).toHaveAttribute('data-prompt', /^\[\d+\]:$/);
});

test('merge with Shift+M and undo it with Z; merge and undo from the toolbar', async ({ page }) => {
  await openEditing(page, ['import math', 'r = 2', 'math.pi * r ** 2', 'tail']);
  await clickCell(page, 1);
  await page.keyboard.press('Shift+J');
  await page.keyboard.press('Shift+J');
  await page.keyboard.press('Shift+M');
  await expectSources(page, ['import math\n\nr = 2\n\nmath.pi * r ** 2', 'tail']);
  await page.keyboard.press('z');
  await expectSources(page, ['import math', 'r = 2', 'math.pi * r ** 2', 'tail']);
  // One selected cell merges with the one below.
  await clickCell(page, 3);
  await button(page, 'Merge cells').click();
  await expectSources(page, ['import math', 'r = 2', 'math.pi * r ** 2\n\ntail']);
  await button(page, 'Undo cell operation').click();
  await expectSources(page, ['import math', 'r = 2', 'math.pi * r ** 2', 'tail']);
});

test('Z undoes an insert, a paste and a cut, Shift+Z redoes them; typing stays in the editor’s own undo', async ({ page }) => {
  await openEditing(page, ['a', 'b', 'c']);
  await clickCell(page, 2);
  await page.keyboard.press('b');
  await expectSources(page, ['a', 'b', '', 'c']);
  await page.keyboard.press('z');
  await expectSources(page, ['a', 'b', 'c']);
  await page.keyboard.press('Shift+Z');
  await expectSources(page, ['a', 'b', '', 'c']);
  await page.keyboard.press('z');
  await expectSources(page, ['a', 'b', 'c']);
  // Cut the first cell, paste it below the one then selected; undo both, redo both.
  await clickCell(page, 1);
  await page.keyboard.press('x');
  await expectSources(page, ['b', 'c']);
  await page.keyboard.press('v');
  await expectSources(page, ['b', 'a', 'c']);
  await page.keyboard.press('z');
  await expectSources(page, ['b', 'c']);
  await page.keyboard.press('z');
  await expectSources(page, ['a', 'b', 'c']);
  await expectSelected(page, [1]);
  await page.keyboard.press('Shift+Z');
  await expectSources(page, ['b', 'c']);
  await page.keyboard.press('Shift+Z');
  await expectSources(page, ['b', 'a', 'c']);
  await expectSelected(page, [2]);
  // Typing is not a cell operation: Z in command mode undoes the paste and leaves the text; Ctrl+Z in the editor undoes the text.
  await page.getByRole('textbox', { name: 'Code cell 3 source' }).click();
  await page.keyboard.press('End');
  await page.keyboard.insertText(' + 1'); // one undo step however slow the machine (see "a long notebook")
  await page.keyboard.press('Escape');
  await expectSources(page, ['b', 'a', 'c + 1']);
  await page.keyboard.press('z');
  await expectSources(page, ['b', 'c + 1']);
  await page.getByRole('textbox', { name: 'Code cell 2 source' }).click();
  await page.keyboard.press('Control+z');
  await expectSources(page, ['b', 'c']);
  // The palette and the shortcut panel list the redo binding.
  await page.keyboard.press('Escape');
  await page.keyboard.press('h');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Redo cell operation');
});

test('split at the cursor with Ctrl+Shift+- and undo; split around a selection from the toolbar', async ({ page }) => {
  await openEditing(page, ['import math\nr = 2\nmath.pi * r ** 2']);
  await page.getByRole('textbox', { name: 'Code cell 1 source' }).click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Control+Shift+Minus');
  await expectSources(page, ['import math', 'r = 2\nmath.pi * r ** 2']);
  await expect(page.getByRole('textbox', { name: 'Code cell 2 source' })).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('z');
  await expectSources(page, ['import math\nr = 2\nmath.pi * r ** 2']);
  // Select "r = 2" with the keyboard, then the toolbar's Split: three cells.
  await page.getByRole('textbox', { name: 'Code cell 1 source' }).click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+End');
  await button(page, 'Split cell at cursor').click();
  await expectSources(page, ['import math', 'r = 2', 'math.pi * r ** 2']);
});

test('drag a cell by its prompt, and a two-cell selection, to new places', async ({ page }) => {
  await openEditing(page, ['a', 'b', 'c', 'd']);
  const target = cell(page, 1);
  const box = (await target.boundingBox())!;
  await cell(page, 3)
    .locator('.prompt')
    .dragTo(target, { targetPosition: { x: box.width / 2, y: 3 } });
  await expectSources(page, ['c', 'a', 'b', 'd']);
  await clickCell(page, 1);
  await clickCell(page, 2, ['Shift']);
  const last = cell(page, 4);
  const lastBox = (await last.boundingBox())!;
  await cell(page, 1)
    .locator('.prompt')
    .dragTo(last, { targetPosition: { x: lastBox.width / 2, y: lastBox.height - 3 } });
  await expectSources(page, ['b', 'd', 'c', 'a']);
  await page.keyboard.press('z');
  await expectSources(page, ['c', 'a', 'b', 'd']);
});

test('a long notebook: an editor far off screen is taken down and comes back with its text and undo history', async ({ page }) => {
  const list = Array.from({ length: 120 }, (_, i) => `value_${i} = ${i}`);
  await openEditing(page, list);
  const first = page.getByRole('textbox', { name: 'Code cell 1 source' });
  await first.click();
  await page.keyboard.press('End');
  // One input event, so one undo step: typed key by key, a machine slow enough to space two keys
  // over 500 ms apart made CodeMirror group them as two, and Ctrl+Z below undid only the second.
  await page.keyboard.insertText(' + 1');
  await page.keyboard.press('Escape');
  await expectSources(page, ['value_0 = 0 + 1', ...list.slice(1)]);
  // Far below: the first cell's CodeMirror view goes (its text stays on the page), the last one's exists.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect(page.getByRole('textbox', { name: 'Code cell 120 source' })).toBeAttached();
  await expect(cell(page, 1).locator('.cm-content')).toHaveCount(0);
  await expect(cell(page, 1).locator('pre.pending')).toHaveText('value_0 = 0 + 1');
  // Back at the top the view is made again from its kept state: Ctrl+Z still undoes the typing.
  await page.evaluate(() => window.scrollTo(0, 0));
  await first.click();
  await page.keyboard.press('Control+z');
  await expectSources(page, list);
});

test('collapse and expand input and outputs, by pointer and through the palette', async ({ page }) => {
  await openNotebook(page);
  await openCells(page, 'collapse.ipynb', ['print("shown")']);
  await clickCell(page, 1);
  await page.keyboard.press('Control+Enter');
  await expect(cell(page, 1).locator('py-output pre')).toHaveText('shown');
  await page.getByRole('button', { name: 'Hide outputs of cell 1' }).click();
  await expect(cell(page, 1).locator('py-output')).toHaveCount(0);
  await page.getByRole('button', { name: '1 output hidden: show' }).click();
  await expect(cell(page, 1).locator('py-output pre')).toHaveText('shown');
  await page.getByRole('button', { name: 'Hide input of cell 1' }).click();
  await expect(page.getByRole('textbox', { name: 'Code cell 1 source' })).toHaveCount(0);
  await clickCell(page, 1);
  await page.keyboard.press('Control+Shift+C');
  await page.getByRole('combobox', { name: 'Command' }).fill('expand input');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Code cell 1 source' })).toBeVisible();
});

test('table of contents from Markdown headings jumps to the cell', async ({ page }) => {
  await openEditing(page, ['# Intro', 'x = 1', '## Method\ntext', 'y = 2', '## Results'], new Set([0, 2, 4]));
  await button(page, 'Table of contents').click();
  const toc = page.getByRole('navigation', { name: 'Contents' });
  await expect(toc.getByRole('button')).toHaveText(['Intro', 'Method', 'Results']);
  await toc.getByRole('button', { name: 'Results' }).click();
  await expect(cell(page, 5)).toHaveAttribute('active', '');
  await expect(cell(page, 5)).toBeFocused();
});

test('line numbers toggle with Shift+L and the toolbar', async ({ page }) => {
  await openEditing(page, ['a = 1\nb = 2']);
  await clickCell(page, 1);
  await page.keyboard.press('Shift+L');
  await expect(cell(page, 1).locator('.cm-lineNumbers')).toBeVisible();
  await expect(button(page, 'Line numbers')).toHaveAttribute('aria-pressed', 'true');
  await button(page, 'Line numbers').click();
  await expect(cell(page, 1).locator('.cm-lineNumbers')).toHaveCount(0);
});

test('H shows every binding of the command registry; the palette runs commands by name', async ({ page }) => {
  await openEditing(page, ['a', 'b']);
  await clickCell(page, 1);
  await page.keyboard.press('h');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  for (const command of COMMANDS) {
    for (const mode of ['command', 'edit'] as const) {
      if (!command.keys?.[mode]?.length) continue;
      const section = help.locator('section').nth(mode === 'command' ? 0 : 1);
      await expect(section.getByRole('row', { name: command.label, exact: false }).first()).toBeVisible();
    }
  }
  const bindings = COMMANDS.reduce((n, c) => n + (c.keys?.command?.length ?? 0) + (c.keys?.edit?.length ?? 0), 0);
  await expect(help.locator('kbd')).toHaveCount(bindings);
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect(cell(page, 1)).toBeFocused();
  // Palette: filter, arrows, Enter; then a pointer choice.
  await page.keyboard.press('Control+Shift+C');
  const input = page.getByRole('combobox', { name: 'Command' });
  await expect(input).toBeFocused();
  await input.fill('merge');
  await page.keyboard.press('Enter');
  await expectSources(page, ['a\n\nb']);
  await button(page, 'Command palette').click();
  await page.getByRole('option', { name: /Undo cell operation/ }).click();
  await expectSources(page, ['a', 'b']);
});

test('running-cell status is announced once per start and end, not per streamed line', async ({ page }) => {
  await openNotebook(page);
  await openCells(page, 'stream.ipynb', ['import time\nfor i in range(6):\n    print(i, flush=True)\n    time.sleep(0.2)']);
  const live = page.locator('py-notebook .run-status');
  await expect(live).toHaveAttribute('aria-live', 'polite');
  await page.evaluate(() => {
    const region = document.querySelector('py-notebook')!.shadowRoot!.querySelector('.run-status')!;
    const said: string[] = [];
    new MutationObserver(() => said.push(region.textContent ?? '')).observe(region, {
      childList: true,
      subtree: true,
      characterData: true,
    });
    Object.assign(window, { said });
  });
  await clickCell(page, 1);
  await page.keyboard.press('Control+Enter');
  await expect(cell(page, 1).locator('py-output pre')).toHaveText(/0\s+1\s+2\s+3\s+4\s+5/);
  await expect(live).toHaveText('Cell 1 finished');
  const said = await page.evaluate(() => (window as unknown as { said: string[] }).said.filter((text, i, all) => text !== all[i - 1]));
  expect(said).toEqual(['Running cell 1', 'Cell 1 finished']);
});
