// A small stand-in for BinderHub's build API: `GET /build/{provider}/{spec}` answers with the
// documented event stream (phases and log lines, then `ready` with a server's url and token, or
// `failed`). The server it hands over is a real Jupyter Server the test started.
import { createServer, type Server } from 'node:http';

export interface FakeBinderHub {
  url: string;
  /** Build paths requested so far, e.g. `/build/gh/pyloom/demo/main`. */
  builds: string[];
  stop(): Promise<void>;
}

const BUILD_LOG = ['Step 1/3 : FROM python:3.11', 'Step 2/3 : RUN pip install -r requirements.txt', 'Successfully built 0123abcd'];

/** Serve on `port`; a repo whose name contains `broken` fails with an error in its log. */
export function startFakeBinderHub(port: number, server: { url: string; token: string }): Promise<FakeBinderHub> {
  const builds: string[] = [];
  const http: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0]!;
    const cors = { 'Access-Control-Allow-Origin': request.headers.origin ?? '*', 'Access-Control-Allow-Headers': 'accept' };
    if (request.method === 'OPTIONS') return void response.writeHead(204, cors).end();
    if (!path.startsWith('/build/')) return void response.writeHead(404, cors).end('not found');
    builds.push(path);
    response.writeHead(200, { ...cors, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const send = (event: Record<string, unknown>) => response.write(`data: ${JSON.stringify(event)}\n\n`);
    response.write(': keep-alive\n\n');
    send({ phase: 'waiting', message: 'Waiting for build to start...\n' });
    send({ phase: 'fetching', message: `Fetching ${path}...\n` });
    for (const line of BUILD_LOG) send({ phase: 'building', message: `${line}\n` });
    if (path.includes('broken')) {
      send({ phase: 'building', message: 'ERROR: Could not find a version that satisfies the requirement nosuchpackage==9.9\n' });
      send({ phase: 'failed', message: 'Build failed with exit code 1\n' });
    } else {
      send({ phase: 'built', message: 'Built image, launching...\n' });
      send({ phase: 'launching', message: 'Launching server...\n' });
      send({
        phase: 'ready',
        message: `server running at ${server.url}\n`,
        url: server.url,
        token: server.token,
        image: 'pyloom-demo:latest',
        repo_url: 'https://github.com/pyloom/demo',
      });
    }
    response.end();
  });
  return new Promise((resolve) =>
    http.listen(port, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${port}`, builds, stop: () => new Promise<void>((done) => http.close(() => done())) }),
    ),
  );
}
