// @ts-check
// Ruff (the genuine linter and formatter, as Astral's WebAssembly build from npm) on
// python-packages/pyloom: `node python-packages/ruff.mjs check | format [--check]`. Settings are
// read from [tool.ruff] in python-packages/pyloom/pyproject.toml, so a native `ruff` agrees.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PositionEncoding, Workspace } from '@astral-sh/ruff-wasm-nodejs';

const ROOT = fileURLToPath(new URL('./pyloom/', import.meta.url));

/**
 * The [tool.ruff] and [tool.ruff.*] tables of pyproject.toml. Values are the JSON-compatible
 * subset of TOML (numbers, "strings", ["arrays"]), which is all those tables use.
 * @returns {Record<string, unknown>}
 */
function ruffSettings() {
  /** @type {Record<string, unknown>} */
  const settings = {};
  /** @type {Record<string, unknown> | undefined} */
  let table;
  for (const line of readFileSync(join(ROOT, 'pyproject.toml'), 'utf8').split('\n')) {
    const header = /^\[tool\.ruff(?:\.([\w.-]+))?\]\s*$/.exec(line);
    if (header) {
      table = settings;
      for (const key of header[1]?.split('.') ?? []) {
        const next = /** @type {Record<string, unknown>} */ (table[key] ?? {});
        table[key] = next;
        table = next;
      }
      continue;
    }
    if (/^\[/.test(line)) table = undefined;
    const pair = /^([\w-]+)\s*=\s*(.+)$/.exec(line.trim());
    if (table && pair) table[pair[1] ?? ''] = JSON.parse(pair[2] ?? 'null');
  }
  return settings;
}

/** @param {string} dir @returns {string[]} */
function pythonFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return entry.name === '__pycache__' || entry.name.startsWith('.') ? [] : pythonFiles(join(dir, entry.name));
    return entry.name.endsWith('.py') ? [join(dir, entry.name)] : [];
  });
}

/**
 * @typedef {{ row: number; column: number }} Location
 * @typedef {{ content: string | null; location: Location; end_location: Location }} Edit
 * @typedef {{ code: string | null; message: string; start_location: Location; fix: { edits: Edit[] } | null }} Diagnostic
 */

/** Ruff's suggested fixes, applied from the end of the file so earlier offsets stay valid. */
function applyFixes(/** @type {string} */ source, /** @type {Diagnostic[]} */ diagnostics) {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const offset = (/** @type {Location} */ l) => (lineStarts[l.row - 1] ?? source.length) + l.column - 1;
  const edits = diagnostics
    .flatMap((d) => d.fix?.edits ?? [])
    .map((e) => ({ start: offset(e.location), end: offset(e.end_location), text: e.content ?? '' }));
  edits.sort((x, y) => y.start - x.start);
  let out = source;
  let limit = Infinity;
  for (const edit of edits) {
    if (edit.end > limit) continue; // overlaps a later edit: the next run picks it up
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    limit = edit.start;
  }
  return out;
}

const [command, flag] = process.argv.slice(2);
const workspace = new Workspace(ruffSettings(), PositionEncoding.Utf16);
let problems = 0;
for (const file of pythonFiles(ROOT)) {
  const name = relative(process.cwd(), file);
  const source = readFileSync(file, 'utf8');
  if (command === 'check') {
    let diagnostics = /** @type {Diagnostic[]} */ (workspace.check(source));
    if (flag === '--fix' && diagnostics.some((d) => d.fix)) {
      writeFileSync(file, applyFixes(source, diagnostics));
      diagnostics = workspace.check(readFileSync(file, 'utf8'));
    }
    for (const d of diagnostics) {
      console.log(`${name}:${d.start_location.row}:${d.start_location.column}: ${d.code ?? ''} ${d.message}`);
      problems++;
    }
  } else if (command === 'format') {
    const formatted = workspace.format(source);
    if (formatted === source) continue;
    if (flag === '--check') {
      console.log(`would reformat ${name}`);
      problems++;
    } else {
      writeFileSync(file, formatted);
      console.log(`reformatted ${name}`);
    }
  } else {
    console.error('usage: node python-packages/ruff.mjs check | format [--check]');
    process.exit(2);
  }
}
if (problems) {
  console.error(`ruff ${Workspace.version()}: ${problems} ${command === 'check' ? 'problem(s)' : 'file(s) to reformat'}`);
  process.exit(1);
}
