// Boot as named steps: import Pyodide, read the lock, restore-or-cold-start (load Python, install
// pyloom), start the shell. `bootKernel` runs them in order; each reports its phase and timing.
import type { PyodideAPI } from 'pyodide';
import type { loadPyodide as LoadPyodide } from 'pyodide';
import type { BootInfo, BootOptions, BootPhase, BootProgress, OutputEvent } from '../src/protocol';
import { errorMessage } from '../src/shared/errors';
import { watchPackageDownloads } from './download-progress';
import type { KernelState } from './kernel-state';
import { resolvePackageBaseUrl } from './packages';
import { onFatal, startShell, type PyloomShell, type ShellOptions } from './pyloom-api';
import type { WorkspaceStore } from './workspace/store';
import { checkRestored, setGC, WarmStart, type SnapshotStore } from './snapshot';
import { restoreDynlibs, tableLength } from './snapshot-dynlibs';
import { importPackages, markLoaded, selfCheck, unpackPackages, watchLoadedPackages } from './snapshot-packages';
import { RUNTIME_OPTIONS } from '../src/shared/options';

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
  /** Where workspace files persist (kernel.ts mounts them after boot). Default: this worker's memory. */
  workspaceStore?: Promise<WorkspaceStore>;
}

/** The hooks a booted shell calls back into (kernel.ts owns what they do). */
export interface ShellHooks {
  /** pyloom's one output callback, checked against the protocol. */
  onOutput(event: OutputEvent): void;
  /** Blocks until the page answers input(); undefined when interrupted, false for no answer. */
  requestInput: ((prompt: string, password: boolean) => string | undefined | false) | undefined;
}

const PHASES: readonly [BootPhase, string][] = [
  ['import-pyodide', 'Loading the Pyodide loader'],
  ['load-pyodide', 'Starting Python (Pyodide)'],
  ['install-pyloom', 'Installing the pyloom package'],
  ['start-shell', 'Starting the shell'],
  ['ready', 'Ready'],
];

async function defaultFetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`could not fetch ${url}: ${errorMessage(error)} (is the server reachable?)`);
  }
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

function joinURL(base: string, file: string): string {
  return base.endsWith('/') ? base + file : `${base}/${file}`;
}

/** Announces each phase to the page, times it, and names it in the error when it fails. */
class Phases {
  readonly timings: BootInfo['timings'] = {};
  constructor(private readonly state: KernelState) {}

  announce(phase: BootPhase): number {
    const index = PHASES.findIndex(([p]) => p === phase);
    const progress: BootProgress = { kind: 'boot', phase, message: PHASES[index]![1], step: index, steps: PHASES.length };
    this.state.deliver({ type: 'progress', progress });
    return index;
  }

  async run<T>(phase: BootPhase, run: () => Promise<T>): Promise<T> {
    const index = this.announce(phase);
    const start = performance.now();
    try {
      return await run();
    } catch (error) {
      throw new Error(`Pyloom could not boot: ${PHASES[index]![1].toLowerCase()} failed: ${errorMessage(error)}`);
    } finally {
      this.timings[phase] = performance.now() - start;
    }
  }
}

interface Boot {
  options: BootOptions;
  state: KernelState;
  phases: Phases;
  mod: PyodideModule;
  wheel: Uint8Array;
  /** Where the wheel is written: a pure-Python wheel is importable from sys.path as it is (zipimport). */
  wheelPath: string;
  packageBaseUrl: string;
  fetchBytes: (url: string) => Promise<Uint8Array>;
  loadOptions: Parameters<typeof LoadPyodide>[0] & object;
}

// ---- the steps ----

async function importPyodide(options: BootOptions, deps: KernelDeps, phases: Phases): Promise<PyodideModule> {
  const load = deps.importPyodide ?? ((url: string) => import(/* @vite-ignore */ url) as Promise<PyodideModule>);
  return phases.run('import-pyodide', () => load(joinURL(options.indexURL, 'pyodide.mjs')));
}

async function readLock(download: Promise<string>, lockFileURL: string): Promise<string> {
  try {
    return await download;
  } catch (error) {
    throw new Error(`Pyloom could not boot: could not read the Pyodide lock file ${lockFileURL}: ${errorMessage(error)}`);
  }
}

function writeWheel(boot: Boot, py: PyodideAPI): void {
  py.FS.mkdirTree('/lib/pyloom');
  py.FS.writeFile(boot.wheelPath, boot.wheel);
}

/**
 * Warm start: a snapshot holds Python's memory, not the file system, so the wheel (and the
 * packages' files) are written again; compiled packages get the shared-library fix-up and must
 * pass their self-check.
 */
async function restore(boot: Boot, warm: WarmStart, stored: Uint8Array): Promise<PyodideAPI> {
  const { memory, dynlibs } = warm.split(stored);
  const py = await boot.phases.run('load-pyodide', () => boot.mod.loadPyodide({ ...boot.loadOptions, _loadSnapshot: memory }));
  await boot.phases.run('install-pyloom', async () => {
    writeWheel(boot, py);
    checkRestored(py, boot.wheelPath);
    // Timed as part of this phase: BootInfo.timings['install-pyloom'] includes the fix-up.
    if (!dynlibs) return;
    await unpackPackages(py, warm.packages, boot.packageBaseUrl, boot.fetchBytes);
    await restoreDynlibs(py, dynlibs);
    selfCheck(py, warm.packages);
    markLoaded(py, warm.packages);
    setGC(py, true);
  });
  return py;
}

async function installPyloom(boot: Boot, py: PyodideAPI, warm: WarmStart, baseTableLength: number): Promise<void> {
  await boot.phases.run('install-pyloom', async () => {
    writeWheel(boot, py);
    const sys = py.pyimport('sys');
    try {
      sys.path.insert(0, boot.wheelPath);
    } finally {
      sys.destroy();
    }
    if (warm.packages.length > 0) {
      try {
        await unpackPackages(py, warm.packages, boot.packageBaseUrl, boot.fetchBytes);
      } catch (error) {
        // Nothing was loaded yet: this boot goes on, and its snapshot holds no packages.
        warm.fallback = `the snapshot holds no packages: ${errorMessage(error)}`;
        warm.dropPackages();
      }
      try {
        importPackages(py, warm.packages);
        // The self-check passes before the snapshot too, so the submodules it uses (numpy.linalg,
        // numpy.fft and their libraries) are in the snapshot instead of loaded on every restore.
        selfCheck(py, warm.packages);
      } catch (error) {
        // Part of a package is in memory now: no snapshot this time (the runtime itself is usable).
        warm.fallback = `no snapshot was made: ${errorMessage(error)}`;
        markLoaded(py, warm.packages);
        warm.dropPackages();
        return;
      }
    }
    warm.take(py, baseTableLength);
    markLoaded(py, warm.packages);
  });
}

async function coldStart(boot: Boot, warm: WarmStart): Promise<PyodideAPI> {
  const py = await boot.phases.run('load-pyodide', () =>
    boot.mod.loadPyodide({ ...boot.loadOptions, ...(warm.enabled ? { _makeSnapshot: true } : {}) }),
  );
  await installPyloom(boot, py, warm, warm.packages.length > 0 ? tableLength(py) : 0);
  return py;
}

async function restoreOrColdStart(boot: Boot, warm: WarmStart): Promise<PyodideAPI> {
  const stored = await warm.stored();
  if (stored) {
    try {
      const py = await restore(boot, warm, stored);
      warm.state = 'restored';
      return py;
    } catch (error) {
      await warm.discard(errorMessage(error));
    }
  }
  return coldStart(boot, warm);
}

async function startPyloomShell(
  py: PyodideAPI,
  hooks: ShellHooks,
  options: ShellOptions,
): Promise<{ shell: PyloomShell; version: string }> {
  return startShell(py, hooks.onOutput, options);
}

/**
 * Boot Pyodide and pyloom into `state`. Resolves with what was booted once code can run; rejects
 * with a message naming the step that failed. A snapshot taken on the way is stored afterwards:
 * its outcome arrives as a `snapshot` event (BootInfo says 'saving' until then).
 */
export async function bootKernel(state: KernelState, options: BootOptions, deps: KernelDeps, hooks: ShellHooks): Promise<BootInfo> {
  const fetchBytes = deps.fetchBytes ?? defaultFetchBytes;
  const baseURL = deps.baseURL ?? (typeof location === 'undefined' ? 'file:///' : location.href);
  const phases = new Phases(state);
  // Started now, awaited after Python is up: the downloads overlap Pyodide's start.
  const wheelDownload = fetchBytes(options.pyloomWheelURL);
  wheelDownload.catch(() => undefined); // reported by the install step, not as unhandled
  const lockFileURL = options.lockFileURL ?? joinURL(options.indexURL, 'pyodide-lock.json');
  // Read once here and handed to Pyodide and pyloom: one lock, one fetch.
  const lockDownload = fetchBytes(lockFileURL).then((bytes) => new TextDecoder().decode(bytes));
  lockDownload.catch(() => undefined);

  const mod = await importPyodide(options, deps, phases);
  const packageBaseUrl = resolvePackageBaseUrl(options.packageBaseUrl, mod.version, baseURL);
  const indexUrls = (options.indexUrls ?? []).map((url) => resolvePackageBaseUrl(url, mod.version, baseURL));
  let lockJson = '';
  state.onDispose(
    watchPackageDownloads({
      indexURL: options.indexURL,
      packageBaseUrl,
      indexUrls,
      lockJson: () => lockJson,
      owner: () => state.downloadOwner,
      report: (progress) => state.deliver({ type: 'progress', progress }),
    }),
  );
  lockJson = await readLock(lockDownload, lockFileURL);
  let wheel: Uint8Array;
  try {
    wheel = await wheelDownload;
  } catch (error) {
    throw new Error(`Pyloom could not boot: installing the pyloom package failed: ${errorMessage(error)}`);
  }
  const emit = (event: OutputEvent) => state.emitOutput(event);
  const boot: Boot = {
    options,
    state,
    phases,
    mod,
    wheel,
    wheelPath: `/lib/pyloom/${options.pyloomWheelURL.split('/').pop()?.split('?')[0] || 'pyloom.whl'}`,
    packageBaseUrl,
    fetchBytes,
    loadOptions: {
      indexURL: options.indexURL,
      packageBaseUrl,
      lockFileContents: lockJson,
      ...(deps.packageCacheDir ? { packageCacheDir: deps.packageCacheDir } : {}),
      // Output written below Python (C extensions, Emscripten) before/after the shell exists.
      stdout: (line: string) => emit({ output_type: 'stream', name: 'stdout', text: `${line}\n` }),
      stderr: (line: string) => emit({ output_type: 'stream', name: 'stderr', text: `${line}\n` }),
    },
  };
  const warm = await WarmStart.open(deps.snapshots, options.snapshot ?? RUNTIME_OPTIONS.snapshot.default, {
    pyodideVersion: mod.version,
    wheel,
    indexURL: options.indexURL,
    lockJson,
  });
  const py = await restoreOrColdStart(boot, warm);
  // The packages a session loads are what the next boot's snapshot holds.
  if (warm.enabled) state.onDispose(watchLoadedPackages(py, (names) => void warm.recordLoaded(lockJson, names)));

  onFatal(py, (error) => state.die(new Error(`Pyodide has suffered a fatal error: ${errorMessage(error)}`)));
  state.interruptBuffer = options.interruptBuffer;
  if (state.interruptBuffer) py.setInterruptBuffer(state.interruptBuffer);
  const shellOptions: ShellOptions = {
    interrupt_buffer: state.interruptBuffer,
    request_input: hooks.requestInput,
    stream_interval: (options.streamIntervalMs ?? RUNTIME_OPTIONS.streamIntervalMs.default) / 1000,
    stream_max_chars: options.streamMaxChars ?? RUNTIME_OPTIONS.streamMaxChars.default,
    max_output_chars: options.maxOutputChars ?? RUNTIME_OPTIONS.maxOutputChars.default,
    pyodide_version: mod.version,
    index_urls: indexUrls,
    lock_json: lockJson,
  };
  const { shell, version } = await phases.run('start-shell', async () => {
    if (warm.state !== 'restored') return startPyloomShell(py, hooks, shellOptions);
    // A restored state the shell cannot start from must not be restored again: the next start goes cold.
    try {
      return await startPyloomShell(py, hooks, shellOptions);
    } catch (error) {
      await warm.discard(errorMessage(error));
      throw new Error(`${errorMessage(error)} (after restoring the warm-start snapshot, which is now discarded; restart to boot cold)`);
    }
  });
  state.shell = shell;
  state.pyodide = py;
  phases.announce('ready');
  const snapshot = warm.state;
  const snapshotFallback = warm.fallback;
  // Stored after the runtime is ready: compressing ~30 MB must not delay the first cell's start.
  void warm.save().then((outcome) => {
    if (outcome && !state.disposed) state.deliver({ type: 'snapshot', ...outcome });
  });
  const sys = py.pyimport('sys');
  const pythonVersion = String(sys.version).split(' ')[0]!;
  sys.destroy();
  return {
    pyodideVersion: mod.version,
    pythonVersion,
    pyloomVersion: version,
    packageBaseUrl,
    timings: phases.timings,
    interruptible: state.interruptBuffer !== undefined,
    snapshot,
    ...(snapshotFallback ? { snapshotFallback } : {}),
  };
}
