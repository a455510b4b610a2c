// The main-thread Runtime: owns one worker (start, restart, dispose), runs executions one at a
// time in submission order, and reports status, boot progress and outputs as events.
import { proxy, releaseProxy, wrap, type Remote } from 'comlink';
import type {
  BootInfo,
  BootProgress,
  ExecuteStatus,
  Output,
  OutputEvent,
  WorkerApi,
  WorkerEvent,
} from '../protocol';
import { OutputList } from './output-list';

export type RuntimeStatus = 'starting' | 'idle' | 'busy' | 'dead';

/** The part of a Worker the runtime uses; a test can hand in anything that speaks it. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
  terminate(): void;
}

export interface RuntimeOptions {
  /** Folder of the Pyodide core (`pyodide.mjs` …). Default: the copy served with Pyloom. */
  indexURL?: string;
  /** Where package wheels come from. Default: the Pyodide CDN of the running version. */
  packageBaseUrl?: string;
  /** The pyloom wheel. Default: the one built with Pyloom. */
  pyloomWheelURL?: string;
  /** Stream batching in the worker (defaults: 50 ms, 65536 characters). */
  streamIntervalMs?: number;
  streamMaxChars?: number;
  /** Make the worker. Default: Pyloom's module worker. */
  createWorker?: () => WorkerLike;
}

export interface ExecuteOptions {
  /** Called for every output event, with the cell's outputs after the event was applied. */
  onOutput?: (event: OutputEvent, outputs: readonly Output[]) => void;
}

export interface ExecuteReply {
  status: ExecuteStatus;
  executionCount: number | null;
  outputs: Output[];
}

export interface StatusDetail {
  status: RuntimeStatus;
  /** Why the runtime is dead, or why it restarted. */
  reason?: string;
}

export interface OutputDetail {
  executionId: number;
  event: OutputEvent;
}

interface Job {
  id: number;
  code: string;
  outputs: OutputList;
  onOutput: ExecuteOptions['onOutput'];
  resolve(reply: ExecuteReply): void;
  reject(error: Error): void;
}

interface Session {
  worker: WorkerLike;
  remote: Remote<WorkerApi>;
  interruptBuffer: Uint8Array | undefined;
  detach(): void;
}

/**
 * Events: `status` (CustomEvent<StatusDetail>), `progress` (CustomEvent<BootProgress>),
 * `output` (CustomEvent<OutputDetail>, every output of every execution, late ones included).
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
  get bootInfo(): BootInfo | undefined {
    return this.#bootInfo;
  }
  /** Executions waiting behind the running one. */
  get queued(): number {
    return this.#queue.length;
  }

  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteReply> {
    if (this.#status === 'dead') {
      return Promise.reject(new Error(this.#deadMessage()));
    }
    return new Promise<ExecuteReply>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, code, outputs: new OutputList(), onOutput: options.onOutput, resolve, reject });
      this.#pump();
    });
  }

  /**
   * Stop the running cell. With cross-origin isolation this raises KeyboardInterrupt in Python and
   * keeps the state; otherwise the only way to stop Python is a restart (state is lost).
   * Resolves to what happened.
   */
  async interrupt(): Promise<'interrupted' | 'restarted' | 'idle'> {
    if (!this.#running) return 'idle';
    const buffer = this.#session?.interruptBuffer;
    if (buffer) {
      buffer[0] = 2; // SIGINT
      return 'interrupted';
    }
    await this.restart('runtime restarted to stop the running cell: variables were lost');
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
    const onError = (event: Event) => this.#die(session, describeWorkerError(event));
    const onMessageError = () => this.#die(session, 'a message from the Python worker could not be read');
    worker.addEventListener('error', onError);
    worker.addEventListener('messageerror', onMessageError);
    const sink = proxy((event: WorkerEvent) => this.#onWorkerEvent(session, event));
    const session: Session = {
      worker,
      remote,
      interruptBuffer,
      detach: () => {
        worker.removeEventListener('error', onError);
        worker.removeEventListener('messageerror', onMessageError);
        remote[releaseProxy]();
      },
    };
    this.#session = session;
    this.#bootInfo = undefined;
    this.#setStatus('starting', this.#reason);
    this.#ready = (async () => {
      const defaults = options.indexURL && options.pyloomWheelURL ? undefined : await import('virtual:pyloom-assets');
      return remote.boot(
        {
          indexURL: options.indexURL ?? defaults!.pyodideIndexURL,
          pyloomWheelURL: options.pyloomWheelURL ?? defaults!.pyloomWheelURL,
          packageBaseUrl: options.packageBaseUrl,
          streamIntervalMs: options.streamIntervalMs,
          streamMaxChars: options.streamMaxChars,
          interruptBuffer,
        },
        sink,
      );
    })().then(
      (info) => {
        if (this.#session === session) {
          this.#bootInfo = info;
          this.#setStatus('idle');
          this.#pump();
        }
        return info;
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.#die(session, message);
        throw new Error(message);
      },
    );
    // Callers that never await `ready` still see the failure through status events.
    this.#ready.catch(() => undefined);
  }

  #pump(): void {
    const session = this.#session;
    if (this.#running || this.#status !== 'idle' || !session) return;
    const job = this.#queue.shift();
    if (!job) return;
    this.#running = job;
    this.#setStatus('busy');
    session.remote.execute({ id: job.id, code: job.code }).then(
      (ack) => {
        if (this.#running !== job) return; // aborted by a restart meanwhile
        this.#running = undefined;
        job.resolve({ status: ack.status, executionCount: ack.executionCount, outputs: job.outputs.outputs });
        this.#setStatus('idle');
        this.#pump();
      },
      (error: unknown) => {
        if (this.#running !== job) return;
        this.#die(session, `the runtime failed while running a cell: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  #onWorkerEvent(session: Session, event: WorkerEvent): void {
    if (this.#session !== session) return; // a late message from a worker we already replaced
    if (event.type === 'progress') {
      this.dispatchEvent(new CustomEvent<BootProgress>('progress', { detail: event.progress }));
      return;
    }
    const job = this.#running;
    if (job && job.id === event.executionId) {
      job.outputs.apply(event.event);
      job.onOutput?.(event.event, job.outputs.outputs);
    }
    this.dispatchEvent(new CustomEvent<OutputDetail>('output', { detail: { executionId: event.executionId, event: event.event } }));
  }

  #die(session: Session, reason: string): void {
    if (this.#session !== session || this.#status === 'dead') return;
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
  return new Worker(new URL('../../worker/worker.ts', import.meta.url), { type: 'module', name: 'pyloom' });
}

function makeInterruptBuffer(): Uint8Array | undefined {
  // SharedArrayBuffer exists only on crossOriginIsolated pages (COOP + COEP headers).
  return globalThis.crossOriginIsolated === true ? new Uint8Array(new SharedArrayBuffer(1)) : undefined;
}

function describeWorkerError(event: Event): string {
  const message = event instanceof ErrorEvent && event.message ? event.message : 'the Python worker stopped unexpectedly';
  return /memory/i.test(message) ? `${message} (out of memory)` : message;
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  return new Runtime(options);
}
