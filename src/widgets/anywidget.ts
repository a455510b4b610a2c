// anywidget's widget module ("anywidget", AnyModel/AnyView) for Pyloom's widget manager. The
// widget's ESM comes only from the model state Python sent (`_esm`), never from a URL. Trusted
// pages import it in the page from a blob: URL with an AFM model bridged to the Backbone model;
// untrusted pages run it in a sandboxed iframe (anywidget-sandbox.ts).
import { DOMWidgetModel, DOMWidgetView, type WidgetModel } from '@jupyter-widgets/base';
import { isEsmUrl } from './anywidget-protocol';
import { mountSandboxed } from './anywidget-sandbox';
import type { JSONObject } from '@lumino/coreutils';
import type { WidgetManagerOptions } from './manager';

/** The anywidget version whose model/view names and AFM API this implements (its JS module is "~0.9.*"). */
export const ANYWIDGET_VERSION = '0.9.15';

type Callback = (...args: unknown[]) => void;

/** anywidget's front-end model interface (AFM), as widgets' render/initialize receive it. */
export interface AfmModel {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  save_changes(): void;
  /** Events: "change:<trait>", "change", "msg:custom" (callback(content, buffers: DataView[])). */
  on(event: string, callback: Callback): void;
  off(event?: string | null, callback?: Callback | null): void;
  send(content: unknown, callbacks?: unknown, buffers?: (ArrayBuffer | ArrayBufferView)[]): void;
}

interface AnyWidgetModule {
  initialize?: (props: { model: AfmModel }) => unknown;
  render?: (props: { model: AfmModel; el: HTMLElement }) => unknown;
}

/** The AFM model over a Backbone model; listeners are registered under `context` (removed with it). */
export function afmModel(model: WidgetModel, context: object): AfmModel {
  return {
    get: (name) => model.get(name),
    set: (name, value) => void model.set(name, value),
    save_changes: () => model.save_changes(),
    on: (event, callback) => void model.on(event, callback, context),
    off: (event, callback) => void model.off(event ?? null, callback ?? null, context),
    send: (content, callbacks, buffers) =>
      model.send(
        content as never,
        (callbacks ?? {}) as never,
        (buffers ?? []).map((buffer) => (buffer instanceof ArrayBuffer ? new DataView(buffer) : buffer)),
      ),
  };
}

/** Import an ESM source text from a blob: URL. Rejects (with the source's own error) when it fails. */
async function importSource(esm: string): Promise<AnyWidgetModule> {
  if (isEsmUrl(esm))
    throw new Error(
      `its _esm is a URL (${esm.trim().slice(0, 120)}); Pyloom runs only widget code sent from Python, it does not fetch code`,
    );
  const url = URL.createObjectURL(new Blob([esm], { type: 'text/javascript' }));
  try {
    const module = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
    const exported = module['default'];
    if (typeof module['render'] === 'function') return { render: module['render'] as AnyWidgetModule['render'] };
    if (typeof exported === 'function') return (await (exported as () => unknown)()) as AnyWidgetModule;
    if (exported && typeof exported === 'object') return exported as AnyWidgetModule;
    throw new Error('the module must export a default object (or a function returning one) with render/initialize');
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Whether `value` holds an ArrayBuffer or a typed array/DataView anywhere (lists and dicts, as ipywidgets' remove_buffers looks). */
function hasBinary(value: unknown): boolean {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  if (Array.isArray(value)) return value.some(hasBinary);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).some(hasBinary);
  return false;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The "anywidget" module's classes for a manager with `options` (trust decides where the ESM runs). */
export function anywidgetModule(options: WidgetManagerOptions): Record<string, unknown> {
  class AnyModel extends DOMWidgetModel {
    /** Trusted pages: the widget module, imported once per `_esm` value and initialized with the model. */
    widget: Promise<AnyWidgetModule> | undefined;
    #cleanup: unknown;
    readonly #context = {};

    override defaults() {
      return {
        ...super.defaults(),
        _model_name: 'AnyModel',
        _model_module: 'anywidget',
        _model_module_version: ANYWIDGET_VERSION,
        _view_name: 'AnyView',
        _view_module: 'anywidget',
        _view_module_version: ANYWIDGET_VERSION,
      };
    }

    /** anywidget traits may hold binary data (sent as buffers), which the default JSON deep copy would lose. */
    override serialize(state: Record<string, unknown>): JSONObject {
      const binary: Record<string, unknown> = {};
      const rest: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(state)) {
        if (hasBinary(value)) binary[key] = structuredClone(value);
        else rest[key] = value;
      }
      // Binary values are JSON once remove_buffers (which runs next) took their buffers out.
      return { ...super.serialize(rest), ...(binary as JSONObject) };
    }

    /** Trusted only: the module for the current `_esm`, its initialize() run once. */
    load(): Promise<AnyWidgetModule> {
      this.widget ??= (async () => {
        const widget = await importSource(String(this.get('_esm') ?? ''));
        this.#cleanup = await widget.initialize?.({ model: afmModel(this, this.#context) });
        return widget;
      })();
      return this.widget;
    }

    /** A new `_esm` (hot reload): the old initialize() is cleaned up, views render the new code. */
    reload(): void {
      if (typeof this.#cleanup === 'function') (this.#cleanup as () => void)();
      this.off(null, null, this.#context);
      this.widget = undefined;
    }
  }

  class AnyView extends DOMWidgetView {
    #dispose: (() => void) | undefined;
    #renders = 0;

    override render(): void {
      this.el.classList.add('pyloom-anywidget');
      this.listenTo(this.model, 'change:_esm change:_css', () => {
        if (this.model instanceof AnyModel) this.model.reload();
        void this.#show();
      });
      void this.#show();
    }

    async #show(): Promise<void> {
      const renders = ++this.#renders;
      this.#dispose?.();
      this.#dispose = undefined;
      this.el.replaceChildren();
      const model = this.model;
      if (!(model instanceof AnyModel)) return;
      const esm = String(model.get('_esm') ?? '');
      if (isEsmUrl(esm))
        return this.#fail(
          new Error(
            `its _esm is a URL (${esm.trim().slice(0, 120)}); Pyloom runs only widget code sent from Python, it does not fetch code`,
          ),
        );
      if (!options.trusted) {
        this.#dispose = mountSandboxed(model, this.el);
        return;
      }
      const context = {};
      const style = document.createElement('style');
      style.textContent = String(model.get('_css') ?? '');
      const el = document.createElement('div');
      this.el.append(style, el);
      try {
        const widget = await model.load();
        if (renders !== this.#renders) return;
        const cleanup = await widget.render?.({ model: afmModel(model, context), el });
        this.#dispose = () => {
          if (typeof cleanup === 'function') (cleanup as () => void)();
          model.off(null, null, context);
        };
      } catch (error) {
        model.off(null, null, context);
        this.#fail(error);
      }
    }

    #fail(error: unknown): void {
      console.error(`anywidget ${String(this.model.get('_anywidget_id') ?? '')}:`, error);
      const box = document.createElement('pre');
      box.className = 'anywidget-error';
      box.textContent = `This widget's JavaScript failed: ${errorText(error)}`;
      this.el.append(box);
    }

    override remove(): this {
      this.#dispose?.();
      this.#dispose = undefined;
      return super.remove();
    }
  }

  return { AnyModel, AnyView };
}
