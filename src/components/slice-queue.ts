// Work split into time slices: many small jobs (one CodeMirror view per cell) run a few
// milliseconds at a time, yielding between slices, so opening a 400-cell notebook does not block
// the page in one long task. Jobs run in the order they were queued (top of the notebook first);
// jobs tied to an element wait until it comes near the viewport (or, to free it, goes far away).

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

/** How far outside the viewport an element counts as near, so scrolling finds it ready. */
const NEAR = '800px 0px';
const waiting = new WeakMap<Element, () => void>();
let observer: IntersectionObserver | undefined;

/**
 * Run `job` in a slice once `element` is within about a screen of the viewport (at once where
 * IntersectionObserver is missing). Calling `job` directly earlier is allowed: it must then do
 * nothing the second time.
 */
export function whenNear(element: Element, job: () => void): void {
  if (typeof IntersectionObserver === 'undefined') return inSlice(job);
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer!.unobserve(entry.target);
        const queued = waiting.get(entry.target);
        waiting.delete(entry.target);
        if (queued) inSlice(queued);
      }
    },
    { rootMargin: NEAR },
  );
  waiting.set(element, job);
  observer.observe(element);
}

/** Beyond this distance from the viewport an element counts as far (a few screens: scrolling back finds views ready). */
const FAR = '3000px 0px';
const leaving = new WeakMap<Element, () => void>();
let farObserver: IntersectionObserver | undefined;

/**
 * Run `job` in a slice once `element` is more than a few screens from the viewport (never where
 * IntersectionObserver is missing). Once: call again to watch again.
 */
export function whenFar(element: Element, job: () => void): void {
  if (typeof IntersectionObserver === 'undefined') return;
  farObserver ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) continue;
        farObserver!.unobserve(entry.target);
        const queued = leaving.get(entry.target);
        leaving.delete(entry.target);
        if (queued) inSlice(queued);
      }
    },
    { rootMargin: FAR },
  );
  leaving.set(element, job);
  farObserver.observe(element);
}
