// Where the tests find the official nbformat v4.5 schema (never copied into the project): the
// PYLOOM_NBFORMAT_SCHEMA variable, else shared/data beside the checkout (or one level up).
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const FILE = 'nbformat.v4.5.schema.json';

export const SCHEMA_CANDIDATES = [
  process.env['PYLOOM_NBFORMAT_SCHEMA'],
  path.resolve(ROOT, '../shared/data', FILE),
  path.resolve(ROOT, '../../shared/data', FILE),
].filter((p): p is string => Boolean(p));

/** The schema's path, or undefined (callers skip, naming SCHEMA_CANDIDATES). */
export const SCHEMA_PATH: string | undefined = SCHEMA_CANDIDATES.find((p) => existsSync(p));
export const SCHEMA_MISSING = `nbformat schema not found (looked at ${SCHEMA_CANDIDATES.join(', ')}; set PYLOOM_NBFORMAT_SCHEMA)`;
