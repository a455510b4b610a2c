// The page a user opens: type code, Shift+Enter, see the output.
import { expect, test, type Page } from '@playwright/test';

/** Open the notebook page once Python is up; returns its editor. */
async function openReadyPage(page: Page) {
  await page.goto('/');
  await expect(page.getByRole('status')).toHaveText('idle', { timeout: 60_000 });
  return page.getByLabel('Python (Shift+Enter runs)');
}

test('the notebook page runs typed code with Shift+Enter', async ({ page }) => {
  const editor = await openReadyPage(page);
  await editor.fill('');
  await editor.pressSequentially('print("typed")\n6 * 7');
  await editor.press('Shift+Enter');
  await expect(page.locator('py-output pre').first()).toHaveText('typed');
  await expect(page.locator('py-output pre').nth(1)).toHaveText('42');
  await expect(page.locator('#count')).toHaveText('[1]');
  await editor.fill('1/0');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('py-output pre.error')).toContainText('ZeroDivisionError: division by zero');
  await page.screenshot({ path: test.info().outputPath('page.png') });
  await expect(page.locator('#count')).toHaveText('[2]');
});

test('input() on the page: a box appears and the answer reaches Python', async ({ page }) => {
  const editor = await openReadyPage(page);
  await editor.fill('answer = input("Your name: ")\nf"Hello, {answer}!"');
  await editor.press('Shift+Enter');
  const box = page.getByRole('textbox', { name: 'Your name:' });
  await box.fill('Grace');
  await box.press('Enter');
  await expect(page.locator('py-output pre.text')).toHaveText("'Hello, Grace!'");
  await expect(box).toHaveCount(0);
});
