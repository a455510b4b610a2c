// Companion data files: declarations read from notebook metadata, and the fetch (network first,
// then the cached copy; sha256 checked; failures name the URL and the status) on a local server.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fetchCompanion } from '../../worker/workspace/companion';
import { notebookCompanionFiles, readCompanionFiles } from '../../src/workspace/companion';
import { serve, type TestServer } from './helpers/http-server';

const DATA = 'a,b\n1,2\n';
const HASH = createHash('sha256').update(DATA).digest('hex');

/** Cache Storage's contract in memory: what a worker has in browsers, absent under Node. */
function memoryCaches(): CacheStorage & { entries: Map<string, Uint8Array> } {
  const entries = new Map<string, Uint8Array>();
  const cache = {
    match: async (url: string) => (entries.has(url) ? new Response(entries.get(url)!.slice()) : undefined),
    put: async (url: string, response: Response) => void entries.set(url, new Uint8Array(await response.arrayBuffer())),
  };
  return { entries, open: async () => cache } as unknown as CacheStorage & { entries: Map<string, Uint8Array> };
}

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
    expect(readCompanionFiles({ path: 'x' }, 'https://a/', 'files').errors).toEqual(['files must be a list of { "path", "url", "sha256" } objects']);
    expect(notebookCompanionFiles({}, 'https://a/')).toEqual({ files: [], errors: [] });
  });
});

describe('fetching', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve({ '/data.csv': DATA });
  });
  afterAll(() => server.close());

  test('fetched and checked, then served from the cache when the network fails', async () => {
    const caches = memoryCaches();
    const file = { path: 'data.csv', url: `${server.base}/data.csv`, sha256: HASH };
    expect(new TextDecoder().decode(await fetchCompanion(file, caches))).toBe(DATA);
    expect(caches.entries.has(file.url)).toBe(true);
    await server.close();
    expect(new TextDecoder().decode(await fetchCompanion(file, caches))).toBe(DATA);
    server = await serve({});
  });

  test('a failed fetch names the URL and the HTTP status; a wrong sha256 is refused', async () => {
    const missing = { path: 'm.csv', url: `${server.base}/missing.csv` };
    await expect(fetchCompanion(missing, memoryCaches())).rejects.toThrow(`could not fetch ${server.base}/missing.csv for "m.csv": HTTP 404 Not Found`);
    const local = await serve({ '/data.csv': 'other bytes' });
    try {
      await expect(fetchCompanion({ path: 'd.csv', url: `${local.base}/data.csv`, sha256: HASH }, memoryCaches())).rejects.toThrow(
        `${local.base}/data.csv for "d.csv" does not match its sha256: expected ${HASH}, got ${createHash('sha256').update('other bytes').digest('hex')}`,
      );
    } finally {
      await local.close();
    }
  });
});
