// @vitest-environment jsdom
// The option schema (src/shared/options.ts) and what is derived from it: the readers of pyloom.json
// and data-pyloom-config, a cell's data-timeout, createRuntime's check, and the README's table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { loadDeploymentConfig } from '../../src/app/config';
import { readCellTimeout, readConfig } from '../../src/embed/config';
import { createRuntime } from '../../src/runtime/runtime';
import { APP_OPTIONS, EMBED_OPTIONS, readJsonConfig, RUNTIME_OPTIONS } from '../../src/shared/options';

afterEach(() => vi.unstubAllGlobals());
const serve = (body: unknown) => vi.stubGlobal('fetch', async () => new Response(JSON.stringify(body), { status: 200 }));
const URL_ = 'http://x/pyloom.json';

function pageWithConfig(json: string): Document {
  const doc = document.implementation.createHTMLDocument('embed');
  const script = doc.createElement('script');
  script.type = 'application/json';
  script.setAttribute('data-pyloom-config', '');
  script.textContent = json;
  doc.head.append(script);
  return doc;
}

describe('pyloom.json', () => {
  test('every runtime key JSON can hold is read, with its type; code-only keys are not', async () => {
    const good = {
      indexURL: 'pyodide/',
      packageBaseUrl: 'mirror/',
      lockFileURL: 'mirror/lock.json',
      indexUrls: ['https://pypi.org/simple/'],
      pyloomWheelURL: 'pyloom.whl',
      streamIntervalMs: 20,
      streamMaxChars: 1000,
      maxOutputChars: 5000,
      snapshot: false,
      healthCheckTimeoutMs: 500,
      interruptGraceMs: 0,
      offline: false,
      isolation: 'credentialless',
    };
    serve(good);
    expect(await loadDeploymentConfig(URL_)).toEqual(good);
    serve({ workingDirectory: 'a' });
    await expect(loadDeploymentConfig(URL_)).rejects.toThrow(`pyloom.json (${URL_}): unknown key "workingDirectory"`);
  });

  test('a bad value names the file, the key, what it must be and what to write', async () => {
    serve({ streamIntervalMs: '50' });
    await expect(loadDeploymentConfig(URL_)).rejects.toThrow(
      `pyloom.json (${URL_}): streamIntervalMs must be a number of milliseconds, 0 or more (got "50"); write e.g. "streamIntervalMs": 50`,
    );
    serve({ streamMaxChars: 1.5, snapshot: 'no' });
    const both = loadDeploymentConfig(URL_);
    await expect(both).rejects.toThrow('streamMaxChars must be a whole number, 1 or more (got 1.5)');
    await expect(both).rejects.toThrow('snapshot must be true or false (got "no")');
    serve({ indexUrls: ['https://pypi.org/simple/', 3] });
    await expect(loadDeploymentConfig(URL_)).rejects.toThrow('write e.g. "indexUrls": ["https://pypi.org/simple/"]');
  });
});

describe('data-pyloom-config', () => {
  test('the embed keys with their defaults; runtime keys go to the runtime; Thebe server keys are left to the Thebe reader', () => {
    const warnings: string[] = [];
    const config = readConfig(
      pageWithConfig('{ "theme": "dark", "maxOutputChars": 100, "packageBaseUrl": "m/", "serverSettings": {} }'),
      (m) => warnings.push(m),
    );
    expect(config).toMatchObject({ theme: 'dark', trust: false, timeout: 0, autorun: false, selector: EMBED_OPTIONS.selector.default });
    expect(config.runtime).toEqual({ maxOutputChars: 100, packageBaseUrl: 'm/' });
    expect([...config.own]).toEqual(['theme']);
    expect(warnings).toEqual([]);
  });

  test('a bad value is reported with the key and what to write, and its default is used; the rest is kept', () => {
    const warnings: string[] = [];
    const config = readConfig(
      pageWithConfig('{ "theme": "blue", "timeout": -1, "trust": true, "indexUrls": "https://pypi.org/simple/", "autoRun": true }'),
      (m) => warnings.push(m),
    );
    expect(config.theme).toBe('light');
    expect(config.timeout).toBe(0);
    expect(config.trust).toBe(true);
    expect(config.runtime).toBeUndefined();
    expect(warnings).toEqual([
      'Pyloom: data-pyloom-config: theme must be one of "light", "dark", "auto" (got "blue"); write e.g. "theme": "light"; the default is used',
      'Pyloom: data-pyloom-config: timeout must be a number of seconds, 0 or more (got -1); write e.g. "timeout": 10; the default is used',
      'Pyloom: data-pyloom-config: indexUrls must be a list of URL strings (got "https://pypi.org/simple/"); write e.g. "indexUrls": ["https://pypi.org/simple/"]; the default is used',
      expect.stringContaining('Pyloom: data-pyloom-config: unknown key "autoRun" (known: '),
    ]);
    expect(warnings[3]).toContain('autorun');
    expect(warnings[3]).not.toContain('offline'); // pyloom.json's keys are not the embed's
  });

  test('files: companion data entries kept as written; a malformed list is reported and no files are fetched', () => {
    const warnings: string[] = [];
    const good = readConfig(
      pageWithConfig(
        '{ "files": [{ "path": "data/x.csv", "url": "x.csv" }, { "path": "y.json", "url": "https://e.org/y", "sha256": "' +
          'a'.repeat(64) +
          '" }] }',
      ),
      (m) => warnings.push(m),
    );
    expect(good.files).toEqual([
      { path: 'data/x.csv', url: 'x.csv' },
      { path: 'y.json', url: 'https://e.org/y', sha256: 'a'.repeat(64) },
    ]);
    expect(good.runtime).toBeUndefined();
    expect(readConfig(pageWithConfig('{}')).files).toEqual([]);
    expect(warnings).toEqual([]);
    const bad = readConfig(pageWithConfig('{ "files": [{ "path": "x.csv", "url": "x.csv", "sha256": "abc" }] }'), (m) => warnings.push(m));
    expect(bad.files).toEqual([]);
    expect(warnings).toEqual([
      expect.stringContaining('Pyloom: data-pyloom-config: files must be a list of {"path", "url", "sha256"} objects'),
    ]);
    expect(warnings[0]).toContain('write e.g. "files": [{"path": "data/iris.csv", "url": "data/iris.csv"}]');
  });

  test("a cell's data-timeout: seconds, absent, or a bad value reported with what to write", () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    expect(readCellTimeout('2.5', warn)).toBe(2.5);
    expect(readCellTimeout(null, warn)).toBeUndefined();
    expect(readCellTimeout('ten', warn)).toBeUndefined();
    expect(readCellTimeout('', warn)).toBeUndefined();
    expect(warnings).toEqual([
      `Pyloom: data-timeout must be a number of seconds, 0 or more (got "ten"); write e.g. data-timeout="10". The page's timeout is used`,
      `Pyloom: data-timeout must be a number of seconds, 0 or more (got ""); write e.g. data-timeout="10". The page's timeout is used`,
    ]);
  });
});

describe('createRuntime options', () => {
  test('a value of the wrong kind throws a TypeError naming the option, before any worker starts', () => {
    let workers = 0;
    const createWorker = () => {
      workers++;
      throw new Error('no worker in this test');
    };
    // @ts-expect-error a JavaScript caller's mistake, which the type check would have caught
    expect(() => createRuntime({ indexUrls: 'https://pypi.org/simple/', createWorker })).toThrow(
      new TypeError(
        'createRuntime option: indexUrls must be a list of URL strings (got "https://pypi.org/simple/"); write e.g. indexUrls: ["https://pypi.org/simple/"]',
      ),
    );
    expect(() => createRuntime({ interruptGraceMs: -5, createWorker })).toThrow(
      'createRuntime option: interruptGraceMs must be a number of milliseconds, 0 or more (got -5)',
    );
    expect(workers).toBe(0);
    // A function for workspaceWritable is the code-only form, not a bad value.
    expect(() => createRuntime({ workspaceWritable: () => true, createWorker })).toThrow('no worker in this test');
    expect(workers).toBe(1);
  });
});

describe('the schema', () => {
  test('every default is a value its own check accepts, and every example parses to one', () => {
    for (const [key, option] of Object.entries({ ...RUNTIME_OPTIONS, ...APP_OPTIONS, ...EMBED_OPTIONS })) {
      if (option.default !== undefined) expect(option.read(option.default), key).toEqual(option.default);
      expect(option.read(JSON.parse(option.example)), key).not.toBeUndefined();
    }
  });

  test('readJsonConfig keeps only the keys the named source may set', () => {
    const { values, errors } = readJsonConfig({ ...RUNTIME_OPTIONS, ...APP_OPTIONS }, { offline: true }, 'data-pyloom-config', 'here');
    expect(values).toEqual({});
    expect(errors).toEqual([expect.stringMatching(/^here: unknown key "offline"/)]);
  });

  test("the README's option table lists every runtime key with the schema's default", () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    for (const [key, option] of Object.entries(RUNTIME_OPTIONS)) {
      const row = readme.split('\n').find((line) => line.startsWith('| ') && line.includes(`\`${key}\``));
      expect(row, `README has no option row for ${key}`).toBeDefined();
      const n = option.default;
      if (typeof n === 'number')
        expect(
          [String(n), n.toLocaleString('en-US')].some((text) => row!.includes(text)),
          `${key} default ${n}`,
        ).toBe(true);
      else if (typeof n === 'boolean') expect(row, key).toContain(`\`${n}\``);
    }
  });
});
