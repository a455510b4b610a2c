// The document of a sandboxed anywidget frame (untrusted pages): a small runtime that imports the
// widget's ESM from a blob: URL inside the frame and gives it an AFM `model` bridged to the page
// over postMessage (protocol: anywidget-protocol.ts). It is serialized into the frame's srcdoc, so
// frameMain must not use anything outside its own body.
import type { FrameMessage, HostMessage } from './anywidget-protocol';

type Callback = (...args: unknown[]) => void;

/** Runs inside the frame only. `load` imports a module URL (written in the srcdoc, out of the bundler's sight). */
function frameMain(load: (url: string) => Promise<Record<string, unknown>>): void {
  const post = (message: FrameMessage) => window.parent.postMessage(message, '*');
  const state: Record<string, unknown> = {};
  let pending: Record<string, unknown> = {};
  const listeners = new Map<string, Set<Callback>>();
  const same = (a: unknown, b: unknown): boolean => {
    if (a === b) return true;
    try {
      return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b);
    } catch {
      return false;
    }
  };
  const emit = (event: string, ...args: unknown[]) => {
    for (const callback of [...(listeners.get(event) ?? [])]) {
      try {
        callback(...args);
      } catch (error) {
        console.error('[anywidget]', error);
      }
    }
  };
  const toBuffers = (buffers: unknown): ArrayBuffer[] =>
    Array.isArray(buffers)
      ? buffers.map((buffer: unknown) => {
          if (buffer instanceof ArrayBuffer) return buffer;
          if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice().buffer;
          throw new TypeError('model.send: buffers must be ArrayBuffers or typed arrays');
        })
      : [];
  const model = {
    get: (name: string): unknown => state[name],
    set(name: string, value: unknown): void {
      if (same(state[name], value)) return;
      state[name] = value;
      pending[name] = value;
      emit(`change:${name}`, model, value);
      emit('change', model);
    },
    save_changes(): void {
      post({ kind: 'save', changes: pending });
      pending = {};
    },
    on(event: string, callback: Callback): void {
      const set = listeners.get(event) ?? new Set<Callback>();
      set.add(callback);
      listeners.set(event, set);
    },
    off(event?: string | null, callback?: Callback | null): void {
      for (const [name, set] of listeners) {
        if (event && name !== event) continue;
        if (callback) set.delete(callback);
        else set.clear();
      }
    },
    send(content: unknown, _callbacks?: unknown, buffers?: unknown): void {
      post({ kind: 'send', content, buffers: toBuffers(buffers) });
    },
  };
  const fail = (error: unknown) => {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const box = document.createElement('pre');
    box.className = 'anywidget-error';
    box.textContent = `This widget's JavaScript failed: ${message}`;
    document.body.append(box);
    post({ kind: 'error', message });
  };
  const start = async (esm: string, css: string) => {
    if (css) {
      const style = document.createElement('style');
      style.textContent = css;
      document.head.append(style);
    }
    const url = URL.createObjectURL(new Blob([esm], { type: 'text/javascript' }));
    let module: Record<string, unknown>;
    try {
      module = await load(url);
    } finally {
      URL.revokeObjectURL(url);
    }
    type Widget = { initialize?: (props: object) => unknown; render?: (props: object) => unknown };
    let widget: Widget;
    if (typeof module['render'] === 'function') widget = { render: module['render'] as Widget['render'] };
    else if (typeof module['default'] === 'function') widget = (await (module['default'] as () => unknown)()) as Widget;
    else if (module['default'] && typeof module['default'] === 'object') widget = module['default'] as Widget;
    else throw new Error('the module must export a default object (or function returning one) with render/initialize');
    const el = document.createElement('div');
    document.body.append(el);
    await widget.initialize?.({ model });
    await widget.render?.({ model, el });
  };
  addEventListener('message', (event: MessageEvent) => {
    if (event.source !== window.parent) return;
    const message = event.data as HostMessage;
    if (message.kind === 'init') {
      Object.assign(state, message.state);
      start(message.esm, message.css).catch(fail);
    } else if (message.kind === 'change') {
      const changed = Object.entries(message.changes).filter(([name, value]) => !same(state[name], value));
      for (const [name, value] of changed) {
        state[name] = value;
        emit(`change:${name}`, model, value);
      }
      if (changed.length) emit('change', model);
    } else if (message.kind === 'custom') {
      emit(
        'msg:custom',
        message.content,
        message.buffers.map((buffer) => new DataView(buffer)),
      );
    }
  });
  new ResizeObserver(() => post({ kind: 'resize', height: Math.ceil(document.documentElement.getBoundingClientRect().height) })).observe(
    document.documentElement,
  );
  post({ kind: 'ready' });
}

/** The frame's srcdoc: a blank page running frameMain. */
export function frameDocument(): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;padding:0;background:transparent;font:13px system-ui,sans-serif}</style></head><body><script type="module">(${frameMain.toString()})((url) => import(url));</script></body></html>`;
}
