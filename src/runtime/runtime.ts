// The main-thread Runtime: owns one worker (start, restart, dispose), runs executions one at a
// time in submission order, and reports status, boot progress and outputs as events.
import { transfer, type Remote } from 'comlink';
import type { BootInfo, CompletionResult, ExecuteAck, Progress, WorkerApi, WorkerEvent, WorkspaceApi } from '../protocol';
import { pyloomWheelURL, pyodideIndexURL } from 'virtual:pyloom-assets';
import { answerInput } from '../shared/input-buffer';
import type { CommChannel } from './comm-channel';
import { errorMessage } from '../shared/errors';
import { checkOptions, RUNTIME_OPTIONS, type RuntimeConfig } from '../shared/options';
import { JupyterRuntime } from './jupyter/runtime';
import type { JupyterRuntimeOptions } from './jupyter/options';
import { JobQueue, type ErrorDetail, type ExecuteOptions, type ExecuteReply, type InputRequest, type RuntimeStatus } from './jobs';
import { defaultWorker, openSession, type Session, type WorkerLike } from './worker-session';

export type { ErrorDetail, ExecuteOptions, ExecuteReply, InputRequest, OutputDetail, RuntimeStatus, StatusDetail } from './jobs';
export type { WorkerLike } from './worker-session';

/**
 * Options of `createRuntime()` for Pyodide in this page: the keys, types, defaults and docs of
 * RUNTIME_OPTIONS (src/shared/options.ts), checked when the runtime is created, plus what only code
 * can pass.
 */
export interface RuntimeOptions extends Omit<RuntimeConfig, 'workspaceWritable'> {
  /** Pyodide in a worker of this page (the default); `'jupyter'` is JupyterRuntimeOptions. */
  kind?: 'pyodide';
  /** Workspace mode at each boot; a function is asked at every (re)start, so a tab that took the workspace over restarts writable. */
  workspaceWritable?: boolean | (() => boolean);
  /**
   * A folder on disk (File System Access API; the page has asked for readwrite permission) used
   * as the workspace instead of the browser's store. A function is asked at every (re)start, so
   * opening a folder is a restart with it.
   */
  workspaceFolder?: FileSystemDirectoryHandle | (() => FileSystemDirectoryHandle | undefined);
  /** Make the worker. Default: Pyloom's module worker. */
  createWorker?: () => WorkerLike;
}

/** Workspace files Python changed (saved after a cell), or why saving them failed. */
export interface FilesDetail {
  paths: string[];
  error?: string;
}

/** What a queued job of this runtime does: executions call remote.execute, installs remote.installPackages. */
type Work = (remote: Remote<WorkerApi>, id: number) => Promise<ExecuteAck>;

/**
 * Events: `status` (CustomEvent<StatusDetail>), `progress` (CustomEvent<Progress>: boot phases
 * and package downloads),
 * `output` (CustomEvent<OutputDetail>, every output of every execution, late ones included),
 * `error` (CustomEvent<ErrorDetail>, a worker error the runtime survived),
 * `files` (CustomEvent<FilesDetail>, workspace files changed by Python),
 * `comms` (CustomEvent<CommChannel>, the comm channel of a new Python: at boot and each restart).
 */
export class Runtime extends EventTarget {
  #options: RuntimeOptions;
  #session: Session | undefined;
  #jobs = new JobQueue<Work>(this);
  #disposed = false;
  #ready!: Promise<BootInfo>;
  #bootInfo: BootInfo | undefined;
  /** A `snapshot` event that arrived before boot's reply. */
  #snapshotStored: Pick<BootInfo, 'snapshot' | 'snapshotFallback'> | undefined;

  /** Throws a TypeError naming the option when a value is of the wrong kind (see RUNTIME_OPTIONS). */
  constructor(options: RuntimeOptions) {
    super();
    const { kind: _kind, createWorker: _createWorker, workspaceWritable, workspaceFolder: _folder, ...config } = options;
    checkOptions(
      RUNTIME_OPTIONS,
      typeof workspaceWritable === 'function' ? config : { ...config, workspaceWritable },
      'createRuntime option',
    );
    this.#options = options;
    this.#start();
  }

  get status(): RuntimeStatus {
    return this.#jobs.status;
  }
  /** Why the runtime is dead (or last restarted). */
  get reason(): string | undefined {
    return this.#jobs.reason;
  }
  /** Resolves when the current worker has booted; rejects with the reason if boot failed. */
  get ready(): Promise<BootInfo> {
    return this.#ready;
  }
  /** The comm channel to the current Python (widgets); undefined until ready, new after a restart. */
  get comms(): CommChannel | undefined {
    return this.#bootInfo && this.#jobs.status !== 'dead' ? this.#session?.comms : undefined;
  }
  get bootInfo(): BootInfo | undefined {
    return this.#bootInfo;
  }
  /** Executions waiting behind the running one. */
  get queued(): number {
    return this.#jobs.queued;
  }

  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteReply> {
    return this.#enqueue(options, (remote, id) => remote.execute({ id, code }));
  }

  /**
   * Install packages in the queue's order: names from Pyodide's lock file (numpy, pandas…) or
   * pure-Python wheels from `indexUrls`, with their dependencies. Resolves with the names installed;
   * rejects with a message saying what to do when a package cannot be installed.
   */
  async installPackages(names: string[], options: Pick<ExecuteOptions, 'onProgress'> = {}): Promise<string[]> {
    let result: Awaited<ReturnType<WorkerApi['installPackages']>> | undefined;
    const reply = await this.#enqueue(options, async (remote) => {
      result = await remote.installPackages(names);
      return { status: result.status, executionCount: null };
    });
    if (reply.status === 'aborted') throw new Error('installPackages was aborted by a restart');
    if (!result || result.status === 'error') throw new Error(result?.status === 'error' ? result.message : 'installPackages failed');
    return result.installed;
  }

  /**
   * Completions at `cursor` (a UTF-16 offset into `code`) from the live namespace: replace
   * `code.slice(from, to)` with an item's label. Best-effort and never queued: unless the runtime
   * is idle (starting, busy, dead) it resolves at once with no items, and so it does when the
   * worker fails to answer. Never rejects.
   */
  async complete(code: string, cursor: number): Promise<CompletionResult> {
    const empty: CompletionResult = { from: cursor, to: cursor, items: [] };
    const session = this.#session;
    if (this.#jobs.status !== 'idle' || this.#jobs.running || !session) return empty;
    try {
      return await Promise.race([session.remote.complete({ code, cursor }), session.died]);
    } catch {
      return empty;
    }
  }

  /**
   * The current worker's workspace file operations, once it has booted, and a promise that
   * rejects when that worker goes away (race each call against it: a call to a terminated worker
   * never answers). Rejects when the runtime is dead.
   */
  async workspace(): Promise<{ files: Remote<WorkspaceApi>; ended: Promise<never> }> {
    await this.#ready;
    const session = this.#session;
    if (!session) throw new Error(this.#deadMessage());
    return { files: session.remote, ended: session.died };
  }

  #enqueue(options: ExecuteOptions, work: Work): Promise<ExecuteReply> {
    if (this.#jobs.status === 'dead') return Promise.reject(new Error(this.#deadMessage()));
    const reply = this.#jobs.add(work, options);
    this.#pump();
    return reply;
  }

  /**
   * Stop the running cell; it ends with KeyboardInterrupt and the state is kept. Synchronous code
   * can only be stopped that way on a crossOriginIsolated page (SharedArrayBuffer); if the cell
   * has not stopped within the grace period the worker is restarted (state is lost) and the
   * status event says so. Resolves to what happened.
   */
  async interrupt(): Promise<'interrupted' | 'restarted' | 'idle'> {
    const job = this.#jobs.running;
    const session = this.#session;
    if (!job || !session) return 'idle';
    if (session.interruptBuffer) session.interruptBuffer[0] = 2; // SIGINT, seen by running Python
    session.remote.interrupt(job.id).catch(() => undefined); // seen when the cell is awaiting
    const grace = this.#options.interruptGraceMs ?? (session.interruptBuffer ? 3000 : 1000);
    if (await this.#jobs.settlesWithin(job, grace)) return 'interrupted';
    if (this.#session !== session) return 'restarted';
    await this.restart('runtime restarted to stop the running cell: variables were lost').catch(() => undefined);
    return 'restarted';
  }

  /** Terminate the worker and boot a fresh one. Running and queued executions end as 'aborted'. */
  restart(reason = 'runtime restarted'): Promise<BootInfo> {
    if (this.#disposed) return Promise.reject(new Error('this runtime was disposed; create a new one'));
    this.#stopSession();
    this.#jobs.abortAll();
    this.#jobs.reason = reason;
    this.#start();
    return this.#ready;
  }

  /** Terminate the worker for good. Pending executions end as 'aborted'. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#stopSession();
    this.#jobs.abortAll();
    this.#jobs.setStatus('dead', 'runtime disposed');
  }

  // ---------------------------------------------------------------------------------------
  #start(): void {
    const options = this.#options;
    const session: Session = openSession(options.createWorker ?? defaultWorker, {
      onError: (message) => void this.#checkHealth(session, message),
      onMessageError: () => this.#die(session, 'a message from the Python worker could not be read'),
      onEvent: (event) => this.#onWorkerEvent(session, event),
    });
    const { remote, interruptBuffer, inputBuffer, commPort } = session;
    this.#session = session;
    this.#bootInfo = undefined;
    this.#snapshotStored = undefined;
    this.#jobs.setStatus('starting', this.#jobs.reason);
    const boot = remote.boot(
      {
        indexURL: options.indexURL ?? pyodideIndexURL,
        pyloomWheelURL: options.pyloomWheelURL ?? pyloomWheelURL,
        packageBaseUrl: options.packageBaseUrl,
        lockFileURL: options.lockFileURL,
        indexUrls: options.indexUrls,
        streamIntervalMs: options.streamIntervalMs,
        streamMaxChars: options.streamMaxChars,
        maxOutputChars: options.maxOutputChars,
        interruptBuffer,
        inputBuffer,
        snapshot: options.snapshot,
        workspaceWritable: typeof options.workspaceWritable === 'function' ? options.workspaceWritable() : options.workspaceWritable,
        ...folderOption(options.workspaceFolder),
        workingDirectory: options.workingDirectory,
      },
      session.sink,
    );
    // Python's comm package is wired before the first cell can run.
    const connected = boot.then(async (info) => {
      await remote.connectComms(transfer(commPort, [commPort]));
      return info;
    });
    session.comms.onError = (message) => this.dispatchEvent(new CustomEvent<ErrorDetail>('error', { detail: { message } }));
    this.#ready = Promise.race([connected, session.died]).then(
      (info) => {
        if (this.#session === session) {
          this.#bootInfo = { ...info, ...this.#snapshotStored };
          this.dispatchEvent(new CustomEvent<CommChannel>('comms', { detail: session.comms }));
          this.#jobs.setStatus('idle');
          this.#pump();
          return this.#bootInfo;
        }
        return info;
      },
      (error: unknown) => {
        const message = errorMessage(error);
        this.#die(session, message);
        throw new Error(message);
      },
    );
    // Callers that never await `ready` still see the failure through status events.
    this.#ready.catch(() => undefined);
  }

  /** An uncaught error in the worker: fatal if Python no longer answers, else reported and survived. */
  async #checkHealth(session: Session, message: string): Promise<void> {
    if (this.#session !== session) return;
    if (this.#jobs.status === 'starting') {
      this.#die(session, message); // the worker failed before Python was up: nothing to save
      return;
    }
    const timeoutMs = this.#options.healthCheckTimeoutMs ?? RUNTIME_OPTIONS.healthCheckTimeoutMs.default;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const health = await Promise.race([session.remote.ping(), timeout, session.died]).catch(() => 'timeout' as const);
    clearTimeout(timer);
    if (health === 'timeout') {
      this.#die(session, `${message} (the worker stopped answering)`);
    } else if (health.state === 'fatal') {
      this.#die(session, `${message} (Pyodide: ${health.reason})`);
    } else {
      this.dispatchEvent(new CustomEvent<ErrorDetail>('error', { detail: { message } }));
    }
  }

  #pump(): void {
    const session = this.#session;
    if (this.#jobs.status !== 'idle' || !session) return;
    const job = this.#jobs.next();
    if (!job) return;
    Promise.race([job.work(session.remote, job.id), session.died]).then(
      (ack) => {
        if (!this.#jobs.finish(job, ack)) return; // aborted by a restart meanwhile
        // An interrupt() that raced the cell's end is stale now; the next job starts clean.
        if (session.interruptBuffer) session.interruptBuffer[0] = 0;
        this.#jobs.setStatus('idle');
        this.#pump();
      },
      (error: unknown) => {
        if (this.#jobs.running !== job) return;
        this.#die(session, `the runtime failed while running a cell: ${errorMessage(error)}`);
      },
    );
  }

  #onWorkerEvent(session: Session, event: WorkerEvent): void {
    if (this.#session !== session) return; // a late message from a worker we already replaced
    if (event.type === 'input') {
      void this.#answerInput(session, event.executionId, { prompt: event.prompt, password: event.password });
      return;
    }
    if (event.type === 'files') {
      this.dispatchEvent(
        new CustomEvent<FilesDetail>('files', { detail: { paths: event.paths, ...(event.error ? { error: event.error } : {}) } }),
      );
      return;
    }
    if (event.type === 'snapshot') {
      // Storing the snapshot ends after boot; the event may still overtake boot's reply.
      const stored = { snapshot: event.snapshot, ...(event.reason ? { snapshotFallback: event.reason } : {}) };
      if (this.#bootInfo) this.#bootInfo = { ...this.#bootInfo, ...stored };
      else this.#snapshotStored = stored;
      return;
    }
    if (event.type === 'progress') {
      const progress = event.progress;
      const running = this.#jobs.running;
      if (progress.kind === 'download' && running && progress.executionId === running.id) running.options.onProgress?.(progress);
      this.dispatchEvent(new CustomEvent<Progress>('progress', { detail: progress }));
      return;
    }
    this.#jobs.output(event.executionId, event.event);
  }

  /** Python is blocked in input(): ask the cell's onInput, write the answer where the worker waits. */
  async #answerInput(session: Session, executionId: number, request: InputRequest): Promise<void> {
    const buffer = session.inputBuffer;
    if (!buffer) return;
    const job = this.#jobs.running;
    const onInput = job?.id === executionId ? job.options.onInput : undefined;
    let answer: string | undefined;
    try {
      answer = onInput ? await onInput(request) : undefined;
    } catch {
      answer = undefined;
    }
    if (this.#session === session) answerInput(buffer, answer);
  }

  #die(session: Session, reason: string): void {
    if (this.#session !== session || this.#jobs.status === 'dead') return;
    session.kill(reason);
    this.#stopSession();
    this.#jobs.rejectAll(new Error(`the Python runtime died: ${reason}. Restart it to continue.`));
    this.#jobs.setStatus('dead', reason);
  }

  #deadMessage(): string {
    return this.#disposed
      ? 'this runtime was disposed; create a new one'
      : `the Python runtime is dead (${this.#jobs.reason ?? 'unknown reason'}); call restart() to start a fresh one`;
  }

  #stopSession(): void {
    const session = this.#session;
    if (!session) return;
    this.#session = undefined;
    session.stop();
  }
}

/**
 * A runtime: Pyodide in this page (default), or with `{ kind: 'jupyter', serverSettings |
 * binderOptions, kernelName }` a kernel on a Jupyter server, with the same API.
 */
export function createRuntime(options: JupyterRuntimeOptions): JupyterRuntime;
export function createRuntime(options?: RuntimeOptions): Runtime;
export function createRuntime(options: RuntimeOptions | JupyterRuntimeOptions = {}): Runtime | JupyterRuntime {
  return options.kind === 'jupyter' ? new JupyterRuntime(options) : new Runtime(options);
}

/** Either runtime: what components and pages that accept both hold. */
export type AnyRuntime = Runtime | JupyterRuntime;

/** The boot option for RuntimeOptions.workspaceFolder (asked now when it is a function). */
function folderOption(option: RuntimeOptions['workspaceFolder']): { workspaceFolder?: FileSystemDirectoryHandle } {
  const folder = typeof option === 'function' ? option() : option;
  return folder ? { workspaceFolder: folder } : {};
}
