// Find and replace on the notebook page, driven as a user: Ctrl+F across cells (case, regex, replace
// all) and in text outputs, where matches are counted and highlighted but never replaced.
import { expect, test } from '@playwright/test';
import { button, cell, clickCell, expectSources, openEditing } from './notebook-cells';
import { openCells } from './notebook-page';

test('find and replace across cells: Ctrl+F, match count, case, regex, replace all', async ({ page }) => {
  await openEditing(page, ['total = 1\nTotal = 2', '# Totals', 'print(total)'], new Set([1]));
  await clickCell(page, 1);
  await page.keyboard.press('Control+f');
  const find = page.getByRole('searchbox', { name: 'Find' });
  await expect(find).toBeFocused();
  await find.fill('total');
  const count = page.locator('py-find').getByRole('status');
  await expect(count).toHaveText('1 of 4');
  await find.press('Enter');
  await expect(count).toHaveText('2 of 4');
  await expect(cell(page, 1)).toHaveAttribute('active', '');
  await page.getByRole('checkbox', { name: 'Match case' }).check();
  await expect(count).toHaveText('1 of 2');
  await page.getByRole('checkbox', { name: 'Regular expression' }).check();
  await find.fill('tot\\w+');
  await expect(count).toHaveText('1 of 2');
  await find.fill('(');
  await expect(count).toContainText('Invalid');
  await find.fill('^t(\\w+)');
  await page.getByRole('textbox', { name: 'Replace with' }).fill('sum_$1');
  await page.getByRole('button', { name: 'Replace all' }).click();
  await expectSources(page, ['sum_otal = 1\nTotal = 2', '# Totals', 'print(total)']);
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page.locator('py-find')).toHaveCount(0);
  // Pointer: the toolbar opens it too.
  await button(page, 'Find and replace').click();
  await expect(page.getByRole('searchbox', { name: 'Find' })).toBeFocused();
});

test('find also searches text outputs: counted, highlighted, never replaced; an option turns it off', async ({ page }) => {
  await page.goto('/');
  const stream = { output_type: 'stream', name: 'stdout', text: 'total 0\ntotal 1\n' };
  await openCells(page, 'outputs.ipynb', ['for i in range(2):\n    print("total", i)', 'total = 3'], new Set(), new Map([[0, [stream]]]));
  await clickCell(page, 2);
  await page.keyboard.press('Control+f');
  const find = page.getByRole('searchbox', { name: 'Find' });
  await expect(find).toBeFocused();
  await page.keyboard.type('total');
  const count = page.locator('py-find').getByRole('status');
  await expect(count).toHaveText('1 of 4 (2 in outputs)');
  const highlights = () =>
    page.evaluate(() => {
      const texts = (name: string) =>
        [...(CSS.highlights.get(name) ?? [])].map(
          (range) => `${range.toString()}@${(range as Range).startContainer.parentElement?.closest('pre')?.textContent ?? ''}`,
        );
      return { all: texts('pyloom-find'), current: texts('pyloom-find-current') };
    });
  // The second match is the first line of the first cell's output: marked as current, the other output match marked too.
  await page.keyboard.press('Enter');
  await expect(count).toHaveText('2 of 4 (2 in outputs)');
  await expect.poll(highlights).toEqual({ all: ['total@total 0\ntotal 1\n'], current: ['total@total 0\ntotal 1\n'] });
  await expect(cell(page, 1)).toHaveAttribute('active', '');
  const current = await page.evaluate(() => {
    const range = [...CSS.highlights.get('pyloom-find-current')!][0] as Range;
    return { offset: range.startOffset, text: range.startContainer.textContent };
  });
  expect(current.text?.slice(current.offset, current.offset + 5)).toBe('total');
  expect(current.text?.indexOf('total 0')).toBe(current.offset);
  // Replace all changes sources only; the output text is read-only.
  await page.getByRole('textbox', { name: 'Replace with' }).fill('sum');
  await page.getByRole('textbox', { name: 'Replace with' }).press('Tab');
  await page.keyboard.press('Tab'); // past Replace to Replace all
  await expect(page.getByRole('button', { name: 'Replace all' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expectSources(page, ['for i in range(2):\n    print("sum", i)', 'sum = 3']);
  await expect(count).toHaveText('2 of 2 (2 in outputs)');
  await expect(cell(page, 1).locator('py-output pre')).toHaveText('total 0\ntotal 1\n');
  await expect(page.getByRole('button', { name: 'Replace all' })).toBeDisabled();
  // Off: outputs are not searched.
  await page.getByRole('checkbox', { name: 'Search outputs' }).focus();
  await page.keyboard.press('Space');
  await expect(count).toHaveText('No matches');
  await expect.poll(highlights).toEqual({ all: [], current: [] });
  await page.keyboard.press('Space');
  await expect(count).toHaveText('1 of 2 (2 in outputs)');
  await find.focus();
  await page.keyboard.press('Escape');
  await expect(page.locator('py-find')).toHaveCount(0);
  expect(await page.evaluate(() => CSS.highlights.has('pyloom-find') || CSS.highlights.has('pyloom-find-current'))).toBe(false);
});
