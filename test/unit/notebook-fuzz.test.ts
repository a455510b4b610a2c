// Fuzzing the .ipynb reader with mutated real notebooks: every input either loads into a model whose
// export is a valid nbformat 4.5 file, or is refused with a NotebookFileError, never anything else.
// Replay: PYLOOM_FUZZ_SEED=<seed> [PYLOOM_FUZZ_CASE=<index>] [PYLOOM_FUZZ_CASES=<count>] [PYLOOM_FUZZ_VERBOSE=1] [PYLOOM_FUZZ_DUMP=<dir>] npx vitest run test/unit/notebook-fuzz.test.ts
import { SCHEMA_MISSING, SCHEMA_PATH } from '../nbformat-schema';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import Ajv from 'ajv-draft-04';
import { afterAll, describe, expect, test } from 'vitest';
import { NotebookFileError, parseNotebook, serializeNotebook } from '../../src/notebook/ipynb';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/notebooks');

const SEED = envInt('PYLOOM_FUZZ_SEED') ?? 20_240_501;
const TOTAL_CASES = Math.max(3, envInt('PYLOOM_FUZZ_CASES') ?? 3000);
const ONLY_CASE = envInt('PYLOOM_FUZZ_CASE');
const VERBOSE = process.env.PYLOOM_FUZZ_VERBOSE === '1';
/** A folder to write every loaded case's export to, e.g. to check them with Python's nbformat. */
const DUMP_DIR = process.env.PYLOOM_FUZZ_DUMP;

function envInt(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new Error(`${name} must be an integer, got ${value}`);
  return number;
}

const FIXTURE_TEXTS = ['jupyter-v4.5.ipynb', 'jupyter-v4.4-no-ids.ipynb', 'ipython2-v3.ipynb', 'ipython2-v3.upgraded-by-nbformat.ipynb'].map(
  (name) => readFileSync(path.join(FIXTURES, name), 'utf8'),
);

const schemaErrors: ((doc: unknown) => string | null) | null = (() => {
  if (!SCHEMA_PATH) return null;
  const ajv = new Ajv({ strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  return (doc: unknown) => (validate(doc) ? null : ajv.errorsText(validate.errors));
})();

// ---- A small deterministic PRNG (mulberry32), one stream per case so any case replays alone.

class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

function caseSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// ---- Mutations at the JSON-value level.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Slot = { parent: Json[] | { [key: string]: Json }; key: string | number };

const DEEP = '\u0000PYLOOM_DEEP\u0000';
const KEYS = [
  'cells', 'metadata', 'source', 'outputs', 'output_type', 'cell_type', 'id', 'text', 'data', 'name', 'ename', 'evalue',
  'traceback', 'execution_count', 'attachments', 'nbformat', 'nbformat_minor', 'worksheets', 'tags', 'kernelspec',
  'language_info', 'collapsed', 'scrolled', 'format', 'execution', 'jupyter', 'title', 'authors', 'orig_nbformat',
  'image/png', 'text/plain', 'text/html', 'application/json', 'application/x+json', 'text/x+json', 'prompt_number',
  'input', 'level', 'stream', 'pyout', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'ünï\n', '10',
];
const STRINGS = [
  '', ' ', 'stdout', 'stderr', 'code', 'markdown', 'raw', 'heading', 'html', 'widget', 'stream', 'display_data',
  'execute_result', 'error', 'pyout', 'pyerr', 'clear_output', 'update_display_data', 'a,b', 'two\nlines', 'auto',
  'x'.repeat(65), 'valid-id_1', 'has space', '\ud800', '🐍', '\r\n', 'application/json', '{"a": 1}', 'null', '4',
];
const NUMBERS = [0, 1, -1, 2, 3, 4, 5, 6, 1.5, -0.5, 1e308, -1e308, 2 ** 53, 65];

/** Sets a key as data, `__proto__` included (assignment would change the prototype instead). */
function defineKey(object: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function randomValue(rng: Rng, depth = 0): Json {
  switch (rng.int(depth > 2 ? 4 : 6)) {
    case 0:
      return rng.chance(0.8) ? rng.pick(STRINGS) : String.fromCharCode(...Array.from({ length: rng.int(12) }, () => rng.int(0x3000)));
    case 1:
      return rng.pick(NUMBERS);
    case 2:
      return null;
    case 3:
      return rng.chance(0.5);
    case 4:
      return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    default: {
      const object: { [key: string]: Json } = {};
      for (let i = rng.int(4); i > 0; i--) defineKey(object, rng.pick(KEYS), randomValue(rng, depth + 1));
      return object;
    }
  }
}

/** Every place in the document a value sits (iterative: mutated documents can be deep). */
function slots(root: Json): Slot[] {
  const out: Slot[] = [];
  const stack: Json[] = [root];
  while (stack.length > 0 && out.length < 20_000) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        out.push({ parent: node, key: index });
        stack.push(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        out.push({ parent: node, key });
        const child = node[key];
        if (child !== undefined) stack.push(child);
      }
    }
  }
  return out;
}

const get = (slot: Slot): Json | undefined => (Array.isArray(slot.parent) ? slot.parent[slot.key as number] : slot.parent[slot.key as string]);
function set(slot: Slot, value: Json): void {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else defineKey(slot.parent, slot.key as string, value);
}

function swapType(value: Json | undefined, rng: Rng): Json {
  const options: Json[] = ['text', 7, null, [], {}, true];
  if (typeof value === 'string') options.push([value], Number(value.length));
  if (Array.isArray(value)) options.push(value.join?.('') ?? '', { ...value });
  if (typeof value === 'number') options.push(String(value), [value], -value, value + 0.5);
  return rng.pick(options);
}

function cellsOf(doc: Json): Json[][] {
  const lists: Json[][] = [];
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    const cells = doc.cells;
    if (Array.isArray(cells)) lists.push(cells);
    const worksheets = doc.worksheets;
    if (Array.isArray(worksheets)) {
      for (const ws of worksheets) if (ws && typeof ws === 'object' && !Array.isArray(ws) && Array.isArray(ws.cells)) lists.push(ws.cells);
    }
  }
  return lists;
}

type Role = 'notebook metadata' | 'cell metadata' | 'output metadata' | 'bundle' | 'nested';
const isRecord = (v: Json | undefined): v is { [key: string]: Json } => !!v && typeof v === 'object' && !Array.isArray(v);

/** The objects nbformat keeps free-form or keyed content in, by role: metadata, MIME bundles, attachments. */
function keyedObjects(root: Json): { object: { [key: string]: Json }; role: Role }[] {
  const out: { object: { [key: string]: Json }; role: Role }[] = [];
  for (const slot of slots(root)) {
    const value = get(slot);
    if (!isRecord(value) || typeof slot.key !== 'string' || Array.isArray(slot.parent)) continue;
    const parent = slot.parent;
    if (slot.key === 'metadata') {
      let role: Role = 'nested';
      if ('cell_type' in parent) role = 'cell metadata';
      else if ('output_type' in parent) role = 'output metadata';
      else if ('nbformat' in parent) role = 'notebook metadata';
      out.push({ object: value, role });
    } else if (slot.key === 'data') {
      out.push({ object: value, role: 'bundle' });
    } else if (slot.key === 'attachments') {
      for (const bundle of Object.values(value)) if (isRecord(bundle)) out.push({ object: bundle, role: 'bundle' });
    } else if (['kernelspec', 'language_info', 'execution', 'jupyter'].includes(slot.key)) {
      out.push({ object: value, role: 'nested' });
    }
  }
  return out;
}

const ANY_KEYS = ['x_custom', '__proto__', 'constructor', '', 'toString'];
const ROLE_KEYS: Record<Role, string[]> = {
  'notebook metadata': ['kernelspec', 'language_info', 'title', 'authors', 'orig_nbformat', 'orig_nbformat_minor', 'signature', 'tags', 'name'],
  'cell metadata': ['name', 'tags', 'jupyter', 'collapsed', 'scrolled', 'execution', 'format', 'trusted', 'kernelspec'],
  'output metadata': ['image/png', 'tags', 'collapsed', 'needs_background'],
  bundle: ['application/json', 'application/vnd.x+json', 'image/png', 'text/plain', 'text/y+json', 'image/svg+xml', 'text/html'],
  nested: ['name', 'display_name', 'file_extension', 'mimetype', 'pygments_lexer', 'codemirror_mode', 'iopub.status.busy', 'source_hidden'],
};

/** Values at the edges of what the schema allows for the keys it constrains. */
const EDGE_VALUES: { [key: string]: Json[] } = {
  tags: [['a', 'a'], ['a,b'], ['x', 1], 'a', [], [''], ['ok']],
  name: ['', 'two\nlines', 'line\u2028sep', 'ok', 5],
  collapsed: ['yes', 1, null, true, false],
  scrolled: ['auto', 'no', 1, true],
  execution: [{ a: 1 }, { a: 'x' }, 'x', { 'iopub.status.busy': null }],
  format: [1, 'text/x', null],
  jupyter: [[], 'x', {}, { source_hidden: 'no' }],
  kernelspec: [{ name: 'x' }, { display_name: 'x' }, { name: 1, display_name: 'y' }, 'x', { name: 'p', display_name: 'P', extra: [1] }],
  language_info: [{ name: 'python', file_extension: 3 }, { codemirror_mode: 5, name: 'p' }, {}, { name: 'p', codemirror_mode: ['x'] }],
  title: [5, 't', null],
  authors: [{}, [], 'x', [{ name: 1 }]],
  orig_nbformat: ['3', 0, 3, 4.5],
  signature: ['sha256:00'],
  trusted: [true, 'x'],
  'image/png': [5, null, ['a', 'b'], {}, ['a', 1]],
  'text/plain': [5, true, ['a', null], { a: 1 }],
  'application/json': [null, 'text', [1, { a: [] }], 1.5],
  'text/y+json': [{ a: 1 }, 'x'],
  'application/vnd.x+json': [{ a: 1 }, [null]],
  display_name: [5, null, 'Python'],
  file_extension: [3, '.py'],
  mimetype: [[], 'text/x-python'],
  pygments_lexer: [false],
  codemirror_mode: [5, ['x'], 'python', { name: 'ipython' }],
  'iopub.status.busy': [5, null, '2024-01-01'],
  orig_nbformat_minor: ['x', 4],
};

function mutateJson(doc: Json, rng: Rng, notes: string[]): Json {
  const count = 1 + rng.int(4);
  for (let m = 0; m < count; m++) {
    const all = slots(doc);
    // Most slots are lines of text; bias towards slots in objects, where the structure is.
    const inObjects = all.filter((s) => !Array.isArray(s.parent));
    const slot = inObjects.length > 0 && rng.chance(0.6) ? rng.pick(inObjects) : all.length > 0 ? rng.pick(all) : undefined;
    const kind = rng.int(130);
    if (kind >= 100) {
      const targets = keyedObjects(doc);
      if (targets.length > 0) {
        const { object: target, role } = rng.pick(targets);
        const key = rng.chance(0.85) ? rng.pick(ROLE_KEYS[role]) : rng.pick(ANY_KEYS);
        const edges = Object.hasOwn(EDGE_VALUES, key) ? EDGE_VALUES[key] : undefined;
        let value: Json;
        if (edges && rng.chance(0.5)) value = structuredClone(rng.pick(edges));
        else if (rng.chance(0.25)) value = DEEP;
        else value = rng.chance(0.5) ? randomValue(rng) : swapType(target[key] ?? null, rng);
        defineKey(target, key, value);
        notes.push(`${role} ${JSON.stringify(key)} → ${value === DEEP ? 'deep nesting' : JSON.stringify(value).slice(0, 40)}`);
      }
      continue;
    }
    if (kind < 15 && slot) {
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete slot.parent[slot.key as string];
      notes.push(`delete ${String(slot.key)}`);
    } else if (kind < 40 && slot) {
      set(slot, swapType(get(slot), rng));
      notes.push(`swap type at ${String(slot.key)}`);
    } else if (kind < 45 && slot) {
      set(slot, rng.pick(['a', '\n', 'é', 'AAAA']).repeat(rng.pick([1 << 18, 1 << 20])));
      notes.push(`huge string at ${String(slot.key)}`);
    } else if (kind < 50) {
      if (slot && rng.chance(0.7)) set(slot, DEEP);
      else doc = DEEP;
      notes.push('deep nesting');
    } else if (kind < 60) {
      const lists = cellsOf(doc);
      const cells = lists.length > 0 ? rng.pick(lists) : undefined;
      if (cells && cells.length > 0) {
        const cell = rng.pick(cells);
        const times = rng.pick([1, 1, 2, 50]);
        for (let i = 0; i < times; i++) cells.splice(rng.int(cells.length + 1), 0, structuredClone(cell));
        notes.push(`duplicate a cell ×${times}`);
      }
    } else if (kind < 70) {
      const lists = cellsOf(doc);
      const cells = lists.length > 0 ? rng.pick(lists) : undefined;
      const cell = cells && cells.length > 0 ? rng.pick(cells) : undefined;
      if (cell && typeof cell === 'object' && !Array.isArray(cell)) {
        const other = cells?.find((c) => c && typeof c === 'object' && !Array.isArray(c) && typeof c.id === 'string');
        const otherId = other && typeof other === 'object' && !Array.isArray(other) ? (other.id ?? 'x') : 'x';
        cell.id = rng.pick<Json>(['', 'has space', 'x'.repeat(65), 'ünï', '-', 5, null, [], otherId, 'a/b', 'ok_id-1']);
        notes.push(`cell id → ${JSON.stringify(cell.id)}`);
      }
    } else if (kind < 80 && slot) {
      const target = get(slot);
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        const key = rng.pick(KEYS);
        defineKey(target, key, randomValue(rng));
        notes.push(`add key ${JSON.stringify(key)}`);
      } else {
        set(slot, randomValue(rng));
        notes.push(`random value at ${String(slot.key)}`);
      }
    } else if (kind < 88 && slot) {
      const target = get(slot);
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        const key = rng.pick(['cell_type', 'output_type', 'name']);
        target[key] = rng.pick(STRINGS);
        notes.push(`${key} → ${JSON.stringify(target[key])}`);
      }
    } else if (kind < 94) {
      if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
        const key = rng.pick(['nbformat', 'nbformat_minor']);
        doc[key] = rng.pick<Json>([3, 4, 5, 2, 1, 0, -1, 4.5, '4', null, 6, 99]);
        notes.push(`${key} → ${JSON.stringify(doc[key])}`);
      }
    } else {
      // Lists: repeated items (tags must be unique), items with commas (tags must not have them).
      const lists = all.map(get).filter((v): v is Json[] => Array.isArray(v) && v.length > 0);
      const list = lists.length > 0 ? rng.pick(lists) : undefined;
      if (!list) continue;
      const choice = rng.int(3);
      if (choice === 0) {
        list.splice(rng.int(list.length + 1), 0, structuredClone(rng.pick(list)));
        notes.push('repeat a list item');
      } else if (choice === 1) {
        list.push(rng.pick<Json>(['a,b', ',', 'intro', '']));
        notes.push('append to a list');
      } else {
        list.reverse();
        list.length = rng.int(list.length);
        notes.push('reverse and truncate a list');
      }
    }
  }
  return doc;
}

function deepText(rng: Rng): string {
  const depth = rng.pick([600, 5000, 100_000, 100_000]);
  return rng.chance(0.7) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

// ---- Mutations at the byte level.

const INVALID_UTF8 = [[0xc3, 0x28], [0xff], [0xfe], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80]];

function mutateBytes(bytes: Uint8Array, rng: Rng, notes: string[]): Uint8Array {
  let out = bytes;
  const count = 1 + rng.int(3);
  for (let m = 0; m < count; m++) {
    const kind = rng.int(5);
    const at = rng.int(out.length + 1);
    if (kind === 0) {
      out = out.slice(0, at);
      notes.push(`truncate at ${at}`);
    } else if (kind === 1) {
      out = out.slice();
      for (let i = 1 + rng.int(4); i > 0 && out.length > 0; i--) {
        const p = rng.int(out.length);
        out[p] = (out[p] ?? 0) ^ (1 << rng.int(8));
      }
      notes.push('flip bits');
    } else if (kind === 2) {
      const bad = rng.pick(INVALID_UTF8);
      out = concat(out.subarray(0, at), Uint8Array.from(bad), out.subarray(at));
      notes.push(`insert invalid UTF-8 ${bad.map((b) => b.toString(16)).join(' ')} at ${at}`);
    } else if (kind === 3) {
      const end = Math.min(out.length, at + 1 + rng.int(64));
      out = concat(out.subarray(0, at), out.subarray(end));
      notes.push(`delete bytes ${at}-${end}`);
    } else {
      const junk = new TextEncoder().encode(rng.pick(['{', '}', '[', ']', ',', '"', ':', 'null', '\\', '\\u00', '1e999', '-']));
      out = concat(out.subarray(0, at), junk, out.subarray(at));
      notes.push(`insert JSON punctuation at ${at}`);
    }
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

// ---- The property.

type Mode = 'json' | 'bytes' | 'both';
interface Tally {
  cases: number;
  loaded: number;
  loadedWithWarnings: number;
  rejected: number;
  ms: number;
  slowest: { index: number; ms: number };
  failures: string[];
  /** Exports checked against the nbformat schema (0 when the schema is absent), and what failed. */
  validated: number;
  schemaFailures: string[];
}
const tallies = new Map<Mode, Tally>();

function makeInput(index: number, mode: Mode): { input: string | Uint8Array; notes: string[] } {
  const rng = new Rng(caseSeed(SEED, index));
  const notes: string[] = [];
  const base = rng.pick(FIXTURE_TEXTS);
  let text = base;
  if (mode !== 'bytes') {
    const doc = mutateJson(JSON.parse(base) as Json, rng, notes);
    text = JSON.stringify(doc, null, rng.chance(0.5) ? 1 : undefined);
    const marker = JSON.stringify(DEEP);
    if (text.includes(marker)) text = text.replaceAll(marker, deepText(rng));
  }
  if (mode === 'json') return { input: rng.chance(0.5) ? text : new TextEncoder().encode(text), notes };
  return { input: mutateBytes(new TextEncoder().encode(text), rng, notes), notes };
}

function checkCase(index: number, mode: Mode, tally: Tally): void {
  const { input, notes } = makeInput(index, mode);
  const where = `seed ${SEED} case ${index} (${mode}: ${notes.join('; ') || 'unchanged'}); replay with PYLOOM_FUZZ_SEED=${SEED} PYLOOM_FUZZ_CASE=${index}`;
  const start = performance.now();
  const size = typeof input === 'string' ? `${input.length} characters` : `${input.byteLength} bytes`;
  if (VERBOSE) process.stderr.write(`case ${index} (${mode}): ${notes.join('; ') || 'unchanged'}; ${size}\n`);
  try {
    let result;
    try {
      result = parseNotebook(input, `case-${index}.ipynb`);
    } catch (error) {
      if (error instanceof NotebookFileError && error.message.length > 0 && error.cause === undefined) {
        tally.rejected++;
        return;
      }
      const cause = error instanceof NotebookFileError ? error.cause : error;
      tally.failures.push(`${where}\n  threw ${describeError(error)}${cause !== error ? `\n  caused by ${describeError(cause)}` : ''}`);
      return;
    }
    tally.loaded++;
    if (result.warnings.length > 0) tally.loadedWithWarnings++;
    if (result.warnings.length > 21 || result.warnings.some((w) => typeof w !== 'string' || w.length === 0 || w.length > 2000)) {
      tally.failures.push(`${where}\n  warnings not capped or malformed: ${result.warnings.length} lines`);
      return;
    }
    const text = serializeNotebook(result.notebook);
    if (DUMP_DIR) writeFileSync(path.join(DUMP_DIR, `case-${index}.ipynb`), text);
    if (schemaErrors) {
      tally.validated++;
      const errors = schemaErrors(JSON.parse(text));
      if (errors) {
        tally.schemaFailures.push(`${where}\n  export is not valid nbformat 4.5: ${errors.slice(0, 500)}`);
        return;
      }
    }
    const again = parseNotebook(text, 'exported.ipynb');
    if (again.warnings.length > 0) {
      tally.failures.push(`${where}\n  the export re-parses with warnings: ${again.warnings.join(' | ').slice(0, 500)}`);
    } else if (!isDeepStrictEqual(again.notebook, result.notebook)) {
      tally.failures.push(`${where}\n  the export re-parses into a different notebook`);
    }
  } catch (error) {
    tally.failures.push(`${where}\n  writing or re-reading threw ${describeError(error)}`);
  } finally {
    const ms = performance.now() - start;
    tally.ms += ms;
    if (ms > tally.slowest.ms) tally.slowest = { index, ms };
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message.slice(0, 300)}\n${error.stack?.split('\n').slice(1, 6).join('\n') ?? ''}`;
  return String(error);
}

function run(mode: Mode, first: number, count: number): Tally {
  const tally: Tally = { cases: 0, loaded: 0, loadedWithWarnings: 0, rejected: 0, ms: 0, slowest: { index: -1, ms: 0 }, failures: [], validated: 0, schemaFailures: [] };
  for (let index = first; index < first + count; index++) {
    if (ONLY_CASE !== undefined && index !== ONLY_CASE) continue;
    tally.cases++;
    checkCase(index, mode, tally);
  }
  tallies.set(mode, tally);
  console.log(
    `fuzz ${mode}: ${tally.cases} cases, ${tally.loaded} loaded (${tally.loadedWithWarnings} with warnings), ${tally.rejected} rejected, ` +
      `${(tally.ms / 1000).toFixed(1)} s, slowest case ${tally.slowest.index} (${tally.slowest.ms.toFixed(0)} ms)`,
  );
  return tally;
}

describe.sequential(`fuzzing parseNotebook (seed ${SEED}, ${TOTAL_CASES} cases)`, () => {
  // Disjoint case indexes per mode, so a case index names one input.
  const jsonCases = Math.round(TOTAL_CASES * 0.5);
  const byteCases = Math.round(TOTAL_CASES * 0.3);
  const bothCases = TOTAL_CASES - jsonCases - byteCases;
  const plan: [Mode, number, number][] = [
    ['json', 0, jsonCases],
    ['bytes', jsonCases, byteCases],
    ['both', jsonCases + byteCases, bothCases],
  ];
  console.log(`notebook fuzz seed ${SEED} (set PYLOOM_FUZZ_SEED to change, PYLOOM_FUZZ_CASES for the count)`);

  test.for(plan)('%s-level mutations', { timeout: 240_000 }, ([mode, first, count]) => {
    const tally = run(mode, first, count);
    expect(tally.failures, `${tally.failures.length} failing cases:\n\n${tally.failures.slice(0, 10).join('\n\n')}`).toEqual([]);
  });

  // Its own test so that a missing schema shows as a skip with the reason, never as a pass.
  test.for(plan)('%s-level mutations: every export is valid nbformat 4.5 (official schema)', { timeout: 240_000 }, ([mode, first, count], ctx) => {
    if (!schemaErrors) ctx.skip(SCHEMA_MISSING);
    const tally = tallies.get(mode) ?? run(mode, first, count);
    console.log(`fuzz ${mode}: ${tally.validated} exports validated against ${SCHEMA_PATH}`);
    expect(tally.schemaFailures, `${tally.schemaFailures.length} invalid exports:\n\n${tally.schemaFailures.slice(0, 10).join('\n\n')}`).toEqual([]);
  });

  afterAll(() => {
    const sum = (f: (t: Tally) => number): number => [...tallies.values()].reduce((n, t) => n + f(t), 0);
    console.log(
      `fuzz total: ${sum((t) => t.cases)} cases, ${sum((t) => t.loaded)} loaded, ${sum((t) => t.rejected)} rejected, ` +
        `${(sum((t) => t.ms) / 1000).toFixed(1)} s (seed ${SEED})`,
    );
  });
});
