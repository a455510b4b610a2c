// A Jupyter widget comm (IClassicComm) over a runtime's CommLink (Pyodide's channel or a Jupyter kernel's).
import type { ICallbacks, IClassicComm } from '@jupyter-widgets/base';
import type { JSONObject, JSONValue } from '@lumino/coreutils';
import type { CommMessage, JsonObject } from '../protocol';
import type { CommLink } from '../runtime/comm-link';

/** What widget code receives: the shape of a Jupyter comm message (header ids are fresh per message). */
export interface WidgetCommMessage {
  header: { msg_id: string; msg_type: string };
  parent_header: Record<string, never>;
  metadata: JsonObject;
  content: { comm_id: string; target_name?: string; data: JsonObject };
  buffers: DataView[];
  channel: 'iopub';
}

let counter = 0;
const newId = () => `pyloom-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export function asWidgetMessage(message: CommMessage): WidgetCommMessage {
  return {
    header: { msg_id: newId(), msg_type: message.msg_type },
    parent_header: {},
    metadata: message.metadata,
    content: { comm_id: message.comm_id, ...(message.target_name ? { target_name: message.target_name } : {}), data: message.data },
    buffers: message.buffers.map((buffer) => new DataView(buffer)),
    channel: 'iopub',
  };
}

/** Buffers as the channel sends them: whole ArrayBuffers (views are copied into their own). */
function ownBuffers(buffers: (ArrayBuffer | ArrayBufferView)[] | undefined): ArrayBuffer[] {
  return (buffers ?? []).map((buffer) => {
    if (buffer instanceof ArrayBuffer) return buffer;
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    return bytes.slice().buffer;
  });
}

const asObject = (value: JSONValue | undefined): JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value } : {};

export class PyloomComm implements IClassicComm {
  #channel: CommLink;
  #onMsg: ((message: WidgetCommMessage) => void) | undefined;
  #onClose: ((message: WidgetCommMessage) => void) | undefined;
  closed = false;

  constructor(
    readonly comm_id: string,
    readonly target_name: string,
    channel: CommLink,
  ) {
    this.#channel = channel;
  }

  #post(
    msg_type: CommMessage['msg_type'],
    data: JSONValue | undefined,
    callbacks: ICallbacks | undefined,
    metadata: JSONObject | undefined,
    buffers: (ArrayBuffer | ArrayBufferView)[] | undefined,
  ): string {
    const id = newId();
    if (this.closed) return id;
    const message: CommMessage = {
      msg_type,
      comm_id: this.comm_id,
      data: asObject(data),
      metadata: { ...(metadata ?? {}) },
      buffers: ownBuffers(buffers),
    };
    if (msg_type === 'comm_open') message.target_name = this.target_name;
    // ipywidgets sends the next state change once Python reports this one done ('idle').
    void this.#channel
      .send(message)
      .then(() => callbacks?.iopub?.status?.({ header: { msg_id: id }, content: { execution_state: 'idle' } } as never));
    return id;
  }

  open(data: JSONValue, callbacks?: ICallbacks, metadata?: JSONObject, buffers?: (ArrayBuffer | ArrayBufferView)[]): string {
    return this.#post('comm_open', data, callbacks, metadata, buffers);
  }

  send(data: JSONValue, callbacks?: ICallbacks, metadata?: JSONObject, buffers?: (ArrayBuffer | ArrayBufferView)[]): string {
    return this.#post('comm_msg', data, callbacks, metadata, buffers);
  }

  close(data?: JSONValue, callbacks?: ICallbacks, metadata?: JSONObject, buffers?: (ArrayBuffer | ArrayBufferView)[]): string {
    const id = this.#post('comm_close', data, callbacks, metadata, buffers);
    this.closed = true;
    return id;
  }

  on_msg(callback: (message: WidgetCommMessage) => void): void {
    this.#onMsg = callback;
  }

  on_close(callback: (message: WidgetCommMessage) => void): void {
    this.#onClose = callback;
  }

  /** A message from Python for this comm. */
  receive(message: CommMessage): void {
    if (message.msg_type === 'comm_close') {
      this.closed = true;
      this.#onClose?.(asWidgetMessage(message));
    } else {
      this.#onMsg?.(asWidgetMessage(message));
    }
  }
}
