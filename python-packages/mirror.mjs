// @ts-check
// `npm run packages:mirror -- numpy pandas …`: copy Pyodide packages (with their dependencies,
// resolved from the pinned pyodide-lock.json) into a folder the app can serve as packageBaseUrl,
// each file checked against the lock's sha256. Plain Node ESM, built-ins only.
//
// This module is the command line: the lock side is mirror-lock.mjs, the download side (atomic,
// sha256-checked) mirror-files.mjs. Any failure is one line on stderr saying what failed and what to
// do, and exit code 1 (2 for bad arguments).
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MirrorError, reason, shown } from './mirror-errors.mjs';
import { copyLock, fileSha256, mirrorFile, removePending, sourceOf } from './mirror-files.mjs';
import { pinnedPyodide, readLock, resolvePackages } from './mirror-lock.mjs';

const USAGE = `usage: npm run packages:mirror -- [options] NAME [NAME …]

Copies Pyodide packages and all their dependencies, as listed in the pinned pyodide-lock.json,
into a folder the app can serve as packageBaseUrl (with lockFileURL = <folder>/pyodide-lock.json).
Every file is checked against the lock's sha256. NAME is a package name (numpy, scikit-learn;
case, "-", "_" and "." do not matter) or an import name (sklearn).

options:
  --out DIR     where to write (default: python-packages/mirror/)
  --from SRC    where to download from: a URL, or a local folder holding Pyodide's package files
                (default: the Pyodide CDN for exactly the pinned version)
  --lock FILE   the lock file (default: node_modules/pyodide/pyodide-lock.json)
  --dry-run     list the files that would be fetched, fetch nothing
  --help        this text

Relative paths are relative to the current folder (under npm run: the project root).`;

const SCRIPT_DIR = dirname(fileURLToPath(import.meta.url));

/** @param {number} bytes */
const megabytes = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;

/**
 * @typedef {{ out?: string; from?: string; lock?: string; dryRun: boolean; names: string[] }} Options
 * @param {string[]} argv @returns {Options}
 */
export function parseArgs(argv) {
  /** @type {Options} */
  const options = { dryRun: false, names: [] };
  for (let i = 0; i < argv.length; i += 1) {
    let arg = /** @type {string} */ (argv[i]);
    /** @type {string | undefined} */
    let value;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) [arg, value] = [arg.slice(0, eq), arg.slice(eq + 1)];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--out' || arg === '--from' || arg === '--lock') {
      value ??= argv[++i];
      if (!value) throw new MirrorError(`${arg} needs a value\n${USAGE}`, 2);
      if (arg === '--out') options.out = value;
      else if (arg === '--from') options.from = value;
      else options.lock = value;
    } else if (arg.startsWith('-') && arg !== '-') throw new MirrorError(`unknown option ${arg}\n${USAGE}`, 2);
    else if (arg) options.names.push(arg);
  }
  if (options.names.length === 0) throw new MirrorError(`no package names given\n${USAGE}`, 2);
  return options;
}

/** @param {string[]} argv */
async function main(argv) {
  const options = parseArgs(argv);
  const pinned = options.lock && options.from ? undefined : pinnedPyodide();
  const version = pinned?.version;
  const pyodide = version ? `Pyodide ${version}` : "the lock's Pyodide version";
  const lockPath = resolve(options.lock ?? join(/** @type {{ dir: string }} */ (pinned).dir, 'pyodide-lock.json'));
  const lockLabel = options.lock ? `the lock file ${shown(lockPath)}` : `the lock file of Pyodide ${version}`;
  const packages = readLock(lockPath, options.lock !== undefined);
  const files = resolvePackages(packages, options.names, lockLabel);
  const source = sourceOf(options.from ?? `https://cdn.jsdelivr.net/pyodide/v${version}/full/`);
  const out = resolve(options.out ?? join(SCRIPT_DIR, 'mirror'));

  if (options.dryRun) {
    for (const file of files) {
      const there = fileSha256(join(out, basename(file.file_name))) === file.sha256;
      const from = /^[a-z][a-z0-9+.-]+:\/\//i.test(file.file_name)
        ? file.file_name
        : source.kind === 'url'
          ? source.base + file.file_name
          : join(source.base, file.file_name);
      console.log(`${file.name} ${file.version} ${from}${there ? ' (already there)' : ''}`);
    }
    console.log(`would mirror ${files.length} files into ${shown(out)} (sizes are known once downloaded; nothing was fetched)`);
    return;
  }

  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new MirrorError(`cannot create the output folder ${shown(out)}: ${reason(error)}; pass --out with a writable folder`);
  }
  let downloaded = 0;
  let total = 0;
  for (const file of files) {
    const got = await mirrorFile(file, source, out, pyodide);
    if (got.downloaded) downloaded += 1;
    total += got.bytes;
  }
  copyLock(lockPath, out);
  console.log(
    `mirrored ${files.length} files, ${megabytes(total)} into ${shown(out)} (${downloaded} downloaded, ${files.length - downloaded} already there; lock file: pyodide-lock.json)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, () => {
      removePending();
      console.error(`packages:mirror: interrupted (${signal}); completed files are kept, nothing partial is left`);
      process.exit(130);
    });
  }
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    removePending();
    if (error instanceof MirrorError) {
      console.error(`packages:mirror: ${error.message}`);
      process.exitCode = error.code;
    } else {
      console.error(`packages:mirror: unexpected failure: ${reason(error)}; please report it with the command you ran`);
      process.exitCode = 1;
    }
  }
}
