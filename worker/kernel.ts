// The Pyodide side of the runtime: boot, execute, stream. Plain module (no Worker globals) so
// Node tests drive it directly; worker/worker.ts only exposes it over Comlink.
import type { PyodideAPI } from 'pyodide';
import type { loadPyodide as LoadPyodide } from 'pyodide';
import type {
  BootInfo,
  BootOptions,
  BootPhase,
  BootProgress,
  Callback,
  CompletionRequest,
  CompletionResult,
  ExecuteAck,
  ExecuteRequest,
  Health,
  InstallResult,
  OutputEvent,
  WorkerApi,
  WorkerEvent,
} from '../src/protocol';
import { waitForInput } from '../src/input-buffer';
import { watchDownloads } from './downloads';
import { resolvePackageBaseUrl } from './packages';
import { memoryStore, type WorkspaceStore } from './workspace/store';
import { createWorkspace } from './workspace/workspace';

export interface PyodideModule {
  loadPyodide: typeof LoadPyodide;
  version: string;
}

export interface KernelDeps {
  /** Load `pyodide.mjs`. Default: dynamic `import()` of the URL, so any Pyodide host works. */
  importPyodide?: (moduleURL: string) => Promise<PyodideModule>;
  /** Fetch a file's bytes. Default: `fetch`. */
  fetchBytes?: (url: string) => Promise<Uint8Array>;
  /** Base that relative URLs in the options resolve against. Default: the worker's location. */
  baseURL?: string;
  /** Under Node only: where Pyodide caches downloaded packages (browsers ignore it). */
  packageCacheDir?: string;
  /** Where warm-start memory snapshots are kept. Default: none (every boot is cold). */
  snapshots?: SnapshotStore;
  /** Where workspace files persist. Default: this worker's memory (lost when it ends). */
  workspaceStore?: Promise<WorkspaceStore>;
}

/** Keeps one memory snapshot per key (Pyodide version + pyloom wheel + core location). */
export interface SnapshotStore {
  load(key: string): Promise<Uint8Array | undefined>;
  save(key: string, bytes: Uint8Array): Promise<void>;
  discard(key: string): Promise<void>;
}

/** pyloom modules imported before the snapshot, so a warm start finds them in memory. */
const PRIMED_MODULES = ['pyloom'];

const PHASES: readonly [BootPhase, string][] = [
  ['import-pyodide', 'Loading the Pyodide loader'],
  ['load-pyodide', 'Starting Python (Pyodide)'],
  ['install-pyloom', 'Installing the pyloom package'],
  ['start-shell', 'Starting the shell'],
  ['ready', 'Ready'],
];

interface PyPackages {
  install_for_js(names: string[]): Promise<{ toJs(options: object): InstallResult; destroy(): void }>;
}

interface PyShell {
  run_cell(code: string): Promise<{ toJs(opts: object): unknown; destroy(): void }>;
  interrupt(): boolean;
  /** Offsets in code points (Python string indices). */
  complete(code: string, cursor: number): { toJs(opts: object): CompletionResult; destroy(): void };
  readonly execution_count: number;
}

function isKeyboardInterrupt(error: unknown): boolean {
  return error instanceof Error && error.name === 'PythonError' && (error as Error & { type?: string }).type === 'KeyboardInterrupt';
}

async function defaultFetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`could not fetch ${url}: ${describe(error)} (is the server reachable?)`);
  }
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/** Code points in `text.slice(0, offset)`: Python counts a surrogate pair (an emoji) as one. */
export function codePointOffset(text: string, offset: number): number {
  let points = 0;
  for (let i = 0; i < offset; i++, points++) {
    if (isHighSurrogate(text.charCodeAt(i)) && i + 1 < offset && isLowSurrogate(text.charCodeAt(i + 1))) i++;
  }
  return points;
}

/** The UTF-16 offset of code point `points` in `text` (the inverse of codePointOffset). */
export function utf16Offset(text: string, points: number): number {
  let i = 0;
  for (let p = 0; p < points && i < text.length; p++) {
    i += isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Wheel URL → sha256 from the lock file, for the files the package base URL serves. */
function lockHashes(lockJson: string, packageBaseUrl: string): Map<string, string> {
  const hashes = new Map<string, string>();
  try {
    const lock = JSON.parse(lockJson) as { packages?: Record<string, { file_name?: string; sha256?: string }> };
    for (const entry of Object.values(lock.packages ?? {})) {
      if (!entry.file_name || !entry.sha256) continue;
      hashes.set(/^[a-z]+:\/\//.test(entry.file_name) ? entry.file_name : packageBaseUrl + entry.file_name, entry.sha256);
    }
  } catch {
    // An unreadable lock fails Pyodide's boot with its own message; nothing to check against.
  }
  return hashes;
}

function joinURL(base: string, file: string): string {
  return base.endsWith('/') ? base + file : `${base}/${file}`;
}

export function createKernel(deps: KernelDeps = {}): WorkerApi {
  const importPyodide =
    deps.importPyodide ?? ((url: string) => import(/* @vite-ignore */ url) as Promise<PyodideModule>);
  const fetchBytes = deps.fetchBytes ?? defaultFetchBytes;
  const baseURL = deps.baseURL ?? (typeof location === 'undefined' ? 'file:///' : location.href);

  let pyodide: PyodideAPI | undefined;
  let shell: PyShell | undefined;
  let booting = false;
  let onEvent: Callback<WorkerEvent> = () => undefined;
  let executionId = 0;
  let running = false;
  /** The execution whose downloads are under way (null outside cells). */
  let downloadOwner: number | null = null;
  // The page acknowledges each event; execute() waits for the last one so that a reply never
  // overtakes the outputs it belongs to (they travel on a different MessagePort).
  let lastDelivery: unknown;
  let interruptBuffer: Uint8Array | undefined;
  // Pyodide's fatal errors (a trap in C code, a broken invariant) can happen inside an event-loop
  // callback, where nothing awaits them: the running cell's promise would then never settle.
  let fatalError: Error | undefined;
  let reportFatal: (error: Error) => void = () => undefined;
  const fatal = new Promise<never>((_, reject) => {
    reportFatal = reject;
  });
  fatal.catch(() => undefined);

  const deliver = (event: WorkerEvent): void => {
    lastDelivery = onEvent(event);
  };
  const emitOutput = (event: OutputEvent): void => deliver({ type: 'output', executionId, event });
  const workspace = createWorkspace(deps.workspaceStore ?? Promise.resolve(memoryStore()), (event) => deliver(event));

  async function boot(options: BootOptions, eventSink: Callback<WorkerEvent>): Promise<BootInfo> {
    if (booting || pyodide) throw new Error('this worker has already been booted; restart the runtime for a fresh one');
    booting = true;
    onEvent = eventSink;
    const timings: BootInfo['timings'] = {};
    const step = async <T>(phase: BootPhase, run: () => Promise<T>): Promise<T> => {
      const index = PHASES.findIndex(([p]) => p === phase);
      const progress: BootProgress = { kind: 'boot', phase, message: PHASES[index]![1], step: index, steps: PHASES.length };
      deliver({ type: 'progress', progress });
      const start = performance.now();
      try {
        return await run();
      } catch (error) {
        throw new Error(`Pyloom could not boot: ${PHASES[index]![1].toLowerCase()} failed: ${describe(error)}`);
      } finally {
        timings[phase] = performance.now() - start;
      }
    };

    // Started now, awaited after Python is up: the download overlaps Pyodide's start.
    const wheelDownload = fetchBytes(options.pyloomWheelURL);
    wheelDownload.catch(() => undefined); // reported by the install step, not as unhandled
    const lockFileURL = options.lockFileURL ?? joinURL(options.indexURL, 'pyodide-lock.json');
    // Read once here and handed to Pyodide and pyloom: one lock, one fetch.
    const lockDownload = fetchBytes(lockFileURL).then((bytes) => new TextDecoder().decode(bytes));
    lockDownload.catch(() => undefined);
    const mod = await step('import-pyodide', () => importPyodide(joinURL(options.indexURL, 'pyodide.mjs')));
    const packageBaseUrl = resolvePackageBaseUrl(options.packageBaseUrl, mod.version, baseURL);
    const indexUrls = (options.indexUrls ?? []).map((url) => resolvePackageBaseUrl(url, mod.version, baseURL));
    // Per-execution totals, so "overall" means "what this cell is downloading".
    let batch = { owner: null as number | null, files: new Map<string, { loaded: number; total: number | null; done: boolean }>() };
    let expected: Map<string, string> | undefined;
    watchDownloads({
      // Packages, and the two big files of Pyodide's core, so the page can show bytes while they come.
      matches: (url) =>
        url.startsWith(packageBaseUrl) ||
        indexUrls.some((index) => url.startsWith(index)) ||
        /\.whl([?#]|$)/.test(url) ||
        (url.startsWith(options.indexURL) && /(pyodide\.asm\.wasm|python_stdlib\.zip)([?#]|$)/.test(url)),
      expectedSha256: (url) => {
        expected ??= lockHashes(lockJson, packageBaseUrl);
        return expected.get(url.split(/[?#]/)[0]!);
      },
      report: (file) => {
        if (batch.owner !== downloadOwner) batch = { owner: downloadOwner, files: new Map() };
        batch.files.set(file.url, { loaded: file.loaded, total: file.total, done: file.done });
        const states = [...batch.files.values()];
        const overall = {
          loaded: states.reduce((sum, f) => sum + f.loaded, 0),
          total: states.some((f) => f.total === null) ? null : states.reduce((sum, f) => sum + (f.total ?? 0), 0),
          files: states.length,
          done: states.filter((f) => f.done).length,
        };
        deliver({ type: 'progress', progress: { ...file, executionId: downloadOwner, overall } });
      },
    });
    let lockJson = '';
    try {
      lockJson = await lockDownload;
    } catch (error) {
      throw new Error(`Pyloom could not boot: could not read the Pyodide lock file ${lockFileURL}: ${describe(error)}`);
    }
    const loadOptions = {
      indexURL: options.indexURL,
      packageBaseUrl,
      lockFileContents: lockJson,
      ...(deps.packageCacheDir ? { packageCacheDir: deps.packageCacheDir } : {}),
      // Output written below Python (C extensions, Emscripten) before/after the shell exists.
      stdout: (line: string) => emitOutput({ output_type: 'stream', name: 'stdout', text: `${line}\n` }),
      stderr: (line: string) => emitOutput({ output_type: 'stream', name: 'stderr', text: `${line}\n` }),
    };
    let wheel: Uint8Array;
    try {
      wheel = await wheelDownload;
    } catch (error) {
      throw new Error(`Pyloom could not boot: installing the pyloom package failed: ${describe(error)}`);
    }
    // A pure-Python wheel is importable from sys.path as it is (zipimport): writing it is enough.
    const wheelPath = `/lib/pyloom/${options.pyloomWheelURL.split('/').pop()?.split('?')[0] || 'pyloom.whl'}`;
    const writeWheel = (target: PyodideAPI) => {
      target.FS.mkdirTree('/lib/pyloom');
      target.FS.writeFile(wheelPath, wheel);
    };

    // Warm start: a snapshot holds Python's memory with pyloom imported, not the file system, so
    // the wheel is written again (modules pyloom imports later are read from it).
    const store = options.snapshot === false ? undefined : deps.snapshots;
    const snapshotKey = store ? `pyodide ${mod.version}; pyloom ${await sha256Hex(wheel)}; core ${options.indexURL}; v1` : '';
    let snapshotState: BootInfo['snapshot'] = store ? 'failed' : 'off';
    let snapshotFallback: string | undefined;
    let snapshotBytes: Uint8Array | undefined;
    let py: PyodideAPI | undefined;
    const stored = store
      ? await store.load(snapshotKey).catch((error: unknown) => {
          snapshotFallback = `the stored snapshot could not be read: ${describe(error)}`;
          return undefined;
        })
      : undefined;
    if (store && stored) {
      try {
        py = await step('load-pyodide', () => mod.loadPyodide({ ...loadOptions, _loadSnapshot: stored }));
        const restored = py;
        await step('install-pyloom', async () => {
          writeWheel(restored);
          checkRestored(restored, wheelPath);
        });
        snapshotState = 'restored';
      } catch (error) {
        snapshotFallback = describe(error);
        py = undefined;
        await store.discard(snapshotKey).catch(() => undefined);
      }
    }
    if (!py) {
      const fresh = await step('load-pyodide', () => mod.loadPyodide({ ...loadOptions, ...(store ? { _makeSnapshot: true } : {}) }));
      py = fresh;
      await step('install-pyloom', async () => {
        writeWheel(fresh);
        const sys = fresh.pyimport('sys');
        try {
          sys.path.insert(0, wheelPath);
        } finally {
          sys.destroy();
        }
        if (!store) return;
        // Before anything hands Python a JavaScript object: a snapshot cannot hold those.
        for (const name of PRIMED_MODULES) fresh.pyimport(name).destroy();
        try {
          snapshotBytes = fresh.makeMemorySnapshot();
          snapshotState = 'taken';
        } catch (error) {
          snapshotFallback = `no snapshot was made: ${describe(error)}`;
        }
      });
    }
    (py as unknown as { _api: { on_fatal?: (error: unknown) => void } })._api.on_fatal = (error) => {
      fatalError = new Error(`Pyodide has suffered a fatal error: ${describe(error)}`);
      reportFatal(fatalError);
    };
    interruptBuffer = options.interruptBuffer;
    if (interruptBuffer) py.setInterruptBuffer(interruptBuffer);
    const inputBuffer = options.inputBuffer;
    // Blocks the worker until the page answers: the one place the worker waits synchronously.
    // Blocks the worker until the page answers: the one place the worker waits synchronously.
    // undefined (Python: None) means interrupted, false means no answer (EOF).
    const requestInput = (prompt: string, password: boolean): string | undefined | false => {
      if (!inputBuffer) return false;
      return waitForInput(
        inputBuffer,
        () => deliver({ type: 'input', executionId, prompt, password }),
        () => {
          if (interruptBuffer?.[0] !== 2) return false;
          interruptBuffer[0] = 0; // taken here: it must not fire again in the next statement
          return true;
        },
      );
    };
    const booted: PyodideAPI = py;
    const pyloomVersion = await step('start-shell', async () => {
      if (snapshotState === 'restored') {
        // A restored state the shell cannot start from must not be restored again: the next
        // start goes cold.
        return startShell().catch(async (error: unknown) => {
          await store?.discard(snapshotKey).catch(() => undefined);
          throw new Error(`${describe(error)} (after restoring the warm-start snapshot, which is now discarded; restart to boot cold)`);
        });
      }
      return startShell();
    });
    async function startShell(): Promise<string> {
      const pyloom = booted.pyimport('pyloom');
      try {
        shell = pyloom.start.callKwargs((json: string) => emitOutput(JSON.parse(json) as OutputEvent), {
          stream_interval: (options.streamIntervalMs ?? 50) / 1000,
          stream_max_chars: options.streamMaxChars ?? 65536,
          max_output_chars: options.maxOutputChars ?? 10_000_000,
          // undefined, not null: Pyodide turns null into jsnull, only undefined into None.
          interrupt_buffer: interruptBuffer,
          request_input: inputBuffer ? requestInput : undefined,
          pyodide_version: mod.version,
          index_urls: indexUrls,
          lock_json: lockJson,
        }) as PyShell;
        return String(pyloom.__version__);
      } finally {
        pyloom.destroy();
      }
    }
    pyodide = py;
    // Not awaited: boot is ready while the files are placed; execute() waits for them. Python's
    // memory (a restored snapshot included) never holds the workspace, so every boot mounts it.
    void workspace
      .mount(py.FS, {
        writable: options.workspaceWritable ?? true,
        cwd: options.workingDirectory ?? '',
        invalidateImportCaches: () => booted.runPython('import importlib; importlib.invalidate_caches()'),
      })
      .catch(() => undefined);
    deliver({ type: 'progress', progress: { kind: 'boot', phase: 'ready', message: 'Ready', step: PHASES.length - 1, steps: PHASES.length } });
    // Stored after the runtime is ready: compressing ~30 MB must not delay the first cell's start.
    if (store && snapshotBytes) void store.save(snapshotKey, snapshotBytes).catch(() => undefined);
    const sys = py.pyimport('sys');
    const pythonVersion = String(sys.version).split(' ')[0]!;
    sys.destroy();
    return {
      pyodideVersion: mod.version,
      pythonVersion,
      pyloomVersion,
      packageBaseUrl,
      timings,
      interruptible: interruptBuffer !== undefined,
      snapshot: snapshotState,
      ...(snapshotFallback ? { snapshotFallback } : {}),
    };
  }

  async function execute(request: ExecuteRequest): Promise<ExecuteAck> {
    if (!pyodide || !shell) throw new Error('the runtime has not finished booting; await runtime.ready first');
    executionId = request.id;
    // An interrupt sent while this request was on its way is meant for this cell: it ends before
    // it starts (left in the buffer, it would fire inside Pyodide's call glue, not in the cell).
    if (interruptBuffer?.[0] === 2) {
      interruptBuffer[0] = 0;
      emitOutput({ output_type: 'error', ename: 'KeyboardInterrupt', evalue: '', traceback: ['\x1b[31mKeyboardInterrupt\x1b[39m: interrupted before it started'] });
      await lastDelivery;
      return { status: 'error', executionCount: shell.execution_count };
    }
    // A cell never sees a missing workspace file: it waits for the mount.
    const unmounted = await workspace.ready.then(() => undefined, (error: unknown) => describe(error));
    if (unmounted) emitOutput({ output_type: 'stream', name: 'stderr', text: `${unmounted}; files written now are not kept\n` });
    await workspace.fetched(); // companion data files declared before this cell
    running = true;
    downloadOwner = request.id;
    let reply;
    try {
      reply = await Promise.race([shell.run_cell(request.code), fatal]);
    } catch (error) {
      // A pending KeyboardInterrupt can fire in Pyodide's glue just outside the cell's own
      // try/except; it is still the user's Stop, not a broken runtime.
      if (!isKeyboardInterrupt(error)) throw error;
      emitOutput({ output_type: 'error', ename: 'KeyboardInterrupt', evalue: '', traceback: ['\x1b[31mKeyboardInterrupt\x1b[39m'] });
      await lastDelivery;
      return { status: 'error', executionCount: shell.execution_count };
    } finally {
      running = false;
      downloadOwner = null;
      // The cell is over: a signal that came too late for it must not hit the next one.
      if (interruptBuffer) interruptBuffer[0] = 0;
      // What the cell wrote is stored before it is reported done (never throws: failures are events).
      if (!fatalError) await workspace.flush();
    }
    const { status, execution_count } = reply.toJs({ dict_converter: Object.fromEntries }) as {
      status: ExecuteAck['status'];
      execution_count: number | null;
    };
    reply.destroy();
    await lastDelivery;
    return { status, executionCount: execution_count };
  }

  async function interrupt(id: number): Promise<boolean> {
    if (!shell || !running || id !== executionId) return false;
    // Take the signal out of the buffer while calling into Python, so it cannot fire inside this
    // call; give it back when the cell is in synchronous code, where only the buffer can stop it.
    const signal = interruptBuffer?.[0] ?? 0;
    if (interruptBuffer) interruptBuffer[0] = 0;
    const cancelled = shell.interrupt();
    if (!cancelled && interruptBuffer && signal) interruptBuffer[0] = signal;
    return cancelled;
  }

  async function installPackages(names: string[]): Promise<InstallResult> {
    if (!pyodide) throw new Error('the runtime has not finished booting; await runtime.ready first');
    const packages = pyodide.pyimport('pyloom.packages') as PyPackages & { destroy(): void };
    try {
      const result = await packages.install_for_js(names);
      const value = result.toJs({ dict_converter: Object.fromEntries });
      result.destroy();
      return value;
    } finally {
      packages.destroy();
    }
  }

  async function complete({ code, cursor }: CompletionRequest): Promise<CompletionResult> {
    const empty: CompletionResult = { from: cursor, to: cursor, items: [] };
    // Never beside a cell: one that awaits (or is suspended by JSPI) lets the worker take messages.
    if (!shell || running) return empty;
    const inPair = isHighSurrogate(code.charCodeAt(cursor - 1)) && isLowSurrogate(code.charCodeAt(cursor));
    if (!Number.isInteger(cursor) || cursor < 0 || cursor > code.length || inPair) return empty;
    // A stale interrupt (the cell it was meant for has ended) must not fire in here.
    if (interruptBuffer) interruptBuffer[0] = 0;
    const reply = shell.complete(code, codePointOffset(code, cursor));
    try {
      const { from, to, items } = reply.toJs({ dict_converter: Object.fromEntries });
      return { from: utf16Offset(code, from), to: utf16Offset(code, to), items };
    } finally {
      reply.destroy();
    }
  }

  async function ping(): Promise<Health> {
    if (!pyodide) return { state: 'booting' };
    if (fatalError) return { state: 'fatal', reason: fatalError.message };
    try {
      pyodide.runPython('0');
      return { state: 'ok' };
    } catch (error) {
      return { state: 'fatal', reason: describe(error) };
    }
  }

  return { boot, execute, interrupt, installPackages, complete, ping, ...workspace.api } satisfies WorkerApi;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes.slice());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A restored snapshot must reach the state of a cold boot: pyloom imported from this wheel, the same sys.path. */
function checkRestored(py: PyodideAPI, wheelPath: string): void {
  const sys = py.pyimport('sys');
  try {
    const path = sys.path.toJs() as string[];
    if (!path.includes(wheelPath)) throw new Error(`the snapshot's sys.path does not hold ${wheelPath}`);
    // Pyodide's start-up puts the working directory ('') in front again on restore; a cold boot
    // has it once, after pyloom's wheel.
    // (__delitem__: a list proxy's pop() is JavaScript's, which drops the last entry.)
    if (path[0] === '' && path.indexOf('', 1) > 0) sys.path.__delitem__(0);
    if (!sys.modules.__contains__('pyloom')) throw new Error('the snapshot does not hold pyloom');
  } finally {
    sys.destroy();
  }
}
