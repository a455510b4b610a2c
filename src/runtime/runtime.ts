// The main-thread Runtime: owns one worker (start, restart, dispose), runs executions one at a
// time in submission order, and reports status, boot progress and outputs as events.
import { proxy, releaseProxy, transfer, wrap, type Remote } from 'comlink';
import type {
  BootInfo,
  CompletionResult,
  DownloadProgress,
  ExecuteAck,
  ExecutePayload,
  ExecuteStatus,
  Output,
  OutputEvent,
  Progress,
  WorkerApi,
  WorkerEvent,
  WorkspaceApi,
} from '../protocol';
import { pyloomWheelURL, pyodideIndexURL } from 'virtual:pyloom-assets';
import { answerInput, createInputBuffer } from '../shared/input-buffer';
import { CommChannel } from './comm-channel';
import { OutputList } from './output-list';
import { deferred } from '../shared/deferred';
import { errorMessage } from '../shared/errors';
import { JupyterRuntime } from './jupyter/runtime';
import type { JupyterRuntimeOptions } from './jupyter/options';

export type RuntimeStatus = 'starting' | 'idle' | 'busy' | 'dead';

/** The part of a Worker the runtime uses; a test can hand in anything that speaks it. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
  terminate(): void;
}

export interface RuntimeOptions {
  /** Pyodide in a worker of this page (the default); `'jupyter'` is JupyterRuntimeOptions. */
  kind?: 'pyodide';
  /** Folder of the Pyodide core (`pyodide.mjs` …). Default: the copy served with Pyloom. */
  indexURL?: string;
  /** Where package wheels come from. Default: the Pyodide CDN of the running version. */
  packageBaseUrl?: string;
  /** Pyodide's lock file. Default: the one in `indexURL`. */
  lockFileURL?: string;
  /** Package indexes for pure-Python wheels not in the lock file (PEP 691/503). Default: none. */
  indexUrls?: string[];
  /** The pyloom wheel. Default: the one built with Pyloom. */
  pyloomWheelURL?: string;
  /** Stream batching in the worker (defaults: 50 ms, 65536 characters). */
  streamIntervalMs?: number;
  streamMaxChars?: number;
  /** Stream text one cell may print before the rest is dropped with a marker (default 10,000,000). */
  maxOutputChars?: number;
  /**
   * Warm start from a memory snapshot of a booted runtime, kept in Cache Storage by the worker
   * (taken on the first cold boot, used by every later start and restart). Default true.
   */
  snapshot?: boolean;
  /**
   * Workspace mode at each boot (see BootOptions); a function is asked at every (re)start, so a
   * tab that took the workspace over restarts writable.
   */
  workspaceWritable?: boolean | (() => boolean);
  /** Python's working directory at boot (see BootOptions). */
  workingDirectory?: string;
  /** Make the worker. Default: Pyloom's module worker. */
  createWorker?: () => WorkerLike;
  /**
   * After an uncaught error in the worker, how long it has to answer a health check before the
   * runtime is declared dead. Default 10000 ms.
   */
  healthCheckTimeoutMs?: number;
  /**
   * How long `interrupt()` waits for the cell to stop before restarting the worker instead.
   * Default: 3000 ms when cross-origin isolated (code stuck in C ignores the signal), else 1000 ms
   * (only awaiting cells can be stopped without isolation).
   */
  interruptGraceMs?: number;
}

export interface ExecuteOptions {
  /** Called for every output event, with the cell's outputs after the event was applied. */
  onOutput?: (event: OutputEvent, outputs: readonly Output[]) => void;
  /** Package downloads this execution caused (its imports, %pip), as they progress. */
  onProgress?: (progress: DownloadProgress) => void;
  /**
   * Answer input()/getpass() of this execution (resolve with the line; reject or return
   * undefined for "no answer", which Python sees as EOFError). Needs a crossOriginIsolated page.
   */
  onInput?: (request: InputRequest) => Promise<string | undefined> | string | undefined;
}

export interface InputRequest {
  prompt: string;
  /** getpass(): show a password box. */
  password: boolean;
}

export interface ExecuteReply {
  status: ExecuteStatus;
  executionCount: number | null;
  outputs: Output[];
  /** Jupyter's execute_reply payload: what the cell asked of the page (`%load` sets its text). */
  payload?: ExecutePayload[];
}

export interface StatusDetail {
  status: RuntimeStatus;
  /** Why the runtime is dead, or why it restarted. */
  reason?: string;
}

/** An error of the runtime itself that did not kill it (e.g. a failing JS callback). */
export interface ErrorDetail {
  message: string;
}

/** Workspace files Python changed (saved after a cell), or why saving them failed. */
export interface FilesDetail {
  paths: string[];
  error?: string;
}

export interface OutputDetail {
  executionId: number;
  event: OutputEvent;
}

interface Job {
  id: number;
  /** What to run; executions call remote.execute, installs remote.installPackages. */
  run(remote: Remote<WorkerApi>, id: number): Promise<ExecuteAck>;
  /** Resolves when the job has been answered, however it ended. */
  settled: Promise<void>;
  outputs: OutputList;
  onOutput: ExecuteOptions['onOutput'];
  onProgress: ExecuteOptions['onProgress'];
  onInput: ExecuteOptions['onInput'];
  resolve(reply: ExecuteReply): void;
  reject(error: Error): void;
}

interface Session {
  worker: WorkerLike;
  /** Rejects when the session dies, so nothing waiting on the worker hangs. */
  died: Promise<never>;
  kill(reason: string): void;
  remote: Remote<WorkerApi>;
  interruptBuffer: Uint8Array | undefined;
  inputBuffer: SharedArrayBuffer | undefined;
  /** Jupyter comms with this worker's Python (widgets): connected before the session is ready. */
  comms: CommChannel;
  detach(): void;
}

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
  #status: RuntimeStatus = 'starting';
  #reason: string | undefined;
  #queue: Job[] = [];
  #running: Job | undefined;
  #nextId = 1;
  #disposed = false;
  #ready!: Promise<BootInfo>;
  #bootInfo: BootInfo | undefined;
  /** A `snapshot` event that arrived before boot's reply. */
  #snapshotStored: Pick<BootInfo, 'snapshot' | 'snapshotFallback'> | undefined;

  constructor(options: RuntimeOptions) {
    super();
    this.#options = options;
    this.#start();
  }

  get status(): RuntimeStatus {
    return this.#status;
  }
  /** Why the runtime is dead (or last restarted). */
  get reason(): string | undefined {
    return this.#reason;
  }
  /** Resolves when the current worker has booted; rejects with the reason if boot failed. */
  get ready(): Promise<BootInfo> {
    return this.#ready;
  }
  /** The comm channel to the current Python (widgets); undefined until ready, new after a restart. */
  get comms(): CommChannel | undefined {
    return this.#bootInfo && this.#status !== 'dead' ? this.#session?.comms : undefined;
  }
  get bootInfo(): BootInfo | undefined {
    return this.#bootInfo;
  }
  /** Executions waiting behind the running one. */
  get queued(): number {
    return this.#queue.length;
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
    if (this.#status !== 'idle' || this.#running || !session) return empty;
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

  #enqueue(options: ExecuteOptions, run: Job['run']): Promise<ExecuteReply> {
    if (this.#status === 'dead') {
      return Promise.reject(new Error(this.#deadMessage()));
    }
    return new Promise<ExecuteReply>((resolve, reject) => {
      const { promise: settled, resolve: markSettled } = deferred<void>();
      this.#queue.push({
        id: this.#nextId++,
        run,
        settled,
        outputs: new OutputList(),
        onOutput: options.onOutput,
        onProgress: options.onProgress,
        onInput: options.onInput,
        resolve: (reply) => {
          markSettled();
          resolve(reply);
        },
        reject: (error) => {
          markSettled();
          reject(error);
        },
      });
      this.#pump();
    });
  }

  /**
   * Stop the running cell; it ends with KeyboardInterrupt and the state is kept. Synchronous code
   * can only be stopped that way on a crossOriginIsolated page (SharedArrayBuffer); if the cell
   * has not stopped within the grace period the worker is restarted (state is lost) and the
   * status event says so. Resolves to what happened.
   */
  async interrupt(): Promise<'interrupted' | 'restarted' | 'idle'> {
    const job = this.#running;
    const session = this.#session;
    if (!job || !session) return 'idle';
    if (session.interruptBuffer) session.interruptBuffer[0] = 2; // SIGINT, seen by running Python
    session.remote.interrupt(job.id).catch(() => undefined); // seen when the cell is awaiting
    const grace = this.#options.interruptGraceMs ?? (session.interruptBuffer ? 3000 : 1000);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopped = await Promise.race([
      job.settled.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), grace))),
    ]);
    clearTimeout(timer);
    if (stopped) return 'interrupted';
    if (this.#session !== session) return 'restarted';
    await this.restart('runtime restarted to stop the running cell: variables were lost').catch(() => undefined);
    return 'restarted';
  }

  /** Terminate the worker and boot a fresh one. Running and queued executions end as 'aborted'. */
  restart(reason = 'runtime restarted'): Promise<BootInfo> {
    if (this.#disposed) return Promise.reject(new Error('this runtime was disposed; create a new one'));
    this.#stopSession();
    this.#abortAll();
    this.#reason = reason;
    this.#start();
    return this.#ready;
  }

  /** Terminate the worker for good. Pending executions end as 'aborted'. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#stopSession();
    this.#abortAll();
    this.#setStatus('dead', 'runtime disposed');
  }

  // ---------------------------------------------------------------------------------------
  #start(): void {
    const options = this.#options;
    const worker = (options.createWorker ?? defaultWorker)();
    const remote = wrap<WorkerApi>(worker as Worker);
    const interruptBuffer = makeInterruptBuffer();
    const inputBuffer = interruptBuffer ? createInputBuffer() : undefined;
    const death = deferred<never>();
    const died = death.promise;
    const kill = (reason: string) => death.reject(new Error(reason));
    died.catch(() => undefined);
    const onError = (event: Event) => {
      event.preventDefault(); // handled here; keeps it out of the page's console as "uncaught"
      void this.#checkHealth(session, describeWorkerError(event));
    };
    const onMessageError = () => this.#die(session, 'a message from the Python worker could not be read');
    worker.addEventListener('error', onError);
    worker.addEventListener('messageerror', onMessageError);
    const sink = proxy((event: WorkerEvent) => this.#onWorkerEvent(session, event));
    const commPorts = new MessageChannel();
    const session: Session = {
      worker,
      died,
      kill,
      remote,
      interruptBuffer,
      inputBuffer,
      comms: new CommChannel(commPorts.port1),
      detach: () => {
        session.comms.close();
        worker.removeEventListener('error', onError);
        worker.removeEventListener('messageerror', onMessageError);
        remote[releaseProxy]();
      },
    };
    this.#session = session;
    this.#bootInfo = undefined;
    this.#snapshotStored = undefined;
    this.#setStatus('starting', this.#reason);
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
        workingDirectory: options.workingDirectory,
      },
      sink,
    );
    // Python's comm package is wired before the first cell can run.
    const connected = boot.then(async (info) => {
      await remote.connectComms(transfer(commPorts.port2, [commPorts.port2]));
      return info;
    });
    session.comms.onError = (message) => this.dispatchEvent(new CustomEvent<ErrorDetail>('error', { detail: { message } }));
    this.#ready = Promise.race([connected, died]).then(
      (info) => {
        if (this.#session === session) {
          this.#bootInfo = { ...info, ...this.#snapshotStored };
          this.dispatchEvent(new CustomEvent<CommChannel>('comms', { detail: session.comms }));
          this.#setStatus('idle');
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
    if (this.#status === 'starting') {
      this.#die(session, message); // the worker failed before Python was up: nothing to save
      return;
    }
    const timeoutMs = this.#options.healthCheckTimeoutMs ?? 10_000;
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
    if (this.#running || this.#status !== 'idle' || !session) return;
    const job = this.#queue.shift();
    if (!job) return;
    this.#running = job;
    this.#setStatus('busy');
    Promise.race([job.run(session.remote, job.id), session.died]).then(
      (ack) => {
        if (this.#running !== job) return; // aborted by a restart meanwhile
        this.#running = undefined;
        // An interrupt() that raced the cell's end is stale now; the next job starts clean.
        if (session.interruptBuffer) session.interruptBuffer[0] = 0;
        job.resolve({ status: ack.status, executionCount: ack.executionCount, outputs: job.outputs.outputs, ...(ack.payload?.length ? { payload: ack.payload } : {}) });
        this.#setStatus('idle');
        this.#pump();
      },
      (error: unknown) => {
        if (this.#running !== job) return;
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
      this.dispatchEvent(new CustomEvent<FilesDetail>('files', { detail: { paths: event.paths, ...(event.error ? { error: event.error } : {}) } }));
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
      if (progress.kind === 'download' && this.#running && progress.executionId === this.#running.id) {
        this.#running.onProgress?.(progress);
      }
      this.dispatchEvent(new CustomEvent<Progress>('progress', { detail: progress }));
      return;
    }
    const job = this.#running;
    if (job && job.id === event.executionId) {
      job.outputs.apply(event.event);
      job.onOutput?.(event.event, job.outputs.outputs);
    }
    this.dispatchEvent(new CustomEvent<OutputDetail>('output', { detail: { executionId: event.executionId, event: event.event } }));
  }

  /** Python is blocked in input(): ask the cell's onInput, write the answer where the worker waits. */
  async #answerInput(session: Session, executionId: number, request: InputRequest): Promise<void> {
    const buffer = session.inputBuffer;
    if (!buffer) return;
    const job = this.#running?.id === executionId ? this.#running : undefined;
    let answer: string | undefined;
    try {
      answer = job?.onInput ? await job.onInput(request) : undefined;
    } catch {
      answer = undefined;
    }
    if (this.#session === session) answerInput(buffer, answer);
  }

  #die(session: Session, reason: string): void {
    if (this.#session !== session || this.#status === 'dead') return;
    session.kill(reason);
    this.#stopSession();
    const running = this.#running;
    this.#running = undefined;
    const error = new Error(`the Python runtime died: ${reason}. Restart it to continue.`);
    running?.reject(error);
    for (const job of this.#queue.splice(0)) job.reject(error);
    this.#setStatus('dead', reason);
  }

  #deadMessage(): string {
    return this.#disposed
      ? 'this runtime was disposed; create a new one'
      : `the Python runtime is dead (${this.#reason ?? 'unknown reason'}); call restart() to start a fresh one`;
  }

  #stopSession(): void {
    const session = this.#session;
    if (!session) return;
    this.#session = undefined;
    session.kill('the Python worker was stopped');
    session.detach();
    session.worker.terminate();
  }

  #abortAll(): void {
    const jobs = [...(this.#running ? [this.#running] : []), ...this.#queue.splice(0)];
    this.#running = undefined;
    for (const job of jobs) job.resolve({ status: 'aborted', executionCount: null, outputs: job.outputs.outputs });
  }

  #setStatus(status: RuntimeStatus, reason?: string): void {
    this.#status = status;
    if (reason !== undefined) this.#reason = reason;
    this.dispatchEvent(new CustomEvent<StatusDetail>('status', { detail: { status, ...(reason ? { reason } : {}) } }));
  }
}

function defaultWorker(): WorkerLike {
  // Vite bundles the worker only for this literal `new Worker(new URL(…, import.meta.url))`, so the
  // cross-origin handling lives in a Worker subclass that takes the place of the global here.
  const Worker = class extends globalThis.Worker {
    constructor(url: URL, options: WorkerOptions) {
      super(url.origin === location.origin ? url : sameOriginBootstrap(url), options);
    }
  };
  return new Worker(new URL('../../worker/worker.ts', import.meta.url), { type: 'module', name: 'pyloom' });
}

/**
 * Pyloom served from another origin (a CDN, a docs embed): a worker script must be same-origin, so
 * a same-origin blob module imports the real one (fetched with CORS).
 */
function sameOriginBootstrap(url: URL): string {
  return URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' }));
}

function makeInterruptBuffer(): Uint8Array | undefined {
  // SharedArrayBuffer exists only on crossOriginIsolated pages (COOP + COEP headers).
  return globalThis.crossOriginIsolated === true ? new Uint8Array(new SharedArrayBuffer(1)) : undefined;
}

function describeWorkerError(event: Event): string {
  // Read structurally: ErrorEvent is not a global everywhere the runtime runs (Node tests).
  const raw: unknown = 'message' in event ? event.message : undefined;
  const message = typeof raw === 'string' && raw ? raw : 'the Python worker failed to load or stopped unexpectedly';
  return /memory/i.test(message) ? `${message} (out of memory)` : message;
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
