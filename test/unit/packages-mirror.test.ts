// `npm run packages:mirror` against a local server: resolution, sha256, failures, exit codes.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { closedPort, serve, type TestServer } from './helpers/http-server';
import { PYODIDE_DIR } from './helpers/node-kernel';
import { buildTestPackages, lockEntries } from './helpers/test-wheels';

const { a, b } = buildTestPackages();
const dir = mkdtempSync(join(tmpdir(), 'pyloom-mirror-'));
const lock = join(dir, 'lock.json');
writeFileSync(lock, JSON.stringify({ info: JSON.parse(readFileSync(join(PYODIDE_DIR, 'pyodide-lock.json'), 'utf8')).info, packages: lockEntries([a, b]) }));

function mirror(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['python-packages/mirror.mjs', ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

let server: TestServer;
beforeAll(async () => {
  server = await serve({
    [`/good/${a.wheel.fileName}`]: a.wheel.bytes,
    [`/good/${b.wheel.fileName}`]: b.wheel.bytes,
    [`/bad/${a.wheel.fileName}`]: a.wheel.bytes,
    [`/bad/${b.wheel.fileName}`]: a.wheel.bytes, // not the file the lock describes
    [`/half/${a.wheel.fileName}`]: a.wheel.bytes,
  });
});
afterAll(() => server.close());

test('mirrors a package and its dependency, checked, with the lock beside them; a rerun skips them', async () => {
  const out = join(dir, 'out-good');
  const run = await mirror('--lock', lock, '--from', `${server.base}/good/`, '--out', out, 'pyloom-test-a');
  expect(run.code).toBe(0);
  expect(readFileSync(join(out, a.wheel.fileName))).toEqual(Buffer.from(a.wheel.bytes));
  expect(readFileSync(join(out, b.wheel.fileName))).toEqual(Buffer.from(b.wheel.bytes));
  expect(JSON.parse(readFileSync(join(out, 'pyodide-lock.json'), 'utf8')).packages['pyloom-test-a'].sha256).toBe(a.wheel.sha256);
  expect(run.stdout).toMatch(new RegExp(`mirrored 2 files \\(2 downloaded, [0-9.]+ MB\\) into ${out}`));
  const requests = server.requests.length;
  const again = await mirror('--lock', lock, '--from', `${server.base}/good/`, '--out', out, 'pyloom_test_a'); // by import name
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('(already there)');
  expect(server.requests.length).toBe(requests);
});

test('a file whose sha256 differs from the lock is refused and not written', async () => {
  const out = join(dir, 'out-bad');
  const run = await mirror('--lock', lock, '--from', `${server.base}/bad/`, '--out', out, 'pyloom-test-a');
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(new RegExp(`refused ${b.wheel.fileName.replace(/\./g, '\\.')}: its sha256 is [0-9a-f]{64}, the lock file says ${b.wheel.sha256}`));
  expect(existsSync(join(out, b.wheel.fileName))).toBe(false);
  expect(readdirSync(out).filter((f) => f.endsWith('.partial'))).toEqual([]);
});

test('404, connection refused, unknown names and missing names fail clearly', async () => {
  const missing = await mirror('--lock', lock, '--from', `${server.base}/half/`, '--out', join(dir, 'o1'), 'pyloom-test-a');
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain(`could not download ${server.base}/half/${b.wheel.fileName}: HTTP 404 Not Found`);
  const port = await closedPort();
  const down = await mirror('--lock', lock, '--from', `http://127.0.0.1:${port}/`, '--out', join(dir, 'o2'), 'pyloom-test-b');
  expect(down.code).toBe(1);
  expect(down.stderr).toContain(`could not download http://127.0.0.1:${port}/${b.wheel.fileName}`);
  expect(down.stderr).toContain('--from');
  const unknown = await mirror('--lock', lock, '--out', join(dir, 'o3'), 'no-such-thing');
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain("no-such-thing is not in this Pyodide's lock file");
  const none = await mirror();
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('usage: npm run packages:mirror');
});

test('resolves real packages against the pinned lock (dry run)', async () => {
  const run = await mirror('--dry-run', 'pandas');
  expect(run.code).toBe(0);
  const names = run.stdout.trim().split('\n').map((line) => line.split(' ')[0]);
  expect(names).toEqual(expect.arrayContaining(['pandas', 'numpy', 'python-dateutil', 'pytz', 'six']));
  expect(names.at(-1)).toBe('pandas'); // dependencies first
  const version = JSON.parse(readFileSync(join(PYODIDE_DIR, 'package.json'), 'utf8')).version;
  expect(run.stdout).toContain(`https://cdn.jsdelivr.net/pyodide/v${version}/full/`);
});
