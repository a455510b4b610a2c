// A session's run queue: code cells run one at a time in the order they were queued, with Jupyter's
// rules (outputs cleared at start, the queue stops at an error or an abort, the count from the reply).
import type { Output, OutputEvent } from '../protocol';
import type { ExecuteOptions, ExecuteReply, InputRequest, RuntimeStatus } from '../runtime/runtime';
import { errorMessage } from '../shared/errors';
import type { Cell, CodeCell } from './model';
import { abortedOutputs, nextInput, runtimeFailure } from './run-reply';

/** The part of a Runtime a session uses. */
export interface SessionRuntime extends EventTarget {
  readonly status: RuntimeStatus;
  readonly reason: string | undefined;
  execute(code: string, options?: ExecuteOptions): Promise<ExecuteReply>;
  interrupt(): Promise<'interrupted' | 'restarted' | 'idle'>;
  restart(reason?: string): Promise<unknown>;
}

export type CellRunState = 'queued' | 'running';

/** What the queue needs of its session, which owns the cells: every change goes through it. */
export interface RunHost {
  readonly runtime: SessionRuntime;
  cell(id: string): Cell | undefined;
  /** Replace a code cell's outputs and count; `persist` false for streamed outputs (not worth saving each). */
  patchCode(id: string, patch: Partial<Pick<CodeCell, 'outputs' | 'execution_count'>>, persist?: boolean): void;
  /** IPython's set_next_input (%load): the cell's new text (`replace`), or a new code cell below it. */
  setNextInput(id: string, text: string, replace: boolean): void;
  /** Cells whose run state changed (queued, running, done); not worth saving. */
  runStatesChanged(ids: string[]): void;
  /** Asks the user for a line when Python calls input() in cell `id`; undefined: no answer (EOFError). */
  input(id: string, request: InputRequest): Promise<string | undefined> | undefined;
}

export class RunQueue {
  readonly #host: RunHost;
  /** Cells waiting or running, in run order. */
  #queue: string[] = [];
  #states = new Map<string, CellRunState>();
  #running: string | undefined;
  #pumping = false;

  constructor(host: RunHost) {
    this.#host = host;
  }

  state(id: string): CellRunState | undefined {
    return this.#states.get(id);
  }

  get busy(): boolean {
    return this.#running !== undefined || this.#queue.length > 0;
  }

  /** Queue code cells to run in the given order (others, and cells already queued, are ignored). */
  enqueue(ids: string[]): void {
    for (const id of ids) {
      const cell = this.#host.cell(id);
      if (cell?.cell_type !== 'code' || this.#states.has(id)) continue;
      this.#queue.push(id);
      this.#states.set(id, 'queued');
    }
    this.#host.runStatesChanged(ids);
    void this.#pump();
  }

  /** Drop the waiting cells (as Jupyter does after an error); the running one goes on. */
  dropQueued(): void {
    const dropped = this.#queue.splice(0);
    for (const id of dropped) this.#states.delete(id);
    if (dropped.length) this.#host.runStatesChanged(dropped);
  }

  /** Drop the waiting cells and forget the running one: its reply will be ignored. */
  clear(): void {
    this.dropQueued();
    const running = this.#running;
    if (running) {
      this.#running = undefined;
      this.#states.delete(running);
      this.#host.runStatesChanged([running]);
    }
  }

  /** Take a cell out of the queue (deleted, retyped, merged, split); a running cell runs on. */
  remove(id: string): void {
    const at = this.#queue.indexOf(id);
    if (at >= 0) this.#queue.splice(at, 1);
    if (this.#running !== id) this.#states.delete(id);
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (let id = this.#queue.shift(); id !== undefined; id = this.#queue.shift()) {
        const cell = this.#host.cell(id);
        if (cell?.cell_type !== 'code') {
          this.#states.delete(id);
          continue;
        }
        const ok = await this.#runOne(cell);
        if (!ok) this.dropQueued();
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Runs one cell; false when the queue behind it should stop. */
  async #runOne(cell: CodeCell): Promise<boolean> {
    const host = this.#host;
    const id = cell.id;
    this.#running = id;
    this.#states.set(id, 'running');
    host.patchCode(id, { outputs: [], execution_count: null });
    if (host.runtime.status === 'dead') {
      // A crashed runtime is replaced by a fresh one on the next run.
      await host.runtime.restart('runtime restarted after it stopped: variables were lost').catch(() => undefined);
    }
    let reply: ExecuteReply | undefined;
    let failure: string | undefined;
    try {
      reply = await host.runtime.execute(cell.source, {
        onOutput: (_event: OutputEvent, outputs: readonly Output[]) => {
          if (this.#running === id) host.patchCode(id, { outputs: [...outputs] }, false);
        },
        onInput: (request) => host.input(id, request),
      });
    } catch (error) {
      failure = errorMessage(error);
    }
    if (this.#running !== id) return false; // dropped by clear()
    this.#running = undefined;
    this.#states.delete(id);
    if (reply?.status === 'aborted') {
      host.patchCode(id, { outputs: abortedOutputs(reply.outputs, host.runtime.reason), execution_count: null });
      return false;
    }
    if (reply) {
      host.patchCode(id, { outputs: [...reply.outputs], execution_count: reply.executionCount });
      const next = nextInput(reply.payload);
      if (next) host.setNextInput(id, next.text, next.replace);
      return reply.status === 'ok';
    }
    const current = host.cell(id);
    const previous = current?.cell_type === 'code' ? current.outputs : [];
    host.patchCode(id, { outputs: [...previous, runtimeFailure(failure ?? 'unknown error')] });
    return false;
  }
}
