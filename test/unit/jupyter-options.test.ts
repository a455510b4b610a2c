// The pure parts of the remote runtime: Thebe's keys → runtime options, Binder build URLs, URLs
// pasted with a token, and cursor offsets between UTF-16 and Jupyter's code points.
import { describe, expect, test } from 'vitest';
import { thebeRuntimeOptions } from '../../src/embed/thebe-server';
import { buildUrl } from '../../src/runtime/jupyter/binder';
import { codePointsToUtf16, utf16ToCodePoints } from '../../src/runtime/jupyter/kernel-client';
import { checkServer, normalizeBaseUrl, splitTokenFromUrl } from '../../src/runtime/jupyter/server-check';

describe("Thebe's server keys", () => {
  test('serverSettings + kernelOptions.name → that server and kernel', () => {
    expect(
      thebeRuntimeOptions({
        requestKernel: true,
        serverSettings: { baseUrl: 'http://localhost:8888', token: 'abc', wsUrl: 'ws://localhost:8888', appendToken: true },
        kernelOptions: { name: 'python3' },
      }),
    ).toEqual({
      kind: 'jupyter',
      kernelName: 'python3',
      serverSettings: { baseUrl: 'http://localhost:8888', token: 'abc', wsUrl: 'ws://localhost:8888' },
    });
  });
  test('kernelOptions.serverSettings (older Thebe) and kernelOptions.kernelName are read too', () => {
    expect(
      thebeRuntimeOptions({ kernelOptions: { kernelName: 'ir', serverSettings: { baseUrl: 'https://hub.example.org/user/ada/' } } }),
    ).toEqual({
      kind: 'jupyter',
      kernelName: 'ir',
      serverSettings: { baseUrl: 'https://hub.example.org/user/ada/' },
    });
  });
  test('useBinder + binderOptions → a Binder build with its savedSession settings (either spelling)', () => {
    expect(
      thebeRuntimeOptions({
        useBinder: true,
        binderOptions: {
          repo: 'org/repo',
          ref: 'v1',
          binderUrl: 'https://binder.example.org',
          repoProvider: 'gitlab',
          savedSession: { enabled: false, maxAge: 60 },
        },
        serverSettings: { baseUrl: 'http://ignored' },
      }),
    ).toEqual({
      kind: 'jupyter',
      binderOptions: {
        repo: 'org/repo',
        ref: 'v1',
        binderUrl: 'https://binder.example.org',
        repoProvider: 'gitlab',
        savedSession: { enabled: false, maxAge: 60 },
      },
    });
    expect(thebeRuntimeOptions({ useBinder: true, binderOptions: { repo: 'a/b' }, savedSessions: { storagePrefix: 'x-' } })).toEqual({
      kind: 'jupyter',
      binderOptions: { repo: 'a/b', savedSession: { storagePrefix: 'x-' } },
    });
  });
  test('in the browser: useJupyterLite, no server named, binderOptions without useBinder, requestKernel alone', () => {
    expect(thebeRuntimeOptions({ useJupyterLite: true, serverSettings: { baseUrl: 'http://localhost:8888' } })).toBeUndefined();
    expect(thebeRuntimeOptions({ requestKernel: true, kernelOptions: { name: 'python3' } })).toBeUndefined();
    expect(thebeRuntimeOptions({ binderOptions: { repo: 'example/repo' } })).toBeUndefined();
    expect(thebeRuntimeOptions({ useBinder: true, binderOptions: {} })).toBeUndefined();
    expect(thebeRuntimeOptions({ serverSettings: { baseUrl: '' } })).toBeUndefined();
  });
});

describe('Binder build URLs (BinderHub /build/{provider}/{spec})', () => {
  test.each([
    [{ repo: 'binder-examples/requirements' }, 'https://mybinder.org/build/gh/binder-examples/requirements/HEAD'],
    [{ repo: 'https://github.com/org/repo.git', ref: 'main' }, 'https://mybinder.org/build/gh/org/repo/main'],
    [
      { repo: 'https://gitlab.com/group/project', ref: 'main', repoProvider: 'gitlab', binderUrl: 'https://hub.example.org/' },
      'https://hub.example.org/build/gl/https%3A%2F%2Fgitlab.com%2Fgroup%2Fproject/main',
    ],
    [
      { repo: 'https://example.org/x.git', ref: 'feature/y', repoProvider: 'git' },
      'https://mybinder.org/build/git/https%3A%2F%2Fexample.org%2Fx.git/feature%2Fy',
    ],
    [{ repo: 'ada/0123abcd', ref: 'HEAD', repoProvider: 'gist' }, 'https://mybinder.org/build/gist/ada/0123abcd/HEAD'],
    [{ repo: '10.5281/zenodo.3242074', repoProvider: 'zenodo' }, 'https://mybinder.org/build/zenodo/10.5281%2Fzenodo.3242074'],
  ])('%j → %s', (options, url) => {
    expect(buildUrl(options)).toBe(url);
  });
  test('an unknown provider says which ones exist', () => {
    expect(() => buildUrl({ repo: 'a/b', repoProvider: 'svn' })).toThrow(/Unknown Binder repoProvider 'svn': use one of github, gitlab/);
  });
});

describe('server URLs', () => {
  test('a URL from `jupyter server list` or a JupyterLab tab gives the base URL and the token', () => {
    expect(splitTokenFromUrl('http://127.0.0.1:8888/?token=abc123')).toEqual({ baseUrl: 'http://127.0.0.1:8888/', token: 'abc123' });
    expect(splitTokenFromUrl(' https://hub.example.org/user/ada/lab/tree/x.ipynb?token=t ')).toEqual({
      baseUrl: 'https://hub.example.org/user/ada/',
      token: 't',
    });
    expect(splitTokenFromUrl('http://localhost:8888')).toEqual({ baseUrl: 'http://localhost:8888/', token: undefined });
  });
  test('base URLs end in a slash and carry no query', () => {
    expect(normalizeBaseUrl('http://host:1/prefix?token=x#y')).toBe('http://host:1/prefix/');
  });
});

describe('cursor offsets', () => {
  test('UTF-16 units ↔ code points differ after astral characters only', () => {
    const code = 'a😀b𝔛c';
    expect(utf16ToCodePoints(code, code.length)).toBe(5);
    expect(utf16ToCodePoints(code, 3)).toBe(2);
    expect(codePointsToUtf16(code, 5)).toBe(code.length);
    expect(codePointsToUtf16(code, 3)).toBe(4);
    expect(codePointsToUtf16('plain', 3)).toBe(3);
  });
});

describe('server check answers', () => {
  test("a JupyterHub user server that is not running (424 since Hub 2.0, 503 before) says to start it; the token goes only to the server's api/status", async () => {
    for (const status of [424, 503]) {
      const asked: { url: string; auth: string | null }[] = [];
      const fetcher = async (url: RequestInfo | URL, init?: RequestInit) => {
        asked.push({ url: String(url), auth: new Headers(init?.headers).get('Authorization') });
        return new Response('{"message": "server not running"}', { status });
      };
      const error = await checkServer({ baseUrl: 'https://hub.example.org/user/ada', token: 'secret-1' }, fetcher).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ kind: 'unreachable' });
      expect(String(error)).toContain(
        `The Jupyter server at https://hub.example.org/user/ada/ is not running (HTTP ${status}). On JupyterHub, start it`,
      );
      expect(String(error)).not.toContain('secret-1');
      expect(asked).toEqual([{ url: 'https://hub.example.org/user/ada/api/status', auth: 'token secret-1' }]);
    }
  });
});
