// Loaded on the first Run: runtimes (one per group, shared by its cells in document order),
// <py-output>, and running a cell with its progress shown in that cell.
import '../components/py-output';
import { askInput } from '../components/input-box';
import type { PyOutput } from '../components/py-output';
import type { Progress } from '../protocol';
import { createRuntime, Runtime, type AnyRuntime, type ExecuteReply, type StatusDetail } from '../runtime/runtime';
import { readCompanionFiles, readDataFilesAttribute } from '../workspace/companion';
import type { CellParts } from './cell';
import type { EmbedConfig } from './config';
import { widgetHostFor } from '../widgets/host';
import { errorMessage } from '../shared/errors';
import { ownRuntimeOptions } from './thebe-server';

const runtimes = new Map<string, AnyRuntime>();

/**
 * Companion data of one group's current runtime: the page config's files (fetched as it boots)
 * and the cells' `data-files` fetched so far (`path\nurl`), forgotten at each (re)start so a
 * restarted runtime gets them again.
 */
interface GroupFiles {
  page: Promise<string[]>;
  /** The page's problems are shown on the first cell that runs after each start, not on every cell. */
  pageReported: boolean;
  fetched: Set<string>;
}
const groupFiles = new Map<string, GroupFiles>();

/** A runtime's life as the page sees it: Thebe's status events are made from these. */
export type RuntimeChange = { group: string } & ({ state: 'starting' | 'ready' } | { state: 'failed' | 'dead'; reason: string });
type Observer = (change: RuntimeChange) => void;
const observers = new Set<Observer>();

/** Hear about every runtime of the page (created, ready, failed, died, restarted). */
export function observeRuntimes(observer: Observer): void {
  observers.add(observer);
}

const notify = (change: RuntimeChange) => {
  for (const observer of observers) observer(change);
};

export function runtimeFor(group: string, config: EmbedConfig): AnyRuntime {
  let runtime = runtimes.get(group);
  if (!runtime) {
    // A page that names a Jupyter server or Binder (Thebe's keys, or the same in its own config) runs there.
    const remote = ownRuntimeOptions(document) ?? config.remote;
    const created = remote ? createRuntime(remote) : createRuntime({ ...config.runtime });
    runtime = created;
    runtimes.set(group, created);
    let booted = false;
    const boot = () => {
      booted = false;
      notify({ group, state: 'starting' });
      // Queued while Python boots, so it runs before any cell. Not on a Jupyter server: making
      // folders there is not the page's business (the kernel starts in the server's root).
      if (!remote) enterWorkingDirectory(created, config.workingDirectory);
      // A restart announces 'starting' before its new `ready` exists: read it a microtask later.
      queueMicrotask(() => {
        created.ready.catch((error: unknown) => notify({ group, state: 'failed', reason: errorMessage(error) }));
        const { files, errors } = readCompanionFiles(config.files, document.baseURI, 'data-pyloom-config files');
        groupFiles.set(group, {
          page: fetchInto(created, files).then((failures) => [...errors, ...failures]),
          fetched: new Set(),
          pageReported: false,
        });
      });
    };
    created.addEventListener('status', (event) => {
      const { status, reason } = (event as CustomEvent<StatusDetail>).detail;
      if (status === 'starting') boot();
      else if (status === 'idle' && !booted) {
        booted = true;
        notify({ group, state: 'ready' });
      } else if (status === 'dead' && booted) notify({ group, state: 'dead', reason: reason ?? 'the Python runtime stopped' });
    });
    boot();
  }
  return runtime;
}

/**
 * Thebe's kernelOptions.path: the working directory, relative to where Python starts (the
 * workspace, /workspace); "/" and "." leave it. Queued during boot, so it runs before any cell; it gives its
 * execution count back, so the page's first cell is still [1].
 */
function enterWorkingDirectory(runtime: AnyRuntime, path: string | undefined): void {
  const relative = (path ?? '').replace(/^\/+/, '').replace(/\/?\.?\/?$/, '');
  if (!relative || relative === '.') return;
  const code = [
    'import os as _pyloom_os, sys as _pyloom_sys',
    `_pyloom_os.makedirs(${JSON.stringify(relative)}, exist_ok=True)`,
    `_pyloom_os.chdir(${JSON.stringify(relative)})`,
    "_pyloom_shell = getattr(_pyloom_sys.displayhook, '__self__', None)",
    "if hasattr(_pyloom_shell, 'execution_count'):",
    '    _pyloom_shell.execution_count -= 1',
    "    _pyloom_shell.user_ns.get('In', [None]).pop()",
    'del _pyloom_os, _pyloom_sys, _pyloom_shell',
  ].join('\n');
  void runtime.execute(code).then((reply) => {
    if (reply.status === 'error')
      console.warn(`Pyloom: could not enter the working directory "${relative}" (kernelOptions.path)`, reply.outputs);
  });
}

/**
 * Fetch companion files into a runtime's workspace. Resolves with one message per file that did
 * not arrive (its URL and HTTP status, a checksum mismatch); never rejects.
 */
async function fetchInto(runtime: AnyRuntime, list: ReturnType<typeof readCompanionFiles>['files']): Promise<string[]> {
  if (list.length === 0) return [];
  if (!(runtime instanceof Runtime))
    return [`data files are not fetched: this page's Python runs on a Jupyter server, whose files are its own`];
  try {
    const { files, ended } = await runtime.workspace();
    return await Promise.race([files.fetchFiles(list), ended]);
  } catch (error) {
    return [`data files were not fetched: ${errorMessage(error)}`];
  }
}

/**
 * The page's and this cell's companion files, in the runtime's workspace before the cell runs.
 * Resolves with the problems to show on the cell (bad `data-files`, failed fetches).
 */
async function companionFiles(cell: CellParts, runtime: AnyRuntime): Promise<string[]> {
  const state = groupFiles.get(cell.group);
  const pageProblems = state ? await state.page : [];
  const problems = state && !state.pageReported ? [...pageProblems] : [];
  if (state) state.pageReported = true;
  const { files, errors } = readDataFilesAttribute(cell.dataFiles, document.baseURI);
  problems.push(...errors);
  const key = (file: { path: string; url: string }) => `${file.path}\n${file.url}`;
  const missing = files.filter((file) => !state?.fetched.has(key(file)));
  if (missing.length) {
    cell.status.textContent = 'Fetching data files…';
    // One at a time (the worker fetches them in turn anyway), so a file that failed is tried again next run.
    for (const file of missing) {
      const failures = await fetchInto(runtime, [file]);
      problems.push(...failures);
      if (failures.length === 0) state?.fetched.add(key(file));
    }
  }
  return problems;
}

/** Restart a group's Python (Thebe's restart button); resolves when it is ready again. */
export async function restart(group: string): Promise<void> {
  const runtime = runtimes.get(group);
  if (runtime) await runtime.restart('restarted from the page');
}

/** Start a group's Python now (Thebe's requestKernel); resolves when it is ready. */
export async function start(group: string, config: EmbedConfig): Promise<void> {
  await runtimeFor(group, config).ready;
}

function describe(progress: Progress): string {
  if (progress.kind === 'boot') return `Starting Python: ${progress.message} (${progress.step + 1}/${progress.steps})`;
  const { loaded, total } = progress.overall;
  return `Downloading ${progress.file}: ${(loaded / 1e6).toFixed(1)}${total ? ` / ${(total / 1e6).toFixed(1)}` : ''} MB`;
}

/** Run a cell, showing its outputs and progress in it; resolves with the reply (undefined when the runtime failed). */
export async function runCell(cell: CellParts, config: EmbedConfig): Promise<ExecuteReply | undefined> {
  const runtime = runtimeFor(cell.group, config);
  let output = cell.output.querySelector('py-output');
  if (!output) {
    output = cell.output.ownerDocument.createElement('py-output') as PyOutput;
    output.trusted = config.trust;
    output.widgets = widgetHostFor(runtime, { trusted: config.trust });
    cell.output.append(output);
  }
  const view = output;
  if (cell.run) cell.run.disabled = true;
  cell.status.textContent = runtime.status === 'starting' ? 'Starting Python…' : 'Queued…';
  const onBoot = (event: Event) => {
    const progress = (event as CustomEvent<Progress>).detail;
    // Boot phases and the bytes of Pyodide's core while it downloads (no execution owns those).
    if (progress.kind === 'boot' || (progress.executionId === null && !progress.done)) cell.status.textContent = describe(progress);
  };
  runtime.addEventListener('progress', onBoot);
  const limit = cell.timeout || config.timeout;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut: Promise<'interrupted' | 'restarted' | 'idle'> | undefined;
  try {
    await runtime.ready.catch(() => undefined);
    const problems = await companionFiles(cell, runtime);
    view.clear(); // a re-run replaces the previous output, as in Jupyter
    // Shown first, on this cell: the code still runs (it may not need the file, or say what it misses).
    for (const problem of problems) view.apply({ output_type: 'stream', name: 'stderr', text: `Data files: ${problem}\n` });
    const reply = await runtime.execute(cell.code(), {
      // Counted from when the cell starts running, not while it waits for boot or for another cell
      // of its group: then the interrupt reaches this cell and no other.
      onStart: () => {
        if (limit > 0) timer = setTimeout(() => (timedOut = runtime.interrupt()), limit * 1000);
      },
      onOutput: (event) => {
        if (cell.predefined) {
          cell.predefined.remove();
          cell.predefined = null;
        }
        view.apply(event);
      },
      onProgress: (progress) => (cell.status.textContent = describe(progress)),
      onInput: (request) => askInput(cell.output, request),
    });
    cell.predefined?.remove();
    cell.predefined = null;
    // A cell that did not stop within the interrupt grace was stopped by restarting Python: say so,
    // the next cell no longer sees this group's variables.
    const outcome = timedOut && (await timedOut);
    const stopped = outcome === 'idle' ? undefined : outcome; // 'idle': it had just finished by itself
    cell.status.textContent = stopped
      ? `Stopped after the ${limit} s time limit${stopped === 'restarted' ? '; Python restarted (variables were lost)' : ''}`
      : reply.status === 'ok'
        ? `Done [${reply.executionCount ?? ' '}]`
        : reply.status === 'error'
          ? 'Error'
          : 'Stopped';
    cell.host.dataset['status'] = reply.status;
    return reply;
  } catch (error) {
    cell.status.textContent = errorMessage(error);
    cell.host.dataset['status'] = 'failed';
    return undefined;
  } finally {
    clearTimeout(timer);
    runtime.removeEventListener('progress', onBoot);
    if (cell.run) cell.run.disabled = false;
  }
}

/** Boot the runtimes cells will use, before anyone presses Run (config `preload`). */
export function preload(cells: CellParts[], config: EmbedConfig): void {
  for (const group of new Set(cells.map((c) => c.group))) void runtimeFor(group, config).ready.catch(() => undefined);
}
