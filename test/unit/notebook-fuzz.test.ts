// Fuzzing the .ipynb reader with mutated real notebooks: every input either loads into a model whose
// export is a valid nbformat 4.5 file, or is refused with a NotebookFileError, never anything else.
// Replay: PYLOOM_FUZZ_SEED=<seed> [PYLOOM_FUZZ_CASE=<index>] [PYLOOM_FUZZ_CASES=<count>] [PYLOOM_FUZZ_VERBOSE=1] [PYLOOM_FUZZ_DUMP=<dir>] npx vitest run test/unit/notebook-fuzz.test.ts
import { SCHEMA_MISSING, SCHEMA_PATH } from '../nbformat-schema';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { NotebookFileError, parseNotebook, serializeNotebook } from '../../src/notebook/ipynb';
import { DEEP, deepText, mutateJson, type Json } from './helpers/notebook-mutations';
import { notebookSchemaErrors as schemaErrors } from './helpers/ipynb';
import { caseSeed, Rng } from './helpers/rng';

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

const FIXTURE_TEXTS = [
  'jupyter-v4.5.ipynb',
  'jupyter-v4.4-no-ids.ipynb',
  'ipython2-v3.ipynb',
  'ipython2-v3.upgraded-by-nbformat.ipynb',
].map((name) => readFileSync(path.join(FIXTURES, name), 'utf8'));

// ---- Mutations at the byte level (those at the JSON-value level: helpers/notebook-mutations.ts).

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
  if (error instanceof Error)
    return `${error.constructor.name}: ${error.message.slice(0, 300)}\n${error.stack?.split('\n').slice(1, 6).join('\n') ?? ''}`;
  return String(error);
}

function run(mode: Mode, first: number, count: number): Tally {
  const tally: Tally = {
    cases: 0,
    loaded: 0,
    loadedWithWarnings: 0,
    rejected: 0,
    ms: 0,
    slowest: { index: -1, ms: 0 },
    failures: [],
    validated: 0,
    schemaFailures: [],
  };
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
  test.for(plan)(
    '%s-level mutations: every export is valid nbformat 4.5 (official schema)',
    { timeout: 240_000 },
    ([mode, first, count], ctx) => {
      if (!schemaErrors) ctx.skip(SCHEMA_MISSING);
      const tally = tallies.get(mode) ?? run(mode, first, count);
      console.log(`fuzz ${mode}: ${tally.validated} exports validated against ${SCHEMA_PATH}`);
      expect(
        tally.schemaFailures,
        `${tally.schemaFailures.length} invalid exports:\n\n${tally.schemaFailures.slice(0, 10).join('\n\n')}`,
      ).toEqual([]);
    },
  );

  afterAll(() => {
    const sum = (f: (t: Tally) => number): number => [...tallies.values()].reduce((n, t) => n + f(t), 0);
    console.log(
      `fuzz total: ${sum((t) => t.cases)} cases, ${sum((t) => t.loaded)} loaded, ${sum((t) => t.rejected)} rejected, ` +
        `${(sum((t) => t.ms) / 1000).toFixed(1)} s (seed ${SEED})`,
    );
  });
});
