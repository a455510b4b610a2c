// The Pyodide side of the runtime: the WorkerApi over one KernelState. Boot steps live in
// ./boot, the snapshot policy in ./snapshot. Plain module (no Worker globals) so Node tests drive
// it directly; worker/worker.ts only exposes it over Comlink.
import type {
  BootInfo,
  BootOptions,
  Callback,
  CompletionRequest,
  CompletionResult,
  ExecuteAck,
  ExecuteRequest,
  Health,
  InstallResult,
  WorkerApi,
  WorkerEvent,
} from '../src/protocol';
import { waitForInput } from '../src/shared/input-buffer';
import { errorMessage } from '../src/shared/errors';
import { bootKernel, type KernelDeps } from './boot';
import { connectComms as wireComms } from './comms';
import { KernelState } from './kernel-state';
import { installPackages as installPyloomPackages } from './pyloom-api';
import { codePointOffset, insidePair, utf16Offset } from './text-offsets';
import { memoryStore, type WorkspaceStore } from './workspace/store';
import { createWorkspace } from './workspace/workspace';
import { folderStore } from './workspace/folder-store';
import { RUNTIME_OPTIONS } from '../src/shared/options';

export type { KernelDeps, PyodideModule } from './boot';
export type { SnapshotStore } from './snapshot';
export { codePointOffset, utf16Offset } from './text-offsets';

/** The worker API plus what only the owner of the kernel calls (createKernel's type is inferred from its code, and test/unit/protocol.test.ts compares it with this). */
export interface Kernel extends WorkerApi {
  /** Release process-wide subscriptions (the fetch watch); the kernel answers nothing useful after. */
  dispose(): void;
}

function isKeyboardInterrupt(error: unknown): boolean {
  return error instanceof Error && error.name === 'PythonError' && (error as Error & { type?: string }).type === 'KeyboardInterrupt';
}

export function createKernel(deps: KernelDeps = {}) {
  const state = new KernelState();
  // The store is known at boot: the browser's (deps), or a folder on disk the page passed.
  let chooseStore!: (store: Promise<WorkspaceStore>) => void;
  const store = new Promise<WorkspaceStore>((resolve) => (chooseStore = (chosen) => void chosen.then(resolve)));
  const workspace = createWorkspace(store, (event) => state.deliver(event));

  const interruptedBeforeStart = async (shellCount: number, note: string): Promise<ExecuteAck> => {
    state.emitOutput({
      output_type: 'error',
      ename: 'KeyboardInterrupt',
      evalue: '',
      traceback: [`\x1b[31mKeyboardInterrupt\x1b[39m${note}`],
    });
    await state.delivered();
    return { status: 'error', executionCount: shellCount };
  };

  // Blocks the worker until the page answers: the one place the worker waits synchronously.
  const requestInput = (buffer: SharedArrayBuffer) => (prompt: string, password: boolean) =>
    waitForInput(
      buffer,
      () => state.deliver({ type: 'input', executionId: state.executionId, prompt, password }),
      // Taken here: it must not fire again in the next statement.
      () => state.takeInterrupt(),
    );

  async function boot(options: BootOptions, onEvent: Callback<WorkerEvent>): Promise<BootInfo> {
    if (state.booting || state.pyodide) throw new Error('this worker has already been booted; restart the runtime for a fresh one');
    if (state.disposed) throw new Error('this kernel has been disposed; create a new one');
    state.booting = true;
    state.connect(onEvent);
    chooseStore(
      options.workspaceFolder
        ? Promise.resolve(folderStore(options.workspaceFolder))
        : (deps.workspaceStore ?? Promise.resolve(memoryStore())),
    );
    const info = await bootKernel(state, options, deps, {
      onOutput: (event) => state.emitOutput(event),
      requestInput: options.inputBuffer ? requestInput(options.inputBuffer) : undefined,
    });
    // Not awaited: boot is ready while the files are placed; execute() waits for them. Python's
    // memory (a restored snapshot included) never holds the workspace, so every boot mounts it.
    const py = state.pyodide!;
    void workspace
      .mount(py.FS, {
        writable: options.workspaceWritable ?? RUNTIME_OPTIONS.workspaceWritable.default,
        cwd: options.workingDirectory ?? RUNTIME_OPTIONS.workingDirectory.default,
        invalidateImportCaches: () => state.withoutInterrupt(() => py.runPython('import importlib; importlib.invalidate_caches()')),
      })
      .catch(() => undefined);
    return info;
  }

  async function execute(request: ExecuteRequest): Promise<ExecuteAck> {
    const { pyodide, shell } = state;
    if (!pyodide || !shell) throw new Error('the runtime has not finished booting; await runtime.ready first');
    state.executionId = request.id;
    // An interrupt sent while this request was on its way is meant for this cell: it ends before
    // it starts (left in the buffer, it would fire inside Pyodide's call glue, not in the cell).
    if (state.takeInterrupt()) return interruptedBeforeStart(shell.executionCount, ': interrupted before it started');
    // A cell never sees a missing workspace file: it waits for the mount and companion files.
    // Its time limit may pass meanwhile (the page counts from when it sent the request): the
    // signal then waits in the buffer (the worker's own Python does not take it, see
    // withoutInterrupt) and ends the cell here, before it starts.
    state.starting = true;
    state.stopBeforeStart = false;
    let unmounted: string | undefined;
    try {
      unmounted = await workspace.ready.then(
        () => undefined,
        (error: unknown) => errorMessage(error),
      );
      await workspace.fetched();
    } finally {
      state.starting = false;
    }
    if (unmounted) state.emitOutput({ output_type: 'stream', name: 'stderr', text: `${unmounted}; files written now are not kept\n` });
    if (state.takeInterrupt() || state.stopBeforeStart)
      return interruptedBeforeStart(shell.executionCount, ': interrupted before it started');
    state.running = true;
    state.downloadOwner = request.id;
    let reply;
    try {
      reply = await Promise.race([shell.runCell(request.code), state.fatal]);
    } catch (error) {
      // A pending KeyboardInterrupt can fire in Pyodide's glue just outside the cell's own
      // try/except; it is still the user's Stop, not a broken runtime.
      if (!isKeyboardInterrupt(error)) throw error;
      return interruptedBeforeStart(shell.executionCount, '');
    } finally {
      state.running = false;
      state.downloadOwner = null;
      // The cell is over: a signal that came too late for it must not hit the next one.
      state.clearInterrupt();
      // What the cell wrote is stored before it is reported done (never throws: failures are events).
      if (!state.fatalError) await workspace.flush();
    }
    await state.delivered();
    return reply;
  }

  async function interrupt(id: number): Promise<boolean> {
    const { shell, interruptBuffer } = state;
    if (shell && state.starting && id === state.executionId) {
      // Without a SharedArrayBuffer this message is the only signal: remember it for the start.
      state.stopBeforeStart = true;
      return true;
    }
    if (!shell || !state.running || id !== state.executionId) return false;
    // Take the signal out of the buffer while calling into Python, so it cannot fire inside this
    // call; give it back when the cell is in synchronous code, where only the buffer can stop it.
    const signal = interruptBuffer?.[0] ?? 0;
    state.clearInterrupt();
    const cancelled = shell.interrupt();
    if (!cancelled && interruptBuffer && signal) interruptBuffer[0] = signal;
    return cancelled;
  }

  async function installPackages(names: string[]): Promise<InstallResult> {
    const { pyodide } = state;
    if (!pyodide) throw new Error('the runtime has not finished booting; await runtime.ready first');
    return installPyloomPackages(pyodide, names);
  }

  async function complete({ code, cursor }: CompletionRequest): Promise<CompletionResult> {
    const empty: CompletionResult = { from: cursor, to: cursor, items: [] };
    const { shell } = state;
    // Never beside a cell: one that awaits (or is suspended by JSPI) lets the worker take messages.
    if (!shell || state.running) return empty;
    if (!Number.isInteger(cursor) || cursor < 0 || cursor > code.length || insidePair(code, cursor)) return empty;
    // Not cleared: a signal in the buffer may be meant for a cell whose request is on its way.
    const { from, to, items } = state.withoutInterrupt(() => shell.complete(code, codePointOffset(code, cursor)));
    return { from: utf16Offset(code, from), to: utf16Offset(code, to), items };
  }

  async function ping(): Promise<Health> {
    const { pyodide } = state;
    if (!pyodide) return { state: 'booting' };
    if (state.fatalError) return { state: 'fatal', reason: state.fatalError.message };
    try {
      state.withoutInterrupt(() => pyodide.runPython('0'));
      return { state: 'ok' };
    } catch (error) {
      return { state: 'fatal', reason: errorMessage(error) };
    }
  }

  async function connectComms(port: MessagePort): Promise<void> {
    wireComms(state, port);
  }

  const dispose = (): void => state.dispose();

  return { boot, execute, interrupt, installPackages, complete, ping, connectComms, dispose, ...workspace.api } satisfies Kernel;
}
