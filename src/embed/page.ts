// The embed's cells on one page: mounting blocks, running them in order, restarting, and the
// runtime events a Thebe page listens to. The runtime, outputs and editor load on first use.
import { mountCell, type CellParts, type MountOptions } from './cell';
import type { EmbedConfig } from './config';
import type { RuntimeChange } from './live';
import type { ExecutePayload } from '../protocol';
import { nextInput } from '../notebook/run-reply';
import { errorMessage } from '../shared/errors';

type Live = typeof import('./live');

export interface PageListeners {
  runtime(change: RuntimeChange): void;
}

/** A block to turn into a cell; `source` when the code is not the block's text. */
export interface BlockToMount {
  block: Element;
  source?: string;
}

export class EmbedPage {
  readonly cells: CellParts[] = [];
  config: EmbedConfig;
  /** The editor's settings (Thebe's codeMirrorConfig lineNumbers, theme). */
  editor = { lineNumbers: false };
  #listeners: PageListeners[] = [];
  #live: Promise<Live> | undefined;
  #editorModule: Promise<typeof import('./editor')> | undefined;
  // Runs are chained so cells of one group reach its runtime in the order they were asked for.
  #chain: Promise<void> = Promise.resolve();

  constructor(config: EmbedConfig) {
    this.config = config;
  }

  /** Settles when every run asked for so far has ended. */
  get settled(): Promise<void> {
    return this.#chain;
  }

  listen(listeners: PageListeners): void {
    this.#listeners.push(listeners);
  }

  loadLive(): Promise<Live> {
    return (this.#live ??= import('./live').then((live) => {
      live.observeRuntimes((change) => {
        for (const listener of this.#listeners) listener.runtime(change);
      });
      return live;
    }));
  }

  /** Turn blocks into cells (skipping ones already inside a cell); autorun cells start running. */
  mount(blocks: Iterable<BlockToMount>, options: Partial<MountOptions> = {}): CellParts[] {
    const mounted: CellParts[] = [];
    for (const { block, source } of blocks) {
      // `pre > code` and its `pre` can both match; each block becomes one cell.
      if (!block.isConnected || block.closest('.pyloom-cell')) continue;
      const cell = mountCell(block, {
        outputSelector: this.config.outputSelector,
        theme: this.config.theme,
        autorunAll: this.config.autorun,
        ...options,
        ...(source !== undefined ? { source } : {}),
      });
      this.#wire(cell);
      mounted.push(cell);
    }
    this.cells.push(...mounted);
    for (const cell of mounted) if (cell.autorun) void this.run(cell);
    return mounted;
  }

  run(cell: CellParts): Promise<void> {
    if (cell.otherLanguage) return this.#chain;
    cell.status.textContent = 'Queued…';
    if (!cell.readonly) void this.loadEditor(cell);
    this.#chain = this.#chain.then(async () => {
      const live = await this.loadLive();
      const reply = await live.runCell(cell, this.config);
      await this.#applyPayload(cell, reply?.payload);
    });
    return this.#chain;
  }

  /**
   * IPython's set_next_input with `replace` (`%load`): the cell's editor gets the new text. An
   * embed has no cell to add below, and a read-only cell keeps the page's code: both say so.
   */
  async #applyPayload(cell: CellParts, payload: readonly ExecutePayload[] | undefined): Promise<void> {
    const next = nextInput(payload);
    if (!next) return;
    if (next.replace) await this.loadEditor(cell);
    if (next.replace && cell.editor) cell.editor.setValue(next.text);
    else
      cell.status.textContent += next.replace
        ? ' · read-only cell: its code was not replaced'
        : ' · set_next_input: embedded cells cannot add a cell';
  }

  runAll(group?: string): Promise<void> {
    for (const cell of this.cells) if (group === undefined || cell.group === group) void this.run(cell);
    return this.#chain;
  }

  /** Restart one group's Python (all groups when undefined); resolves when it is ready again. */
  async restart(group?: string): Promise<void> {
    const live = await this.loadLive();
    const groups = group === undefined ? this.#groups() : [group];
    await Promise.all(groups.map((g) => live.restart(g)));
  }

  async restartAndRunAll(group: string): Promise<void> {
    await this.restart(group);
    await this.runAll(group);
  }

  /** Start Python for every group of the page's cells (the default group when none); resolves when ready. */
  async start(): Promise<void> {
    const live = await this.loadLive();
    await Promise.all(this.#groups().map((group) => live.start(group, this.config)));
  }

  /** Boot the runtimes cells will use, before anyone presses Run (config `preload`). */
  preload(): void {
    void this.start().catch(() => undefined);
  }

  /** Replace a cell's page block with the editor (first focus or first Run). */
  async loadEditor(cell: CellParts): Promise<void> {
    if (cell.editor || cell.readonly || !cell.codeBox) return;
    const { attachEditor } = await (this.#editorModule ??= import('./editor'));
    cell.editor ??= attachEditor(cell, {
      lineNumbers: this.editor.lineNumbers,
      dark: this.config.theme === 'dark',
      onRun: () => void this.run(cell),
    });
  }

  #groups(): string[] {
    const groups = [...new Set(this.cells.map((cell) => cell.group))];
    return groups.length > 0 ? groups : ['default'];
  }

  #wire(cell: CellParts): void {
    cell.run?.addEventListener('click', () => void this.run(cell));
    cell.buttons.get('run-all')?.addEventListener('click', () => void this.runAll(cell.group));
    cell.buttons.get('restart')?.addEventListener('click', () => void this.#report(cell, this.restart(cell.group)));
    cell.buttons.get('restart-run-all')?.addEventListener('click', () => void this.#report(cell, this.restartAndRunAll(cell.group)));
    const box = cell.codeBox;
    if (!box || cell.readonly) return;
    const open = () => void this.loadEditor(cell).then(() => cell.editor?.focus());
    box.addEventListener('focus', open, { once: true });
    box.addEventListener('pointerdown', open, { once: true });
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.shiftKey && !cell.editor) {
        event.preventDefault();
        void this.run(cell);
      }
    });
  }

  async #report(cell: CellParts, work: Promise<void>): Promise<void> {
    cell.status.textContent = 'Restarting Python…';
    try {
      await work;
      if (cell.status.textContent === 'Restarting Python…') cell.status.textContent = 'Python restarted';
    } catch (error) {
      cell.status.textContent = errorMessage(error);
    }
  }
}
