// The lazily loaded half of the remote runtime: one kernel on a Jupyter server through
// @jupyterlab/services (REST to start/interrupt/restart/shut down, the websocket for messages),
// turned into Pyloom's shapes (nbformat output events, completion items in UTF-16 offsets).
import { KernelAPI, KernelConnection, KernelMessage, KernelSpecAPI, ServerConnection } from '@jupyterlab/services';
import type { CompletionItem, CompletionResult, ExecutePayload, ExecuteStatus, MimeBundle, OutputEvent } from '../../protocol';
import type { InputRequest } from '../runtime';
import type { ServerSettings } from './options';
import { normalizeBaseUrl } from './server-check';
import { MessageLedger } from './message-ledger';
import { kernelComms, type ClosableCommLink } from './comms';

export type KernelState = 'starting' | 'idle' | 'busy' | 'restarting' | 'autorestarting' | 'dead' | 'unknown';
export type ConnectionState = 'connected' | 'connecting' | 'disconnected';

export interface KernelEvents {
  onState(state: KernelState): void;
  onConnection(state: ConnectionState): void;
}

export interface ExecuteHandlers {
  onOutput(event: OutputEvent): void;
  /** Resolve with the line, or undefined for "no answer" (Python sees EOFError). */
  onInput(request: InputRequest): Promise<string | undefined>;
}

export interface ExecuteAck {
  status: ExecuteStatus;
  executionCount: number | null;
  payload: ExecutePayload[];
  mayHaveLost: boolean;
}

/** An execution in flight; `lostFrom` is set at a drop: the first counter that drop could lose (null: unknown). */
interface Watch {
  lostFrom?: number | null;
}

export interface KernelClient {
  readonly id: string;
  readonly name: string;
  readonly implementation: string;
  readonly languageVersion: string;
  /**
   * Run `code`. `mayHaveLost`: the websocket dropped while it ran and messages the kernel sent
   * meanwhile did not all arrive (or, for kernels whose msg_ids carry no counter, cannot be
   * shown to have arrived).
   */
  execute(code: string, handlers: ExecuteHandlers): Promise<ExecuteAck>;
  complete(code: string, cursor: number): Promise<CompletionResult>;
  /** The comms of the kernel process running now (widgets); a restart needs a new one. */
  comms(): ClosableCommLink;
  /** A round trip on the shell channel: resolves after every reply sent before it was answered. */
  ping(): Promise<void>;
  interrupt(): Promise<void>;
  restart(): Promise<void>;
  /** Shut the kernel down on the server and close the websocket. */
  shutdown(): Promise<void>;
  /** Close the websocket only (the kernel keeps running). */
  dispose(): void;
  /**
   * Shut the kernel down as the page goes away: a `keepalive` request, which outlives the page
   * (an ordinary one would be cancelled with it). Best effort.
   */
  shutdownOnUnload(): void;
}

function settingsFor(server: ServerSettings): ServerConnection.ISettings {
  const baseUrl = normalizeBaseUrl(server.baseUrl);
  return ServerConnection.makeSettings({
    baseUrl,
    ...(server.wsUrl ? { wsUrl: normalizeBaseUrl(server.wsUrl) } : {}),
    token: server.token ?? '',
    // A browser cannot put headers on a websocket: the token goes in its URL, to this server only.
    appendToken: true,
    init: { cache: 'no-store', credentials: 'omit' },
  });
}

/** Start a kernel (`kernelName`, or the server's default) and connect to it. Rejects with the server's reason. */
export async function startKernel(server: ServerSettings, kernelName: string | undefined, events: KernelEvents): Promise<KernelClient> {
  const settings = settingsFor(server);
  const name = kernelName ?? (await KernelSpecAPI.getSpecs(settings)).default;
  const model = await KernelAPI.startNew({ name }, settings);
  // Comms are ours (comms.ts): the library's own handling would close every comm whose target
  // it has no handler for, widgets' included.
  const kernel = new KernelConnection({ model, serverSettings: settings, handleComms: false });
  const ledger = new MessageLedger();
  const captured = new CapturedOutputs();
  const watches = new Set<Watch>();
  let connected = false;
  kernel.anyMessage.connect((_, { msg, direction }) => {
    if (direction === 'recv') ledger.record(msg.header.msg_id, msg.header.session, msg.channel);
  });
  kernel.statusChanged.connect((_, state) => events.onState(state === 'terminating' ? 'dead' : state));
  kernel.connectionStatusChanged.connect((_, state) => {
    if (state !== 'connected' && connected) for (const watch of watches) watch.lostFrom ??= ledger.watermark() ?? null;
    connected = state === 'connected';
    events.onConnection(state);
  });
  const info = await kernel.info;
  return {
    id: model.id,
    name,
    implementation: info.implementation,
    languageVersion: info.language_info.version,
    execute: async (code, handlers) => {
      const watch: Watch = {};
      watches.add(watch);
      try {
        return await execute(kernel, code, handlers, ledger, watch, captured);
      } finally {
        watches.delete(watch);
      }
    },
    complete: (code, cursor) => complete(kernel, code, cursor),
    comms: () => kernelComms(kernel, { toOutputEvent, onCaptured: (msgId) => captured.add(msgId) }),
    ping: async () => void (await kernel.requestKernelInfo()),
    interrupt: () => kernel.interrupt(),
    restart: () => kernel.restart(),
    shutdown: async () => {
      try {
        await kernel.shutdown();
      } finally {
        kernel.dispose();
      }
    },
    dispose: () => kernel.dispose(),
    shutdownOnUnload: () => {
      void fetch(`${settings.baseUrl}api/kernels/${encodeURIComponent(model.id)}`, {
        method: 'DELETE',
        keepalive: true,
        credentials: 'omit',
        headers: settings.token ? { Authorization: `token ${settings.token}` } : {},
      }).catch(() => undefined);
    },
  };
}

/** Ids of output messages an Output widget took (comms.ts), for the cell's future to skip. Bounded. */
class CapturedOutputs {
  #ids = new Set<string>();
  add(msgId: string): void {
    this.#ids.add(msgId);
    // Outputs of comm callbacks have no future to take them: forget the oldest.
    if (this.#ids.size > 1000) this.#ids.delete(this.#ids.values().next().value!);
  }
  take(msgId: string): boolean {
    return this.#ids.delete(msgId);
  }
}

async function execute(
  kernel: KernelConnection,
  code: string,
  handlers: ExecuteHandlers,
  ledger: MessageLedger,
  watch: Watch,
  captured: CapturedOutputs,
): Promise<ExecuteAck> {
  // stop_on_error off: the notebook session stops its own queue; the kernel only ever has one cell.
  const future = kernel.requestExecute({ code, allow_stdin: true, stop_on_error: false, store_history: true });
  // The counter of this execution's last message: what a drop before it may have lost.
  let last = -1;
  const note = (message: KernelMessage.IMessage) =>
    (last = Math.max(last, ledger.counterOf(message.header.msg_id, message.header.session) ?? -1));
  future.onIOPub = (message) => {
    note(message);
    if (captured.take(message.header.msg_id)) return; // shown in an Output widget instead
    const event = toOutputEvent(message);
    if (event) handlers.onOutput(event);
  };
  future.onStdin = (message) => {
    if (!KernelMessage.isInputRequestMsg(message)) return;
    const { prompt, password } = message.content;
    void handlers
      .onInput({ prompt, password })
      .catch(() => undefined)
      // ipykernel raises EOFError for an answer of Ctrl-D, as the Pyodide runtime does for none.
      .then((value) => future.sendInputReply({ status: 'ok', value: value ?? '\u0004' }, message.header));
  };
  const reply = await future.done;
  note(reply);
  const content = reply.content;
  // Help (`obj?`) comes back as a 'page' payload: shown as an output of the cell, as JupyterLab does.
  for (const data of 'payload' in content ? pagedBundles(content.payload) : [])
    handlers.onOutput({ output_type: 'display_data', data, metadata: {} });
  const from = watch.lostFrom;
  return {
    status: content.status === 'ok' ? 'ok' : content.status === 'aborted' ? 'aborted' : 'error',
    executionCount: 'execution_count' in content && typeof content.execution_count === 'number' ? content.execution_count : null,
    payload: 'payload' in content ? setNextInputs(content.payload) : [],
    mayHaveLost: from !== undefined && (from === null || last < 0 || !ledger.complete(from, last)),
  };
}

/** ipykernel's set_next_input payloads (`%load`); 'page' ones are outputs (pagedBundles), others are ignored. */
function setNextInputs(payload: readonly Record<string, unknown>[] | undefined): ExecutePayload[] {
  return (payload ?? []).flatMap(({ source, text, replace }) =>
    source === 'set_next_input' && typeof text === 'string' ? [{ source, text, replace: replace === true }] : [],
  );
}

function pagedBundles(payload: readonly Record<string, unknown>[] | undefined): MimeBundle[] {
  return (payload ?? []).flatMap(({ source, data }) => (source === 'page' && isBundle(data) ? [data] : []));
}

const isBundle = (value: unknown): value is MimeBundle => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An iopub message of this execution as a Pyloom output event, or undefined (status, execute_input…). */
export function toOutputEvent(message: KernelMessage.IIOPubMessage): OutputEvent | undefined {
  if (KernelMessage.isStreamMsg(message)) {
    return { output_type: 'stream', name: message.content.name === 'stderr' ? 'stderr' : 'stdout', text: String(message.content.text) };
  }
  if (KernelMessage.isDisplayDataMsg(message)) {
    const displayId = message.content.transient?.display_id;
    return {
      output_type: 'display_data',
      data: { ...message.content.data },
      metadata: { ...message.content.metadata },
      ...(typeof displayId === 'string' ? { transient: { display_id: displayId } } : {}),
    };
  }
  if (KernelMessage.isUpdateDisplayDataMsg(message)) {
    return {
      output_type: 'update_display_data',
      data: { ...message.content.data },
      metadata: { ...message.content.metadata },
      transient: { display_id: String(message.content.transient.display_id) },
    };
  }
  if (KernelMessage.isExecuteResultMsg(message)) {
    const displayId = message.content.transient?.display_id;
    return {
      output_type: 'execute_result',
      execution_count: typeof message.content.execution_count === 'number' ? message.content.execution_count : null,
      data: { ...message.content.data },
      metadata: { ...message.content.metadata },
      ...(typeof displayId === 'string' ? { transient: { display_id: displayId } } : {}),
    };
  }
  if (KernelMessage.isErrorMsg(message)) {
    const { ename, evalue, traceback } = message.content;
    return {
      output_type: 'error',
      ename: String(ename),
      evalue: String(evalue),
      traceback: Array.isArray(traceback) ? traceback.map(String) : [],
    };
  }
  if (KernelMessage.isClearOutputMsg(message)) return { output_type: 'clear_output', wait: message.content.wait === true };
  return undefined;
}

// Jupyter's messaging protocol (5.2+) counts cursor positions in Unicode code points; JS strings
// count UTF-16 code units. They differ after any character outside the BMP (emoji, math letters).
export function utf16ToCodePoints(text: string, offset: number): number {
  return [...text.slice(0, offset)].length;
}
export function codePointsToUtf16(text: string, points: number): number {
  let units = 0;
  let seen = 0;
  for (const char of text) {
    if (seen === points) break;
    units += char.length;
    seen += 1;
  }
  return units;
}

const TYPES: Record<string, string> = {
  function: 'function',
  builtin_function_or_method: 'function',
  class: 'class',
  type: 'class',
  module: 'module',
  keyword: 'keyword',
  instance: 'variable',
  statement: 'variable',
  param: 'variable',
  property: 'property',
  path: 'text',
  magic: 'keyword',
};

async function complete(kernel: KernelConnection, code: string, cursor: number): Promise<CompletionResult> {
  const reply = await kernel.requestComplete({ code, cursor_pos: utf16ToCodePoints(code, cursor) });
  const content = reply.content;
  if (content.status !== 'ok') return { from: cursor, to: cursor, items: [] };
  // IPython sends each match's type here (an "experimental" key every frontend reads).
  const typed = content.metadata['_jupyter_types_experimental'];
  const kinds = new Map<string, { type: string; signature: string }>();
  if (Array.isArray(typed)) {
    for (const entry of typed) {
      if (entry && typeof entry === 'object' && !Array.isArray(entry) && typeof entry['text'] === 'string') {
        kinds.set(entry['text'], {
          type: typeof entry['type'] === 'string' ? entry['type'] : '',
          signature: typeof entry['signature'] === 'string' ? entry['signature'] : '',
        });
      }
    }
  }
  const items: CompletionItem[] = content.matches.slice(0, 500).map((label) => {
    const kind = kinds.get(label);
    return { label, type: TYPES[kind?.type ?? ''] ?? 'text', ...(kind?.signature ? { detail: kind.signature } : {}) };
  });
  return { from: codePointsToUtf16(code, content.cursor_start), to: codePointsToUtf16(code, content.cursor_end), items };
}
