// Thebe's JavaScript entry points on pages that have a Thebe config: window.thebelab and
// window.thebe (one object), its events, and calls that wait for the Thebe page code (loaded
// lazily with the JSON5 parser) so a page may call them as soon as the embed has run.
import type { JsonObject } from './config';

/** What Thebe passes to `status` handlers (thebe-core's ThebeEventData). */
export interface ThebeEventData {
  /**
   * Thebe's kernel status names on the 'status' event: 'starting', 'ready', 'failed' (boot failed),
   * 'dead' (the runtime stopped); on the 'error' event (Thebe 0.9) 'error' beside 'failed' and
   * 'session-error' beside 'dead'.
   */
  status: 'starting' | 'ready' | 'failed' | 'dead' | 'error' | 'session-error';
  message: string;
  subject?: 'kernel';
}

/** Handlers get the event name and the data, as Thebe 0.9 calls them (Thebe 0.8's jQuery passed an event object first). */
export type ThebeHandler = (event: string, data: ThebeEventData) => void;

export class ThebeEvents {
  #handlers = new Map<string, Map<ThebeHandler, { once: boolean }>>();

  on(event: string, handler: ThebeHandler): () => void {
    this.#add(event, handler, false);
    return () => this.off(event, handler);
  }

  one(event: string, handler: ThebeHandler): () => void {
    this.#add(event, handler, true);
    return () => this.off(event, handler);
  }

  off(event: string, handler?: ThebeHandler): void {
    if (handler) this.#handlers.get(event)?.delete(handler);
    else this.#handlers.delete(event);
  }

  /** Call every handler of `event`; one that throws is reported and does not stop the others. */
  trigger(event: string, data: ThebeEventData): void {
    const handlers = this.#handlers.get(event);
    if (!handlers) return;
    for (const [handler, { once }] of [...handlers]) {
      if (once) handlers.delete(handler);
      try {
        handler(event, data);
      } catch (error) {
        console.error(`Pyloom: a page handler of Thebe's "${event}" event failed`, error);
      }
    }
  }

  #add(event: string, handler: ThebeHandler, once: boolean): void {
    if (typeof handler !== 'function') throw new TypeError(`thebe.on("${event}", handler): handler must be a function`);
    let handlers = this.#handlers.get(event);
    if (!handlers) this.#handlers.set(event, (handlers = new Map()));
    handlers.set(handler, { once });
  }
}

/** A rendered cell as Thebe's renderAllCells returns it. */
export interface ThebeCell {
  /** The cell's element (where the code block was). */
  cell: HTMLElement;
  /** Run it; resolves when it has run. */
  execute(): Promise<void>;
}

/** What `requestKernel()` and `bootstrap()` (with requestKernel) resolve with: Python in this browser. */
export interface ThebeKernel {
  name: string;
  restart(): Promise<void>;
}

/** The Thebe page code behind the global (src/embed/thebe/page.ts). */
export interface ThebeBackend {
  bootstrap(options?: JsonObject): Promise<{ cells: ThebeCell[]; kernel: ThebeKernel | undefined }>;
  renderAllCells(options?: JsonObject): ThebeCell[];
  /** Every cell set up so far, however it was set up (bootstrap on load, the Activate widget, a call). */
  cells(): ThebeCell[];
  requestKernel(): Promise<ThebeKernel>;
  mountStatusWidget(): void;
  mountActivateWidget(): void;
}

export interface ThebeGlobal {
  /** Set up the cells found now (Thebe's selector), mount widgets, start Python if requestKernel. Safe to call again. */
  bootstrap(options?: JsonObject): Promise<{ cells: ThebeCell[]; kernel: ThebeKernel | undefined }>;
  renderAllCells(options?: JsonObject): Promise<ThebeCell[]>;
  requestKernel(options?: JsonObject): Promise<ThebeKernel>;
  mountStatusWidget(): Promise<void>;
  mountActivateWidget(): Promise<void>;
  on: ThebeEvents['on'];
  one: ThebeEvents['one'];
  off: ThebeEvents['off'];
  trigger: ThebeEvents['trigger'];
  events: ThebeEvents;
  /** The cells set up so far (empty until the Thebe page code has loaded). */
  readonly cells: ThebeCell[];
  /** Which engine answers: Pyloom, so page scripts can tell. */
  readonly engine: 'pyloom';
}

declare global {
  interface Window {
    thebelab?: ThebeGlobal;
    thebe?: ThebeGlobal;
  }
}

/** Install window.thebelab / window.thebe; calls wait for `backend` (the lazily loaded page code). */
export function installThebeGlobal(events: ThebeEvents, backend: Promise<ThebeBackend>): ThebeGlobal {
  let loaded: ThebeBackend | undefined;
  void backend.then((ready) => (loaded = ready));
  const global: ThebeGlobal = {
    bootstrap: async (options) => (await backend).bootstrap(options),
    renderAllCells: async (options) => (await backend).renderAllCells(options),
    requestKernel: async () => (await backend).requestKernel(),
    mountStatusWidget: async () => (await backend).mountStatusWidget(),
    mountActivateWidget: async () => (await backend).mountActivateWidget(),
    on: (event, handler) => events.on(event, handler),
    one: (event, handler) => events.one(event, handler),
    off: (event, handler) => events.off(event, handler),
    trigger: (event, data) => events.trigger(event, data),
    events,
    get cells() {
      return loaded?.cells() ?? [];
    },
    engine: 'pyloom',
  };
  window.thebelab = global;
  window.thebe = global;
  return global;
}
