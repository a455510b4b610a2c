// Notebook-file figures (not pass/fail): moving 50 notebooks from the old IndexedDB store into the
// workspace, and opening / saving one notebook as a workspace file vs the old IndexedDB store.
// Writes test/bench/results/notebook-files.json and prints a table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { test } from '@playwright/test';

test('notebook files vs the IndexedDB store', async ({ page }) => {
  await page.goto('/test/e2e/pages/legacy-store.html');
  await page.waitForFunction(() => 'notebookFiles' in window);
  const figures = await page.evaluate(async () => {
    type Any = Record<string, (...args: unknown[]) => unknown>;
    const api = (window as unknown as { notebookFiles: Record<string, unknown> }).notebookFiles;
    const Legacy = api['LegacyStore'] as new (o: object) => Any;
    const Files = api['NotebookStore'] as new (o: object) => Any;
    const opfs = api['opfsDisk'] as () => Promise<unknown>;
    const migrate = api['migrateLegacyNotebooks'] as (store: unknown, o: object) => Promise<{ moved: unknown[] }>;
    const root = await navigator.storage.getDirectory();
    await root.removeEntry('workspace', { recursive: true }).catch(() => undefined);
    // A notebook of 20 code cells with text outputs (~60 kB as .ipynb).
    const cells = Array.from({ length: 20 }, (_, i) => ({
      id: `c${i}`,
      cell_type: 'code',
      metadata: {},
      execution_count: i + 1,
      source: `x${i} = ${i}\nprint(x${i})`,
      outputs: [
        { output_type: 'stream', name: 'stdout', text: `${'value '.repeat(400)}\n` },
        { output_type: 'execute_result', execution_count: i + 1, data: { 'text/plain': String(i) }, metadata: {} },
      ],
    }));
    const notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const time = async (run: () => Promise<unknown>, n = 15) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await run();
        out.push(performance.now() - t0);
      }
      return median(out);
    };
    const legacy = new Legacy({ dbName: 'bench-legacy', tabId: 'bench' });
    const files = new Files({ disk: await opfs(), tabId: 'bench', channel: 'bench' });
    const old = (await legacy['create']!('bench', notebook)) as { id: string; rev: number };
    let rev = old.rev;
    const oldSave = await time(async () => {
      const r = (await legacy['save']!(old.id, notebook, rev)) as { meta: { rev: number } };
      rev = r.meta.rev;
    });
    const oldOpen = await time(() => legacy['load']!(old.id) as Promise<unknown>);
    const meta = (await files['create']!('bench', notebook)) as { id: string; rev: string };
    let fileRev = meta.rev;
    const fileSave = await time(async () => {
      const r = (await files['save']!(meta.id, notebook, fileRev)) as { meta: { rev: string } };
      fileRev = r.meta.rev;
    });
    const fileOpen = await time(() => files['load']!(meta.id) as Promise<unknown>);
    // 50 notebooks written by the old release, then moved.
    const many = new Legacy({ dbName: 'bench-migrate', tabId: 'bench' });
    for (let i = 0; i < 50; i++) await many['create']!(`nb${i}`, notebook);
    const t0 = performance.now();
    const report = await migrate(files, { dbName: 'bench-migrate' });
    const migration = performance.now() - t0;
    await root.removeEntry('workspace', { recursive: true }).catch(() => undefined);
    return {
      bytes: JSON.stringify(notebook).length,
      oldOpen,
      oldSave,
      fileOpen,
      fileSave,
      migrated: report.moved.length,
      migrationMs: migration,
    };
  });
  mkdirSync('test/bench/results', { recursive: true });
  writeFileSync('test/bench/results/notebook-files.json', JSON.stringify(figures, null, 2));
  console.table(figures);
});
