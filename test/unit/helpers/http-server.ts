// A throwaway HTTP server on 127.0.0.1 for package tests: fixed routes, every request logged.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  base: string;
  requests: string[];
  close(): Promise<void>;
}

export async function serve(routes: Record<string, Uint8Array | string>): Promise<TestServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(path);
    const body = routes[path];
    // One connection per request. With keep-alive, Node's fetch (undici) may reuse a socket the
    // server is closing after its 5 s idle timeout, and the request fails with ECONNRESET: the
    // test process's event loop is often busy for longer than that running Pyodide on a loaded
    // machine. (Browsers resend on a stale pooled connection; undici does not.)
    if (body === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain', Connection: 'close' }).end('not found');
      return;
    }
    const type = typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/octet-stream';
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    res
      .writeHead(200, {
        'Content-Type': type,
        'Content-Length': bytes.length,
        'Access-Control-Allow-Origin': '*',
        'Cross-Origin-Resource-Policy': 'cross-origin',
        Connection: 'close',
      })
      .end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
