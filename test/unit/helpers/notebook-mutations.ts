// Mutations of a notebook at the JSON-value level for the .ipynb fuzzer: keys, values and types
// swapped in the places nbformat cares about (cells, outputs, bundles, each kind of metadata).
import type { Rng } from './rng';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Slot = { parent: Json[] | { [key: string]: Json }; key: string | number };

/** Stands where deepText() goes: nesting too deep to build as a value, spliced into the JSON text. */
export const DEEP = '\u0000PYLOOM_DEEP\u0000';
const KEYS = [
  'cells',
  'metadata',
  'source',
  'outputs',
  'output_type',
  'cell_type',
  'id',
  'text',
  'data',
  'name',
  'ename',
  'evalue',
  'traceback',
  'execution_count',
  'attachments',
  'nbformat',
  'nbformat_minor',
  'worksheets',
  'tags',
  'kernelspec',
  'language_info',
  'collapsed',
  'scrolled',
  'format',
  'execution',
  'jupyter',
  'title',
  'authors',
  'orig_nbformat',
  'image/png',
  'text/plain',
  'text/html',
  'application/json',
  'application/x+json',
  'text/x+json',
  'prompt_number',
  'input',
  'level',
  'stream',
  'pyout',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '',
  'ünï\n',
  '10',
];
const STRINGS = [
  '',
  ' ',
  'stdout',
  'stderr',
  'code',
  'markdown',
  'raw',
  'heading',
  'html',
  'widget',
  'stream',
  'display_data',
  'execute_result',
  'error',
  'pyout',
  'pyerr',
  'clear_output',
  'update_display_data',
  'a,b',
  'two\nlines',
  'auto',
  'x'.repeat(65),
  'valid-id_1',
  'has space',
  '\ud800',
  '🐍',
  '\r\n',
  'application/json',
  '{"a": 1}',
  'null',
  '4',
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

const get = (slot: Slot): Json | undefined =>
  Array.isArray(slot.parent) ? slot.parent[slot.key as number] : slot.parent[slot.key as string];
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
  'notebook metadata': [
    'kernelspec',
    'language_info',
    'title',
    'authors',
    'orig_nbformat',
    'orig_nbformat_minor',
    'signature',
    'tags',
    'name',
  ],
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

export function mutateJson(doc: Json, rng: Rng, notes: string[]): Json {
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

export function deepText(rng: Rng): string {
  const depth = rng.pick([600, 5000, 100_000, 100_000]);
  return rng.chance(0.7) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
