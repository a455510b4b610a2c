// HTTP from Python in Chromium: urllib over the worker's synchronous XMLHttpRequest (pyloom.http)
// against a local server: GET, POST, binary bodies, redirects, byte progress, and a server that
// refuses CORS.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { sharedWheel } from '../unit/helpers/shared-wheels';

const BINARY = new Uint8Array(Array.from({ length: 1024 }, (_, i) => (i * 7) % 256));
const CSV = 'name,value\nalpha,1\nbeta,2\n';

let server: Server;
let base = '';
const seen: { method: string; path: string; contentType?: string }[] = [];

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

test.beforeAll(async () => {
  server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    seen.push({ method: req.method ?? '', path, ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}) });
    const cors = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };
    if (req.method === 'OPTIONS') {
      res
        .writeHead(204, {
          ...cors,
          'Access-Control-Allow-Methods': 'GET, POST, PUT',
          'Access-Control-Allow-Headers': 'Content-Type, X-Token',
        })
        .end();
      return;
    }
    if (path === '/data.csv') res.writeHead(200, { ...cors, 'Content-Type': 'text/csv' }).end(CSV);
    else if (path === '/binary') res.writeHead(200, { ...cors, 'Content-Type': 'application/octet-stream' }).end(BINARY);
    else if (path === '/redirect') res.writeHead(302, { ...cors, Location: '/data.csv' }).end();
    else if (path === '/missing') res.writeHead(404, { ...cors, 'Content-Type': 'text/plain' }).end('no such thing');
    else if (path === '/echo') {
      const received = await body(req);
      res.writeHead(200, { ...cors, 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          method: req.method,
          contentType: req.headers['content-type'],
          token: req.headers['x-token'],
          body: received.toString('utf8'),
        }),
      );
    } else if (path === '/no-cors') res.writeHead(200, { 'Content-Type': 'text/plain' }).end('you may not read this');
    else res.writeHead(404, cors).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test.beforeEach(async ({ page }) => {
  await page.goto('/test/e2e/pages/harness.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
});

test('urllib GET and POST, binary bodies, redirects and HTTP errors through the worker', async ({ page }) => {
  const result = await page.evaluate(async (base) => {
    const runtime = window.pyloom.createRuntime();
    await runtime.ready;
    const progress: { file: string; loaded: number; done: boolean; executionId: number | null }[] = [];
    const text = (reply: Awaited<ReturnType<typeof runtime.execute>>) =>
      reply.outputs
        .map((o) =>
          o.output_type === 'execute_result' ? o.data['text/plain'] : o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : '',
        )
        .join('');
    const get = await runtime.execute(
      `import urllib.request\nwith urllib.request.urlopen("${base}/data.csv") as r:\n    body = r.read().decode()\nr.status, r.headers["Content-Type"], body`,
      {
        onProgress: (p) => progress.push({ file: p.file, loaded: p.loaded, done: p.done, executionId: p.executionId }),
      },
    );
    const sameOrigin = await runtime.execute(`urllib.request.urlopen("${location.origin}/test/e2e/pages/harness.html").read()[:15]`);
    const post = await runtime.execute(
      `import json\nreq = urllib.request.Request("${base}/echo", data=json.dumps({"n": 1}).encode(), headers={"Content-Type": "application/json", "X-Token": "abc"}, method="POST")\nd = json.loads(urllib.request.urlopen(req).read())\nd["method"], d["contentType"], d["token"], d["body"]`,
    );
    const binary = await runtime.execute(
      `data = urllib.request.urlopen("${base}/binary").read()\nlen(data), data == bytes((i * 7) % 256 for i in range(1024))`,
    );
    const redirect = await runtime.execute(`r = urllib.request.urlopen("${base}/redirect")\nr.status, r.read().decode().splitlines()[0]`);
    const missing = await runtime.execute(
      `import urllib.error\ntry:\n    urllib.request.urlopen("${base}/missing")\nexcept urllib.error.HTTPError as e:\n    result = (e.code, e.read().decode())\nresult`,
    );
    const client = await runtime.execute(
      `import http.client\nc = http.client.HTTPConnection("${base.replace('http://', '')}")\nc.request("HEAD", "/data.csv")\nresp = c.getresponse()\nresp.status, resp.read()`,
    );
    runtime.dispose();
    return {
      get: text(get),
      getId: get.executionCount,
      sameOrigin: text(sameOrigin),
      post: text(post),
      binary: text(binary),
      redirect: text(redirect),
      missing: text(missing),
      client: text(client),
      progress,
    };
  }, base);
  expect(result.get).toBe(`(200, 'text/csv', '${CSV.replace(/\n/g, '\\n')}')`);
  expect(result.sameOrigin).toBe("b'<!doctype html>'");
  expect(result.post).toBe(`('POST', 'application/json', 'abc', '{"n": 1}')`);
  expect(result.binary).toBe('(1024, True)');
  expect(result.redirect).toBe("(200, 'name,value')");
  expect(result.missing).toBe("(404, 'no such thing')");
  expect(result.client).toBe("(200, b'')");
  // The download shows in the cell's byte progress.
  expect(result.progress).toContainEqual({ file: 'data.csv', loaded: CSV.length, done: true, executionId: expect.any(Number) });
  expect(seen.filter((r) => r.path === '/echo' && r.method === 'POST')).toEqual([
    { method: 'POST', path: '/echo', contentType: 'application/json' },
  ]);
});

test('a server that refuses CORS gives an error naming CORS and the URL', async ({ page }) => {
  const reply = await page.evaluate(async (base) => {
    const runtime = window.pyloom.createRuntime();
    const reply = await runtime.execute(`import urllib.request\nurllib.request.urlopen("${base}/no-cors").read()`);
    runtime.dispose();
    return reply;
  }, base);
  expect(reply.status).toBe('error');
  const error = reply.outputs.find((o) => o.output_type === 'error');
  expect(error).toMatchObject({ ename: 'URLError' });
  const evalue = error && error.output_type === 'error' ? error.evalue : '';
  expect(evalue).toContain(`GET ${base}/no-cors was refused by the browser`);
  expect(evalue).toContain('CORS');
  expect(evalue).toContain('Access-Control-Allow-Origin');
  expect(evalue).not.toContain('RemoteDisconnected');
});

test('requests through the worker', async ({ page }) => {
  // requests and its dependencies, served from ../shared/wheels as a package index when present.
  const names = ['requests-', 'urllib3-', 'idna-', 'charset_normalizer-', 'certifi-'];
  const wheels = names.map((prefix) => sharedWheel(prefix));
  const missing = names.filter((_, i) => !wheels[i]).map((n) => n.slice(0, -1));
  test.skip(missing.length > 0, `no ${missing.join(', ')} wheel in ../shared/wheels, and no package index offline`);
  const index = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const headers = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };
    const wheel = wheels.find((w) => w && path === `/files/${w.fileName}`);
    const project = /^\/simple\/([^/]+)\/$/.exec(path)?.[1];
    const listed = wheels.filter((w) => w && project && w.fileName.toLowerCase().replace(/_/g, '-').startsWith(`${project}-`));
    if (wheel) res.writeHead(200, headers).end(wheel.bytes);
    else if (listed.length)
      res
        .writeHead(200, { ...headers, 'Content-Type': 'text/html' })
        .end(listed.map((w) => `<a href="../../files/${w!.fileName}#sha256=${w!.sha256}">${w!.fileName}</a>`).join('\n'));
    else res.writeHead(404, headers).end();
  });
  await new Promise<void>((resolve) => index.listen(0, '127.0.0.1', resolve));
  const indexBase = `http://127.0.0.1:${(index.address() as AddressInfo).port}`;
  try {
    const reply = await page.evaluate(
      async ({ base, indexBase }) => {
        const runtime = window.pyloom.createRuntime({ indexUrls: [`${indexBase}/simple/`] });
        const reply = await runtime.execute(`import requests\nr = requests.get("${base}/data.csv")\nr.status_code, r.text.splitlines()[0]`);
        runtime.dispose();
        return reply;
      },
      { base, indexBase },
    );
    expect(reply.outputs.at(-1)).toMatchObject({ data: { 'text/plain': "(200, 'name,value')" } });
  } finally {
    await new Promise<void>((resolve) => index.close(() => resolve()));
  }
});
