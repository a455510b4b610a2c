// Work split into time slices: many small jobs (one CodeMirror view per cell) run a few
// milliseconds at a time, yielding between slices, so opening a 400-cell notebook does not block
// the page in one long task. Jobs run in the order they were queued (top of the notebook first).

/** Longest run of jobs before yielding to input and rendering, in ms. */
const SLICE_MS = 8;

const queue: (() => void)[] = [];
let scheduled = false;

/** Run `job` soon, in a slice with others. A job that throws is reported and does not stop the rest. */
export function inSlice(job: () => void): void {
  queue.push(job);
  if (scheduled) return;
  scheduled = true;
  setTimeout(drain, 0);
}

function drain(): void {
  const start = performance.now();
  while (queue.length && performance.now() - start < SLICE_MS) {
    const job = queue.shift()!;
    try {
      job();
    } catch (error) {
      reportError(error);
    }
  }
  if (queue.length) setTimeout(drain, 0);
  else scheduled = false;
}
