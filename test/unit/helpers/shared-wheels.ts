// Genuine third-party wheels from ../shared/wheels (never copied into the project): found beside
// the checkout (or one level up), checked against MANIFEST.tsv, with a lock entry for a test lock.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from './test-wheels';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CANDIDATES = [process.env['PYLOOM_SHARED_WHEELS'], path.resolve(ROOT, '../shared/wheels'), path.resolve(ROOT, '../../shared/wheels')].filter(
  (p): p is string => Boolean(p),
);
const DIR = CANDIDATES.find((p) => existsSync(path.join(p, 'MANIFEST.tsv')));

/** The wheels the tests use, by distribution name. */
const FILES = { micropip: 'micropip-0.11.0-py3-none-any.whl', packaging: 'packaging-25.0-py3-none-any.whl' } as const;
type Name = keyof typeof FILES;

export interface SharedWheel {
  name: Name;
  version: string;
  fileName: string;
  bytes: Uint8Array;
  sha256: string;
}

/** Why the shared wheels cannot be used (tests skip with it), or undefined. */
export const SHARED_WHEELS_MISSING: string | undefined = DIR
  ? Object.values(FILES).find((f) => !existsSync(path.join(DIR, f)))?.replace(/^/, `missing from ${DIR}: `)
  : `../shared/wheels not found (looked at ${CANDIDATES.join(', ')}; set PYLOOM_SHARED_WHEELS)`;

/** One wheel, its sha256 checked against MANIFEST.tsv; undefined when absent. */
export function sharedWheel(name: Name): SharedWheel | undefined {
  if (!DIR || SHARED_WHEELS_MISSING) return undefined;
  const fileName = FILES[name];
  const bytes = new Uint8Array(readFileSync(path.join(DIR, fileName)));
  const row = readFileSync(path.join(DIR, 'MANIFEST.tsv'), 'utf8')
    .split('\n')
    .map((line) => line.split('\t'))
    .find((cells) => cells[0] === fileName);
  const digest = sha256(bytes);
  if (row?.[2] !== digest) throw new Error(`${fileName} does not match MANIFEST.tsv (sha256 ${digest}, manifest ${row?.[2]})`);
  return { name, version: fileName.split('-')[1]!, fileName, bytes, sha256: digest };
}

/** A lock entry for the wheel, served from the package base URL (a test lock, as micropip.freeze makes). */
export function sharedLockEntry(wheel: SharedWheel): object {
  return {
    name: wheel.name,
    version: wheel.version,
    file_name: wheel.fileName,
    install_dir: 'site',
    sha256: wheel.sha256,
    package_type: 'package',
    imports: [wheel.name],
    depends: [],
    unvendored_tests: false,
  };
}
