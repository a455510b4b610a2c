// The one seam between the worker and pyloom's Python: every call into pyloom goes through here,
// and every reply is checked against src/protocol.ts before it goes on (python-packages/pyloom/
// pyloom/protocol.py declares the same shapes as TypedDicts). A reply of another shape throws
// with what it was, instead of travelling to the page as a wrong type.
import type { PyodideAPI } from 'pyodide';
import type { CompletionItem, CompletionResult, ExecuteAck, ExecutePayload, InstallResult, OutputEvent, Transient } from '../src/protocol';

/** A Python object seen from JavaScript: what pyloom's replies are before toJs(). */
interface PyReply {
  toJs(options: { dict_converter: typeof Object.fromEntries }): unknown;
  destroy(): void;
}

/** pyloom.Shell, as the worker calls it (python-packages/pyloom/pyloom/shell.py). */
interface PyShellProxy {
  run_cell(code: string): Promise<PyReply>;
  interrupt(): boolean;
  complete(code: string, cursor: number): PyReply;
  readonly execution_count: number;
}

interface PyloomModule {
  start: { callKwargs(emit: (json: string) => void, options: ShellOptions): PyShellProxy };
  readonly __version__: string;
  destroy(): void;
}

interface PyPackagesModule {
  install_for_js(names: string[]): Promise<PyReply>;
  destroy(): void;
}

/** pyloom.start()'s keyword arguments (units: seconds, characters). */
export interface ShellOptions {
  stream_interval: number;
  stream_max_chars: number;
  max_output_chars: number;
  pyodide_version: string;
  index_urls: string[];
  lock_json: string;
  /** undefined, not null: Pyodide turns null into jsnull, only undefined into None. */
  interrupt_buffer: Uint8Array | undefined;
  request_input: ((prompt: string, password: boolean) => string | undefined | false) | undefined;
}

export interface PyloomShell {
  /** Run a cell; outputs go to the start() callback first. Python errors are status 'error'. */
  runCell(code: string): Promise<ExecuteAck>;
  /** Cancel an awaiting cell; false when none is awaiting. */
  interrupt(): boolean;
  /** Completions; `cursor`, `from` and `to` are code point offsets (Python string indices). */
  complete(code: string, cursor: number): CompletionResult;
  readonly executionCount: number;
}

// ---- checks ----

type Fields = Record<string, unknown>;
const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): value is number | null => value === null || Number.isInteger(value);
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

function refuse(what: string, value: unknown): never {
  let shown: string;
  try {
    shown = JSON.stringify(value)?.slice(0, 300) ?? String(value);
  } catch {
    shown = String(value);
  }
  throw new Error(`pyloom's ${what} does not have the shape src/protocol.ts declares (pyloom and the worker are out of step): ${shown}`);
}

const isTransient = (value: unknown): value is Transient =>
  isFields(value) && (value['display_id'] === undefined || isString(value['display_id']));
const isBundle = (event: Fields): boolean => isFields(event['data']) && isFields(event['metadata']);

/** Is `value` one of the OutputEvent shapes? (Fields beyond the declared ones pass through.) */
export function isOutputEvent(value: unknown): value is OutputEvent {
  if (!isFields(value)) return false;
  switch (value['output_type']) {
    case 'stream':
      return (value['name'] === 'stdout' || value['name'] === 'stderr') && isString(value['text']);
    case 'error':
      return isString(value['ename']) && isString(value['evalue']) && isStrings(value['traceback']);
    case 'display_data':
      return isBundle(value) && (value['transient'] === undefined || isTransient(value['transient']));
    case 'execute_result':
      return isBundle(value) && isCount(value['execution_count']) && (value['transient'] === undefined || isTransient(value['transient']));
    case 'update_display_data':
      return isBundle(value) && isTransient(value['transient']) && isString(value['transient']['display_id']);
    case 'clear_output':
      return typeof value['wait'] === 'boolean';
    default:
      return false;
  }
}

/** An output event from pyloom's emitter (JSON text). */
export function decodeOutputEvent(json: string): OutputEvent {
  const value: unknown = JSON.parse(json);
  if (!isOutputEvent(value)) refuse('output event', value);
  return value;
}

const isPayload = (value: unknown): value is ExecutePayload =>
  isFields(value) && value['source'] === 'set_next_input' && isString(value['text']) && typeof value['replace'] === 'boolean';

export function decodeExecuteReply(value: unknown): ExecuteAck {
  if (!isFields(value)) refuse('run_cell reply', value);
  // toJs turns Python's None into undefined: a blank cell's execution_count None arrives so.
  const { status, execution_count: raw, payload } = value;
  const count = raw === undefined && 'execution_count' in value ? null : raw;
  if ((status !== 'ok' && status !== 'error') || !isCount(count)) refuse('run_cell reply', value);
  if (payload !== undefined && (!Array.isArray(payload) || !payload.every(isPayload))) refuse('run_cell reply', value);
  // Only a payload with something in it travels: a reply without requests stays { status, executionCount }.
  if (!payload?.length) return { status, executionCount: count };
  return { status, executionCount: count, payload: payload.map(({ source, text, replace }) => ({ source, text, replace })) };
}

function decodeItem(value: unknown): CompletionItem {
  if (!isFields(value) || !isString(value['label']) || !isString(value['type'])) refuse('completion item', value);
  const detail = value['detail'];
  if (detail !== undefined && !isString(detail)) refuse('completion item', value);
  return { label: value['label'], type: value['type'], ...(detail !== undefined ? { detail } : {}) };
}

export function decodeCompletion(value: unknown): CompletionResult {
  if (!isFields(value)) refuse('completion reply', value);
  const { from, to, items } = value;
  if (!Number.isInteger(from) || !Number.isInteger(to) || !Array.isArray(items)) refuse('completion reply', value);
  return { from: Number(from), to: Number(to), items: items.map(decodeItem) };
}

export function decodeInstallResult(value: unknown): InstallResult {
  if (isFields(value)) {
    if (value['status'] === 'ok' && isStrings(value['installed'])) return { status: 'ok', installed: value['installed'] };
    if (value['status'] === 'error' && isString(value['message'])) return { status: 'error', message: value['message'] };
  }
  refuse('install result', value);
}

function convert(reply: PyReply): unknown {
  try {
    return reply.toJs({ dict_converter: Object.fromEntries });
  } finally {
    reply.destroy();
  }
}

// ---- calls ----

/** pyloom.start(): wire the emitter, streams, interrupts and input(); returns the shell and pyloom's version. */
export function startShell(
  py: PyodideAPI,
  onOutput: (event: OutputEvent) => void,
  options: ShellOptions,
): { shell: PyloomShell; version: string } {
  const pyloom: PyloomModule = py.pyimport('pyloom');
  try {
    const proxy = pyloom.start.callKwargs((json) => onOutput(decodeOutputEvent(json)), options);
    const shell: PyloomShell = {
      runCell: async (code) => decodeExecuteReply(convert(await proxy.run_cell(code))),
      interrupt: () => proxy.interrupt(),
      complete: (code, cursor) => decodeCompletion(convert(proxy.complete(code, cursor))),
      get executionCount() {
        return proxy.execution_count;
      },
    };
    return { shell, version: String(pyloom.__version__) };
  } finally {
    pyloom.destroy();
  }
}

/** pyloom.packages.install_for_js: lock packages by name, else pure-Python wheels from the indexes. */
export async function installPackages(py: PyodideAPI, names: string[]): Promise<InstallResult> {
  const packages: PyPackagesModule = py.pyimport('pyloom.packages');
  try {
    return decodeInstallResult(convert(await packages.install_for_js(names)));
  } finally {
    packages.destroy();
  }
}

interface PyodideInternals {
  _api: { on_fatal?: (error: unknown) => void };
}

/**
 * Pyodide's fatal-error hook. It is internal (`_api.on_fatal`): the only way to learn of a fatal
 * error raised inside an event-loop callback, where no call of ours would see it.
 */
export function onFatal(py: PyodideAPI, handler: (error: unknown) => void): void {
  const internals: PyodideInternals = Object(py);
  internals._api.on_fatal = handler;
}
