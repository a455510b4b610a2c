// The kernel's mutable state in one object: what is booted, what runs, where events go, and what
// must be released on dispose. The API functions (kernel.ts) and boot steps (boot.ts) share it.
import type { PyodideAPI } from 'pyodide';
import type { Callback, OutputEvent, WorkerEvent } from '../src/protocol';
import type { PyloomShell } from './pyloom-api';
import { deferred } from '../src/shared/deferred';

/** Stands for "no interrupt buffer": Pyodide's poll reads 0 from it forever. */
const NO_SIGNAL = new Uint8Array(1);

export class KernelState {
  pyodide: PyodideAPI | undefined;
  shell: PyloomShell | undefined;
  booting = false;
  disposed = false;
  /** The execution whose outputs are being produced now (also the `input()` owner). */
  executionId = 0;
  /** Between an execute request's arrival and the start of its Python (waiting for the workspace). */
  starting = false;
  /** An interrupt() that came while the cell was starting: it ends before it starts. */
  stopBeforeStart = false;
  running = false;
  /** The execution whose downloads are under way (null outside cells). */
  downloadOwner: number | null = null;
  interruptBuffer: Uint8Array | undefined;
  /**
   * Pyodide's fatal errors (a trap in C code, a broken invariant) can happen inside an event-loop
   * callback, where nothing awaits them: the running cell's promise would then never settle, so
   * execute() races it against this.
   */
  fatalError: Error | undefined;
  readonly #fatal = deferred<never>();
  readonly fatal: Promise<never> = this.#fatal.promise;
  #sink: Callback<WorkerEvent> = () => undefined;
  // The page acknowledges each event; execute() waits for the last one so that a reply never
  // overtakes the outputs it belongs to (they travel on a different MessagePort).
  #lastDelivery: unknown;
  readonly #releases: (() => void)[] = [];

  constructor() {
    this.fatal.catch(() => undefined);
  }

  connect(sink: Callback<WorkerEvent>): void {
    this.#sink = sink;
  }

  deliver(event: WorkerEvent): void {
    this.#lastDelivery = this.#sink(event);
  }

  emitOutput(event: OutputEvent): void {
    this.deliver({ type: 'output', executionId: this.executionId, event });
  }

  /** Settles once the page has acknowledged every event delivered so far. */
  async delivered(): Promise<void> {
    await this.#lastDelivery;
  }

  die(error: Error): void {
    this.fatalError = error;
    this.#fatal.reject(error);
  }

  /** Run `release` on dispose (subscriptions to process-wide hooks such as the fetch watch). */
  onDispose(release: () => void): void {
    this.#releases.push(release);
  }

  dispose(): void {
    this.disposed = true;
    for (const release of this.#releases.splice(0)) release();
    this.#sink = () => undefined;
  }

  /** Take a pending interrupt out of the buffer; true when there was one. */
  takeInterrupt(): boolean {
    if (this.interruptBuffer?.[0] !== 2) return false;
    this.interruptBuffer[0] = 0;
    return true;
  }

  clearInterrupt(): void {
    if (this.interruptBuffer) this.interruptBuffer[0] = 0;
  }

  /**
   * Run Python the worker needs for itself (import caches after a file change, widget messages,
   * completion) with Pyodide's poll of the interrupt buffer detached: a signal written for a cell
   * (one about to start included) stays in the buffer for that cell instead of raising
   * KeyboardInterrupt in here, where it would be lost. While a cell runs, the buffer is the
   * cell's (its sleep may have detached it already), so `run` is called as is.
   */
  withoutInterrupt<T>(run: () => T): T {
    const { pyodide, interruptBuffer } = this;
    if (!pyodide || !interruptBuffer || this.running) return run();
    pyodide.setInterruptBuffer(NO_SIGNAL);
    try {
      return run();
    } finally {
      pyodide.setInterruptBuffer(interruptBuffer);
    }
  }
}
