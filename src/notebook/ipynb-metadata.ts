// nbformat 4.5 metadata repair (notebook, cell, output): unknown keys are kept verbatim; known keys are
// checked against the schema, because a file Jupyter's validator rejects is worse than a dropped bad value.
import type { Cell, JsonObject } from './model';
import { Warnings, clip, copyJson, isObject, own, setKey, typeName } from './ipynb-json';

export function normalizeNotebookMetadata(raw: unknown, warnings: Warnings): JsonObject {
  const place = 'notebook metadata';
  const metadata = normalizeFreeMetadata(raw, place, warnings, ['orig_nbformat', 'orig_nbformat_minor', 'signature']);
  const kernelspec = own(metadata, 'kernelspec');
  if (kernelspec !== undefined) {
    if (isObject(kernelspec) && typeof own(kernelspec, 'name') === 'string') {
      if (typeof own(kernelspec, 'display_name') !== 'string') {
        warnings.add("'kernelspec' had no display name; used its name", place);
        metadata.kernelspec = { ...kernelspec, display_name: own(kernelspec, 'name') };
      }
    } else {
      warnings.add("'kernelspec' was not valid (it needs a 'name' and a 'display_name'); dropped it", place);
      delete metadata.kernelspec;
    }
  }
  const languageInfo = own(metadata, 'language_info');
  if (languageInfo !== undefined) {
    if (isObject(languageInfo) && typeof own(languageInfo, 'name') === 'string') {
      const fixed: JsonObject = { ...languageInfo };
      let changed = false;
      for (const key of ['file_extension', 'mimetype', 'pygments_lexer']) {
        if (Object.hasOwn(fixed, key) && typeof fixed[key] !== 'string') {
          delete fixed[key];
          changed = true;
        }
      }
      const mode = own(fixed, 'codemirror_mode');
      if (mode !== undefined && typeof mode !== 'string' && !isObject(mode)) {
        delete fixed.codemirror_mode;
        changed = true;
      }
      if (changed) {
        warnings.add("'language_info' had entries of the wrong type; dropped them", place);
        metadata.language_info = fixed;
      }
    } else {
      warnings.add("'language_info' was not valid (it needs a 'name'); dropped it", place);
      delete metadata.language_info;
    }
  }
  dropUnless(metadata, 'title', (v) => typeof v === 'string', 'text', place, warnings);
  dropUnless(metadata, 'authors', Array.isArray, 'a list', place, warnings);
  return metadata;
}

export function normalizeCellMetadata(raw: unknown, type: Cell['cell_type'], place: string, warnings: Warnings): JsonObject {
  const where = `${place} metadata`;
  const metadata = normalizeFreeMetadata(raw, where, warnings, ['trusted']);
  // The schema's pattern ^.+$ (JavaScript semantics): one non-empty line.
  dropUnless(metadata, 'name', (v) => typeof v === 'string' && /^.+$/u.test(v), 'one line of text', where, warnings);
  dropUnless(metadata, 'jupyter', isObject, 'an object', where, warnings);
  const tags = own(metadata, 'tags');
  if (tags !== undefined) {
    if (!Array.isArray(tags)) {
      warnings.add(`'tags' was ${typeName(tags)}, not a list; dropped it`, where);
      delete metadata.tags;
    } else {
      const kept = [...new Set(tags.filter((tag): tag is string => typeof tag === 'string' && tag !== '' && !tag.includes(',')))];
      if (kept.length !== tags.length) {
        warnings.add('dropped tags that were empty, not text, contained a comma or were repeated', where);
        metadata.tags = kept;
      }
    }
  }
  if (type === 'code') {
    dropUnless(metadata, 'collapsed', (v) => typeof v === 'boolean', 'true or false', where, warnings);
    dropUnless(metadata, 'scrolled', (v) => typeof v === 'boolean' || v === 'auto', "true, false or 'auto'", where, warnings);
    const execution = own(metadata, 'execution');
    if (execution !== undefined) {
      if (!isObject(execution)) {
        warnings.add(`'execution' was ${typeName(execution)}, not an object; dropped it`, where);
        delete metadata.execution;
      } else if (!Object.values(execution).every((v) => typeof v === 'string')) {
        warnings.add("'execution' held timestamps that are not text; dropped those", where);
        const fixed: JsonObject = {};
        for (const key of Object.keys(execution)) if (typeof execution[key] === 'string') setKey(fixed, key, execution[key]);
        metadata.execution = fixed;
      }
    }
  } else if (type === 'raw') {
    dropUnless(metadata, 'format', (v) => typeof v === 'string', 'text', where, warnings);
  }
  return metadata;
}

/** A metadata object copied key by key (so one too-deep value loses only itself). */
export function normalizeFreeMetadata(raw: unknown, place: string, warnings: Warnings, transient: readonly string[] = []): JsonObject {
  if (!isObject(raw)) {
    const message =
      raw === undefined ? "had no 'metadata'; gave it an empty one" : `'metadata' was ${typeName(raw)}; replaced it with an empty one`;
    warnings.add(message, place.replace(/ metadata$/, ''));
    return {};
  }
  const out: JsonObject = {};
  for (const key of Object.keys(raw)) {
    // Jupyter strips these on every read and write (nbformat's strip_transient).
    if (transient.includes(key)) continue;
    const copy = copyJson(raw[key], `${place} '${clip(key, 60)}'`, warnings);
    if (copy !== undefined) setKey(out, key, copy);
  }
  return out;
}

export function dropUnless(
  metadata: JsonObject,
  key: string,
  valid: (value: unknown) => boolean,
  expected: string,
  place: string,
  warnings: Warnings,
): void {
  if (!Object.hasOwn(metadata, key) || valid(metadata[key])) return;
  warnings.add(`'${key}' was ${typeName(metadata[key])}, where nbformat expects ${expected}; dropped it`, place);
  delete metadata[key];
}
