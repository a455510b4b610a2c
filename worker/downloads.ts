// Every package download goes through the worker's fetch; this is the one place that watches it:
// byte progress per file, sha256 against the lock file, and (later) the offline cache.
import type { DownloadProgress } from '../src/protocol';
import { errorMessage } from '../src/shared/errors';

export type FileProgress = Omit<DownloadProgress, 'executionId' | 'overall'>;

export interface DownloadWatch {
  /** Does this URL fetch a package (a wheel, a lock file, an index page)? */
  matches(url: string): boolean;
  /** The sha256 the file must have (from the lock file), if known. */
  expectedSha256?(url: string): string | undefined;
  report(progress: FileProgress): void;
}

const watches = new Set<DownloadWatch>();
let installedOn: typeof globalThis | undefined;
// Progress events per file at most this often (plus the final one): a 10 MB wheel arrives in
// thousands of chunks.
const REPORT_EVERY_MS = 100;

function concat(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const whole = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}

async function digest(whole: Uint8Array<ArrayBuffer>): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', whole));
  return [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function fileName(url: string): string {
  return decodeURIComponent(url.split('?')[0]!.split('#')[0]!.replace(/\/$/, '').split('/').pop() ?? url);
}

/** How many watches are subscribed (a disposed kernel leaves none behind). */
export function watchCount(): number {
  return watches.size;
}

/** Wrap `fetch` once per global; each watch sees the downloads it `matches`. */
export function watchDownloads(watch: DownloadWatch, global: typeof globalThis = globalThis): () => void {
  watches.add(watch);
  if (installedOn !== global) {
    installedOn = global;
    const original = global.fetch.bind(global);
    global.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const interested = [...watches].filter((w) => w.matches(url));
      if (interested.length === 0) return original(input, init);
      const send = (progress: FileProgress) => {
        for (const w of interested) w.report(progress);
      };
      const file = fileName(url);
      const sha256 = interested.map((w) => w.expectedSha256?.(url)).find((h) => h !== undefined);
      // With the lock's sha256 at hand the check below is the same guarantee as the browser's
      // subresource integrity, and it can say what went wrong (SRI only says "Failed to fetch").
      const request = sha256 && init?.integrity ? { ...init, integrity: undefined } : init;
      let response: Response;
      try {
        response = await original(input, request);
      } catch (error) {
        const cause = errorMessage(error instanceof Error && error.cause instanceof Error ? error.cause : error);
        const message = `could not reach ${url}: ${cause}`;
        send({ kind: 'download', url, file, loaded: 0, total: null, done: true, error: message });
        throw new Error(message, { cause: error });
      }
      if (!response.ok || !response.body) {
        const error = `HTTP ${response.status} ${response.statusText} from ${url}`.trim();
        send({ kind: 'download', url, file, loaded: 0, total: null, done: true, error });
        // Pyodide reports a failed fetch as "request failed"; the status is what a user needs.
        if (/\.whl([?#]|$)/.test(url)) throw new Error(error);
        return response;
      }
      const length = Number(response.headers.get('content-length'));
      const total = Number.isFinite(length) && length > 0 ? length : null;
      if (!sha256)
        return passThrough(response, (loaded, done) => send({ kind: 'download', url, file, loaded, total: done ? loaded : total, done }));
      // Read here, to the end, before Pyodide sees the response: progress as bytes arrive, and a
      // refusal as a rejected fetch (an error inside the body stream reaches Pyodide, in Chromium,
      // only as "Failed to fetch").
      const chunks: Uint8Array[] = [];
      let loaded = 0;
      let last = 0;
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        const now = performance.now();
        if (now - last >= REPORT_EVERY_MS) {
          last = now;
          send({ kind: 'download', url, file, loaded, total, done: false });
        }
      }
      const body = concat(chunks);
      if (sha256) {
        const got = await digest(body);
        if (got !== sha256) {
          const error = `refused ${file}: its sha256 is ${got}, the lock file says ${sha256} (the file at ${url} is not the one the lock describes)`;
          send({ kind: 'download', url, file, loaded, total, done: true, error });
          throw new Error(error);
        }
      }
      send({ kind: 'download', url, file, loaded, total: total ?? loaded, done: true });
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
  }
  return () => watches.delete(watch);
}

/**
 * Count the bytes of a response as its reader takes them, without holding it back: with nothing to
 * verify, Pyodide's core (streaming WebAssembly compilation) starts while the file still arrives.
 */
function passThrough(response: Response, report: (loaded: number, done: boolean) => void): Response {
  let loaded = 0;
  let last = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      loaded += chunk.byteLength;
      const now = performance.now();
      if (now - last >= REPORT_EVERY_MS) {
        last = now;
        report(loaded, false);
      }
      controller.enqueue(chunk);
    },
    flush() {
      report(loaded, true);
    },
  });
  return new Response(response.body!.pipeThrough(counter), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
