// The docs-page entry: one module script turns a page's code blocks into runnable cells.
// It stays small (no Lit, renderers or runtime client): those load on the first Run.
import { mountCell, type CellParts } from './cell';
import { readConfig } from './config';

const config = readConfig(document);
let live: Promise<typeof import('./live')> | undefined;
const loadLive = () => (live ??= import('./live'));

const cells: CellParts[] = [];
for (const block of document.querySelectorAll(config.selector)) {
  // `pre > code` and its `pre` can both match; each block becomes one cell.
  if (!block.isConnected || block.closest('.pyloom-cell')) continue;
  cells.push(mountCell(block, { outputSelector: config.outputSelector, theme: config.theme, autorunAll: config.autorun }));
}

// Runs are chained so cells of one group reach its runtime in the order they were asked for.
let chain: Promise<void> = Promise.resolve();
function run(cell: CellParts): Promise<void> {
  cell.status.textContent = 'Queued…';
  chain = chain.then(async () => (await loadLive()).runCell(cell, config));
  return chain;
}

function runAll(): Promise<void> {
  for (const cell of cells) void run(cell);
  return chain;
}

for (const cell of cells) cell.run.addEventListener('click', () => void run(cell));
for (const button of document.querySelectorAll('[data-pyloom-run-all]')) button.addEventListener('click', () => void runAll());

const autorun = cells.filter((cell) => cell.autorun);
if (autorun.length > 0) for (const cell of autorun) void run(cell);
else if (config.preload) void loadLive().then((module) => module.preload(cells, config));

// The one global the embed adds.
declare global {
  interface Window {
    pyloomEmbed?: { cells: readonly CellParts[]; run(cell: CellParts): Promise<void>; runAll(): Promise<void>; ready: Promise<void> };
  }
}
window.pyloomEmbed = { cells, run, runAll, ready: chain };
document.documentElement.dataset['pyloomEmbed'] = 'ready';
