// Builds the `pyloom` Python package into a real wheel (zip + dist-info) from its sources.
// Used by the Vite plugin at dev/build time and by the unit tests; the result is never committed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';

export const PYLOOM_SOURCE_DIR = fileURLToPath(new URL('./pyloom/', import.meta.url));

export interface BuiltWheel {
  /** PEP 427 file name, e.g. `pyloom-0.1.0-py3-none-any.whl`. */
  fileName: string;
  version: string;
  bytes: Uint8Array;
  /** Hex sha256 of the wheel: a content key for caches and snapshots. */
  sha256: string;
}

// A fixed timestamp keeps the wheel byte-identical for identical sources.
const ZIP_MTIME = new Date('2020-01-01T00:00:00Z');

function readProject(projectDir: string, pkg: string): { name: string; version: string; dependencies: string[] } {
  const toml = readFileSync(join(projectDir, 'pyproject.toml'), 'utf8');
  const project = toml.split(/^\[project\]\s*$/m)[1]?.split(/^\[/m)[0] ?? '';
  const name = /^name\s*=\s*"([^"]+)"/m.exec(project)?.[1];
  // pyloom keeps its version in <pkg>/_version.py (declared dynamic); other projects inline it.
  const versionFile = join(projectDir, pkg, '_version.py');
  const version = existsSync(versionFile)
    ? /^__version__\s*=\s*"([^"]+)"/m.exec(readFileSync(versionFile, 'utf8'))?.[1]
    : /^version\s*=\s*"([^"]+)"/m.exec(project)?.[1];
  const deps = /^dependencies\s*=\s*\[([^\]]*)\]/m.exec(project)?.[1] ?? '';
  const dependencies = [...deps.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  if (!name || !version) {
    throw new Error(`${projectDir}: needs [project] name, and a version (inline or in ${pkg}/_version.py)`);
  }
  return { name, version, dependencies };
}

function listPythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry === '__pycache__' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...listPythonFiles(path));
    else if (/\.(py|pyi|typed|json)$/.test(entry)) out.push(path);
  }
  return out;
}

function recordHash(bytes: Uint8Array): string {
  return 'sha256=' + createHash('sha256').update(bytes).digest('base64url');
}

/** Build the wheel of the project at `projectDir` (a dir with pyproject.toml and top-level packages). */
export function buildWheel(projectDir: string = PYLOOM_SOURCE_DIR, packages: string[] = ['pyloom']): BuiltWheel {
  const { name, version, dependencies } = readProject(projectDir, packages[0]!);
  const distInfo = `${name.replace(/-/g, '_')}-${version}.dist-info`;
  const files = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();
  for (const pkg of packages) {
    for (const path of listPythonFiles(join(projectDir, pkg))) {
      files.set(relative(projectDir, path).split(sep).join('/'), readFileSync(path));
    }
  }
  const summary = /^description\s*=\s*"([^"]*)"/m.exec(readFileSync(join(projectDir, 'pyproject.toml'), 'utf8'))?.[1] ?? '';
  const requires = dependencies.map((d) => `Requires-Dist: ${d}\n`).join('');
  files.set(
    `${distInfo}/METADATA`,
    encoder.encode(`Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: ${summary}\n${requires}`),
  );
  files.set(`${distInfo}/WHEEL`, encoder.encode('Wheel-Version: 1.0\nGenerator: pyloom-wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n'));
  files.set(`${distInfo}/top_level.txt`, encoder.encode(packages.join('\n') + '\n'));
  const record = [...files].map(([path, bytes]) => `${path},${recordHash(bytes)},${bytes.length}`);
  record.push(`${distInfo}/RECORD,,`);
  files.set(`${distInfo}/RECORD`, encoder.encode(record.join('\n') + '\n'));

  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const [path, bytes] of files) entries[path] = [bytes, { mtime: ZIP_MTIME }];
  const bytes = zipSync(entries, { level: 6 });
  return {
    fileName: `${name.replace(/-/g, '_')}-${version}-py3-none-any.whl`,
    version,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
