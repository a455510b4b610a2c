// Compiled extensions in a memory snapshot: what to record about each loaded shared library when the
// snapshot is taken, and the fix-up that reloads them at the same memory and table bases on restore.
//
// Why this is needed: a Pyodide memory snapshot holds the linear memory only. A C extension's code
// lives in a WebAssembly instance and its functions in table slots added when its `.so` was loaded;
// a restored Pyodide has neither, so the first call through a function pointer traps ("table index
// is out of bounds"). Reloading each library in its original order, with its data block put back
// at the address the snapshot's memory expects, recreates the instance and its table slots.
// Everything here leans on Emscripten's dynamic-linking internals (LDSO, the dlopen handle layout,
// dlmalloc's chunk header), so every assumption is checked and a failed check throws: the caller
// discards the snapshot and boots cold.
import type { PyodideAPI } from 'pyodide';

/** One shared library as the snapshot saw it (addresses in bytes, table positions in slots). */
export interface DynlibRecord {
  /** The path Emscripten loaded it from (its key in LDSO.loadedLibsByName). */
  name: string;
  /** The address of its dlopen handle (struct dso) in the snapshot's memory. */
  handle: number;
  global: boolean;
  memoryBase: number;
  memorySize: number;
  tableBase: number;
  tableSize: number;
  /** The size Emscripten asked calloc for: memorySize plus the library's alignment (its dylink.0 section). */
  allocated: number;
}

/** What the fix-up needs besides the memory: libraries in load order, the table and GOT as they were. */
export interface DynlibState {
  libs: DynlibRecord[];
  /** The table length of a fresh Pyodide (the main module's own slots), to check the restore starts there. */
  baseTableLength: number;
  tableLength: number;
  /** Slots outside the libraries' own ranges (dlsym, GOT.func), named by library and export. */
  entries: [slot: number, lib: string, symbol: string][];
  /** Global offset table values (addresses and function slots) that code reads instead of memory. */
  got: Record<string, number>;
}

interface DSO {
  name: string;
  global: boolean;
  exports: Record<string, unknown>;
}

/** The part of Pyodide's Emscripten module the fix-up touches (checked at run time, see `dynlinkModule`). */
interface DynlinkModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  wasmTable: WebAssembly.Table;
  GOT: Record<string, WebAssembly.Global>;
  LDSO: { loadedLibsByName: Record<string, DSO>; loadedLibsByHandle: Record<string, DSO> };
  loadDynamicLibrary(name: string, flags: object, localScope: object | null, handle: number): Promise<unknown> | boolean;
  getDylinkMetadata(binary: Uint8Array): { memorySize: number; memoryAlign: number };
  _free(pointer: number): void;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The first internal the fix-up needs that `module` lacks, or undefined when it has them all. */
function missingInternal(module: Record<string, unknown>): string | undefined {
  const ldso = module['LDSO'];
  const checks: [string, boolean][] = [
    ['HEAPU8', module['HEAPU8'] instanceof Uint8Array],
    ['HEAPU32', module['HEAPU32'] instanceof Uint32Array],
    ['wasmTable', module['wasmTable'] instanceof WebAssembly.Table],
    ['GOT', isObject(module['GOT'])],
    ['LDSO', isObject(ldso) && isObject(ldso['loadedLibsByName']) && isObject(ldso['loadedLibsByHandle'])],
    ['loadDynamicLibrary', typeof module['loadDynamicLibrary'] === 'function'],
    ['_free', typeof module['_free'] === 'function'],
    ['getDylinkMetadata', typeof module['getDylinkMetadata'] === 'function'],
  ];
  return checks.find(([, ok]) => !ok)?.[0];
}

function isDynlinkModule(module: Record<string, unknown>): module is Record<string, unknown> & DynlinkModule {
  return missingInternal(module) === undefined;
}

/** Pyodide's Emscripten module when it has every internal the fix-up needs; throws naming the first one missing. */
export function dynlinkModule(py: PyodideAPI): DynlinkModule {
  const module: unknown = Reflect.get(py, '_module');
  if (!isObject(module)) throw new Error('this Pyodide does not expose its Emscripten module');
  if (!isDynlinkModule(module)) {
    throw new Error(`this Pyodide's Emscripten module has no usable ${missingInternal(module)}: compiled packages cannot be restored`);
  }
  return module;
}

// Offsets in Emscripten's `struct dso` (system/lib/libc/dynlink.c): flags byte at 8, then
// mem_addr, mem_size, table_index, table_size as 32-bit words from 12.
const HANDLE_MEM_ADDR = 12;
const HANDLE_MEM_SIZE = 16;
const HANDLE_TABLE_INDEX = 20;
const HANDLE_TABLE_SIZE = 24;

const word = (m: DynlinkModule, address: number) => m.HEAPU32[address >>> 2]!;

function allocatedSize(py: PyodideAPI, m: DynlinkModule, name: string): number {
  const { memorySize, memoryAlign } = m.getDylinkMetadata(py.FS.readFile(name));
  return memorySize + 2 ** memoryAlign;
}

/** The table length of a Pyodide that loaded no library yet. */
export function tableLength(py: PyodideAPI): number {
  return dynlinkModule(py).wasmTable.length;
}

/**
 * Record the loaded libraries, the table tail and the GOT, just before `makeMemorySnapshot`.
 * `baseTableLength` is `tableLength()` measured right after `loadPyodide`. Throws when a table slot
 * holds a function no library exports (a JavaScript callback): such a slot cannot be recreated.
 */
export function recordDynlibs(py: PyodideAPI, baseTableLength: number): DynlibState {
  const m = dynlinkModule(py);
  const libs: DynlibRecord[] = [];
  for (const [key, dso] of Object.entries(m.LDSO.loadedLibsByHandle)) {
    const handle = Number(key);
    if (handle === 0) continue; // the main module
    libs.push({
      name: dso.name,
      handle,
      global: dso.global,
      memoryBase: word(m, handle + HANDLE_MEM_ADDR),
      memorySize: word(m, handle + HANDLE_MEM_SIZE),
      tableBase: word(m, handle + HANDLE_TABLE_INDEX),
      tableSize: word(m, handle + HANDLE_TABLE_SIZE),
      allocated: allocatedSize(py, m, dso.name),
    });
  }
  // Load order: each library's table slots start where the table ended when it loaded. (The
  // handle map's keys are heap addresses, which JavaScript iterates in numeric order, not in load
  // order.) A library without table slots sorts first; if its load adds slots, the restore's
  // "table already past" check refuses the snapshot.
  libs.sort((a, b) => a.tableBase - b.tableBase);
  const names = new Map<unknown, [string, string]>();
  for (const [lib, dso] of Object.entries(m.LDSO.loadedLibsByName)) {
    for (const [symbol, value] of Object.entries(dso.exports))
      if (typeof value === 'function' && !names.has(value)) names.set(value, [lib, symbol]);
  }
  const entries: DynlibState['entries'] = [];
  const ownSlot = (slot: number) => libs.some((lib) => slot >= lib.tableBase && slot < lib.tableBase + lib.tableSize);
  for (let slot = baseTableLength; slot < m.wasmTable.length; slot++) {
    if (ownSlot(slot)) continue;
    const fn = m.wasmTable.get(slot);
    if (fn === null) continue;
    const name = names.get(fn);
    if (!name) throw new Error(`table slot ${slot} holds a function no loaded library exports, so it cannot be recreated`);
    entries.push([slot, ...name]);
  }
  const got: Record<string, number> = {};
  for (const [symbol, global] of Object.entries(m.GOT)) got[symbol] = Number(global.value);
  return { libs, baseTableLength, tableLength: m.wasmTable.length, entries, got };
}

/**
 * dlmalloc's user pointer of the block a library's data was placed in. Emscripten took it with
 * calloc(memorySize + alignment) and aligned it up, so the block starts at most 4 KiB below
 * `memoryBase`; its header word (pointer - 4) holds the chunk size with the in-use bit set.
 */
function dataBlock(m: DynlinkModule, lib: DynlibRecord): number {
  for (let pointer = lib.memoryBase; pointer > 0 && pointer >= lib.memoryBase - 4096; pointer -= 8) {
    const head = word(m, pointer - 4);
    const size = head & ~7;
    const inUse = (head & 2) !== 0;
    if (inUse && size >= lib.memorySize + 4 && size <= lib.memorySize + 4096 + 32 && pointer + size - 4 >= lib.memoryBase + lib.memorySize)
      return pointer;
  }
  throw new Error(`the data block of ${lib.name} is not where the snapshot says`);
}

/**
 * Make the next calloc of `lib.allocated` bytes return `block` (its current data block).
 * dlmalloc picks the best-fitting free chunk, which may be another one: so allocate that size
 * until `block` itself comes back, holding the others, then free `block` (dlmalloc then picks it
 * again, the better fits being held). Returns the held
 * pointers, to free once the library is loaded. Throws when `block` does not come back.
 */
function claimBlock(m: DynlinkModule, lib: DynlibRecord, block: number): number[] {
  const malloc = m.LDSO.loadedLibsByName['__main__']?.exports['malloc'];
  if (typeof malloc !== 'function') throw new Error("the main module's malloc is not reachable");
  const request = lib.allocated;
  m._free(block);
  const held: number[] = [];
  for (let attempt = 0; attempt < 256; attempt++) {
    const pointer = Number(malloc(request)) >>> 0;
    if (pointer === block) {
      m._free(block);
      return held;
    }
    if (pointer === 0) break;
    held.push(pointer);
  }
  for (const pointer of held) m._free(pointer);
  throw new Error(`the heap did not give ${lib.name}'s data block back`);
}

/**
 * The fix-up, run right after `loadPyodide({ _loadSnapshot })` and before Python touches the
 * packages (their files must already be back in the file system). For each library in order:
 * keep its data, free its block so calloc hands the same address out again, reload it with its
 * original handle, check it landed at the recorded memory and table bases, put its data back.
 * Then the table tail and the GOT are set to the recorded values. Throws on any mismatch (the
 * instance is then unusable: boot a fresh one).
 */
export async function restoreDynlibs(py: PyodideAPI, state: DynlibState): Promise<void> {
  const m = dynlinkModule(py);
  if (m.wasmTable.length !== state.baseTableLength) {
    throw new Error(`the restored table has ${m.wasmTable.length} slots, the snapshot was taken from ${state.baseTableLength}`);
  }
  for (const lib of state.libs) {
    if (word(m, lib.handle + HANDLE_MEM_ADDR) !== lib.memoryBase || word(m, lib.handle + HANDLE_TABLE_INDEX) !== lib.tableBase) {
      throw new Error(`the dlopen handle of ${lib.name} does not match the snapshot's record`);
    }
    const data = m.HEAPU8.slice(lib.memoryBase, lib.memoryBase + lib.memorySize);
    if (m.wasmTable.length > lib.tableBase) throw new Error(`the table is already past ${lib.name}'s slots`);
    if (m.wasmTable.length < lib.tableBase) m.wasmTable.grow(lib.tableBase - m.wasmTable.length);
    const held = claimBlock(m, lib, dataBlock(m, lib));
    try {
      await m.loadDynamicLibrary(lib.name, { global: lib.global, nodelete: true, loadAsync: true }, lib.global ? null : {}, lib.handle);
    } finally {
      for (const pointer of held) m._free(pointer);
    }
    const landed = [
      word(m, lib.handle + HANDLE_MEM_ADDR),
      word(m, lib.handle + HANDLE_MEM_SIZE),
      word(m, lib.handle + HANDLE_TABLE_INDEX),
      word(m, lib.handle + HANDLE_TABLE_SIZE),
    ];
    const expected = [lib.memoryBase, lib.memorySize, lib.tableBase, lib.tableSize];
    if (landed.some((value, i) => value !== expected[i])) {
      throw new Error(`${lib.name} reloaded at memory ${landed[0]} / table ${landed[2]}, not ${lib.memoryBase} / ${lib.tableBase}`);
    }
    // Loading wrote the library's initial data and ran its constructors; the snapshot's data wins.
    m.HEAPU8.set(data, lib.memoryBase);
  }
  if (m.wasmTable.length > state.tableLength)
    throw new Error(`the table grew to ${m.wasmTable.length} slots, past the snapshot's ${state.tableLength}`);
  if (m.wasmTable.length < state.tableLength) m.wasmTable.grow(state.tableLength - m.wasmTable.length);
  for (const [slot, lib, symbol] of state.entries) {
    const fn = m.LDSO.loadedLibsByName[lib]?.exports[symbol];
    if (typeof fn !== 'function') throw new Error(`${lib} no longer exports ${symbol}`);
    if (m.wasmTable.get(slot) !== fn) m.wasmTable.set(slot, fn);
  }
  for (const [symbol, value] of Object.entries(state.got)) {
    const global = m.GOT[symbol];
    if (!global) throw new Error(`the GOT has no entry for ${symbol} after the reload`);
    if (Number(global.value) !== value) global.value = value;
  }
}

// ---- the stored form: a small header and the library record in front of Pyodide's own snapshot ----

const MAGIC = 0x4c59_5053; // "SPYL" little-endian: a Pyloom snapshot with a dynlib record

/** Pyodide's snapshot bytes with `state` in front (a fresh copy). */
export function packSnapshot(memory: Uint8Array, state: DynlibState): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(state));
  // Padded with spaces (valid JSON) so the memory starts 16-byte aligned: Pyodide reads it through a Uint32Array.
  const length = Math.ceil((8 + json.byteLength) / 16) * 16 - 8;
  const out = new Uint8Array(8 + length + memory.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, length, true);
  out.fill(0x20, 8, 8 + length);
  out.set(json, 8);
  out.set(memory, 8 + length);
  return out;
}

/** Split what `packSnapshot` made; throws on bytes it did not make. `memory` is a view, not a copy. */
export function unpackSnapshot(bytes: Uint8Array): { memory: Uint8Array; state: DynlibState } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new Error('the stored snapshot has no shared-library record');
  const length = view.getUint32(4, true);
  if (8 + length > bytes.byteLength) throw new Error('the stored snapshot is truncated');
  const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  if (!isDynlibState(parsed)) throw new Error('the stored snapshot has a malformed shared-library record');
  return { memory: bytes.subarray(8 + length), state: parsed };
}

function isDynlibState(value: unknown): value is DynlibState {
  if (!isObject(value)) return false;
  const { libs, baseTableLength, tableLength, entries, got } = value;
  const isLib = (lib: unknown) =>
    isObject(lib) &&
    typeof lib['name'] === 'string' &&
    typeof lib['global'] === 'boolean' &&
    ['handle', 'memoryBase', 'memorySize', 'tableBase', 'tableSize', 'allocated'].every((k) => Number.isInteger(lib[k]));
  return (
    Array.isArray(libs) &&
    libs.every(isLib) &&
    Number.isInteger(baseTableLength) &&
    Number.isInteger(tableLength) &&
    Array.isArray(entries) &&
    entries.every(
      (e) => Array.isArray(e) && e.length === 3 && Number.isInteger(e[0]) && typeof e[1] === 'string' && typeof e[2] === 'string',
    ) &&
    isObject(got) &&
    Object.values(got).every((v) => typeof v === 'number')
  );
}
