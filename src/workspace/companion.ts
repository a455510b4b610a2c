// Companion data declarations: notebook metadata `pyloom.files`, the embed config's `files` and a
// cell's `data-files`, read into CompanionFile entries (URLs resolved against the page).
import type { CompanionFile } from '../protocol';
import { errorMessage } from '../shared/errors';

/**
 * The Accept header the worker sends for a companion file: the service worker (src/offline/sw.ts,
 * which spells it out again: it shares no run-time code) keeps those in `pyloom-companion-files@<scope>`.
 * Servers answer with the file as for any `*\/*` request.
 */
export const COMPANION_ACCEPT = 'application/x-pyloom-companion, */*;q=0.8';

export interface CompanionList {
  files: CompanionFile[];
  /** One message per entry that was ignored, saying why. */
  errors: string[];
}

/**
 * Read `[{ path, url, sha256? }]` (any other value: no files, one error). Relative URLs resolve
 * against `base` (the page). Entries without a path or URL, or with a sha256 that is not 64 hex
 * digits, are ignored with a message.
 */
export function readCompanionFiles(value: unknown, base: string, where: string): CompanionList {
  if (value === undefined || value === null) return { files: [], errors: [] };
  if (!Array.isArray(value)) return { files: [], errors: [`${where} must be a list of { "path", "url", "sha256" } objects`] };
  const files: CompanionFile[] = [];
  const errors: string[] = [];
  value.forEach((entry: unknown, index) => {
    const item = entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as Record<string, unknown>) : {};
    const { path, url, sha256 } = item;
    if (typeof path !== 'string' || !path || typeof url !== 'string' || !url) {
      errors.push(`${where}[${index}] ignored: it needs a "path" and a "url"`);
      return;
    }
    if (sha256 !== undefined && (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(sha256))) {
      errors.push(`${where}[${index}] (${path}) ignored: "sha256" must be 64 hexadecimal digits`);
      return;
    }
    let absolute: string;
    try {
      absolute = new URL(url, base).href;
    } catch {
      errors.push(`${where}[${index}] (${path}) ignored: "${url}" is not a URL`);
      return;
    }
    files.push({ path, url: absolute, ...(typeof sha256 === 'string' ? { sha256 } : {}) });
  });
  return { files, errors };
}

/** The `pyloom.files` list of a notebook's metadata. */
export function notebookCompanionFiles(metadata: Record<string, unknown>, base: string): CompanionList {
  const pyloom = metadata['pyloom'];
  const value = pyloom && typeof pyloom === 'object' && !Array.isArray(pyloom) ? (pyloom as Record<string, unknown>)['files'] : undefined;
  return readCompanionFiles(value, base, 'metadata.pyloom.files');
}

/** How a cell's `data-files` is written, for messages. */
export const DATA_FILES_EXAMPLE = `data-files='[{"path": "data/iris.csv", "url": "iris.csv", "sha256": "…"}]'`;

/**
 * A cell's `data-files` attribute: a JSON list of `{ path, url, sha256? }` (the page config's
 * `files` shape). Text that is not JSON gives no files and one error naming the parser's complaint
 * and how to write it; a null attribute gives nothing.
 */
export function readDataFilesAttribute(text: string | null, base: string): CompanionList {
  if (text === null || text.trim() === '') return { files: [], errors: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { files: [], errors: [`data-files is not a JSON list (${errorMessage(error)}); write e.g. ${DATA_FILES_EXAMPLE}`] };
  }
  const list = readCompanionFiles(value, base, 'data-files');
  if (!Array.isArray(value))
    list.errors = [`data-files must be a JSON list of {"path", "url", "sha256"} objects; write e.g. ${DATA_FILES_EXAMPLE}`];
  return list;
}
