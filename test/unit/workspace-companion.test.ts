// Companion data files: declarations read from notebook metadata and a cell's data-files, and the
// worker's fetch (the Accept marker the service worker caches by; sha256 checked; failures name
// the URL and the status) on a local server.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fetchCompanion } from '../../worker/workspace/companion';
import { COMPANION_ACCEPT, notebookCompanionFiles, readCompanionFiles, readDataFilesAttribute } from '../../src/workspace/companion';
import { serve, type TestServer } from './helpers/http-server';

const DATA = 'a,b\n1,2\n';
const HASH = createHash('sha256').update(DATA).digest('hex');

describe('declarations', () => {
  test('pyloom.files entries are resolved against the page; bad entries are reported, not fetched', () => {
    const { files, errors } = notebookCompanionFiles(
      {
        pyloom: {
          files: [
            { path: 'data/x.csv', url: 'data/x.csv', sha256: HASH },
            { path: 'y.json', url: 'https://example.org/y.json' },
            { path: 'z.csv' },
            { path: 'w.csv', url: 'w.csv', sha256: 'abc' },
          ],
        },
      },
      'https://docs.example.org/book/page.html',
    );
    expect(files).toEqual([
      { path: 'data/x.csv', url: 'https://docs.example.org/book/data/x.csv', sha256: HASH },
      { path: 'y.json', url: 'https://example.org/y.json' },
    ]);
    expect(errors).toEqual([
      'metadata.pyloom.files[2] ignored: it needs a "path" and a "url"',
      'metadata.pyloom.files[3] (w.csv) ignored: "sha256" must be 64 hexadecimal digits',
    ]);
    expect(readCompanionFiles({ path: 'x' }, 'https://a/', 'files').errors).toEqual([
      'files must be a list of { "path", "url", "sha256" } objects',
    ]);
    expect(notebookCompanionFiles({}, 'https://a/')).toEqual({ files: [], errors: [] });
  });
});

describe("a cell's data-files attribute", () => {
  const base = 'https://docs.example.org/book/page.html';
  test('a JSON list of {path, url, sha256?} resolved against the page; absent or blank gives nothing', () => {
    expect(readDataFilesAttribute(`[{"path": "d/x.csv", "url": "x.csv", "sha256": "${HASH}"}]`, base)).toEqual({
      files: [{ path: 'd/x.csv', url: 'https://docs.example.org/book/x.csv', sha256: HASH }],
      errors: [],
    });
    expect(readDataFilesAttribute(null, base)).toEqual({ files: [], errors: [] });
    expect(readDataFilesAttribute('  ', base)).toEqual({ files: [], errors: [] });
  });

  test('text that is not JSON, a non-list and bad entries each say what is wrong and how to write it', () => {
    const notJson = readDataFilesAttribute('x.csv=https://e.org/x.csv', base);
    expect(notJson.files).toEqual([]);
    expect(notJson.errors).toHaveLength(1);
    expect(notJson.errors[0]).toMatch(
      /^data-files is not a JSON list \(.+\); write e\.g\. data-files='\[\{"path": "data\/iris\.csv", "url": "iris\.csv"/,
    );
    expect(readDataFilesAttribute('{"path": "x", "url": "y"}', base).errors).toEqual([
      `data-files must be a JSON list of {"path", "url", "sha256"} objects; write e.g. data-files='[{"path": "data/iris.csv", "url": "iris.csv", "sha256": "…"}]'`,
    ]);
    const mixed = readDataFilesAttribute('[{"path": "a.csv", "url": "a.csv"}, {"url": "b.csv"}]', base);
    expect(mixed.files).toEqual([{ path: 'a.csv', url: 'https://docs.example.org/book/a.csv' }]);
    expect(mixed.errors).toEqual(['data-files[1] ignored: it needs a "path" and a "url"']);
  });
});

describe('fetching', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve({ '/data.csv': DATA });
  });
  afterAll(() => server.close());

  test('fetched with the Accept marker the service worker keeps copies by (a safelisted header: no preflight), and checked', async () => {
    const accepts: (string | undefined)[] = [];
    const local = createServer((req, res) => {
      accepts.push(req.headers.accept);
      res.writeHead(200, { Connection: 'close' }).end(DATA);
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(local.address() as AddressInfo).port}/data.csv`;
      expect(new TextDecoder().decode(await fetchCompanion({ path: 'data.csv', url, sha256: HASH }))).toBe(DATA);
      expect(accepts).toEqual([COMPANION_ACCEPT]);
    } finally {
      await new Promise<void>((resolve) => local.close(() => resolve()));
    }
    // The service worker recognises the same marker (it shares no run-time code with this module).
    const marker = /const COMPANION_ACCEPT = '([^']+)'/.exec(readFileSync('src/offline/sw.ts', 'utf8'))?.[1];
    expect(marker).toBeDefined();
    expect(COMPANION_ACCEPT).toContain(marker!);
    expect(COMPANION_ACCEPT).not.toMatch(/["():<>?@[\\\]{}\x00-\x08\x0a-\x1f\x7f]/); // CORS-unsafe request-header bytes
  });

  test('with no network and no service worker copy, the message names the URL and says why', async () => {
    const { base } = server;
    await server.close();
    await expect(fetchCompanion({ path: 'data.csv', url: `${base}/data.csv` })).rejects.toThrow(
      new RegExp(`^could not fetch ${base.replace(/\./g, '\\.')}/data\\.csv for "data\\.csv": .*not kept by Pyloom's service worker`),
    );
    server = await serve({});
  });

  test('a failed fetch names the URL and the HTTP status; a wrong sha256 is refused', async () => {
    const missing = { path: 'm.csv', url: `${server.base}/missing.csv` };
    await expect(fetchCompanion(missing)).rejects.toThrow(`could not fetch ${server.base}/missing.csv for "m.csv": HTTP 404 Not Found`);
    const local = await serve({ '/data.csv': 'other bytes' });
    try {
      await expect(fetchCompanion({ path: 'd.csv', url: `${local.base}/data.csv`, sha256: HASH })).rejects.toThrow(
        `${local.base}/data.csv for "d.csv" does not match its sha256: expected ${HASH}, got ${createHash('sha256').update('other bytes').digest('hex')}`,
      );
    } finally {
      await local.close();
    }
  });
});
