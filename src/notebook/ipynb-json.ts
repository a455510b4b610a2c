// Shared by the .ipynb reader, upgrader, repairer and writer: limits, the warning list, safe
// JSON copying and the small descriptions used in warnings.
import type { JsonObject } from './model';

// Deeper JSON than this is dropped: V8's JSON.parse is iterative and accepts any depth, but the
// recursive copy and writer here (and Python's json on the Jupyter side, limit ~1000) do not.
export const MAX_DEPTH = 500;
export const MAX_WARNING_LINES = 20;
export const MAX_PLACES = 5;
export const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;
// The schema's own test for "this MIME type holds a JSON value" (nbformat's _is_json_mime agrees
// except for keys containing line breaks, where the schema is what validators check).
export const JSON_MIME = /^application\/(.*\+)?json$/u;
// Python's str.splitlines boundaries: Jupyter splits text with them, so must we to write the same bytes.
export const LINE_PIECE = /[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]|$)/g;
export const HAS_LINE_BREAK = /[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
// nbformat's v3 → v4 aliases (plus markdown, which some v3 writers used).
export const V3_MIME_ALIASES = new Map([
  ['text', 'text/plain'],
  ['html', 'text/html'],
  ['svg', 'image/svg+xml'],
  ['png', 'image/png'],
  ['jpeg', 'image/jpeg'],
  ['latex', 'text/latex'],
  ['json', 'application/json'],
  ['javascript', 'application/javascript'],
  ['markdown', 'text/markdown'],
]);
// Keys older writers leave on cells and outputs: the schema forbids them, but dropping them loses
// nothing, so no warning.
export const SILENT_LEFTOVERS = new Set(['prompt_number', 'language', 'collapsed', 'transient']);

// ---------------------------------------------------------------------------------------------
// Helpers

/** Warnings grouped by message, so a repair made in 5,000 cells is one line, and capped. */
export class Warnings {
  private readonly groups = new Map<string, { places: string[]; count: number }>();

  add(message: string, place?: string): void {
    let group = this.groups.get(message);
    if (!group) {
      group = { places: [], count: 0 };
      this.groups.set(message, group);
    }
    if (place === undefined) return;
    group.count++;
    if (group.places.length < MAX_PLACES && !group.places.includes(place)) group.places.push(place);
  }

  lines(): string[] {
    const lines: string[] = [];
    for (const [message, { places, count }] of this.groups) {
      if (places.length === 0) {
        lines.push(capitalize(message));
        continue;
      }
      const more = count > places.length ? ` and ${count - places.length} more` : '';
      // "cells 3, 5 and 9 more" reads better than "cell 3, cell 5 and 9 more".
      const label =
        places.length > 1 && places.every((p) => /^cell \d+$/.test(p))
          ? `cells ${places.map((p) => p.slice(5)).join(', ')}`
          : places.join(', ');
      lines.push(`${capitalize(label)}${more}: ${message}`);
    }
    if (lines.length <= MAX_WARNING_LINES) return lines;
    const rest = lines.length - MAX_WARNING_LINES;
    return [...lines.slice(0, MAX_WARNING_LINES), `…and ${rest} more kind${rest === 1 ? '' : 's'} of repair`];
  }
}

export class TooDeep extends Error {}

/** A deep copy of a JSON value; too-deep values are dropped (undefined) with a warning. */
export function copyJson(value: unknown, place: string, warnings: Warnings): unknown {
  try {
    return copyValue(value, 0);
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
    warnings.add(`dropped a value nested more than ${MAX_DEPTH} levels deep`, place);
    return undefined;
  }
}

export function copyValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (depth >= MAX_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return value.map((item) => (isWritable(item) ? copyValue(item, depth + 1) : null));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (isWritable(item)) setKey(out, key, copyValue(item, depth + 1));
    }
    return out;
  }
  return null;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: a parsed key is data, never Object.prototype's `constructor` or `toString`. */
export function own(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Assignment that stores a `__proto__` key as data instead of changing the prototype. */
export function setKey(object: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

export function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export function isEmptyValue(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

/** The JSON type of a value, for warnings: without the value, so repeats group into one line. */
export function typeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return 'true or false';
  return `a ${typeof value}`;
}

/** The JSON type of a value with a glimpse of it, for errors. */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `a string ("${clip(value, 30)}")`;
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function fileLabel(name: string): string {
  return name === 'This file' ? 'notebook.ipynb' : name.replace(/'/g, "'\\''");
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** A file that cannot be opened as a notebook. The message is shown to the user as-is. */
export class NotebookFileError extends Error {
  override name = 'NotebookFileError';
}

export function isWritable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** Python's str.splitlines(keepends=True): joining the result gives the input back. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  if (!HAS_LINE_BREAK.test(text)) return [text];
  const lines = text.match(LINE_PIECE) ?? [];
  // The pattern ends with one empty match at the end of the text.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function joinStrings(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join('');
  return undefined;
}
