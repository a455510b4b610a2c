// Package loading on real Pyodide (Node) with real wheels built here, served on 127.0.0.1:
// auto-load from imports (lock and index), %pip, dependencies, progress, refusals, errors.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DownloadProgress, ErrorOutput } from '../../src/protocol';
import { bootNodeKernel, PYODIDE_DIR } from './helpers/node-kernel';
import { closedPort, serve, type TestServer } from './helpers/http-server';
import { buildTestPackages, lockEntries, type TestPackage } from './helpers/test-wheels';
import {
  TOOLS_MISSING as SHARED_WHEELS_MISSING,
  toolLockEntry as sharedLockEntry,
  toolWheel as sharedWheel,
} from './helpers/install-tools';

// micropip and packaging (installs go through them) are the genuine wheels from ../shared/wheels,
// served here and named in each test lock; tests that install skip with the reason without them.
const tools = SHARED_WHEELS_MISSING ? [] : [sharedWheel('micropip')!, sharedWheel('packaging')!];
const needsTools = SHARED_WHEELS_MISSING ? ` (skipped: ${SHARED_WHEELS_MISSING})` : '';
const installTest = test.skipIf(SHARED_WHEELS_MISSING !== undefined);

const pinnedLock = JSON.parse(readFileSync(join(PYODIDE_DIR, 'pyodide-lock.json'), 'utf8')) as {
  info: object;
  packages: Record<string, object>;
};
const { a, b } = buildTestPackages();
const dir = mkdtempSync(join(tmpdir(), 'pyloom-packages-'));

/** The pinned lock plus entries for the test packages (a custom lock, as micropip.freeze makes). */
function lockWith(packages: TestPackage[], name: string, tamper: (entries: Record<string, object>) => void = () => undefined): string {
  const entries = lockEntries(packages);
  tamper(entries);
  for (const tool of tools) entries[tool.name] = sharedLockEntry(tool); // served from /mirror/
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...pinnedLock, packages: { ...pinnedLock.packages, ...entries } }));
  return path;
}

function simpleIndex(files: { pkg: TestPackage; sha?: string }[]): Record<string, string> {
  const pages: Record<string, string[]> = {};
  for (const { pkg, sha } of files) {
    (pages[`/simple/${pkg.name}/`] ??= []).push(
      `<a href="../../files/${pkg.wheel.fileName}#sha256=${sha ?? pkg.wheel.sha256}">${pkg.wheel.fileName}</a>`,
    );
  }
  return Object.fromEntries(
    Object.entries(pages).map(([path, links]) => [path, `<!DOCTYPE html><html><body>${links.join('\n')}</body></html>`]),
  );
}

const errorText = (outputs: unknown[]): string =>
  outputs
    .filter((o): o is ErrorOutput => (o as ErrorOutput).output_type === 'error')
    .map((o) => o.traceback.join('\n').replace(/\x1b\[[0-9;]*m/g, ''))
    .join('\n');
const stdoutText = (outputs: unknown[]): string =>
  outputs.map((o) => ((o as { output_type: string }).output_type === 'stream' ? (o as { text: string }).text : '')).join('');

let server: TestServer;
beforeAll(async () => {
  server = await serve({
    ...Object.fromEntries(tools.map((tool) => [`/mirror/${tool.fileName}`, tool.bytes])),
    [`/mirror/${a.wheel.fileName}`]: a.wheel.bytes,
    [`/mirror/${b.wheel.fileName}`]: b.wheel.bytes,
    // A mirror whose copy of a is not the file the lock describes.
    [`/tampered/${a.wheel.fileName}`]: b.wheel.bytes,
    [`/tampered/${b.wheel.fileName}`]: b.wheel.bytes,
    [`/files/${a.wheel.fileName}`]: a.wheel.bytes,
    [`/files/${b.wheel.fileName}`]: b.wheel.bytes,
    ...simpleIndex([{ pkg: a }, { pkg: b }]),
    '/badindex/pyloom-test-a/': `<a href="../../files/${a.wheel.fileName}#sha256=${'0'.repeat(64)}">${a.wheel.fileName}</a>`,
    '/badindex/pyloom-test-b/': `<a href="../../files/${b.wheel.fileName}#sha256=${b.wheel.sha256}">${b.wheel.fileName}</a>`,
    '/binindex/fastlib/':
      '<a href="../../files/fastlib-1.0-cp312-cp312-manylinux_2_17_x86_64.whl">fastlib-1.0-cp312-cp312-manylinux_2_17_x86_64.whl</a>',
  });
});
afterAll(() => server.close());

describe('from a mirror of lock packages', () => {
  test('an import loads the package and its dependency before the cell runs, with progress', async () => {
    const kernel = await bootNodeKernel({ lockFileURL: lockWith([a, b], 'mirror'), packageBaseUrl: `${server.base}/mirror/` });
    const start = performance.now();
    const reply = await kernel.run('import pyloom_test_a\npyloom_test_a.answer()');
    const elapsed = performance.now() - start;
    expect(errorText(reply.outputs)).toBe('');
    expect(reply.outputs).toEqual([{ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '42' }, metadata: {} }]);
    expect(server.requests).toEqual(expect.arrayContaining([`/mirror/${a.wheel.fileName}`, `/mirror/${b.wheel.fileName}`]));
    const downloads = kernel.events.flatMap((e) => (e.type === 'progress' && e.progress.kind === 'download' ? [e.progress] : []));
    const finals = downloads.filter((d) => d.done);
    expect(finals.map((d) => d.file).sort()).toEqual([a.wheel.fileName, b.wheel.fileName].sort());
    for (const d of finals) {
      const size = (d.file === a.wheel.fileName ? a : b).wheel.bytes.length;
      expect([d.loaded, d.total, d.executionId]).toEqual([size, size, 1]);
    }
    expect(
      finals.some((d: DownloadProgress) => d.overall.done === 2 && d.overall.loaded === a.wheel.bytes.length + b.wheel.bytes.length),
    ).toBe(true);
    console.info(`loading the 2 test packages from the local mirror, import included: ${elapsed.toFixed(0)} ms`);

    // Already loaded: nothing is fetched again.
    const before = server.requests.length;
    await kernel.run('import pyloom_test_a, pyloom_test_b');
    expect(server.requests.length).toBe(before);
  });

  installTest(`%pip install of a lock package, %pip list, and installPackages${needsTools}`, async () => {
    const kernel = await bootNodeKernel({ lockFileURL: lockWith([a, b], 'pip-lock'), packageBaseUrl: `${server.base}/mirror/` });
    const pip = await kernel.run('%pip install pyloom-test-b\nimport pyloom_test_b\npyloom_test_b.VALUE');
    expect(errorText(pip.outputs)).toBe('');
    expect(stdoutText(pip.outputs)).toContain('Successfully installed pyloom-test-b');
    expect(pip.outputs.at(-1)).toMatchObject({ data: { 'text/plain': '21' } });
    const again = await kernel.run('%pip install pyloom-test-b');
    expect(stdoutText(again.outputs)).toContain('Requirement already satisfied: pyloom-test-b');
    expect(await kernel.api.installPackages(['pyloom-test-a'])).toEqual({ status: 'ok', installed: ['pyloom-test-a'] });
    const list = await kernel.run('%pip list');
    expect(stdoutText(list.outputs)).toMatch(/pyloom-test-a\s+2\.0\.0/);
    const pinned = await kernel.api.installPackages(['pyloom-test-b==9.9']);
    expect(pinned).toEqual({ status: 'error', message: expect.stringContaining('pyloom-test-b==9.9 cannot be met') });
  });

  test('a file that does not match the lock sha256 is refused, never loaded', async () => {
    const kernel = await bootNodeKernel({ lockFileURL: lockWith([a, b], 'tampered'), packageBaseUrl: `${server.base}/tampered/` });
    const reply = await kernel.run('import pyloom_test_a');
    expect(reply.status).toBe('error');
    const text = errorText(reply.outputs);
    expect(text).toContain("ModuleNotFoundError: No module named 'pyloom_test_a'");
    expect(text).toMatch(
      /could not load pyloom-test-a.*refused pyloom_test_a-2\.0\.0-py3-none-any\.whl: its sha256 is [0-9a-f]{64}, the lock file says [0-9a-f]{64}/s,
    );
    const check = await kernel.run('import importlib.util\nimportlib.util.find_spec("pyloom_test_a") is None');
    expect(check.outputs.at(-1)).toMatchObject({ data: { 'text/plain': 'True' } });
  });

  test('a missing file (404) and an unreachable mirror say so', async () => {
    const missing = await bootNodeKernel({ lockFileURL: lockWith([a, b], 'missing'), packageBaseUrl: `${server.base}/nothing-here/` });
    const text404 = errorText((await missing.run('import pyloom_test_b')).outputs);
    expect(text404).toMatch(/could not load pyloom-test-b/);
    expect(text404).toContain(`HTTP 404 Not Found from ${server.base}/nothing-here/${b.wheel.fileName}`);
    expect(text404).toContain('packageBaseUrl');

    const port = await closedPort();
    const down = await bootNodeKernel({ lockFileURL: lockWith([a, b], 'down'), packageBaseUrl: `http://127.0.0.1:${port}/` });
    const textDown = errorText((await down.run('import pyloom_test_b')).outputs);
    expect(textDown).toMatch(/could not load pyloom-test-b/);
    expect(textDown).toContain(`127.0.0.1:${port}`);
  });
});

describe('from a package index (pure-Python wheels not in the lock)', () => {
  installTest(`%pip install resolves dependencies from the index (micropip)${needsTools}`, async () => {
    const kernel = await bootNodeKernel({
      indexUrls: [`${server.base}/simple/`],
      lockFileURL: lockWith([], 'index-pip'),
      packageBaseUrl: `${server.base}/mirror/`,
    });
    const start = performance.now();
    const reply = await kernel.run('%pip install pyloom-test-a==2.0.0\nimport pyloom_test_a\npyloom_test_a.answer()');
    const elapsed = performance.now() - start;
    expect(errorText(reply.outputs)).toBe('');
    expect(stdoutText(reply.outputs)).toContain('Successfully installed pyloom-test-a, pyloom-test-b');
    expect(reply.outputs.at(-1)).toMatchObject({ data: { 'text/plain': '42' } });
    console.info(`%pip install of the 2 test packages from the local index: ${elapsed.toFixed(0)} ms`);
  });

  installTest(`an import of a package the lock does not know is installed from the index${needsTools}`, async () => {
    const kernel = await bootNodeKernel({
      indexUrls: [`${server.base}/simple/`],
      lockFileURL: lockWith([], 'index-import'),
      packageBaseUrl: `${server.base}/mirror/`,
    });
    const reply = await kernel.run('import pyloom_test_b\npyloom_test_b.VALUE');
    expect(errorText(reply.outputs)).toBe('');
    expect(reply.outputs.at(-1)).toMatchObject({ data: { 'text/plain': '21' } });
  });

  installTest(
    `refusals and errors a user can act on${needsTools}`,
    async () => {
      const lockFileURL = lockWith([], 'refusals');
      const packageBaseUrl = `${server.base}/mirror/`;
      const kernel = await bootNodeKernel({ indexUrls: [`${server.base}/badindex/`], lockFileURL, packageBaseUrl });
      const bad = await kernel.api.installPackages(['pyloom-test-a']);
      expect(bad).toEqual({
        status: 'error',
        message: expect.stringMatching(/refused a wheel for pyloom-test-a: its sha256 is [0-9a-f]{64}, the index says 0{64}/),
      });
      const gone = await kernel.run('import importlib.util\nimportlib.util.find_spec("pyloom_test_a") is None');
      expect(gone.outputs.at(-1)).toMatchObject({ data: { 'text/plain': 'True' } });

      const unknown = await kernel.run('%pip install no-such-package');
      expect(errorText(unknown.outputs)).toMatch(
        /'no-such-package' \(no-such-package\) is not in Pyodide 314\.0\.\d+ and no pure-Python wheel was found on http:\/\/127\.0\.0\.1:\d+\/badindex\/; see https:\/\/pyodide\.org/,
      );
      const binary = await bootNodeKernel({ indexUrls: [`${server.base}/binindex/`], lockFileURL, packageBaseUrl });
      const compiled = await binary.api.installPackages(['fastlib']);
      expect(compiled).toEqual({ status: 'error', message: expect.stringContaining('only wheels compiled for other platforms') });

      const noIndex = await bootNodeKernel({ lockFileURL, packageBaseUrl });
      const importFails = await noIndex.run('import pyloom_test_b');
      expect(errorText(importFails.outputs)).toContain("ModuleNotFoundError: No module named 'pyloom_test_b'");
      expect((await noIndex.api.installPackages(['pyloom-test-b'])).status).toBe('error');

      const port = await closedPort();
      const down = await bootNodeKernel({ indexUrls: [`http://127.0.0.1:${port}/simple/`], lockFileURL, packageBaseUrl });
      expect(await down.api.installPackages(['pyloom-test-b'])).toEqual({
        status: 'error',
        message: expect.stringContaining(`could not reach http://127.0.0.1:${port}/simple/pyloom-test-b/`),
      });
    },
    300_000,
  ); // four kernels boot in this test
});
