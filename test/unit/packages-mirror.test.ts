// `npm run packages:mirror` (python-packages/mirror.mjs) run as a child process against real test
// wheels on a local server: resolution, sha256, atomic writes, failures and exit codes. Nothing is
// fetched from the internet; the real pinned lock is only used for resolution (--dry-run, closed port).
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { closedPort, serve, type TestServer } from './helpers/http-server';
import { PYODIDE_DIR } from './helpers/node-kernel';
import { buildTestPackages, lockEntries } from './helpers/test-wheels';

const { a, b } = buildTestPackages();
const dir = mkdtempSync(join(tmpdir(), 'pyloom-mirror-'));
const lock = join(dir, 'lock.json');
const pinnedLock = JSON.parse(readFileSync(join(PYODIDE_DIR, 'pyodide-lock.json'), 'utf8')) as {
  info: object;
  packages: Record<string, { file_name: string; depends: string[] }>;
};
const pinnedVersion = (JSON.parse(readFileSync(join(PYODIDE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
writeFileSync(lock, JSON.stringify({ info: pinnedLock.info, packages: lockEntries([a, b]) }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function mirror(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['python-packages/mirror.mjs', ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

let n = 0;
/** A fresh output folder path (not created). */
const freshOut = () => join(dir, `out-${++n}`);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let server: TestServer;
let port: number; // nothing listens there
beforeAll(async () => {
  server = await serve({
    [`/good/${a.wheel.fileName}`]: a.wheel.bytes,
    [`/good/${b.wheel.fileName}`]: b.wheel.bytes,
    [`/bad/${a.wheel.fileName}`]: a.wheel.bytes,
    [`/bad/${b.wheel.fileName}`]: a.wheel.bytes, // not the file the lock describes
    [`/half/${a.wheel.fileName}`]: a.wheel.bytes, // b is missing: 404
  });
  port = await closedPort();
});
afterAll(() => server.close());

describe('mirroring from a local server', () => {
  test('a package and its dependency, with the right bytes and the lock beside them', async () => {
    const out = freshOut();
    const run = await mirror('--lock', lock, '--from', `${server.base}/good/`, '--out', out, 'pyloom-test-a');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readFileSync(join(out, a.wheel.fileName))).toEqual(Buffer.from(a.wheel.bytes));
    expect(readFileSync(join(out, b.wheel.fileName))).toEqual(Buffer.from(b.wheel.bytes));
    expect(readFileSync(join(out, 'pyodide-lock.json'), 'utf8')).toBe(readFileSync(lock, 'utf8'));
    expect(readdirSync(out).sort()).toEqual([a.wheel.fileName, b.wheel.fileName, 'pyodide-lock.json'].sort());
    // Progress: one line per file with name and bytes, the dependency first; then the summary.
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toContain(`pyloom-test-b 1.0.0: ${b.wheel.fileName}, ${b.wheel.bytes.length} bytes`);
    expect(lines[1]).toContain(`pyloom-test-a 2.0.0: ${a.wheel.fileName}, ${a.wheel.bytes.length} bytes`);
    expect(lines[2]).toMatch(new RegExp(`^mirrored 2 files, [0-9.]+ MB into ${escape(out)} \\(2 downloaded, 0 already there`));
  });

  test('a rerun skips files already there with the right sha256 (no requests)', async () => {
    const out = freshOut();
    expect((await mirror('--lock', lock, '--from', `${server.base}/good/`, '--out', out, 'pyloom-test-a')).code).toBe(0);
    const requests = server.requests.length;
    const again = await mirror('--lock', lock, '--from', `${server.base}/good/`, '--out', out, 'pyloom-test-a');
    expect(again.code).toBe(0);
    expect(server.requests.length).toBe(requests);
    expect(again.stdout).toContain(`${b.wheel.fileName}, ${b.wheel.bytes.length} bytes (already there, sha256 ok)`);
    expect(again.stdout).toMatch(/mirrored 2 files, [0-9.]+ MB into .* \(0 downloaded, 2 already there/);
  });

  test('a file already there with the wrong bytes is downloaded again', async () => {
    const out = freshOut();
    mkdirSync(out);
    writeFileSync(join(out, b.wheel.fileName), 'not a wheel');
    const run = await mirror('--lock', lock, '--from', `${server.base}/good/`, '--out', out, 'pyloom-test-b');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("does not match the lock's sha256; downloading it again");
    expect(readFileSync(join(out, b.wheel.fileName))).toEqual(Buffer.from(b.wheel.bytes));
  });

  test('names resolve by import name, case- and separator-insensitively', async () => {
    const out = freshOut();
    const run = await mirror('--lock', lock, '--from', `${server.base}/good/`, '--out', out, 'pyloom_test_a');
    expect(run.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([a.wheel.fileName, b.wheel.fileName, 'pyodide-lock.json'].sort());
    const dry = await mirror('--lock', lock, '--from', `${server.base}/good/`, '--dry-run', 'PyLoom.Test_B');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`pyloom-test-b 1.0.0 ${server.base}/good/${b.wheel.fileName}`);
    expect(dry.stdout).not.toContain('pyloom-test-a');
  });

  test('a local folder works as --from', async () => {
    const source = join(dir, 'local-source');
    mkdirSync(source);
    writeFileSync(join(source, a.wheel.fileName), a.wheel.bytes);
    writeFileSync(join(source, b.wheel.fileName), b.wheel.bytes);
    const out = freshOut();
    const run = await mirror('--lock', lock, '--from', source, '--out', out, 'pyloom-test-a');
    expect(run.code).toBe(0);
    expect(readFileSync(join(out, a.wheel.fileName))).toEqual(Buffer.from(a.wheel.bytes));
    expect(readFileSync(join(out, b.wheel.fileName))).toEqual(Buffer.from(b.wheel.bytes));
  });
});

describe('failures: one line, exit 1, nothing partial left', () => {
  test('a file whose sha256 differs from the lock is refused and deleted', async () => {
    const out = freshOut();
    const run = await mirror('--lock', lock, '--from', `${server.base}/bad/`, '--out', out, 'pyloom-test-a');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`sha256 mismatch for ${b.wheel.fileName} from ${server.base}/bad/${b.wheel.fileName}`);
    expect(run.stderr).toContain(`expected ${b.wheel.sha256} (lock), got ${a.wheel.sha256}`);
    expect(run.stderr).toContain('refused and deleted');
    // b comes first (a depends on it), so nothing at all was written: no wheel, no temp file, no lock.
    expect(existsSync(join(out, b.wheel.fileName))).toBe(false);
    expect(readdirSync(out)).toEqual([]);
  });

  test('HTTP 404 names the URL', async () => {
    const out = freshOut();
    const run = await mirror('--lock', lock, '--from', `${server.base}/half/`, '--out', out, 'pyloom-test-a');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`HTTP 404 Not Found for ${server.base}/half/${b.wheel.fileName}`);
    expect(run.stderr).toContain('--from');
    expect(readdirSync(out)).toEqual([]);
  });

  test('connection refused names the URL and suggests --from', async () => {
    const out = freshOut();
    const run = await mirror('--lock', lock, '--from', `http://127.0.0.1:${port}/`, '--out', out, 'pyloom-test-b');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`cannot reach http://127.0.0.1:${port}/${b.wheel.fileName}`);
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).toContain('--from');
  });

  test('a download cut off mid-body leaves nothing behind', async () => {
    // Announces the full length, sends half, then drops the connection.
    const cutter = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': b.wheel.bytes.length, 'Content-Type': 'application/octet-stream' });
      res.write(Buffer.from(b.wheel.bytes.subarray(0, b.wheel.bytes.length >> 1)), () => res.socket?.destroy());
    });
    await new Promise<void>((resolve) => cutter.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(cutter.address() as AddressInfo).port}/`;
      const out = freshOut();
      const run = await mirror('--lock', lock, '--from', base, '--out', out, 'pyloom-test-b');
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(`reading ${base}${b.wheel.fileName} failed after`);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => cutter.close(() => resolve()));
    }
  });

  test('an unknown name is named, with close names from the lock', async () => {
    const run = await mirror('--lock', lock, '--from', `${server.base}/good/`, '--out', freshOut(), 'pyloom-test-c', 'no-such-thing');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('unknown packages pyloom-test-c (did you mean pyloom-test-a, pyloom-test-b?), no-such-thing:');
    const real = await mirror('--from', `http://127.0.0.1:${port}/`, 'nump');
    expect(real.code).toBe(1);
    expect(real.stderr).toContain(`unknown package nump (did you mean numpy`);
    expect(real.stderr).toContain(`the lock file of Pyodide ${pinnedVersion}`);
  });

  test('a lock file that cannot be read is named', async () => {
    const run = await mirror('--lock', join(dir, 'missing.json'), '--from', `${server.base}/good/`, 'pyloom-test-a');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot read the lock file ${join(dir, 'missing.json')}`);
  });
});

describe('arguments', () => {
  test('no names: usage and exit 2; --help: usage and exit 0; an unknown option: exit 2', async () => {
    const none = await mirror();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no package names given');
    expect(none.stderr).toContain('usage: npm run packages:mirror');
    const help = await mirror('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: npm run packages:mirror');
    expect(help.stdout).toContain('--from');
    const bad = await mirror('--frmo', 'x', 'numpy');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown option --frmo');
  });
});

describe('the real pinned lock (nothing downloaded)', () => {
  test('--dry-run pandas lists pandas and its dependencies, dependencies first, on the pinned CDN', async () => {
    const run = await mirror('--dry-run', 'pandas');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^would mirror 5 files into /);
    const listed = lines.slice(0, -1).map((line) => line.split(' ')[0]);
    expect([...listed].sort()).toEqual(['numpy', 'pandas', 'python-dateutil', 'pytz', 'six']);
    expect(listed.at(-1)).toBe('pandas');
    expect(listed.indexOf('six')).toBeLessThan(listed.indexOf('python-dateutil'));
    const cdn = `https://cdn.jsdelivr.net/pyodide/v${pinnedVersion}/full/`;
    expect(run.stdout).toContain(`${cdn}${pinnedLock.packages['pandas']!.file_name}`);
  });

  test('an import name resolves against the pinned lock (sklearn → scikit-learn)', async () => {
    const run = await mirror('--dry-run', 'sklearn');
    expect(run.code).toBe(0);
    const listed = run.stdout
      .trim()
      .split('\n')
      .slice(0, -1)
      .map((line) => line.split(' ')[0]);
    expect(listed.at(-1)).toBe('scikit-learn');
    expect(listed).toEqual(expect.arrayContaining(pinnedLock.packages['scikit-learn']!.depends));
  });

  test('a real download attempt goes to the first dependency file and fails on a closed port', async () => {
    const out = freshOut();
    const run = await mirror('--from', `http://127.0.0.1:${port}/`, '--out', out, 'pandas');
    expect(run.code).toBe(1);
    const files = ['pandas', 'numpy', 'python-dateutil', 'pytz', 'six'].map((name) => pinnedLock.packages[name]!.file_name);
    const url = new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port}/(${files.map(escape).join('|')})`);
    expect(run.stderr).toMatch(url);
    expect(readdirSync(out)).toEqual([]);
  });
});
