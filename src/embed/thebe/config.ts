// Thebe's page config (<script type="text/x-thebe-config">) read as JSON5, as Thebe reads it,
// never evaluated, into a typed ThebeConfig with Thebe's defaults. The server keys are kept as
// the page wrote them for the remote-kernel runtime.
// The parser alone, from its CommonJS source: json5's ESM bundle carries a core-js shim with
// `Function('return this')`, which a strict CSP (no unsafe-eval) and our chunk check forbid.
import parseJson5 from 'json5/lib/parse.js';
import { errorMessage } from '../../shared/errors';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** How to find prompts in a block: Thebe's `{ inPrompt, continuationPrompt }`, or `true` for `>>>`/`...` and `In [n]:`. */
export interface PromptStyle {
  /** Literal prefix of an input line; undefined: doctest `>>> ` and IPython `In [n]: `. */
  inPrompt?: string;
  /** Literal prefix of a continued input line; undefined with inPrompt undefined: `... ` and `   ...: `. */
  continuationPrompt?: string;
  /** Thebe 0.8's `stripPrompts.selector`: the blocks to split (they need not match `selector`); undefined: the cells' blocks. */
  selector?: string;
}

export interface OutputPromptStyle {
  /** Literal prefix of an output line; undefined: IPython's `Out[n]:`. */
  outPrompt?: string;
  /** As PromptStyle.selector. */
  selector?: string;
}

export interface CodeMirrorSettings {
  readOnly: boolean;
  lineNumbers: boolean;
  /** The theme's brightness, from the CodeMirror 5 theme name; undefined when none was given. */
  theme: 'light' | 'dark' | undefined;
  /** CodeMirror 5 options the page gave that Pyloom's editor does not have. */
  ignored: string[];
}

/** The Thebe config with Thebe's defaults applied (Thebe 0.9 names; older spellings accepted). */
export interface ThebeConfig {
  /** Set cells up on load; otherwise the page calls `thebelab.bootstrap()`. Default false. */
  bootstrap: boolean;
  /** Start Python when cells are set up, not on the first Run. Default false (as Thebe 0.8). */
  requestKernel: boolean;
  /** Blocks that become cells. Default `[data-executable]`. */
  selector: string;
  /** A block's static output: the next sibling matching this. Default `[data-output]`. */
  outputSelector: string;
  /** Show that static output until the cell runs. Default true. */
  predefinedOutput: boolean;
  mountActivateWidget: boolean;
  mountStatusWidget: boolean;
  mountRunButton: boolean;
  mountRunAllButton: boolean;
  mountRestartButton: boolean;
  mountRestartAllButton: boolean;
  stripPrompts: PromptStyle | false;
  stripOutputPrompts: OutputPromptStyle | false;
  codeMirror: CodeMirrorSettings;
  /**
   * Thebe's kernelOptions as written (`name`, `kernelName`, `path`, `serverSettings`); Pyloom
   * reads `path` (the working directory), the remote-kernel runtime the rest.
   */
  kernelOptions: JsonObject;
  /** Server keys, untouched, for the remote-kernel runtime; undefined when the page has none. */
  useBinder: boolean | undefined;
  useJupyterLite: boolean | undefined;
  binderOptions: JsonObject | undefined;
  serverSettings: JsonObject | undefined;
  /** Every key as the page wrote it (merged over all Thebe config scripts). */
  raw: JsonObject;
}

/** A config that could not be read: where, and what the parser said. Lines and columns count from 1 in the script's text. */
export interface ConfigError {
  message: string;
  line: number | undefined;
  column: number | undefined;
  /** That line of the script, trimmed (to find it in the page's source, whose line numbers differ). */
  excerpt?: string;
}

export const THEBE_DEFAULT_SELECTOR = '[data-executable]';
export const THEBE_DEFAULT_OUTPUT_SELECTOR = '[data-output]';

/** CodeMirror 5 options that mean nothing in Pyloom's editor but are harmless: no note for them. */
const QUIET_CM_OPTIONS = new Set(['mode', 'readOnly', 'lineNumbers', 'theme', 'autoRefresh']);
/** CodeMirror 5's bundled dark themes; any other name containing "dark" or "night" counts as dark too. */
const DARK_THEMES = new Set([
  'abcdef',
  'ambiance',
  'ayu-dark',
  'ayu-mirage',
  'base16-dark',
  'blackboard',
  'cobalt',
  'colorforth',
  'darcula',
  'dracula',
  'duotone-dark',
  'erlang-dark',
  'gruvbox-dark',
  'hopscotch',
  'icecoder',
  'isotope',
  'lesser-dark',
  'liquibyte',
  'lucario',
  'material',
  'material-darker',
  'material-ocean',
  'material-palenight',
  'mbo',
  'midnight',
  'monokai',
  'moxer',
  'night',
  'nord',
  'oceanic-next',
  'panda-syntax',
  'paraiso-dark',
  'pastel-on-dark',
  'railscasts',
  'rubyblue',
  'seti',
  'shadowfox',
  'the-matrix',
  'tomorrow-night-bright',
  'tomorrow-night-eighties',
  'twilight',
  'vibrant-ink',
  'xq-dark',
  'yonce',
  'zenburn',
  '3024-night',
  'solarized dark',
]);

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parse one config script's text as JSON5 (unquoted keys, single quotes, trailing commas,
 * comments). Returns the object, or the error with its line and column.
 */
export function parseThebeConfigText(text: string): { value: JsonObject } | { error: ConfigError } {
  if (!text.trim()) return { value: {} };
  let value: JsonValue;
  try {
    value = parseJson5<JsonValue>(text);
  } catch (error) {
    // json5's SyntaxError carries lineNumber and columnNumber (1-based).
    const position = (key: string): number | undefined => {
      const found: unknown = error instanceof Error && key in error ? Reflect.get(error, key) : undefined;
      return typeof found === 'number' ? found : undefined;
    };
    const message = errorMessage(error)
      .replace(/^JSON5: /, '')
      .replace(/ at \d+:\d+$/, '');
    const line = position('lineNumber');
    const excerpt = line !== undefined ? text.split('\n')[line - 1]?.trim() : undefined;
    return { error: { message, line, column: position('columnNumber'), ...(excerpt ? { excerpt } : {}) } };
  }
  if (!isObject(value))
    return {
      error: {
        message: `the config is ${Array.isArray(value) ? 'an array' : typeof value}, not an object ({ … })`,
        line: undefined,
        column: undefined,
      },
    };
  return { value };
}

/** Deep merge, later wins; arrays and scalars replace (as Thebe's merge of several config scripts). */
function merge(into: JsonObject, from: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(from)) {
    const current = into[key];
    into[key] = isObject(current) && isObject(value) ? merge({ ...current }, value) : value;
  }
  return into;
}

const bool = (value: JsonValue | undefined, fallback: boolean): boolean => (typeof value === 'boolean' ? value : fallback);
const text = (value: JsonValue | undefined, fallback: string): string => (typeof value === 'string' && value.trim() ? value : fallback);

function prompts(value: JsonValue | undefined): PromptStyle | false {
  if (value === true) return {};
  if (!isObject(value)) return false;
  const style: PromptStyle = {};
  if (typeof value['inPrompt'] === 'string' && value['inPrompt']) style.inPrompt = value['inPrompt'];
  if (typeof value['continuationPrompt'] === 'string' && value['continuationPrompt'])
    style.continuationPrompt = value['continuationPrompt'];
  if (typeof value['selector'] === 'string' && value['selector'].trim()) style.selector = value['selector'];
  return style;
}

function outputPrompts(value: JsonValue | undefined): OutputPromptStyle | false {
  if (value === true) return {};
  if (!isObject(value)) return false;
  const style: OutputPromptStyle = {};
  if (typeof value['outPrompt'] === 'string' && value['outPrompt']) style.outPrompt = value['outPrompt'];
  if (typeof value['selector'] === 'string' && value['selector'].trim()) style.selector = value['selector'];
  return style;
}

/** The brightness of a CodeMirror 5 theme name ("abcdef" → dark, "default"/"eclipse" → light). */
export function themeBrightness(name: string): 'light' | 'dark' {
  const theme = name.trim().toLowerCase();
  return DARK_THEMES.has(theme) || /dark|night/.test(theme) ? 'dark' : 'light';
}

function codeMirror(raw: JsonObject): CodeMirrorSettings {
  // Thebe 0.8 also read it from binderOptions.codeMirrorConfig.
  const binder = raw['binderOptions'];
  const config = isObject(raw['codeMirrorConfig'])
    ? raw['codeMirrorConfig']
    : isObject(binder) && isObject(binder['codeMirrorConfig'])
      ? binder['codeMirrorConfig']
      : {};
  const theme = config['theme'];
  return {
    readOnly: config['readOnly'] === true || config['readOnly'] === 'nocursor',
    lineNumbers: config['lineNumbers'] === true,
    theme: typeof theme === 'string' && theme ? themeBrightness(theme) : undefined,
    ignored: Object.keys(config).filter((key) => !QUIET_CM_OPTIONS.has(key)),
  };
}

/** Thebe's defaults over what the page wrote; both spellings of the run-all/restart-all keys. */
export function toThebeConfig(raw: JsonObject): ThebeConfig {
  const either = (a: string, b: string, fallback: boolean) => bool(raw[a] ?? raw[b], fallback);
  const kernelOptions = isObject(raw['kernelOptions']) ? raw['kernelOptions'] : {};
  return {
    bootstrap: bool(raw['bootstrap'], false),
    requestKernel: bool(raw['requestKernel'], false),
    selector: text(raw['selector'], THEBE_DEFAULT_SELECTOR),
    outputSelector: text(raw['outputSelector'], THEBE_DEFAULT_OUTPUT_SELECTOR),
    predefinedOutput: bool(raw['predefinedOutput'], true),
    mountActivateWidget: bool(raw['mountActivateWidget'], true),
    mountStatusWidget: bool(raw['mountStatusWidget'], true),
    mountRunButton: bool(raw['mountRunButton'], true),
    mountRunAllButton: either('mountRunAllButton', 'mountRunallButton', true),
    mountRestartButton: bool(raw['mountRestartButton'], true),
    mountRestartAllButton: either('mountRestartAllButton', 'mountRestartallButton', true),
    stripPrompts: prompts(raw['stripPrompts']),
    stripOutputPrompts: outputPrompts(raw['stripOutputPrompts']),
    codeMirror: codeMirror(raw),
    kernelOptions,
    useBinder: typeof raw['useBinder'] === 'boolean' ? raw['useBinder'] : undefined,
    useJupyterLite: typeof raw['useJupyterLite'] === 'boolean' ? raw['useJupyterLite'] : undefined,
    binderOptions: isObject(raw['binderOptions']) ? raw['binderOptions'] : undefined,
    serverSettings: isObject(raw['serverSettings'])
      ? raw['serverSettings']
      : isObject(kernelOptions['serverSettings'])
        ? kernelOptions['serverSettings']
        : undefined,
    raw,
  };
}

/** Merge bootstrap(options) over the page's config, as Thebe does (call > page > defaults). */
export function withOptions(config: ThebeConfig, options: JsonObject | undefined): ThebeConfig {
  return options ? toThebeConfig(merge(merge({}, config.raw), options)) : config;
}

export interface PageThebeConfig {
  config: ThebeConfig;
  /** Each script that could not be read; its keys are left out (the others still apply). */
  errors: ConfigError[];
}

/** Read every Thebe config script on the page (later scripts override earlier ones, as in Thebe). */
export function readThebeConfig(document: Document): PageThebeConfig {
  const errors: ConfigError[] = [];
  let raw: JsonObject = {};
  for (const script of document.querySelectorAll('script[type="text/x-thebe-config"]')) {
    const parsed = parseThebeConfigText(script.textContent ?? '');
    if ('error' in parsed) errors.push(parsed.error);
    else raw = merge(raw, parsed.value);
  }
  return { config: toThebeConfig(raw), errors };
}

/** The console line for a config that could not be read: what, where, and what happens instead. */
export function describeConfigError(error: ConfigError): string {
  const excerpt = error.excerpt && error.excerpt.length > 80 ? `${error.excerpt.slice(0, 79)}…` : error.excerpt;
  const where =
    error.line !== undefined ? ` at line ${error.line}, column ${error.column ?? 1} of its text${excerpt ? ` (${excerpt})` : ''}` : '';
  return (
    `Pyloom: the Thebe config (<script type="text/x-thebe-config">) could not be read${where}: ${error.message}. ` +
    `Its settings are ignored: the page's cells are set up with Thebe's defaults and still run.`
  );
}

/** The one console note about CodeMirror 5 options Pyloom's editor does not have (undefined: none). */
export function describeIgnoredCodeMirror(settings: CodeMirrorSettings): string | undefined {
  if (settings.ignored.length === 0) return undefined;
  return `Pyloom: codeMirrorConfig options ${settings.ignored.map((k) => `"${k}"`).join(', ')} are CodeMirror 5 options Pyloom's editor (CodeMirror 6) does not have; they are ignored. readOnly, lineNumbers and theme (light/dark) are honoured.`;
}
