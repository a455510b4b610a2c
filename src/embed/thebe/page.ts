// A Thebe page under Pyloom: reads the Thebe config (JSON5), applies its keys to the embed, and
// is the backend of window.thebelab / window.thebe. Loaded only on pages with a Thebe config.
import type { CellParts } from '../cell';
import { DEFAULT_SELECTOR, type EmbedConfig, type OwnKeys } from '../config';
import type { BlockToMount, EmbedPage } from '../page';
import type { ThebeBackend, ThebeCell, ThebeEvents, ThebeKernel } from './api';
import { describeConfigError, describeIgnoredCodeMirror, readThebeConfig, withOptions, type JsonObject, type ThebeConfig } from './config';
import { thebeRuntimeOptions } from '../thebe-server';
import { codeOf, mountActivateWidget, mountStatusWidget, splitInputPrompts, splitOutputPrompts } from './markup';

/** The embed's settings with the Thebe config's applied (the page's own Pyloom config wins). */
export function applyThebeConfig(base: EmbedConfig, own: OwnKeys, thebe: ThebeConfig): EmbedConfig {
  const path = thebe.kernelOptions['path'];
  const remote = thebeRuntimeOptions(thebe.raw);
  return {
    ...base,
    selector: own.has('selector') ? base.selector : `${thebe.selector}, ${DEFAULT_SELECTOR}`,
    outputSelector: own.has('outputSelector') ? base.outputSelector : thebe.outputSelector,
    theme: own.has('theme') ? base.theme : (thebe.codeMirror.theme ?? base.theme),
    preload: own.has('preload') ? base.preload : thebe.requestKernel,
    ...(typeof path === 'string' ? { workingDirectory: path } : {}),
    thebe,
    ...(remote ? { remote } : {}),
  };
}

/**
 * Thebe's stripPrompts / stripOutputPrompts: the blocks to mount, one per input run of a console
 * session. Blocks named by the prompts' own `selector` (Thebe 0.8) are split even when they do not
 * match the cell selector; without it, the cells' blocks are split.
 */
export function thebeBlocks(config: ThebeConfig, selector: string, document: Document): BlockToMount[] {
  const { stripPrompts: inputs, stripOutputPrompts: outputs } = config;
  const splits = (style: { selector?: string } | false, block: Element) =>
    style !== false && (style.selector === undefined || block.matches(style.selector));
  const containers = [inputs && inputs.selector, outputs && outputs.selector].filter((s): s is string => !!s);
  const blocks: BlockToMount[] = [];
  for (const block of document.querySelectorAll([selector, ...containers].join(', '))) {
    if (block.closest('.pyloom-cell')) continue;
    const splitInputs = splits(inputs, block);
    const splitOutputs = splits(outputs, block);
    const text = splitInputs || splitOutputs ? codeOf(block) : '';
    const pieces =
      (splitInputs && inputs ? splitInputPrompts(text, inputs) : undefined) ??
      (splitOutputs && outputs ? splitOutputPrompts(text, outputs) : undefined);
    if (!pieces || pieces.length === 0) {
      if (block.matches(selector)) blocks.push({ block });
      continue;
    }
    // As Thebe does: the session becomes one executable block per input; the first keeps the block's place.
    const first = pieces[0]!;
    blocks.push({ block, source: first });
    let after: Element = block;
    for (const source of pieces.slice(1)) {
      const pre = document.createElement('pre');
      pre.setAttribute('data-executable', 'true');
      pre.textContent = source;
      after.after(pre);
      after = pre;
      blocks.push({ block: pre, source });
    }
  }
  return blocks;
}

/** A start that failed was already told to the page (status 'failed', the cells' own status). */
const reported = (): void => undefined;

const kernelName = (config: ThebeConfig): string => {
  const name = config.kernelOptions['name'] ?? config.kernelOptions['kernelName'];
  return typeof name === 'string' ? name : 'python3';
};

/**
 * Start the Thebe page: report an unreadable config (line, column) and unknown CodeMirror
 * options, mount the activate/status widgets, bootstrap now when `bootstrap: true` or when the
 * config could not be read (so the cells still work). Returns the backend of window.thebelab.
 */
export function startThebePage(page: EmbedPage, own: OwnKeys, events: ThebeEvents, document: Document): ThebeBackend {
  const { config: pageConfig, errors } = readThebeConfig(document);
  for (const error of errors) console.error(describeConfigError(error));
  const note = describeIgnoredCodeMirror(pageConfig.codeMirror);
  if (note) console.info(note);
  const base = page.config;
  page.config = applyThebeConfig(base, own, pageConfig);
  page.editor.lineNumbers = pageConfig.codeMirror.lineNumbers;

  // Kernel states only, as Thebe 0.8 sent them: launch buttons show every status they get, and
  // per-cell running/idle states would leave them saying "idle".
  page.listen({
    runtime(change) {
      const messages = {
        starting: page.config.remote ? 'Starting a kernel on the Jupyter server' : 'Starting Python in this browser (Pyodide)',
        ready: 'Kernel is ready',
      };
      const message = 'reason' in change ? change.reason : messages[change.state];
      events.trigger('status', { status: change.state, message, subject: 'kernel' });
      // Thebe 0.9 also reports failures on its 'error' event: 'error' for a start, 'session-error' for a death.
      if (change.state === 'failed') events.trigger('error', { status: 'error', message, subject: 'kernel' });
      if (change.state === 'dead') events.trigger('error', { status: 'session-error', message, subject: 'kernel' });
    },
  });

  // One ThebeCell per cell, so thebelab.cells and bootstrap()'s cells hold the same objects.
  const thebeCells = new WeakMap<CellParts, ThebeCell>();
  const asThebeCell = (cell: CellParts): ThebeCell => {
    let thebeCell = thebeCells.get(cell);
    if (!thebeCell) thebeCells.set(cell, (thebeCell = { cell: cell.host, execute: () => page.run(cell) }));
    return thebeCell;
  };
  const kernel: ThebeKernel = { name: kernelName(pageConfig), restart: () => page.restart() };
  let statusWidget: ReturnType<typeof mountStatusWidget>;
  const backend: ThebeBackend = {
    renderAllCells(options?: JsonObject) {
      const config = withOptions(pageConfig, options);
      // bootstrap(options)/renderAllCells(options) may name other blocks than the page config.
      const { selector, outputSelector } = applyThebeConfig(base, own, config);
      const cells = page.mount(thebeBlocks(config, selector, document), {
        buttons: {
          run: config.mountRunButton,
          'run-all': config.mountRunAllButton,
          restart: config.mountRestartButton,
          'restart-run-all': config.mountRestartAllButton,
        },
        readOnly: config.codeMirror.readOnly,
        thebeButtons: true,
        predefinedOutput: config.predefinedOutput,
        outputSelector,
      });
      return cells.map(asThebeCell);
    },
    async bootstrap(options?: JsonObject) {
      const config = withOptions(pageConfig, options);
      if (options) {
        // Thebe merges the call's options over the page's for everything: the working directory,
        // server and editor settings hold for a Python (and editors) not started yet.
        page.config = applyThebeConfig(base, own, config);
        page.editor.lineNumbers = config.codeMirror.lineNumbers;
      }
      if (config.mountStatusWidget) backend.mountStatusWidget();
      backend.renderAllCells(options);
      const cells = backend.cells();
      if (!config.requestKernel) return { cells, kernel: undefined };
      await page.start();
      return { cells, kernel };
    },
    cells: () => page.cells.map(asThebeCell),
    async requestKernel() {
      await page.start();
      return kernel;
    },
    mountStatusWidget() {
      if (statusWidget) return;
      const widget = (statusWidget = mountStatusWidget(document));
      if (!widget) return;
      events.on('status', (_, data) => {
        widget.update(data.status, data.message);
      });
    },
    mountActivateWidget() {
      // Through the global, as Thebe's button calls thebelab.bootstrap(): a page that wrapped it is heard.
      mountActivateWidget(document, () => void (window.thebelab ?? backend).bootstrap().catch(reported));
    },
  };

  if (pageConfig.mountActivateWidget) backend.mountActivateWidget();
  if (pageConfig.mountStatusWidget) backend.mountStatusWidget();
  if (pageConfig.bootstrap || errors.length > 0) void backend.bootstrap().catch(reported);
  return backend;
}
