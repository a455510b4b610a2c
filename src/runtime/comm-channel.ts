// The page half of the comm channel: sends comm messages to Python in batches, one batch in
// flight at a time, coalescing widget state updates per model and key while Python is busy.
import type { CommFromKernel, CommMessage, CommToKernel, JsonObject } from '../protocol';

/** What the channel needs of a MessagePort (tests pass one end of a MessageChannel). */
export interface CommPort {
  postMessage(message: CommToKernel, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<CommFromKernel>) => void) | null;
  close(): void;
}

export type CommListener = (message: CommMessage) => void;

const isRecord = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The state keys of an ipywidgets `update` that may be coalesced (no binary buffers involved). */
function updateKeys(message: CommMessage): string[] | undefined {
  const { data } = message;
  if (message.msg_type !== 'comm_msg' || data['method'] !== 'update' || !isRecord(data['state'])) return undefined;
  if (message.buffers.length > 0 || (Array.isArray(data['buffer_paths']) && data['buffer_paths'].length > 0)) return undefined;
  return Object.keys(data['state']);
}

/**
 * Jupyter's comm semantics on a MessagePort.
 *
 * - `send(message)` queues a message; the queue goes to Python as one batch when no batch is in
 *   flight, else when Python reports the batch in flight handled. So while Python is busy (a
 *   long cell, a slow callback) messages wait here, and a state `update` for a model replaces
 *   the keys it sets in any update of that model still waiting: the last value always wins,
 *   and Python handles one update per key instead of a backlog. Custom messages, opens and
 *   closes are never dropped or reordered.
 * - `onMessage(listener)`: every message from Python, in order.
 * - `idle()`: resolves when everything sent so far has been handled by Python.
 */
export class CommChannel {
  #port: CommPort;
  #queue: CommMessage[] = [];
  #inFlight: number | undefined;
  #seq = 0;
  #listeners = new Set<CommListener>();
  #idle: (() => void)[] = [];
  /** Resolvers of messages waiting or in flight, by the batch they went (or will go) out in. */
  #waiting: (() => void)[] = [];
  #inFlightDone: (() => void)[] = [];
  #closed = false;
  /** Batches Python reported as failed (the reason), for the runtime's error event. */
  onError: (message: string) => void = () => undefined;
  /** Messages sent, and batches posted: figures for tests and benches. */
  readonly stats = { sent: 0, batches: 0, coalesced: 0 };

  constructor(port: CommPort) {
    this.#port = port;
    port.onmessage = (event) => this.#receive(event.data);
  }

  onMessage(listener: CommListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Queue `message` for Python. Resolves when Python has handled it (or the update that replaced
   * it); throws at once when the channel is closed.
   */
  send(message: CommMessage): Promise<void> {
    if (this.#closed) throw new Error('the comm channel is closed (the runtime restarted or was disposed)');
    this.stats.sent++;
    const keys = updateKeys(message);
    if (keys) this.#coalesce(message, keys);
    this.#queue.push(message);
    const handled = new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#flush();
    return handled;
  }

  /** Settles once Python has handled every message sent so far. */
  idle(): Promise<void> {
    if (this.#inFlight === undefined && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  close(): void {
    this.#closed = true;
    this.#port.onmessage = null;
    this.#port.close();
    this.#listeners.clear();
    for (const resolve of [...this.#idle.splice(0), ...this.#waiting.splice(0), ...this.#inFlightDone.splice(0)]) resolve();
  }

  /**
   * Drop from waiting updates of the same comm the keys `message` sets again, back to the last
   * other message of that comm (a custom message must see the updates sent before it, no later).
   */
  #coalesce(message: CommMessage, keys: string[]): void {
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const waiting = this.#queue[i]!;
      if (waiting.comm_id !== message.comm_id) continue;
      if (!updateKeys(waiting)) break;
      const state = { ...(waiting.data['state'] as JsonObject) };
      let changed = false;
      for (const key of keys) {
        if (key in state) {
          delete state[key];
          changed = true;
        }
      }
      if (!changed) continue;
      this.stats.coalesced++;
      if (Object.keys(state).length === 0) this.#queue.splice(i, 1);
      else this.#queue[i] = { ...waiting, data: { ...waiting.data, state } };
    }
  }

  #flush(): void {
    if (this.#inFlight !== undefined || this.#queue.length === 0 || this.#closed) return;
    const messages = this.#queue.splice(0);
    this.#inFlightDone = this.#waiting.splice(0);
    const seq = ++this.#seq;
    this.#inFlight = seq;
    this.stats.batches++;
    this.#port.postMessage(
      { type: 'batch', seq, messages },
      messages.flatMap((m) => m.buffers),
    );
  }

  #receive(message: CommFromKernel): void {
    if (message.type === 'comm') {
      for (const listener of this.#listeners) listener(message.message);
      return;
    }
    if (message.seq !== this.#inFlight) return;
    this.#inFlight = undefined;
    for (const resolve of this.#inFlightDone.splice(0)) resolve();
    if (message.error) this.onError(`a widget message failed in Python: ${message.error}`);
    this.#flush();
    if (this.#inFlight === undefined) for (const resolve of this.#idle.splice(0)) resolve();
  }
}
