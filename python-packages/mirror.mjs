// @ts-check
// `npm run packages:mirror -- numpy pandas …`: copy Pyodide packages (with their dependencies,
// resolved from the pinned pyodide-lock.json) into a folder the app can serve as packageBaseUrl,
// each file checked against the lock's sha256. Plain Node ESM, built-ins only.
//
// Every file is streamed into a hidden temporary file beside its target, hashed on the way, and
// renamed into place only when its sha256 matches the lock: a failed, interrupted or altered
// download leaves nothing behind. Any failure is one line on stderr saying what failed and what to
// do, and exit code 1 (2 for bad arguments).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/** A failure to report as one line, then exit with `code`. */
class MirrorError extends Error {
  /** @param {string} message @param {number} [code] */
  constructor(message, code = 1) {
    super(message);
    this.code = code;
  }
}

/** @param {string} name */
const normalize = (name) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** @param {number} bytes */
const megabytes = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;

/** The innermost useful message of an error (fetch wraps the socket error in `cause`). @param {unknown} error */
function reason(error) {
  /** @type {unknown} */
  let e = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/\.$/, '');
}

/** A path for messages: relative to the current folder when inside it. @param {string} path */
function shown(path) {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

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

/** Edit distance, for suggestions. @param {string} a @param {string} b */
function distance(a, b) {
  /** @type {number[]} */
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= b.length; j += 1) {
      next[j] = Math.min(
        /** @type {number} */ (row[j]) + 1,
        /** @type {number} */ (next[j - 1]) + 1,
        /** @type {number} */ (row[j - 1]) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return /** @type {number} */ (row[b.length]);
}

/**
 * Names in the lock close to `wanted` (package names, or import names shown with their package).
 * @param {Map<string, { key: string; label: string }>} byName @param {string} wanted
 */
function suggestions(byName, wanted) {
  const w = normalize(wanted);
  const limit = Math.max(1, Math.floor(w.length / 3));
  /** @type {Map<string, number>} */
  const scored = new Map();
  for (const [name, { label }] of byName) {
    const d = distance(w, name);
    const score = d <= limit ? d : w.length >= 3 && (name.startsWith(w) || name.includes(w)) ? limit + 1 : Infinity;
    if (score < (scored.get(label) ?? Infinity)) scored.set(label, score);
  }
  return [...scored]
    .filter(([, score]) => score < Infinity)
    .sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]))
    .slice(0, 5)
    .map(([label]) => label);
}

/**
 * The lock entries for `names` and all their dependencies, dependencies first.
 * @typedef {{ name: string; version: string; file_name: string; sha256: string; depends?: string[]; imports?: string[] }} LockPackage
 * @param {Record<string, LockPackage>} packages @param {string[]} names @param {string} lockLabel
 * @returns {LockPackage[]}
 */
export function resolvePackages(packages, names, lockLabel) {
  /** @type {Map<string, { key: string; label: string }>} */
  const byName = new Map();
  for (const [key, entry] of Object.entries(packages)) {
    byName.set(normalize(key), { key, label: key });
    if (entry.name) byName.set(normalize(entry.name), { key, label: key });
  }
  for (const [key, entry] of Object.entries(packages)) {
    for (const module of entry.imports ?? []) {
      if (!byName.has(normalize(module))) byName.set(normalize(module), { key, label: `${module} (${key})` });
    }
  }
  const unknown = names.filter((name) => !byName.has(normalize(name)));
  if (unknown.length > 0) {
    const described = unknown.map((name) => {
      const close = suggestions(byName, name);
      return close.length ? `${name} (did you mean ${close.join(', ')}?)` : name;
    });
    throw new MirrorError(
      `unknown package${unknown.length > 1 ? 's' : ''} ${described.join(', ')}: not a package or import name in ${lockLabel}. ` +
        'Check the spelling, or pass --lock; pure-Python packages from PyPI need no mirror (the app installs them from indexUrls)',
    );
  }
  /** @type {string[]} */
  const order = [];
  const seen = new Set();
  /** @param {string} wanted @param {string | undefined} neededBy */
  const visit = (wanted, neededBy) => {
    const found = byName.get(normalize(wanted));
    if (!found) throw new MirrorError(`${lockLabel} is inconsistent: ${neededBy} depends on ${wanted}, which it does not list; use the lock file of an installed Pyodide (npm ci)`);
    if (seen.has(found.key)) return;
    seen.add(found.key);
    for (const dep of packages[found.key]?.depends ?? []) visit(dep, found.key);
    order.push(found.key);
  };
  for (const name of names) visit(name, undefined);
  return order.map((key) => {
    const entry = /** @type {LockPackage} */ (packages[key]);
    const fileName = entry.file_name;
    if (typeof fileName !== 'string' || !/^[0-9a-f]{64}$/i.test(String(entry.sha256))) {
      throw new MirrorError(`${lockLabel} is malformed: the entry for ${key} has no file_name or no sha256`);
    }
    if (!/^[a-z][a-z0-9+.-]+:\/\//i.test(fileName) && (fileName !== basename(fileName) || fileName.startsWith('.'))) {
      throw new MirrorError(`${lockLabel} is malformed: the file name of ${key} (${fileName}) is not a plain file name; refusing to write outside the output folder`);
    }
    return entry;
  });
}

/** The installed pyodide package's folder and version, or a MirrorError saying how to get it. */
function pinnedPyodide() {
  try {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('pyodide/pyodide.mjs'));
    const version = String(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version);
    return { dir, version };
  } catch (error) {
    throw new MirrorError(`cannot find the pinned Pyodide (node_modules/pyodide: ${reason(error)}); run npm ci, or pass both --lock and --from`);
  }
}

/** @param {string} path @returns {string} the file's sha256, or '' when it cannot be read */
function fileSha256(path) {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return '';
  }
}

/** Temporary files written so far and not yet renamed; removed on failure or interruption. */
const pending = new Set();
function removePending() {
  for (const path of pending) rmSync(path, { force: true });
  pending.clear();
}

/**
 * Where files come from: a URL base (http, https, file) or a local folder.
 * @param {string} from
 */
function sourceOf(from) {
  if (/^file:/i.test(from)) return { kind: /** @type {const} */ ('dir'), base: fileURLToPath(from) };
  if (/^[a-z][a-z0-9+.-]+:/i.test(from)) {
    let url;
    try {
      url = new URL(from.endsWith('/') ? from : `${from}/`);
    } catch {
      throw new MirrorError(`--from ${from} is not a valid URL; give an http(s) URL or a local folder`, 2);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new MirrorError(`--from ${from}: only http, https and file URLs (or a local folder) are supported`, 2);
    }
    return { kind: /** @type {const} */ ('url'), base: url.href };
  }
  const dir = resolve(from);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new MirrorError(`--from ${from} is neither a URL nor an existing folder; give the URL of a Pyodide package mirror or a folder holding its files`, 2);
  }
  return { kind: /** @type {const} */ ('dir'), base: dir };
}

/**
 * Streams `chunks` into `temp`, hashing on the way.
 * @param {AsyncIterable<Uint8Array>} chunks @param {string} temp @param {string} from for messages
 * @param {string} hint what to do when reading fails
 */
async function writeStream(chunks, temp, from, hint) {
  const hash = createHash('sha256');
  let bytes = 0;
  pending.add(temp);
  const handle = await open(temp, 'w').catch((error) => {
    throw new MirrorError(`cannot write ${shown(temp)}: ${reason(error)}; check that --out is a writable folder with free space`);
  });
  try {
    const iterator = chunks[Symbol.asyncIterator]();
    for (;;) {
      /** @type {IteratorResult<Uint8Array>} */
      let next;
      try {
        next = await iterator.next();
      } catch (error) {
        throw new MirrorError(`reading ${from} failed after ${bytes} bytes: ${reason(error)}; nothing was kept for it. ${hint}`);
      }
      if (next.done) break;
      hash.update(next.value);
      bytes += next.value.length;
      try {
        await handle.write(next.value);
      } catch (error) {
        throw new MirrorError(`cannot write ${shown(temp)}: ${reason(error)}; check that --out is a writable folder with free space`);
      }
    }
  } finally {
    await handle.close().catch(() => {});
  }
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * Fetches one lock entry into `temp`.
 * @param {LockPackage} file @param {ReturnType<typeof sourceOf>} source @param {string} temp
 * @param {string} pyodide e.g. "Pyodide 314.0.7", for messages
 */
async function fetchInto(file, source, temp, pyodide) {
  const mirrorHint = `pass --from with a reachable mirror (a URL or a folder holding ${pyodide} package files)`;
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(file.file_name) || source.kind === 'url') {
    const url = /^[a-z][a-z0-9+.-]+:\/\//i.test(file.file_name) ? file.file_name : source.base + file.file_name;
    /** @type {Response} */
    let response;
    try {
      response = await fetch(url);
    } catch (error) {
      throw new MirrorError(`cannot reach ${url}: ${reason(error)}. Check the network, or ${mirrorHint}`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      throw new MirrorError(
        `${status} for ${url}: ${response.status === 404 ? 'the mirror does not have this file' : 'the server refused it'}. ` +
          `Check that --from points at ${pyodide}'s package folder, or ${response.status === 404 ? 'pass --from with a mirror that has it' : 'try again later'}`,
      );
    }
    if (!response.body) throw new MirrorError(`${url} answered with no body; ${mirrorHint}`);
    return { from: url, ...(await writeStream(chunksOf(response.body), temp, url, `Run again, or ${mirrorHint}`)) };
  }
  const path = join(source.base, file.file_name);
  if (!existsSync(path)) throw new MirrorError(`${path} does not exist: the folder given to --from does not have ${file.name}'s file; ${mirrorHint}`);
  return { from: path, ...(await writeStream(createReadStream(path), temp, path, mirrorHint)) };
}

/**
 * A fetch body as an async iterable of chunks (read with its reader: typed the same in every lib).
 * @param {ReadableStream<Uint8Array>} body
 * @returns {AsyncGenerator<Uint8Array>}
 */
async function* chunksOf(body) {
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

/** @param {string[]} argv */
async function main(argv) {
  const options = parseArgs(argv);
  const pinned = options.lock && options.from ? undefined : pinnedPyodide();
  const version = pinned?.version;
  const pyodide = version ? `Pyodide ${version}` : "the lock's Pyodide version";
  const lockPath = resolve(options.lock ?? join(/** @type {{ dir: string }} */ (pinned).dir, 'pyodide-lock.json'));
  const lockLabel = options.lock ? `the lock file ${shown(lockPath)}` : `the lock file of Pyodide ${version}`;
  /** @type {{ packages?: Record<string, LockPackage> }} */
  let lock;
  try {
    lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  } catch (error) {
    throw new MirrorError(`cannot read the lock file ${shown(lockPath)}: ${reason(error)}; ${options.lock ? 'check the path given to --lock' : 'run npm ci to reinstall pyodide'}`);
  }
  if (!lock || typeof lock.packages !== 'object' || lock.packages === null) {
    throw new MirrorError(`${shown(lockPath)} is not a Pyodide lock file (no "packages" object); pass --lock with a pyodide-lock.json`);
  }
  const files = resolvePackages(lock.packages, options.names, lockLabel);
  const source = sourceOf(options.from ?? `https://cdn.jsdelivr.net/pyodide/v${version}/full/`);
  const out = resolve(options.out ?? join(SCRIPT_DIR, 'mirror'));

  if (options.dryRun) {
    for (const file of files) {
      const there = fileSha256(join(out, basename(file.file_name))) === file.sha256;
      const from = /^[a-z][a-z0-9+.-]+:\/\//i.test(file.file_name) ? file.file_name : source.kind === 'url' ? source.base + file.file_name : join(source.base, file.file_name);
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
    const fileName = basename(file.file_name);
    const target = join(out, fileName);
    const label = `${file.name} ${file.version}: ${fileName}`;
    const existing = existsSync(target) ? fileSha256(target) : undefined;
    if (existing === file.sha256) {
      const size = statSync(target).size;
      total += size;
      console.log(`  ${label}, ${size} bytes (already there, sha256 ok)`);
      continue;
    }
    if (existing !== undefined) console.log(`  ${label}: the file there does not match the lock's sha256; downloading it again`);
    const temp = join(out, `.${fileName}.${process.pid}.partial`);
    const got = await fetchInto(file, source, temp, pyodide);
    if (got.sha256 !== file.sha256.toLowerCase()) {
      removePending();
      throw new MirrorError(
        `sha256 mismatch for ${fileName} from ${got.from}: expected ${file.sha256.toLowerCase()} (lock), got ${got.sha256}; the file was refused and deleted. ` +
          `The source may hold files of another Pyodide version than the lock (use --from with a mirror of the same version), or the download was altered`,
      );
    }
    try {
      renameSync(temp, target);
      pending.delete(temp);
    } catch (error) {
      throw new MirrorError(`cannot write ${shown(target)}: ${reason(error)}; check that --out is a writable folder`);
    }
    downloaded += 1;
    total += got.bytes;
    console.log(`  ${label}, ${got.bytes} bytes`);
  }
  // The lock beside the files, so the folder is a complete packageBaseUrl + lockFileURL mirror.
  const lockTarget = join(out, 'pyodide-lock.json');
  const lockTemp = join(out, `.pyodide-lock.json.${process.pid}.partial`);
  try {
    pending.add(lockTemp);
    writeFileSync(lockTemp, readFileSync(lockPath));
    renameSync(lockTemp, lockTarget);
    pending.delete(lockTemp);
  } catch (error) {
    throw new MirrorError(`cannot copy the lock file to ${shown(lockTarget)}: ${reason(error)}; check that --out is a writable folder`);
  }
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
