// Shared by the .ipynb unit tests: the official nbformat 4.5 schema compiled (Ajv, draft 4), with no
// validator when the schema file is absent (tests then skip, naming SCHEMA_MISSING); a code cell by index.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';
import { expect } from 'vitest';
import type { CodeCell, Notebook } from '../../../src/notebook/model';
import { SCHEMA_MISSING, SCHEMA_PATH } from '../../nbformat-schema';

/** Every schema error of `doc` as lines of text, or null when it is valid; null itself when the schema is absent. */
export const notebookSchemaErrors: ((doc: unknown) => string | null) | null = (() => {
  if (!SCHEMA_PATH) return null;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  return (doc: unknown) => (validate(doc) ? null : ajv.errorsText(validate.errors, { separator: '\n' }));
})();

/** Fails the test when `doc` is not valid nbformat 4.5; skips it (with the reason) when the schema is absent. */
export function expectValid(doc: unknown, ctx: { skip: (note: string) => void }): void {
  if (!notebookSchemaErrors) {
    ctx.skip(SCHEMA_MISSING);
    return;
  }
  const errors = notebookSchemaErrors(doc);
  expect(errors, `schema errors:\n${errors}`).toBeNull();
}

/** Cell `index` of `notebook`, which must be a code cell (throws otherwise). */
export function codeCell(notebook: Notebook, index: number): CodeCell {
  const cell = notebook.cells[index];
  if (cell?.cell_type !== 'code') throw new Error(`cell ${index} is not code`);
  return cell;
}
