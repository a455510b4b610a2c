// Hostile files through the real page: mutated real notebooks go in through the file picker; each
// must end in a loaded notebook or a clear error, with no uncaught exception and a page that still
// answers. (The importer itself takes thousands of cases in test/unit/notebook-fuzz.test.ts.)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';

const FIXTURES = ['jupyter-v4.5.ipynb', 'jupyter-v4.4-no-ids.ipynb', 'ipython2-v3.ipynb'].map((name) =>
  readFileSync(resolve(import.meta.dirname, '../fixtures/notebooks', name)),
);
const CASES = Number(process.env['PYLOOM_PAGE_FUZZ_CASES'] ?? 60);
const SEED = Number(process.env['PYLOOM_FUZZ_SEED'] ?? 7);

/** mulberry32: small, seeded, good enough to pick mutations. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function mutate(next: () => number, bytes: Buffer): Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const kind = next();
  if (kind < 0.15) return bytes.subarray(0, Math.floor(next() * bytes.length)); // truncated
  if (kind < 0.3) {
    const copy = Buffer.from(bytes);
    for (let i = 0; i < 1 + next() * 4; i++) copy.set(pick([[0xc3, 0x28], [0xff], [0xe2, 0x82]]), Math.floor(next() * (copy.length - 2)));
    return copy; // invalid UTF-8
  }
  const doc = JSON.parse(bytes.toString('utf8')) as Json;
  const replacements: Json[] = [null, 0, -1, 1e308, '', 'x'.repeat(200_000), [], {}, true, [[[[[[]]]]]], { cells: 'no' }];
  for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
    // Walk to a random container and change one entry in it.
    let node: Json = doc;
    for (let depth = 0; depth < 6 && node && typeof node === 'object'; depth++) {
      const keys = Object.keys(node);
      if (keys.length === 0 || next() < 0.3) break;
      const key = pick(keys);
      const child: Json = Array.isArray(node) ? node[Number(key)]! : (node as Record<string, Json>)[key]!;
      if (!child || typeof child !== 'object' || next() < 0.35) {
        const action = next();
        if (action < 0.4) (node as Record<string, Json>)[key] = pick(replacements);
        else if (Array.isArray(node)) node.splice(Number(key), 1);
        else delete (node as Record<string, Json>)[key];
        break;
      }
      node = child;
    }
  }
  return Buffer.from(JSON.stringify(doc));
}

test(`${CASES} mutated notebooks through the file picker: each loads or says why, the page never breaks`, async ({ page }) => {
  test.setTimeout(420_000);
  const uncaught: string[] = [];
  page.on('pageerror', (error) => uncaught.push(error.message));
  await page.goto('/');
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });
  const next = random(SEED);
  let loaded = 0;
  let refused = 0;
  for (let i = 0; i < CASES; i++) {
    const name = `case-${SEED}-${i}.ipynb`;
    const body = mutate(next, FIXTURES[i % FIXTURES.length]!);
    await page.locator('#open-file').setInputFiles({ name, mimeType: 'application/json', buffer: body });
    // Either the notebook opened under its name, or an error names the file.
    await expect
      .poll(
        async () =>
          (await page.locator('#name').inputValue()) === name
            ? 'loaded'
            : (await page.locator('#file-error').isVisible())
              ? 'refused'
              : 'pending',
        {
          message: `case ${i} (seed ${SEED}) neither loaded nor refused`,
          timeout: 60_000,
        },
      )
      .not.toBe('pending');
    if ((await page.locator('#name').inputValue()) === name) loaded++;
    else {
      refused++;
      await expect(page.locator('#file-error')).toContainText(`Could not open ${name}`);
      // A NotebookFileError's message, not the page's fallback for anything else the reader threw.
      await expect(page.locator('#file-error')).not.toContainText('unexpected error');
      await page.locator('#file-error-close').click();
    }
    // Still answering: a round trip through the page's event loop. A hung page (an endless loop)
    // never answers, and the test's own timeout reports it.
    const answered = await page.evaluate(() => document.readyState);
    expect(answered, `case ${i} (seed ${SEED})`).toBe('complete');
  }
  console.info(`page fuzz (seed ${SEED}): ${loaded} loaded, ${refused} refused`);
  expect(uncaught).toEqual([]);
  expect(loaded).toBeGreaterThan(0);
  expect(refused).toBeGreaterThan(0);
});
