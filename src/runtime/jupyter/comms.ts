// Jupyter comms on a remote kernel as a CommLink, so the page's widget manager works as with
// Pyodide: comm_open/comm_msg/comm_close from the kernel's IOPub to the listeners, in order, and
// the page's comm messages to the kernel's shell channel through @jupyterlab/services.
import { KernelMessage, type KernelConnection } from '@jupyterlab/services';
import type { JSONObject, JSONValue } from '@lumino/coreutils';
import type { CommMessage, OutputEvent } from '../../protocol';
import type { CommLink } from '../comm-link';
import { OutputCapture } from './output-capture';

export interface ClosableCommLink extends CommLink {
  /** Stop delivering and refuse to send (the kernel restarted: its comms are gone). */
  close(): void;
}

function isJSON(value: unknown): value is JSONValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJSON);
  return typeof value === 'object' && Object.values(value).every(isJSON);
}

/** `value` as a JSON object; names the comm and what is wrong when it is not JSON (a NaN, a function). */
function jsonObject(value: Record<string, unknown>, what: string): JSONObject {
  const out: JSONObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue; // JSON.stringify drops these too
    if (!isJSON(item))
      throw new Error(`${what}: "${key}" is not JSON (non-finite numbers, functions and the like cannot go to a remote kernel)`);
    out[key] = item;
  }
  return out;
}

/** Whole ArrayBuffers, as widget code receives them from the Pyodide runtime. */
function ownBuffers(buffers: (ArrayBuffer | ArrayBufferView)[] | undefined): ArrayBuffer[] {
  return (buffers ?? []).map((buffer) =>
    buffer instanceof ArrayBuffer ? buffer : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice().buffer,
  );
}

export interface CaptureOptions {
  /** An IOPub output message as an output event, or undefined (status, comm, …). */
  toOutputEvent(message: KernelMessage.IIOPubMessage): OutputEvent | undefined;
  /** Called with each output message routed into an Output widget: it is not the cell's output. */
  onCaptured(msgId: string): void;
}

const isIOPub = (msg: KernelMessage.IMessage): msg is KernelMessage.IIOPubMessage => msg.channel === 'iopub';

/**
 * The comms of `kernel` from now until `close()`. The connection must be made with
 * `handleComms: false`. Messages are taken as they arrive (`anyMessage`, before the library hands
 * them to execution futures), so comm messages and outputs routed into Output widgets keep the
 * kernel's order and `onCaptured` comes before the cell's future sees the output.
 */
export function kernelComms(kernel: KernelConnection, options: CaptureOptions): ClosableCommLink {
  const listeners = new Set<(message: CommMessage) => void>();
  const outputWidgets = new OutputCapture();
  let closed = false;
  const deliver = (message: CommMessage) => {
    for (const listener of listeners) listener(message);
  };
  const fromKernel = (message: CommMessage) => {
    outputWidgets.track(message);
    deliver(message);
  };
  const onMessage = (_: unknown, { msg, direction }: { msg: KernelMessage.IMessage; direction: 'send' | 'recv' }) => {
    if (direction !== 'recv' || !isIOPub(msg)) return;
    const event = options.toOutputEvent(msg);
    if (event) {
      const captured = outputWidgets.capture(msg.parent_header && 'msg_id' in msg.parent_header ? msg.parent_header.msg_id : '', event);
      if (captured) {
        options.onCaptured(msg.header.msg_id);
        if (captured.update) deliver(captured.update);
      }
      return;
    }
    const common = { metadata: { ...msg.metadata }, buffers: ownBuffers(msg.buffers) };
    if (KernelMessage.isCommOpenMsg(msg)) {
      const { comm_id, target_name, data, target_module } = msg.content;
      fromKernel({
        msg_type: 'comm_open',
        comm_id,
        target_name,
        ...(target_module ? { target_module } : {}),
        data: { ...data },
        ...common,
      });
    } else if (KernelMessage.isCommMsgMsg(msg)) {
      fromKernel({ msg_type: 'comm_msg', comm_id: msg.content.comm_id, data: { ...msg.content.data }, ...common });
    } else if (KernelMessage.isCommCloseMsg(msg)) {
      fromKernel({ msg_type: 'comm_close', comm_id: msg.content.comm_id, data: { ...msg.content.data }, ...common });
    }
  };
  kernel.anyMessage.connect(onMessage);

  return {
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async send(message) {
      if (closed) throw new Error('the comm link is closed (the kernel restarted or the runtime was disposed)');
      const what = `a ${message.msg_type} for comm ${message.comm_id}`;
      const base = {
        session: kernel.clientId,
        username: kernel.username,
        channel: 'shell' as const,
        metadata: jsonObject(message.metadata, what),
        buffers: message.buffers,
      };
      const data = jsonObject(message.data, what);
      const { comm_id } = message;
      const msg =
        message.msg_type === 'comm_open'
          ? KernelMessage.createMessage<KernelMessage.ICommOpenMsg<'shell'>>({
              ...base,
              msgType: 'comm_open',
              content: {
                comm_id,
                target_name: message.target_name ?? '',
                data,
                ...(message.target_module ? { target_module: message.target_module } : {}),
              },
            })
          : message.msg_type === 'comm_msg'
            ? KernelMessage.createMessage<KernelMessage.ICommMsgMsg<'shell'>>({ ...base, msgType: 'comm_msg', content: { comm_id, data } })
            : KernelMessage.createMessage<KernelMessage.ICommCloseMsg<'shell'>>({
                ...base,
                msgType: 'comm_close',
                content: { comm_id, data },
              });
      // No reply for comm messages: the future is done at the kernel's 'idle' after handling it.
      await kernel.sendShellMessage(msg, false, true).done.catch(() => undefined);
    },
    close() {
      closed = true;
      listeners.clear();
      kernel.anyMessage.disconnect(onMessage);
    },
  };
}
