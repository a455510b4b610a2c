// The one declaration of Pyloom's options: every key with its type, default, meaning, the JSON
// configs that may set it and how a value is checked. The option types (RuntimeOptions, BootOptions,
// DeploymentConfig, EmbedConfig), the runtime's defaults and the readers of pyloom.json and the
// embed's data-pyloom-config are derived from it, so a key is added or changed here only.
import type { IsolationMode } from '../offline/messages';

/** The JSON configs: the notebook page's `pyloom.json`, an embedding page's `data-pyloom-config`. */
export type JsonSource = 'pyloom.json' | 'data-pyloom-config';

export interface OptionSpec<T, D extends T | undefined = T | undefined, J extends JsonSource = JsonSource> {
  /** What a value must be, as error messages say it: "a URL string". */
  expect: string;
  /** A value as it is written in JSON, for "write e.g. …" in error messages. */
  example: string;
  /** The value when it is one this option takes, else undefined. Never throws. */
  read(value: unknown): T | undefined;
  /** The value when the key is absent; undefined: none, or one worked out where it is used (see its doc). */
  default: D;
  /** The JSON configs that may set it (every key can be given in code). */
  json: readonly J[];
}

type AnySpec = OptionSpec<unknown, unknown, JsonSource>;
export type OptionSchema = Record<string, AnySpec>;
/** The values of a schema's keys, each optional, typed and documented as the schema declares it. */
export type OptionValues<S extends OptionSchema> = {
  -readonly [K in keyof S]?: S[K] extends OptionSpec<infer T, infer _D, infer _J> ? T : never;
};
/** The keys of a schema that the JSON config `J` may set. */
export type JsonKeys<S extends OptionSchema, J extends JsonSource> = {
  [K in keyof S]: S[K] extends OptionSpec<infer _T, infer _D, infer Allowed> ? (J extends Allowed ? K : never) : never;
}[keyof S];

const BOTH: readonly ('pyloom.json' | 'data-pyloom-config')[] = ['pyloom.json', 'data-pyloom-config'];
const APP: readonly 'pyloom.json'[] = ['pyloom.json'];
const EMBED: readonly 'data-pyloom-config'[] = ['data-pyloom-config'];
const CODE_ONLY: readonly never[] = [];

function spec<T, D extends T | undefined, J extends JsonSource>(
  expect: string,
  example: string,
  read: (value: unknown) => T | undefined,
  fallback: D,
  json: readonly J[],
): OptionSpec<T, D, J> {
  return { expect, example, read, default: fallback, json };
}
/** A companion data file as a config writes it (the URL not yet resolved against the page). */
export interface CompanionEntry {
  path: string;
  url: string;
  sha256?: string;
}

/** Every entry well formed, else undefined (src/workspace/companion.ts says which entry is wrong). */
function readCompanionEntries(value: unknown): CompanionEntry[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const entries: CompanionEntry[] = [];
  for (const item of value) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
    const record: Record<string, unknown> = { ...item };
    const { path, url, sha256 } = record;
    if (typeof path !== 'string' || !path || typeof url !== 'string' || !url) return undefined;
    if (sha256 !== undefined && (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(sha256))) return undefined;
    entries.push({ path, url, ...(sha256 !== undefined ? { sha256 } : {}) });
  }
  return entries;
}

const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const url = (example: string) =>
  spec<string, undefined, JsonSource>(
    'a URL string (a relative one resolves against the page)',
    JSON.stringify(example),
    nonEmpty,
    undefined,
    BOTH,
  );
const flag = <D extends boolean, J extends JsonSource>(fallback: D, json: readonly J[]) =>
  spec<boolean, D, J>('true or false', String(!fallback), (v) => (typeof v === 'boolean' ? v : undefined), fallback, json);
const amount = <D extends number | undefined, J extends JsonSource>(unit: string, fallback: D, example: number, json: readonly J[]) =>
  spec<number, D, J>(
    `a number of ${unit}, 0 or more`,
    String(example),
    (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined),
    fallback,
    json,
  );
const count = (fallback: number) =>
  spec<number, number, JsonSource>(
    'a whole number, 1 or more',
    String(fallback),
    (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : undefined),
    fallback,
    BOTH,
  );
const oneOf = <T extends string, D extends T, J extends JsonSource>(values: readonly T[], fallback: D, json: readonly J[]) =>
  spec<T, D, J>(
    `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
    JSON.stringify(fallback),
    (v) => values.find((x) => x === v),
    fallback,
    json,
  );

/** Options of the in-browser (Pyodide) runtime: `createRuntime(options)`, and the JSON configs. */
export const RUNTIME_OPTIONS = {
  /** Folder of the Pyodide core (`pyodide.mjs`, `pyodide.asm.wasm`, `python_stdlib.zip`, `pyodide-lock.json`). Default: the copy served with Pyloom. */
  indexURL: url('pyodide/'),
  /** Where package wheels come from. Default: the Pyodide CDN of the running version. */
  packageBaseUrl: url('python-packages/mirror/'),
  /** Pyodide's lock file. Default: `pyodide-lock.json` in `indexURL`. */
  lockFileURL: url('python-packages/mirror/pyodide-lock.json'),
  /** Package indexes (PEP 691 JSON or PEP 503 "simple" pages) for pure-Python wheels the lock file does not have. Default: none. */
  indexUrls: spec<string[], undefined, JsonSource>(
    'a list of URL strings',
    '["https://pypi.org/simple/"]',
    (v) => (Array.isArray(v) && v.every((item) => nonEmpty(item) !== undefined) ? v.map(String) : undefined),
    undefined,
    BOTH,
  ),
  /** The `pyloom` wheel installed at boot. Default: the one built with Pyloom. */
  pyloomWheelURL: url('pyloom-0.1.0-py3-none-any.whl'),
  /** Stream batching: at most one stdout/stderr message per this many milliseconds during a burst. */
  streamIntervalMs: amount('milliseconds', 50, 50, BOTH),
  /** Stream batching: …or when this many characters are waiting. */
  streamMaxChars: count(65536),
  /** Stream text one cell may print before the rest is dropped with a marker. */
  maxOutputChars: count(10_000_000),
  /** Warm start from a memory snapshot of a booted runtime, kept in Cache Storage (taken on the first cold boot). */
  snapshot: flag(true, BOTH),
  /** After an uncaught error in the worker, how long Python has to answer a health check before the runtime is declared dead. */
  healthCheckTimeoutMs: amount('milliseconds', 10_000, 10_000, BOTH),
  /**
   * How long `interrupt()` waits for the cell to stop before restarting the worker. Default: 3000 ms
   * when cross-origin isolated (code stuck in C ignores the signal), else 1000 ms.
   */
  interruptGraceMs: amount('milliseconds', undefined, 3000, BOTH),
  /** Whether Python may write the workspace at boot (see WorkspaceApi.setWorkspaceWritable). In code also a function, asked at each (re)start. */
  workspaceWritable: flag(true, CODE_ONLY),
  /** Python's first working directory, a workspace path ('' is the workspace root). */
  workingDirectory: spec<string, string, never>(
    'a workspace path string',
    '"notebooks/week1"',
    (v) => (typeof v === 'string' ? v : undefined),
    '',
    CODE_ONLY,
  ),
} satisfies OptionSchema;

/** The notebook page's own keys of `pyloom.json` (beside the runtime's). */
export const APP_OPTIONS = {
  /** Register the offline service worker. */
  offline: flag(true, APP),
  /** The COOP/COEP headers the service worker adds (README "Offline"). */
  isolation: oneOf<IsolationMode, 'require-corp', 'pyloom.json'>(['require-corp', 'credentialless', 'off'], 'require-corp', APP),
} satisfies OptionSchema;

export const DEFAULT_SELECTOR = 'py-cell, pre[data-executable], pre > code.language-python[data-pyloom]';

/** An embedding page's own keys of `data-pyloom-config` (beside the runtime's). */
export const EMBED_OPTIONS = {
  /** Code blocks to turn into cells. */
  selector: spec<string, string, 'data-pyloom-config'>(
    'a CSS selector string',
    JSON.stringify('pre.python'),
    nonEmpty,
    DEFAULT_SELECTOR,
    EMBED,
  ),
  /** Thebe's predefined outputs next to a block (shown until the cell runs). */
  outputSelector: spec<string, string, 'data-pyloom-config'>(
    'a CSS selector string',
    JSON.stringify('[data-output]'),
    nonEmpty,
    '[data-output]',
    EMBED,
  ),
  /** Run every cell on load, in document order. */
  autorun: flag(false, EMBED),
  /** Boot Python on load instead of on the first Run. */
  preload: flag(false, EMBED),
  /** The cells' colours; auto follows the reader's prefers-color-scheme. */
  theme: oneOf<'light' | 'dark' | 'auto', 'light', 'data-pyloom-config'>(['light', 'dark', 'auto'], 'light', EMBED),
  /** Let outputs run scripts. Only for pages whose code the page's author wrote. */
  trust: flag(false, EMBED),
  /** Seconds a cell may run before it is interrupted (0: no limit); a cell's `data-timeout` attribute wins. */
  timeout: amount('seconds', 0, 10, EMBED),
  /**
   * Companion data fetched into the workspace of each cell group's runtime before its first cell
   * runs (and again after a restart): `path` is a workspace path, `url` resolves against the page,
   * `sha256` (64 hex digits) is checked when given. A cell's `data-files` adds its own.
   */
  files: spec<CompanionEntry[], CompanionEntry[], 'data-pyloom-config'>(
    'a list of {"path", "url", "sha256"} objects (path and url strings, sha256 optional, 64 hexadecimal digits)',
    '[{"path": "data/iris.csv", "url": "data/iris.csv"}]',
    readCompanionEntries,
    [],
    EMBED,
  ),
} satisfies OptionSchema;

/** The runtime's option values, typed from RUNTIME_OPTIONS. */
export type RuntimeConfig = OptionValues<typeof RUNTIME_OPTIONS>;

/** Shows a bad value in a message: JSON where it can be, else its type. */
function shown(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return typeof value;
  }
}

/**
 * The message for a bad value: the key, where it was written, what it must be and what to write.
 * `where` is the source as the reader should find it: "pyloom.json (https://…/pyloom.json)",
 * "data-pyloom-config", "createRuntime option".
 */
export function badValueMessage(where: string, key: string, spec: AnySpec, value: unknown): string {
  const example = where.startsWith('createRuntime') ? `${key}: ${spec.example}` : `"${key}": ${spec.example}`;
  return `${where}: ${key} must be ${spec.expect} (got ${shown(value)}); write e.g. ${example}`;
}

export interface ReadConfig<S extends OptionSchema> {
  /** The keys that were set and valid. */
  values: OptionValues<S>;
  /** One message per bad value or unknown key, saying what to write; empty when all was well. */
  errors: string[];
}

/**
 * Read a parsed JSON config object against `schema`, keeping the keys `source` may set. `where`
 * names the source in messages; `alsoKnown` are keys read elsewhere (e.g. Thebe's server keys),
 * neither reported nor returned. A bad value or an unknown key is an error and is left out.
 */
export function readJsonConfig<S extends OptionSchema>(
  schema: S,
  raw: Record<string, unknown>,
  source: JsonSource,
  where: string,
  alsoKnown: readonly string[] = [],
): ReadConfig<S> {
  const values: Record<string, unknown> = {};
  const errors: string[] = [];
  const known = Object.keys(schema).filter((key) => schema[key]?.json.includes(source));
  for (const [key, value] of Object.entries(raw)) {
    const option = known.includes(key) ? schema[key] : undefined;
    if (!option) {
      if (!alsoKnown.includes(key)) errors.push(`${where}: unknown key ${JSON.stringify(key)} (known: ${known.join(', ')})`);
      continue;
    }
    const read = option.read(value);
    if (read === undefined) errors.push(badValueMessage(where, key, option, value));
    else values[key] = read;
  }
  // The values were each read by their key's spec, so each has the type OptionValues<S> gives that key.
  return { values: values as OptionValues<S>, errors };
}

/**
 * Check options given in code (`createRuntime`): throws a TypeError naming the first bad key,
 * what it must be and what to write. Keys the schema does not have are left to the caller.
 */
export function checkOptions<S extends OptionSchema>(schema: S, options: OptionValues<S>, where: string): void {
  for (const [key, value] of Object.entries(options)) {
    const option = schema[key];
    if (option && value !== undefined && option.read(value) === undefined) throw new TypeError(badValueMessage(where, key, option, value));
  }
}
