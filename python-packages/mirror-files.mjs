// @ts-check
// The file side of `npm run packages:mirror`: where files come from (a URL or a folder), and each
// one streamed into a hidden temporary file beside its target, hashed on the way, and renamed into
// place only when its sha256 matches the lock, so a failed, interrupted or altered download leaves
// nothing behind.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MirrorError, reason, shown } from './mirror-errors.mjs';

/** @typedef {import('./mirror-lock.mjs').LockPackage} LockPackage */
/** @typedef {ReturnType<typeof sourceOf>} Source */

/** @param {string} path @returns {string} the file's sha256, or '' when it cannot be read */
export function fileSha256(path) {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return '';
  }
}

/** @type {Set<string>} Temporary files written so far and not yet renamed. */
const pending = new Set();
/** Deletes every temporary file not yet renamed into place: on failure or interruption. */
export function removePending() {
  for (const path of pending) rmSync(path, { force: true });
  pending.clear();
}

/**
 * Where files come from: a URL base (http, https, file) or a local folder.
 * @param {string} from
 */
export function sourceOf(from) {
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
    throw new MirrorError(
      `--from ${from} is neither a URL nor an existing folder; give the URL of a Pyodide package mirror or a folder holding its files`,
      2,
    );
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
 * @param {LockPackage} file @param {Source} source @param {string} temp
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
  if (!existsSync(path))
    throw new MirrorError(`${path} does not exist: the folder given to --from does not have ${file.name}'s file; ${mirrorHint}`);
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

/**
 * Puts `file` into `out` under its base name, unless a file with the lock's sha256 is there already;
 * logs one line for it. Rejects with a MirrorError (and leaves nothing partial) when it cannot.
 * @param {LockPackage} file @param {Source} source @param {string} out
 * @param {string} pyodide e.g. "Pyodide 314.0.7", for messages
 * @returns {Promise<{ bytes: number; downloaded: boolean }>} its size in bytes; whether it was fetched
 */
export async function mirrorFile(file, source, out, pyodide) {
  const fileName = basename(file.file_name);
  const target = join(out, fileName);
  const label = `${file.name} ${file.version}: ${fileName}`;
  const existing = existsSync(target) ? fileSha256(target) : undefined;
  if (existing === file.sha256) {
    const size = statSync(target).size;
    console.log(`  ${label}, ${size} bytes (already there, sha256 ok)`);
    return { bytes: size, downloaded: false };
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
  console.log(`  ${label}, ${got.bytes} bytes`);
  return { bytes: got.bytes, downloaded: true };
}

/**
 * Copies the lock file beside the files as pyodide-lock.json (atomically), so `out` is a complete
 * packageBaseUrl + lockFileURL mirror.
 * @param {string} lockPath @param {string} out
 */
export function copyLock(lockPath, out) {
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
}
