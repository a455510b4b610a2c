// The shared-memory half of the worker protocol: how input() answers travel from the page to a
// worker blocked in Atomics.wait. Both sides call these functions; the layout is written once.
// Layout: Int32 [state, byteLength], then up to INPUT_CAPACITY bytes of UTF-8.

export const INPUT_CAPACITY = 64 * 1024;
const HEADER_BYTES = 8;
const IDLE = 0;
const WAITING = 1;
const ANSWERED = 2;
const EOF = 3;

export function createInputBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + INPUT_CAPACITY);
}

const header = (buffer: SharedArrayBuffer) => new Int32Array(buffer, 0, 2);

/**
 * Worker side: mark the buffer waiting, `announce` the request, block until the page answers.
 * Returns the line, `undefined` when `interrupted()` turned true meanwhile, `false` for no answer.
 */
export function waitForInput(buffer: SharedArrayBuffer, announce: () => void, interrupted: () => boolean): string | undefined | false {
  const state = header(buffer);
  Atomics.store(state, 0, WAITING);
  announce();
  while (Atomics.load(state, 0) === WAITING) {
    // Woken by the answer, or every 100 ms to look at the interrupt flag.
    Atomics.wait(state, 0, WAITING, 100);
    if (Atomics.load(state, 0) === WAITING && interrupted()) {
      Atomics.store(state, 0, IDLE);
      return undefined;
    }
  }
  const outcome = Atomics.load(state, 0);
  const length = state[1]!;
  Atomics.store(state, 0, IDLE);
  if (outcome === EOF) return false;
  return new TextDecoder().decode(new Uint8Array(buffer, HEADER_BYTES, length).slice());
}

/** Page side: answer the waiting worker (`undefined`: no answer, Python sees EOFError). */
export function answerInput(buffer: SharedArrayBuffer, answer: string | undefined): boolean {
  const state = header(buffer);
  if (Atomics.load(state, 0) !== WAITING) return false; // interrupted, or nobody is waiting
  if (answer === undefined) {
    Atomics.store(state, 0, EOF);
  } else {
    const bytes = new TextEncoder().encode(answer).slice(0, INPUT_CAPACITY);
    new Uint8Array(buffer, HEADER_BYTES, bytes.length).set(bytes);
    state[1] = bytes.length;
    Atomics.store(state, 0, ANSWERED);
  }
  Atomics.notify(state, 0);
  return true;
}
