// One worker of the Pyodide runtime and what hangs on it: the module worker (also when Pyloom is
// served from another origin), its Comlink remote, interrupt/input buffers, comm channel, and its death.
import { proxy, releaseProxy, wrap, type Remote } from 'comlink';
import type { WorkerApi, WorkerEvent } from '../protocol';
import { deferred } from '../shared/deferred';
import { createInputBuffer } from '../shared/input-buffer';
import { CommChannel } from './comm-channel';

/** The part of a Worker the runtime uses; a test can hand in anything that speaks it. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
  terminate(): void;
}

/** A started worker. A session is stopped once; the runtime then makes a new one. */
export interface Session {
  worker: WorkerLike;
  /** Rejects when the session dies, so nothing waiting on the worker hangs. */
  died: Promise<never>;
  remote: Remote<WorkerApi>;
  interruptBuffer: Uint8Array | undefined;
  inputBuffer: SharedArrayBuffer | undefined;
  /** Jupyter comms with this worker's Python (widgets); `commPort` is the worker's end, to transfer. */
  comms: CommChannel;
  commPort: MessagePort;
  /** The worker's events, to hand to `remote.boot`. */
  sink: (event: WorkerEvent) => void;
  /** Reject `died` with `reason` (the session is dead, the worker may still run). */
  kill(reason: string): void;
  /** Kill, release listeners and proxies, and terminate the worker. */
  stop(): void;
}

export interface SessionHandlers {
  /** An uncaught error in the worker (already kept out of the page's console), as text. */
  onError(message: string): void;
  /** A message from the worker could not be deserialized. */
  onMessageError(): void;
  onEvent(event: WorkerEvent): void;
}

/** Start a worker made by `createWorker` and wire it; nothing is booted yet. */
export function openSession(createWorker: () => WorkerLike, handlers: SessionHandlers): Session {
  const worker = createWorker();
  const remote = wrap<WorkerApi>(worker as Worker);
  const interruptBuffer = makeInterruptBuffer();
  const death = deferred<never>();
  death.promise.catch(() => undefined);
  const onError = (event: Event) => {
    event.preventDefault(); // handled here; keeps it out of the page's console as "uncaught"
    handlers.onError(describeWorkerError(event));
  };
  const onMessageError = () => handlers.onMessageError();
  worker.addEventListener('error', onError);
  worker.addEventListener('messageerror', onMessageError);
  const commPorts = new MessageChannel();
  const comms = new CommChannel(commPorts.port1);
  const kill = (reason: string) => death.reject(new Error(reason));
  return {
    worker,
    died: death.promise,
    remote,
    interruptBuffer,
    inputBuffer: interruptBuffer ? createInputBuffer() : undefined,
    comms,
    commPort: commPorts.port2,
    sink: proxy((event: WorkerEvent) => handlers.onEvent(event)),
    kill,
    stop: () => {
      kill('the Python worker was stopped');
      comms.close();
      worker.removeEventListener('error', onError);
      worker.removeEventListener('messageerror', onMessageError);
      remote[releaseProxy]();
      worker.terminate();
    },
  };
}

/** Pyloom's module worker (`worker/worker.ts`), bundled by Vite. */
export function defaultWorker(): WorkerLike {
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

/** One shared byte Python polls for SIGINT; undefined when the page is not crossOriginIsolated. */
function makeInterruptBuffer(): Uint8Array | undefined {
  // SharedArrayBuffer exists only on crossOriginIsolated pages (COOP + COEP headers).
  return globalThis.crossOriginIsolated === true ? new Uint8Array(new SharedArrayBuffer(1)) : undefined;
}

/** The message of a worker's `error` event, saying "out of memory" when that is what it was. */
function describeWorkerError(event: Event): string {
  // Read structurally: ErrorEvent is not a global everywhere the runtime runs (Node tests).
  const raw: unknown = 'message' in event ? event.message : undefined;
  const message = typeof raw === 'string' && raw ? raw : 'the Python worker failed to load or stopped unexpectedly';
  return /memory/i.test(message) ? `${message} (out of memory)` : message;
}
