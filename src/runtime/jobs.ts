// What both runtimes (Pyodide in a worker, a Jupyter kernel) share: the public execution types, and
// the bookkeeping of status and of executions run one at a time in submission order.
import type { DownloadProgress, ExecutePayload, ExecuteStatus, Output, OutputEvent } from '../protocol';
import { deferred } from '../shared/deferred';
import { OutputList } from './output-list';

export type RuntimeStatus = 'starting' | 'idle' | 'busy' | 'dead';

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
  /**
   * Called once when this execution becomes the running one, after every execution queued before
   * it has ended: where a per-cell time limit starts counting (an `interrupt()` then reaches it).
   */
  onStart?: () => void;
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

export interface OutputDetail {
  executionId: number;
  event: OutputEvent;
}

/** One queued execution; `work` is what the runtime needs to run it (code, or a call to make). */
export interface Job<Work> {
  id: number;
  work: Work;
  options: ExecuteOptions;
  outputs: OutputList;
  /** Resolves when the job has been answered, however it ended. */
  settled: Promise<void>;
  resolve(reply: ExecuteReply): void;
  reject(error: Error): void;
}

/**
 * The status (with its reason) and the job queue of one runtime. It dispatches `status` and
 * `output` events on the runtime it belongs to; the runtime decides when a job starts and ends.
 */
export class JobQueue<Work> {
  readonly #target: EventTarget;
  #status: RuntimeStatus = 'starting';
  #reason: string | undefined;
  #queue: Job<Work>[] = [];
  #running: Job<Work> | undefined;
  #nextId = 1;

  /** `target` receives the `status` and `output` events. */
  constructor(target: EventTarget) {
    this.#target = target;
  }

  get status(): RuntimeStatus {
    return this.#status;
  }
  get reason(): string | undefined {
    return this.#reason;
  }
  set reason(reason: string | undefined) {
    this.#reason = reason;
  }
  /** The job started by `next()` and not yet finished. */
  get running(): Job<Work> | undefined {
    return this.#running;
  }
  /** Jobs waiting behind the running one. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Sets the status and dispatches a `status` event (CustomEvent<StatusDetail>). */
  setStatus(status: RuntimeStatus, reason?: string): void {
    this.#status = status;
    if (reason !== undefined) this.#reason = reason;
    this.#target.dispatchEvent(new CustomEvent<StatusDetail>('status', { detail: { status, ...(reason ? { reason } : {}) } }));
  }

  /** Queue a job; the promise settles when `finish`, `fail`, `abortAll` or `rejectAll` reaches it. */
  add(work: Work, options: ExecuteOptions): Promise<ExecuteReply> {
    const { promise, resolve, reject } = deferred<ExecuteReply>();
    const settled = promise.then(
      () => undefined,
      () => undefined,
    );
    this.#queue.push({ id: this.#nextId++, work, options, outputs: new OutputList(), settled, resolve, reject });
    return promise;
  }

  /** Take the next job as the running one (status `busy`); undefined when one runs or none waits. */
  next(): Job<Work> | undefined {
    if (this.#running) return undefined;
    const job = this.#queue.shift();
    if (!job) return undefined;
    this.#running = job;
    this.setStatus('busy');
    job.options.onStart?.();
    return job;
  }

  /**
   * End the running job with the kernel's answer. Returns false (and does nothing) when `job` is
   * no longer the running one: it was aborted by a restart or lost meanwhile.
   */
  finish(job: Job<Work>, ack: Pick<ExecuteReply, 'status' | 'executionCount' | 'payload'>): boolean {
    if (this.#running !== job) return false;
    this.#running = undefined;
    job.resolve({
      status: ack.status,
      executionCount: ack.executionCount,
      outputs: job.outputs.outputs,
      ...(ack.payload?.length ? { payload: ack.payload } : {}),
    });
    return true;
  }

  /** End the running job with an error; false when it is no longer the running one. */
  fail(job: Job<Work>, error: Error): boolean {
    if (this.#running !== job) return false;
    this.#running = undefined;
    job.reject(error);
    return true;
  }

  /** End the running and queued jobs as 'aborted' with the outputs they had (restart, dispose). */
  abortAll(): void {
    const jobs = [...(this.#running ? [this.#running] : []), ...this.#queue.splice(0)];
    this.#running = undefined;
    for (const job of jobs) job.resolve({ status: 'aborted', executionCount: null, outputs: job.outputs.outputs });
  }

  /** Reject the running and queued jobs with `error` (the runtime died). */
  rejectAll(error: Error): void {
    const jobs = [...(this.#running ? [this.#running] : []), ...this.#queue.splice(0)];
    this.#running = undefined;
    for (const job of jobs) job.reject(error);
  }

  /**
   * An output of execution `executionId`: applied to that job's outputs when it is the running
   * one (and passed to its onOutput), and dispatched as an `output` event (CustomEvent<OutputDetail>)
   * in any case, so late outputs still reach listeners.
   */
  output(executionId: number, event: OutputEvent): void {
    const job = this.#running;
    if (job && job.id === executionId) {
      job.outputs.apply(event);
      job.options.onOutput?.(event, job.outputs.outputs);
    }
    this.#target.dispatchEvent(new CustomEvent<OutputDetail>('output', { detail: { executionId, event } }));
  }

  /** Resolves true when `job` settles within `graceMs` milliseconds, false when it has not by then. */
  async settlesWithin(job: Job<Work>, graceMs: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopped = await Promise.race([
      job.settled.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    return stopped;
  }
}
