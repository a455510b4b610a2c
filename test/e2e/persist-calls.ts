// Counts the page's requests for persistent storage (navigator.storage.persist), which the notebook
// page makes once the user has saved something.
import type { Page } from '@playwright/test';

/** Install the counter before the page loads; the returned function reads the count so far. */
export async function countPersistCalls(page: Page): Promise<() => Promise<number>> {
  await page.addInitScript(() => {
    const persist = navigator.storage.persist.bind(navigator.storage);
    Object.assign(window, { persistCalls: 0 });
    navigator.storage.persist = () => {
      Object.assign(window, { persistCalls: (window as unknown as { persistCalls: number }).persistCalls + 1 });
      return persist();
    };
  });
  return () => page.evaluate(() => (window as unknown as { persistCalls: number }).persistCalls);
}
