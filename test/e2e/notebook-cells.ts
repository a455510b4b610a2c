// Driving the notebook page's cells as a user does, for the editing specs: locators, the model's
// sources, the selection, a click on a prompt, and a notebook opened without waiting for Python.
import { expect, type Locator, type Page } from '@playwright/test';
import { openCells } from './notebook-page';

const cells = (page: Page) => page.locator('py-cell');
export const cell = (page: Page, n: number) => cells(page).nth(n - 1);
export const button = (page: Page, name: string) =>
  page.getByRole('toolbar', { name: 'Notebook actions' }).getByRole('button', { name, exact: true });

/** The notebook's sources as the model holds them (what autosave and Download write). */
function sources(page: Page): Promise<string[]> {
  return page.evaluate(() => document.querySelector('py-notebook')!.session!.cells.map((c) => c.source));
}
export async function expectSources(page: Page, expected: string[]): Promise<void> {
  await expect.poll(() => sources(page)).toEqual(expected);
}
export async function expectSelected(page: Page, positions: number[]): Promise<void> {
  const count = await cells(page).count();
  for (let n = 1; n <= count; n += 1) {
    if (positions.includes(n)) await expect(cell(page, n)).toHaveAttribute('selected', '');
    else await expect(cell(page, n)).not.toHaveAttribute('selected', '');
  }
}
/** Command mode on cell n, the way a pointer user gets there: a click on its prompt. */
export async function clickCell(page: Page, n: number, modifiers: ('Shift' | 'Control')[] = []): Promise<Locator> {
  const target = cell(page, n);
  await target.locator('.prompt').click({ modifiers });
  return target;
}

/** The page without waiting for Python: editing needs no runtime. */
export async function openEditing(page: Page, list: string[], markdown?: ReadonlySet<number>): Promise<void> {
  await page.goto('/');
  await openCells(page, 'editing.ipynb', list, markdown);
}
