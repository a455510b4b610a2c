// Reading `.ipynb` files: decoding, JSON parsing, and the nbformat version dispatch (3 → upgrade,
// 4.x → repair to 4.5). Errors a user can act on are NotebookFileError.
import type { Notebook } from './model';
import { NotebookFileError, Warnings, clip, describeError, fileLabel, isObject, kindOf, own, typeName } from './ipynb-json';
import { upgradeV3 } from './ipynb-upgrade';
import { normalizeNotebook } from './ipynb-repair';

export { NotebookFileError };

export interface ImportResult {
  notebook: Notebook;
  /** Repairs made while reading, one line each, for the user to see. */
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------
// Reading

export function parseNotebook(input: string | ArrayBuffer | Uint8Array, fileName?: string): ImportResult {
  const name = fileName || 'This file';
  try {
    const document = parseJson(decode(input, name), name);
    const warnings = new Warnings();
    const notebook = readDocument(document, name, warnings);
    return { notebook, warnings: warnings.lines() };
  } catch (error) {
    if (error instanceof NotebookFileError) throw error;
    // The cause marks a reader bug (tests look for it); the user still gets a readable message.
    throw new NotebookFileError(
      `${name} could not be opened because of an unexpected problem in Pyloom's notebook reader ` +
        `(${describeError(error)}). Please report it, with the file if you can share it.`,
      { cause: error },
    );
  }
}

export function decode(input: string | ArrayBuffer | Uint8Array, name: string): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new NotebookFileError(`${name} is UTF-16 text, but Jupyter notebooks are UTF-8. Save it again as UTF-8 and open it once more.`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NotebookFileError(
      `${name} is not UTF-8 text, so it is not a Jupyter notebook (notebooks are UTF-8 JSON). ` +
        `Check that you picked the right file; if it is a notebook saved in another encoding, save it again as UTF-8.`,
    );
  }
}

export function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (/^\s*$/.test(text)) throw new NotebookFileError(`${name} is empty, so it is not a Jupyter notebook.`);
    if (error instanceof SyntaxError) {
      const truncated = /end of (JSON )?(input|data)/i.test(error.message) ? ' It looks cut short: was the download or copy complete?' : '';
      throw new NotebookFileError(`${name} is not a Jupyter notebook: it is not valid JSON (${clip(error.message, 200)}).${truncated}`);
    }
    // Engines other than V8 stop at a nesting limit (Firefox: "too much recursion").
    throw new NotebookFileError(
      `${name} could not be read: its JSON is nested too deeply or is too large for this browser ` +
        `(${clip(describeError(error), 200)}). It is not a notebook Pyloom can open.`,
    );
  }
}

export function readDocument(document: unknown, name: string, warnings: Warnings): Notebook {
  const notAnotebook = `it is JSON but not a Jupyter notebook`;
  if (!isObject(document)) {
    throw new NotebookFileError(
      `${name} is ${kindOf(document)}; ${notAnotebook}, which is a JSON object with 'cells', 'metadata' and 'nbformat'.`,
    );
  }
  const nbformat = own(document, 'nbformat');
  const cells = own(document, 'cells');
  const worksheets = own(document, 'worksheets');
  let version: 3 | 4;
  if (nbformat === undefined) {
    if (Array.isArray(cells)) version = 4;
    else if (Array.isArray(worksheets)) version = 3;
    else throw new NotebookFileError(`${name} has no 'cells' list and no 'nbformat' version; ${notAnotebook}.`);
    warnings.add(`the file has no 'nbformat' version; read it as nbformat ${version}`);
  } else if (typeof nbformat !== 'number' || !Number.isInteger(nbformat)) {
    throw new NotebookFileError(
      `${name} is not a notebook Pyloom can read: its 'nbformat' is ${kindOf(nbformat)}, where Jupyter notebooks have the number 4 (or 3 for old ones).`,
    );
  } else if (nbformat === 4 || nbformat === 3) {
    version = nbformat;
  } else if (nbformat === 1 || nbformat === 2) {
    throw new NotebookFileError(
      `${name} is an nbformat ${nbformat} notebook (IPython before 2.0); Pyloom reads nbformat 3 and 4. ` +
        `Upgrade it with Jupyter first: jupyter nbconvert --to notebook --output new.ipynb '${fileLabel(name)}'.`,
    );
  } else if (nbformat > 4) {
    throw new NotebookFileError(
      `${name} is an nbformat ${nbformat} notebook, newer than the nbformat 4 that Pyloom and Jupyter read today.`,
    );
  } else {
    throw new NotebookFileError(`${name} has 'nbformat' ${nbformat}, which no Jupyter notebook has; ${notAnotebook}.`);
  }

  if (version === 3) {
    const upgraded = upgradeV3(document, name, warnings);
    warnings.add('converted from nbformat 3 (IPython 2); it will be saved as nbformat 4.5');
    return normalizeNotebook(upgraded.metadata, upgraded.cells, 0, warnings, name);
  }

  if (cells === undefined) throw new NotebookFileError(`${name} has no 'cells' list; ${notAnotebook}.`);
  if (!Array.isArray(cells)) {
    throw new NotebookFileError(`${name} is not a notebook Pyloom can read: its 'cells' is ${kindOf(cells)}, not a list of cells.`);
  }
  const minorValue = own(document, 'nbformat_minor');
  let minor = 0;
  if (typeof minorValue === 'number' && Number.isInteger(minorValue) && minorValue >= 0) minor = minorValue;
  else warnings.add(`'nbformat_minor' was ${typeName(minorValue)}; read the file as nbformat 4.0`);
  if (minor > 5) {
    warnings.add(`the file is nbformat 4.${minor}, newer than 4.5; anything 4.5 cannot hold was dropped and it will be saved as 4.5`);
  }
  for (const key of Object.keys(document)) {
    if (key !== 'cells' && key !== 'metadata' && key !== 'nbformat' && key !== 'nbformat_minor') {
      warnings.add(`dropped the top-level key '${clip(key, 40)}' (nbformat 4.5 has no place for it)`);
    }
  }
  return normalizeNotebook(own(document, 'metadata'), cells, minor, warnings, name);
}
