// @ts-check
// `npm run packages:mirror -- numpy pandas …`: copy Pyodide packages (with their dependencies,
// resolved from the pinned pyodide-lock.json) into a folder the app can serve as packageBaseUrl,
// each file checked against the lock's sha256. Plain Node ESM, built-ins only.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const USAGE = `usage: npm run packages:mirror -- [options] NAME [NAME …]

Copies Pyodide packages and their dependencies into a folder to serve as packageBaseUrl.
NAME is a package (numpy, scikit-learn) or an import name (sklearn).

options:
  --out DIR     where to write (default: python-packages/mirror/)
  --from URL    where to download from (default: the Pyodide CDN of the pinned version)
  --lock FILE   the lock file (default: the pinned pyodide package's pyodide-lock.json)
  --dry-run     list the files that would be fetched, fetch nothing
  --help        this text`;

/** @param {string} name */
const normalize = (name) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** @param {string} message @returns {never} */
function fail(message, code = 1) {
  console.error(`packages:mirror: ${message}`);
  process.exit(code);
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ out: string; from?: string; lock?: string; dryRun: boolean; names: string[] }} */
  const options = { out: 'python-packages/mirror', dryRun: false, names: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--out' || arg === '--from' || arg === '--lock') {
      const value = argv[++i];
      if (!value) fail(`${arg} needs a value\n${USAGE}`, 2);
      if (arg === '--out') options.out = value;
      else if (arg === '--from') options.from = value;
      else options.lock = value;
    } else if (arg?.startsWith('--')) fail(`unknown option ${arg}\n${USAGE}`, 2);
    else if (arg) options.names.push(arg);
  }
  if (options.names.length === 0) fail(`no package names given\n${USAGE}`, 2);
  return options;
}

/**
 * @typedef {{ name: string; version: string; file_name: string; sha256: string; depends?: string[]; imports?: string[] }} LockPackage
 * @param {Record<string, LockPackage>} packages @param {string[]} names
 */
export function resolvePackages(packages, names) {
  /** @type {Map<string, string>} */
  const byName = new Map();
  for (const [key, entry] of Object.entries(packages)) {
    byName.set(normalize(key), key);
    byName.set(normalize(entry.name), key);
  }
  for (const [key, entry] of Object.entries(packages)) {
    for (const module of entry.imports ?? []) if (!byName.has(normalize(module))) byName.set(normalize(module), key);
  }
  /** @type {string[]} */
  const order = [];
  const seen = new Set();
  /** @param {string} wanted @param {string | undefined} neededBy */
  const visit = (wanted, neededBy) => {
    const key = byName.get(normalize(wanted));
    if (!key) {
      const close = [...new Set(byName.values())].filter((k) => normalize(k).includes(normalize(wanted).slice(0, 4))).slice(0, 5);
      fail(
        neededBy
          ? `the lock file is inconsistent: ${neededBy} depends on ${wanted}, which it does not list`
          : `${wanted} is not in this Pyodide's lock file${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}; pure-Python packages from PyPI need no mirror entry (use indexUrls)`,
      );
    }
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of packages[key]?.depends ?? []) visit(dep, key);
    order.push(key);
  };
  for (const name of names) visit(name, undefined);
  return order.map((key) => /** @type {LockPackage} */ (packages[key]));
}

/** @param {Uint8Array} bytes */
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const require = createRequire(import.meta.url);
  const pyodideDir = dirname(require.resolve('pyodide/pyodide.mjs'));
  const version = JSON.parse(readFileSync(join(pyodideDir, 'package.json'), 'utf8')).version;
  const lockPath = options.lock ?? join(pyodideDir, 'pyodide-lock.json');
  /** @type {{ packages: Record<string, LockPackage> }} */
  let lock;
  try {
    lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  } catch (error) {
    fail(`cannot read the lock file ${lockPath}: ${error instanceof Error ? error.message : error}`);
  }
  const base = (options.from ?? `https://cdn.jsdelivr.net/pyodide/v${version}/full/`).replace(/\/?$/, '/');
  const files = resolvePackages(lock.packages, options.names);
  if (options.dryRun) {
    for (const file of files) console.log(`${file.name} ${file.version}  ${base}${file.file_name}`);
    return;
  }
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  let fetched = 0;
  let bytes = 0;
  for (const file of files) {
    const target = join(out, file.file_name);
    if (existsSync(target) && sha256(readFileSync(target)) === file.sha256) {
      console.log(`  ${file.file_name} (already there)`);
      continue;
    }
    const url = /^[a-z]+:\/\//.test(file.file_name) ? file.file_name : base + file.file_name;
    /** @type {Response} */
    let response;
    try {
      response = await fetch(url);
    } catch (error) {
      const cause = error instanceof Error ? (/** @type {Error | undefined} */ (error.cause)?.message ?? error.message) : String(error);
      fail(`could not download ${url}: ${cause}. Check the network, or pass --from with a reachable mirror.`);
    }
    if (!response.ok) fail(`could not download ${url}: HTTP ${response.status} ${response.statusText}`.trim());
    const body = new Uint8Array(await response.arrayBuffer());
    const got = sha256(body);
    if (got !== file.sha256) {
      fail(`refused ${file.file_name}: its sha256 is ${got}, the lock file says ${file.sha256} (downloaded from ${url}); nothing was written for it`);
    }
    // Written beside the target, then renamed: an interrupted run never leaves a partial wheel.
    const partial = `${target}.partial`;
    writeFileSync(partial, body);
    renameSync(partial, target);
    rmSync(partial, { force: true });
    fetched += 1;
    bytes += body.length;
    console.log(`  ${file.file_name} ${(body.length / 1e6).toFixed(2)} MB`);
  }
  copyFileSync(lockPath, join(out, 'pyodide-lock.json'));
  console.log(`mirrored ${files.length} files (${fetched} downloaded, ${(bytes / 1e6).toFixed(1)} MB) into ${out}`);
}

await main();
