// HTTP from Python (pyloom.http: urllib, http.client) goes through synchronous XMLHttpRequests in
// the worker; this reports each one's bytes as a download of the running cell.
import type { FileProgress } from './downloads';

type OpenArgs = [method: string, url: string | URL, async?: boolean, username?: string | null, password?: string | null];

const watched = new WeakSet<typeof globalThis>();
const listeners = new Set<(progress: FileProgress) => void>();

function fileName(url: string): string {
  const path = url.split(/[?#]/)[0]!.replace(/\/$/, '');
  return decodeURIComponent(path.split('/').pop() || url);
}

function bytesOf(xhr: XMLHttpRequest): number {
  const body: unknown = xhr.response;
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (typeof body === 'string') return new TextEncoder().encode(body).byteLength;
  return 0;
}

/**
 * Report every XMLHttpRequest made in `global` once it ends (to every watcher; returns the unsubscribe): `loaded` = bytes received, `error` when
 * the browser refused it (CORS, unreachable host). Synchronous requests are reported as `send`
 * returns (they give no progress while they run); asynchronous ones on `loadend`.
 */
export function watchRequests(report: (progress: FileProgress) => void, global: typeof globalThis = globalThis): () => void {
  listeners.add(report);
  const unsubscribe = () => void listeners.delete(report);
  const Xhr = global.XMLHttpRequest;
  if (typeof Xhr !== 'function' || watched.has(global)) return unsubscribe;
  watched.add(global);
  const requests = new WeakMap<XMLHttpRequest, { url: string; sync: boolean }>();
  const open = Xhr.prototype.open;
  const send = Xhr.prototype.send;
  Xhr.prototype.open = function (this: XMLHttpRequest, ...args: OpenArgs): void {
    requests.set(this, { url: new URL(String(args[1]), global.location?.href).href, sync: args[2] === false });
    Reflect.apply(open, this, args);
  };
  Xhr.prototype.send = function (this: XMLHttpRequest, body?: XMLHttpRequestBodyInit | null): void {
    const request = requests.get(this);
    const done = (): void => {
      if (!request) return;
      const loaded = bytesOf(this);
      const refused = this.status === 0;
      const progress: FileProgress = {
        kind: 'download',
        url: request.url,
        file: fileName(request.url),
        loaded,
        total: loaded,
        done: true,
        ...(refused ? { error: `the browser refused ${request.url} (CORS, or the server is unreachable)` } : {}),
      };
      for (const listener of listeners) listener(progress);
    };
    if (!request?.sync) {
      this.addEventListener('loadend', done, { once: true });
      Reflect.apply(send, this, [body]);
      return;
    }
    try {
      Reflect.apply(send, this, [body]);
    } finally {
      done();
    }
  };
  return unsubscribe;
}
