// @ts-check
// The one-line failures of `npm run packages:mirror` and how causes and paths are shown in them.
import { isAbsolute, relative } from 'node:path';

/** A failure to report as one line, then exit with `code`. */
export class MirrorError extends Error {
  /** @param {string} message @param {number} [code] */
  constructor(message, code = 1) {
    super(message);
    this.code = code;
  }
}

/** The innermost useful message of an error (fetch wraps the socket error in `cause`). @param {unknown} error */
export function reason(error) {
  /** @type {unknown} */
  let e = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/\.$/, '');
}

/** A path for messages: relative to the current folder when inside it. @param {string} path */
export function shown(path) {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
