// The one definition of what crosses the worker boundary: types only, imported with `import type`.
import type { RuntimeConfig } from './shared/options';

/** A MIME bundle: MIME type → data (string for text and base64 images, JSON for `*+json`). */
export type MimeBundle = Record<string, unknown>;
export type OutputMetadata = Record<string, unknown>;

// ---- nbformat v4 output objects: exactly what is rendered, stored and written to .ipynb ----
export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: string;
}
export interface DisplayDataOutput {
  output_type: 'display_data';
  data: MimeBundle;
  metadata: OutputMetadata;
}
export interface ExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number | null;
  data: MimeBundle;
  metadata: OutputMetadata;
}
export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

// ---- Output events: outputs as Jupyter's iopub messages carry them, plus the two updates ----
/** Jupyter's `transient` field: not stored in the notebook, used to update a display later. */
export interface Transient {
  display_id?: string;
}
export type DisplayDataEvent = DisplayDataOutput & { transient?: Transient };
export type ExecuteResultEvent = ExecuteResultOutput & { transient?: Transient };
export interface UpdateDisplayDataEvent {
  output_type: 'update_display_data';
  data: MimeBundle;
  metadata: OutputMetadata;
  transient: { display_id: string };
}
export interface ClearOutputEvent {
  output_type: 'clear_output';
  /** Clear when the next output arrives rather than now (avoids flicker in animations). */
  wait: boolean;
}
export type OutputEvent = StreamOutput | ErrorOutput | DisplayDataEvent | ExecuteResultEvent | UpdateDisplayDataEvent | ClearOutputEvent;

// ---- Boot ----
/**
 * What `boot` takes: the runtime options the worker uses (declared, with their defaults, in
 * src/shared/options.ts) with the two URLs resolved, plus the shared buffers of this page.
 */
export type BootOptions = Pick<
  RuntimeConfig,
  | 'packageBaseUrl'
  | 'lockFileURL'
  | 'indexUrls'
  | 'streamIntervalMs'
  | 'streamMaxChars'
  | 'maxOutputChars'
  | 'snapshot'
  | 'workingDirectory'
> & {
  /** Folder holding `pyodide.mjs`, `pyodide.asm.wasm`, `python_stdlib.zip`, `pyodide-lock.json`. */
  indexURL: string;
  /** URL of the `pyloom` wheel installed into site-packages at boot. */
  pyloomWheelURL: string;
  /** Workspace mode at boot (see WorkspaceApi.setWorkspaceWritable). Default true. */
  workspaceWritable?: boolean;
  /**
   * A folder on the user's disk (File System Access API, permission to write granted by the page)
   * that is the workspace for this boot instead of the browser's store.
   */
  workspaceFolder?: FileSystemDirectoryHandle;
  /**
   * A one-byte SharedArrayBuffer view the page writes 2 (SIGINT) into to interrupt Python.
   * Only usable when the page is crossOriginIsolated.
   */
  interruptBuffer?: Uint8Array;
  /**
   * Where the page answers input(): Int32 [state, byteLength] then UTF-8 bytes. States:
   * 0 idle, 1 waiting, 2 answered, 3 no answer (EOF). Only on crossOriginIsolated pages.
   */
  inputBuffer?: SharedArrayBuffer;
};

export type BootPhase =
  | 'import-pyodide'
  | 'load-pyodide'
  | 'install-pyloom'
  | 'start-shell'
  | 'ready'
  // A remote runtime's start: a Binder build (its log lines as messages), the server, the kernel.
  | 'binder-build'
  | 'connect-server'
  | 'start-kernel';
export interface BootProgress {
  kind: 'boot';
  phase: BootPhase;
  /** Human-readable, shown in status bars. */
  message: string;
  /** 0-based index of this phase among `total` phases, for a step progress bar. */
  step: number;
  steps: number;
  /** Bytes, when the phase is a download whose size is known. */
  loaded?: number;
  total?: number;
}

export interface BootInfo {
  pyodideVersion: string;
  pythonVersion: string;
  pyloomVersion: string;
  /** The package base URL in force (the CDN of `pyodideVersion` unless configured). */
  packageBaseUrl: string;
  /** Milliseconds spent in each boot phase, measured in the worker. */
  timings: Partial<Record<BootPhase, number>>;
  interruptible: boolean;
  /**
   * The warm-start memory snapshot: 'restored' (this boot came from one), 'saving' (a cold boot
   * made one for next time and is storing it: a `snapshot` event tells the outcome), 'taken' (it
   * is stored), 'off' (disabled or no store), 'failed' (could not be made or stored).
   */
  snapshot: 'restored' | 'saving' | 'taken' | 'off' | 'failed';
  /** Why a stored snapshot could not be used (it was discarded and the boot went cold). */
  snapshotFallback?: string;
}

/** How storing a cold boot's snapshot ended (told after boot resolved with snapshot 'saving'). */
export interface SnapshotState {
  snapshot: 'taken' | 'failed';
  /** Why it could not be stored. */
  reason?: string;
}

// ---- Execution ----
export type ExecuteStatus = 'ok' | 'error' | 'aborted';
export interface ExecuteRequest {
  /** Chosen by the page; tags every output event of this execution. */
  id: number;
  code: string;
}
/**
 * Jupyter's execute_reply payload from IPython's `set_next_input` (`%load`): `replace` sets the
 * text of the cell that ran, otherwise a new code cell holding `text` goes below it.
 */
export interface SetNextInputPayload {
  source: 'set_next_input';
  text: string;
  replace: boolean;
}
/** The execute_reply payloads Pyloom acts on (the others are deprecated in Jupyter's messaging spec). */
export type ExecutePayload = SetNextInputPayload;
/** What the worker answers; the page adds the outputs it collected from the events. */
export interface ExecuteAck {
  status: Exclude<ExecuteStatus, 'aborted'>;
  executionCount: number | null;
  /** What the cell asked of the page (absent or empty: nothing). */
  payload?: ExecutePayload[];
}

/** A package download: bytes of this file and of all files downloading at the moment. */
export interface DownloadProgress {
  kind: 'download';
  /** The execution that caused it (an import, %pip), or null (installPackages, boot). */
  executionId: number | null;
  url: string;
  /** File name, e.g. `numpy-2.4.6-cp314-….whl`. */
  file: string;
  loaded: number;
  /** From Content-Length; null when the server did not say. */
  total: number | null;
  done: boolean;
  /** Set when the download failed. */
  error?: string;
  overall: { loaded: number; total: number | null; files: number; done: number };
}

export type Progress = BootProgress | DownloadProgress;

/** Everything the worker tells the page outside of call results, in order, through one channel. */
export type WorkerEvent =
  | { type: 'progress'; progress: Progress }
  | { type: 'output'; executionId: number; event: OutputEvent }
  /** Python is blocked in input()/getpass() until the page writes an answer to the input buffer. */
  | { type: 'input'; executionId: number; prompt: string; password: boolean }
  /** The warm-start snapshot of this boot was stored (or not); BootInfo.snapshot said 'saving'. */
  | ({ type: 'snapshot' } & SnapshotState)
  /**
   * Workspace files changed (by Python, saved after a cell), or saving them failed (`error`,
   * e.g. storage full; the files stay in this worker's memory).
   */
  | { type: 'files'; paths: string[]; error?: string };

// ---- Completion ----
export interface CompletionRequest {
  code: string;
  /** Cursor offset in UTF-16 code units (a JS string index into `code`). */
  cursor: number;
}
export interface CompletionItem {
  label: string;
  /**
   * What the name is, for the icon: 'keyword' | 'function' | 'class' | 'module' | 'variable' |
   * 'property' | 'method' | 'constant' | 'text' (CodeMirror's completion types).
   */
  type: string;
  /** A short hint, only where it is cheap: a signature such as "(a, b=1)" for the first callables. */
  detail?: string;
}
export interface CompletionResult {
  /** Replace `code.slice(from, to)` (UTF-16 offsets) with the chosen label. */
  from: number;
  to: number;
  /** Best first (prefix matches, public before private, then alphabetical); at most 500. */
  items: CompletionItem[];
}

// ---- Comms: Jupyter's comm messages on a dedicated MessageChannel (DESIGN.md convention 3) ----
/** A JSON object as comm data and metadata carry it. */
export type JsonObject = Record<string, unknown>;

/** One comm message, as the `content` of Jupyter's comm_open / comm_msg / comm_close. */
export interface CommMessage {
  msg_type: 'comm_open' | 'comm_msg' | 'comm_close';
  comm_id: string;
  /** comm_open only: the target the receiving side registered (e.g. 'jupyter.widget'). */
  target_name?: string;
  target_module?: string | null;
  data: JsonObject;
  metadata: JsonObject;
  /** Binary buffers (ipywidgets' buffer_paths point into these); transferred, not copied. */
  buffers: ArrayBuffer[];
}

/** Page → worker. */
export type CommToKernel =
  /** Messages to handle in order; the worker answers `handled` with the same `seq` afterwards. */
  { type: 'batch'; seq: number; messages: CommMessage[] };

/** Worker → page. */
export type CommFromKernel =
  /** A message from Python (a widget opened, changed, closed). */
  | { type: 'comm'; message: CommMessage }
  /** Python has handled batch `seq` (the page sends the next one only then: coalescing). */
  | { type: 'handled'; seq: number; error?: string };

/** A callback handed across the boundary (the page wraps it in `Comlink.proxy`). */
export type Callback<T> = (value: T) => unknown;

/** The API the worker exposes over Comlink. */
export interface WorkerApi extends WorkspaceApi {
  /** Load Pyodide and pyloom. Resolves once code can run; rejects with a readable message. */
  boot(options: BootOptions, onEvent: Callback<WorkerEvent>): Promise<BootInfo>;
  /**
   * Run one cell. Output events are delivered (and acknowledged by the page) before this
   * resolves. Python exceptions resolve with status 'error'; a rejection means the runtime broke.
   */
  execute(request: ExecuteRequest): Promise<ExecuteAck>;
  /**
   * Stop execution `executionId` if it is still running and awaiting (its task is cancelled and
   * it ends with KeyboardInterrupt). Synchronous Python is stopped by the interrupt buffer instead.
   */
  interrupt(executionId: number): Promise<boolean>;
  /**
   * Install packages (lock packages by name, else pure-Python wheels from `indexUrls`) with their
   * dependencies. Resolves with what was installed, or the reason it could not be.
   */
  installPackages(names: string[]): Promise<InstallResult>;
  /**
   * Completions at the cursor from the live namespace, without running user code beyond
   * attribute access along a dotted name. Answers no items before boot, while a cell runs, or
   * inside strings and comments; rejects only if the completion code itself failed.
   */
  complete(request: CompletionRequest): Promise<CompletionResult>;
  /**
   * Connect the comm channel (transfer `port`): Python's `comm` package is wired to it before
   * this resolves. Called once after boot. Messages: CommToKernel in, CommFromKernel out.
   */
  connectComms(port: MessagePort): Promise<void>;
  /** Health check after an uncaught error in the worker: is Python still usable? */
  ping(): Promise<Health>;
}

export type InstallResult = { status: 'ok'; installed: string[] } | { status: 'error'; message: string };

export type Health = { state: 'booting' | 'ok' } | { state: 'fatal'; reason: string };

// ---- Workspace files (the worker owns them; paths are relative to the workspace root) ----
/**
 * A workspace path: '/'-separated, relative to the workspace root, no leading slash, no '.' or
 * '..' segments ('' is the root). Python sees the root as WORKSPACE_ROOT ('/workspace').
 */
export type WorkspacePath = string;

export interface FileEntry {
  /** Last segment of `path`. */
  name: string;
  path: WorkspacePath;
  kind: 'file' | 'directory';
  /** Bytes (files); for folders the sum of the files below them. */
  size: number;
  /** Last modification, milliseconds since the epoch. */
  modified: number;
}

export interface WorkspaceUsage {
  /** Bytes held by workspace files. */
  files: number;
  /** Bytes this origin uses in the browser (all storage, from navigator.storage.estimate()). */
  usage: number | null;
  /** Bytes this origin may use in total; null when the browser does not say. */
  quota: number | null;
  /**
   * Where files are kept: the Origin Private File System, memory (lost when the worker ends), or a
   * folder on disk the user opened (BootOptions.workspaceFolder).
   */
  store: 'opfs' | 'memory' | 'folder';
  /** False while another tab owns the workspace (see WorkspaceApi.setWorkspaceWritable). */
  writable: boolean;
}

/** A companion data file: fetched from `url` into the workspace at `path` before code runs. */
export interface CompanionFile {
  path: WorkspacePath;
  /** Absolute URL (the page resolves relative ones against itself). */
  url: string;
  /** Hex SHA-256 of the expected bytes; a mismatch is refused and nothing is written. */
  sha256?: string;
}

/** File operations the worker exposes beside Python. All reject with a message naming the path. */
export interface WorkspaceApi {
  /**
   * Fetch companion files into the workspace (network first, then the copy cached at the last
   * successful fetch, so pages work offline after one visit). Cells sent after this call wait
   * until it is done. Resolves with one message per file that could not be fetched (naming the
   * URL and the HTTP status, or the checksum mismatch); those files are left as they were.
   */
  fetchFiles(files: CompanionFile[]): Promise<string[]>;
  /** The entries of a folder, folders first then by name. Rejects if `path` is not a folder. */
  listFiles(path: WorkspacePath): Promise<FileEntry[]>;
  /** One entry, or null when nothing is at `path`. */
  statPath(path: WorkspacePath): Promise<FileEntry | null>;
  /** A file's bytes as a Blob (a reference, not copied through the page's thread). */
  readFile(path: WorkspacePath): Promise<Blob>;
  /**
   * Create or replace a file with `data`, read by the worker in chunks (a File from a picker or a
   * drop is never read on the page's thread). Parent folders are created. All or nothing: when
   * storage is full the rejection names the file and the space, and the old file is kept.
   */
  writeFile(path: WorkspacePath, data: Blob): Promise<FileEntry>;
  /** Create a folder and its parents; an existing folder is fine. */
  makeDirectory(path: WorkspacePath): Promise<FileEntry>;
  /** Rename or move a file or folder. Rejects when `to` exists (nothing is overwritten). */
  movePath(from: WorkspacePath, to: WorkspacePath): Promise<FileEntry>;
  /** Delete a file, or a folder with everything in it. */
  deletePath(path: WorkspacePath): Promise<void>;
  /** A folder (or a file) as a zip archive, paths inside relative to it. */
  zipPath(path: WorkspacePath): Promise<Blob>;
  workspaceUsage(): Promise<WorkspaceUsage>;
  /** Python's current directory (the notebook's folder); created if missing. */
  setWorkingDirectory(path: WorkspacePath): Promise<void>;
  /**
   * Writable: changes reach the browser's storage. Read-only (another tab owns the workspace):
   * page writes are refused and Python's writes stay in this worker's memory. Turning writable
   * on again re-reads the workspace from storage (another tab may have changed it).
   */
  setWorkspaceWritable(writable: boolean): Promise<void>;
  /** Erase every workspace file (the page's "Reset all browser data"). */
  clearWorkspace(): Promise<void>;
  /** Read `paths` (null: the whole tree) again from storage, which another tab or the page's notebook files changed. */
  reloadPaths(paths: WorkspacePath[] | null): Promise<void>;
}
