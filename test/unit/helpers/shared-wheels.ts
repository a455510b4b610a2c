// The genuine third-party wheels kept beside the repository for offline tests (../shared/wheels,
// or PYLOOM_SHARED_WHEELS): located and checked against MANIFEST.tsv, never copied into the repo.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED_WHEELS_DIR =
  process.env['PYLOOM_SHARED_WHEELS'] ?? resolve(fileURLToPath(new URL('../../../', import.meta.url)), '../shared/wheels');

export interface SharedWheel {
  fileName: string;
  bytes: Uint8Array;
  sha256: string;
}

/** The wheel whose file name starts with `prefix` (e.g. `tqdm-`), sha256-checked; undefined when absent. */
export function sharedWheel(prefix: string): SharedWheel | undefined {
  const manifest = join(SHARED_WHEELS_DIR, 'MANIFEST.tsv');
  if (!existsSync(manifest)) return undefined;
  for (const line of readFileSync(manifest, 'utf8').split('\n').slice(1)) {
    const [fileName, , sha256] = line.split('\t');
    if (!fileName || !sha256 || !fileName.startsWith(prefix) || fileName.includes('/')) continue;
    const path = join(SHARED_WHEELS_DIR, fileName);
    if (!existsSync(path)) return undefined;
    const bytes = new Uint8Array(readFileSync(path));
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) throw new Error(`${path}: sha256 ${actual} does not match MANIFEST.tsv (${sha256})`);
    return { fileName, bytes, sha256 };
  }
  return undefined;
}
