// worker/xhr-downloads.ts: every XMLHttpRequest (HTTP from Python) is reported once it ends. The
// real browser path is in test/e2e/http.spec.ts; here a minimal XMLHttpRequest stands in for it.
import { describe, expect, test } from 'vitest';
import type { FileProgress } from '../../worker/downloads';
import { watchRequests } from '../../worker/xhr-downloads';

class FakeXhr extends EventTarget {
  status = 0;
  response: unknown = null;
  sent: unknown[] = [];
  open(_method: string, _url: string | URL, _async?: boolean): void {}
  send(body?: unknown): void {
    this.sent.push(body);
    if (String(body) === 'refuse') throw new Error('NetworkError');
    this.status = 200;
    this.response = new Uint8Array([1, 2, 3, 4, 5]).buffer;
    this.dispatchEvent(new Event('loadend'));
  }
}

function fakeGlobal(): typeof globalThis {
  return { XMLHttpRequest: FakeXhr, location: { href: 'http://app.test/notebook/' } } as unknown as typeof globalThis;
}

describe('watchRequests', () => {
  test('reports synchronous and asynchronous requests with their bytes, and refusals', () => {
    const global = fakeGlobal();
    const seen: FileProgress[] = [];
    const stop = watchRequests((p) => seen.push(p), global);
    const Xhr = global.XMLHttpRequest as unknown as typeof FakeXhr;
    const sync = new Xhr();
    sync.open('GET', 'data/table.csv?x=1', false);
    sync.send(null);
    const async = new Xhr();
    async.open('POST', 'https://api.test/items', true);
    async.send('body');
    const refused = new Xhr();
    refused.open('GET', 'https://elsewhere.test/file.bin', false);
    expect(() => refused.send('refuse')).toThrow('NetworkError');
    expect(seen).toEqual([
      { kind: 'download', url: 'http://app.test/notebook/data/table.csv?x=1', file: 'table.csv', loaded: 5, total: 5, done: true },
      { kind: 'download', url: 'https://api.test/items', file: 'items', loaded: 5, total: 5, done: true },
      {
        kind: 'download',
        url: 'https://elsewhere.test/file.bin',
        file: 'file.bin',
        loaded: 0,
        total: 0,
        done: true,
        error: 'the browser refused https://elsewhere.test/file.bin (CORS, or the server is unreachable)',
      },
    ]);
    stop();
    const after = new Xhr();
    after.open('GET', 'x', false);
    after.send(null);
    expect(seen).toHaveLength(3);
  });
});
