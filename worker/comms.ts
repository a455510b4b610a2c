// The worker half of the comm channel: Python's comm messages to the page and the page's batches
// to Python, on a MessagePort of their own (binary buffers transferred, not copied).
import type { PyodideAPI } from 'pyodide';
import type { CommFromKernel, CommMessage, CommToKernel } from '../src/protocol';
import { errorMessage } from '../src/shared/errors';
import type { KernelState } from './kernel-state';

interface PyComms {
  install(send: (json: string, buffers: Uint8Array[]) => void): void;
  receive(batchJson: string, buffers: Uint8Array[]): void;
  destroy(): void;
}

/** A Uint8Array's bytes in an ArrayBuffer of their own (transferable as a whole). */
function ownBuffer(view: Uint8Array): ArrayBuffer {
  if (view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer) return view.buffer;
  return view.slice().buffer;
}

/**
 * Wire pyloom.comms to `port`. Page batches are handled as they arrive: the worker only takes a
 * message when Python is not running synchronously, i.e. between cells or while a cell awaits.
 * Each batch is answered with `handled` once Python is done with it.
 */
export function connectComms(state: KernelState, port: MessagePort): void {
  const pyodide: PyodideAPI | undefined = state.pyodide;
  if (!pyodide) throw new Error('the runtime has not finished booting; connect comms after boot');
  const comms = pyodide.pyimport('pyloom.comms') as PyComms;
  const post = (message: CommFromKernel, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  comms.install((json, buffers) => {
    const parsed = JSON.parse(json) as Omit<CommMessage, 'buffers'>;
    const owned = Array.from(buffers, ownBuffer);
    post({ type: 'comm', message: { ...parsed, buffers: owned } }, owned);
  });
  port.onmessage = (event: MessageEvent<CommToKernel>) => {
    const batch = event.data;
    if (batch.type !== 'batch') return;
    const buffers = batch.messages.flatMap((message) => message.buffers.map((buffer) => new Uint8Array(buffer)));
    const described = batch.messages.map(({ buffers: own, ...rest }) => ({ ...rest, buffer_count: own.length }));
    try {
      // Between cells a widget callback must not take a signal that is meant for a cell (one
      // whose request is on its way on another port, too): not cleared, not polled.
      state.withoutInterrupt(() => comms.receive(JSON.stringify(described), buffers));
      post({ type: 'handled', seq: batch.seq });
    } catch (error) {
      post({ type: 'handled', seq: batch.seq, error: errorMessage(error) });
    }
  };
  state.onDispose(() => {
    port.onmessage = null;
    port.close();
    comms.destroy();
  });
}
