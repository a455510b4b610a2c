// Loaded on the first Run: runtimes (one per group, shared by its cells in document order),
// <py-output>, and running a cell with its progress shown in that cell.
import '../components/py-output';
import { askInput } from '../components/input-box';
import type { PyOutput } from '../components/py-output';
import type { Progress } from '../protocol';
import { createRuntime, type Runtime } from '../runtime/runtime';
import type { CellParts } from './cell';
import type { EmbedConfig } from './config';
import { errorMessage } from '../shared/errors';

const runtimes = new Map<string, Runtime>();

export function runtimeFor(group: string, config: EmbedConfig): Runtime {
  let runtime = runtimes.get(group);
  if (!runtime) {
    runtime = createRuntime({
      ...(config.indexURL ? { indexURL: config.indexURL } : {}),
      ...(config.packageBaseUrl ? { packageBaseUrl: config.packageBaseUrl } : {}),
      ...(config.lockFileURL ? { lockFileURL: config.lockFileURL } : {}),
      ...(config.indexUrls ? { indexUrls: config.indexUrls } : {}),
    });
    runtimes.set(group, runtime);
  }
  return runtime;
}

function describe(progress: Progress): string {
  if (progress.kind === 'boot') return `Starting Python: ${progress.message} (${progress.step + 1}/${progress.steps})`;
  const { loaded, total } = progress.overall;
  return `Downloading ${progress.file}: ${(loaded / 1e6).toFixed(1)}${total ? ` / ${(total / 1e6).toFixed(1)}` : ''} MB`;
}

export async function runCell(cell: CellParts, config: EmbedConfig): Promise<void> {
  const runtime = runtimeFor(cell.group, config);
  let output = cell.output.querySelector('py-output');
  if (!output) {
    output = cell.output.ownerDocument.createElement('py-output') as PyOutput;
    output.trusted = config.trust;
    cell.output.append(output);
  }
  const view = output;
  cell.run.disabled = true;
  cell.status.textContent = runtime.status === 'starting' ? 'Starting Python…' : 'Queued…';
  const onBoot = (event: Event) => {
    const progress = (event as CustomEvent<Progress>).detail;
    // Boot phases and the bytes of Pyodide's core while it downloads (no execution owns those).
    if (progress.kind === 'boot' || (progress.executionId === null && !progress.done)) cell.status.textContent = describe(progress);
  };
  runtime.addEventListener('progress', onBoot);
  const limit = cell.timeout || config.timeout;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  try {
    await runtime.ready.catch(() => undefined);
    view.clear(); // a re-run replaces the previous output, as in Jupyter
    if (limit > 0) {
      // Counted from when the cell starts running, not while it waits for boot or its turn.
      timer = setTimeout(() => {
        timedOut = true;
        void runtime.interrupt();
      }, limit * 1000);
    }
    const reply = await runtime.execute(cell.code(), {
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
    cell.status.textContent = timedOut
      ? `Stopped after the ${limit} s time limit`
      : reply.status === 'ok'
        ? `Done [${reply.executionCount ?? ' '}]`
        : reply.status === 'error'
          ? 'Error'
          : 'Stopped';
    cell.host.dataset['status'] = reply.status;
  } catch (error) {
    cell.status.textContent = errorMessage(error);
    cell.host.dataset['status'] = 'failed';
  } finally {
    clearTimeout(timer);
    runtime.removeEventListener('progress', onBoot);
    cell.run.disabled = false;
  }
}

/** Boot the runtimes cells will use, before anyone presses Run (config `preload`). */
export function preload(cells: CellParts[], config: EmbedConfig): void {
  for (const group of new Set(cells.map((c) => c.group))) void runtimeFor(group, config).ready.catch(() => undefined);
}
