// Every package download goes through the worker's fetch; this is the one place that watches it:
// byte progress per file and overall now, and the offline cache can hook in here.
import type { DownloadProgress } from '../src/protocol';

export interface DownloadWatch {
  /** Does this URL fetch a package (a wheel, a lock file, an index page)? */
  matches(url: string): boolean;
  report(progress: Omit<DownloadProgress, 'executionId'>): void;
}

const watches = new Set<DownloadWatch>();
let installedOn: typeof globalThis | undefined;
// Progress events per file at most this often (plus the final one): a 10 MB wheel arrives in
// thousands of chunks.
const REPORT_EVERY_MS = 100;

interface Active {
  loaded: number;
  total: number | null;
}
const active = new Map<string, Active>();
let finished = { loaded: 0, files: 0 };

function overall(): DownloadProgress['overall'] {
  let loaded = finished.loaded;
  let total: number | null = finished.loaded;
  for (const file of active.values()) {
    loaded += file.loaded;
    total = total === null || file.total === null ? null : total + file.total;
  }
  return { loaded, total, files: finished.files + active.size, done: finished.files };
}

function fileName(url: string): string {
  return decodeURIComponent(url.split('?')[0]!.split('#')[0]!.replace(/\/$/, '').split('/').pop() ?? url);
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
      const send = (p: Omit<DownloadProgress, 'executionId' | 'overall'>) => {
        const progress = { ...p, overall: overall() };
        for (const w of interested) w.report(progress);
      };
      const file = fileName(url);
      let response: Response;
      try {
        response = await original(input, init);
      } catch (error) {
        send({ kind: 'download', url, file, loaded: 0, total: null, done: true, error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
      if (!response.ok || !response.body) {
        send({ kind: 'download', url, file, loaded: 0, total: null, done: true, error: `HTTP ${response.status}` });
        return response;
      }
      const length = Number(response.headers.get('content-length'));
      const state: Active = { loaded: 0, total: Number.isFinite(length) && length > 0 ? length : null };
      active.set(url, state);
      let last = 0;
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          state.loaded += chunk.byteLength;
          const now = performance.now();
          if (now - last >= REPORT_EVERY_MS) {
            last = now;
            send({ kind: 'download', url, file, loaded: state.loaded, total: state.total, done: false });
          }
          controller.enqueue(chunk);
        },
        flush() {
          active.delete(url);
          finished = { loaded: finished.loaded + state.loaded, files: finished.files + 1 };
          send({ kind: 'download', url, file, loaded: state.loaded, total: state.total ?? state.loaded, done: true });
          if (active.size === 0) finished = { loaded: 0, files: 0 }; // the next batch counts afresh
        },
      });
      return new Response(response.body.pipeThrough(counter), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
  }
  return () => watches.delete(watch);
}
