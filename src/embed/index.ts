// The docs-page entry: one module script turns a page's code blocks into runnable cells.
// It stays small (no Lit, renderers, editor or runtime client): those load on first use. A page
// with a Thebe config also gets window.thebelab / window.thebe; the JSON5 reader loads only there.
import { readConfig } from './config';
import { EmbedPage } from './page';
import { installThebeGlobal, ThebeEvents } from './thebe/api';
import type { CellParts } from './cell';

const { own, ...config } = readConfig(document);
const page = new EmbedPage(config);

if (document.querySelector('script[type="text/x-thebe-config"]')) {
  // Thebe's globals exist at once; their calls wait for the Thebe page code.
  const events = new ThebeEvents();
  const backend = import('./thebe/page').then(({ startThebePage }) => startThebePage(page, own, events, document));
  installThebeGlobal(events, backend);
  void backend.then(() => (document.documentElement.dataset['pyloomThebe'] = 'ready'));
  if (config.preload) void backend.then(() => page.preload());
} else {
  const cells = page.mount([...document.querySelectorAll(config.selector)].map((block) => ({ block })));
  if (config.preload && !cells.some((cell) => cell.autorun)) void page.loadLive().then(() => page.preload());
}

for (const button of document.querySelectorAll('[data-pyloom-run-all]')) button.addEventListener('click', () => void page.runAll());

// The one global the embed adds (Thebe pages also get Thebe's own).
declare global {
  interface Window {
    pyloomEmbed?: { cells: readonly CellParts[]; run(cell: CellParts): Promise<void>; runAll(): Promise<void>; ready: Promise<void> };
  }
}
window.pyloomEmbed = { cells: page.cells, run: (cell) => page.run(cell), runAll: () => page.runAll(), ready: page.settled };
document.documentElement.dataset['pyloomEmbed'] = 'ready';
