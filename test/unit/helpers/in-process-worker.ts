// A WorkerLike whose "worker" is an API exposed over a real MessageChannel in this process:
// the Runtime's Comlink traffic is real, only the thread is not.
import { expose, type Endpoint } from 'comlink';
import type { WorkerLike } from '../../../src/runtime/runtime';

export class InProcessWorker extends EventTarget implements WorkerLike {
  readonly #page: MessagePort;
  readonly #worker: MessagePort;
  terminated = false;

  constructor(api: object) {
    super();
    const { port1, port2 } = new MessageChannel();
    this.#page = port1;
    this.#worker = port2;
    expose(api, port2 as unknown as Endpoint);
  }

  postMessage(message: unknown, transfer: Transferable[]): void {
    this.#page.postMessage(message, transfer);
  }

  override addEventListener(type: string, listener: (event: Event) => void): void {
    if (type === 'message') this.#page.addEventListener(type, listener as EventListener);
    else super.addEventListener(type, listener);
  }

  override removeEventListener(type: string, listener: (event: Event) => void): void {
    if (type === 'message') this.#page.removeEventListener(type, listener as EventListener);
    else super.removeEventListener(type, listener);
  }

  terminate(): void {
    this.terminated = true;
    this.#page.close();
    this.#worker.close();
  }

  /** What a browser does when code in the worker throws and nothing catches it. */
  throwUncaught(message: string): void {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
}
