// Which kernel messages reached the page, by the counter jupyter_client (7+) puts in every msg_id
// ("<session>_<pid>_<n>", one count over all channels): after a websocket drop it tells whether a
// message the kernel sent while the socket was down never arrived. Jupyter Server replays only what
// it buffered after it noticed the close; what it sent to the dead socket before that is gone.

/** How many recent counters are remembered; a drop spanning more messages is assumed lossy. */
const WINDOW = 4096;
const MSG_ID = /^(.+)_(\d+)_(\d+)$/;

export class MessageLedger {
  #seen = new Set<number>();
  #order: number[] = [];
  /** "<session>_<pid>" of the kernel process the counters belong to. */
  #kernel: string | undefined;
  #nextIopub: number | undefined;
  /** False once a kernel message had no counter (another kernel, an older jupyter_client). */
  #countable = true;

  /**
   * Note one received message (`session`: its header's session, the kernel's). Returns its
   * counter, or undefined when its msg_id carries none.
   */
  record(msgId: string, session: string, channel: string): number | undefined {
    const counter = this.#parse(msgId, session, channel);
    if (counter === undefined) return undefined;
    this.#seen.add(counter);
    this.#order.push(counter);
    if (this.#order.length > WINDOW) this.#seen.delete(this.#order.shift()!);
    if (channel === 'iopub') this.#nextIopub = Math.max(this.#nextIopub ?? 0, counter + 1);
    return counter;
  }

  /** The counter of a message of the current kernel process, or undefined. */
  counterOf(msgId: string, session: string): number | undefined {
    const match = MSG_ID.exec(msgId);
    return match && match[1] === session && `${session}_${match[2]}` === this.#kernel ? Number(match[3]) : undefined;
  }

  #parse(msgId: string, session: string, channel: string): number | undefined {
    const match = MSG_ID.exec(msgId);
    if (!match || match[1] !== session) {
      if (channel === 'shell') this.#countable = false;
      return undefined;
    }
    const key = `${session}_${match[2]}`;
    if (channel === 'shell' && key !== this.#kernel) {
      // Shell replies come from the kernel only (the server puts its own status messages on
      // IOPub): a new key here is a new kernel process, which counts from 0 again.
      this.#kernel = key;
      this.#seen.clear();
      this.#order = [];
      this.#nextIopub = undefined;
    }
    return key === this.#kernel ? Number(match[3]) : undefined;
  }

  /**
   * The first counter a drop happening now could lose: one past the last IOPub message (IOPub
   * arrives in order; an unanswered shell reply is caught by the reply that never comes).
   * Undefined when messages carry no counters.
   */
  watermark(): number | undefined {
    return this.#countable ? this.#nextIopub : undefined;
  }

  /** True when every counter in [from, to] was received (false when counters are not known). */
  complete(from: number, to: number): boolean {
    if (!this.#countable || to - from >= WINDOW) return false;
    for (let counter = from; counter <= to; counter++) if (!this.#seen.has(counter)) return false;
    return true;
  }
}
