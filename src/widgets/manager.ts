// The page's widget manager: @jupyter-widgets/base-manager over Pyloom's comm channel, with the
// widget JavaScript bundled (no RequireJS, no CDN) and HTML made safe on untrusted pages.
import { ManagerBase } from '@jupyter-widgets/base-manager';
import { WidgetModel, WidgetView, type DOMWidgetView, type IClassicComm } from '@jupyter-widgets/base';
import type { JSONObject } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';
import type { CommMessage } from '../protocol';
import type { CommLink } from '../runtime/comm-link';
import type { Sanitizer } from '../render/types';
import widgetsCss from '@jupyter-widgets/controls/css/widgets.css?inline';
import luminoCss from '@lumino/widgets/style/index.css?inline';
import { asWidgetMessage, PyloomComm } from './comm';

/** The widgets' CSS, for the shadow root each widget output has (its :root variables on :host). */
let sheet: CSSStyleSheet | undefined;
function widgetStyles(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(`${luminoCss}\n${widgetsCss}`.replaceAll(':root', ':host'));
  }
  return sheet;
}

export interface WidgetManagerOptions {
  /** Trusted pages show HTML widget values and HTML descriptions as written; untrusted ones sanitize them. */
  trusted: boolean;
  sanitizer: Sanitizer;
}

/** Widget modules Pyloom ships, by name: the major version they implement and how to load them. */
const MODULES: Record<string, { major: number; load: (manager: PyloomWidgetManager) => Promise<Record<string, unknown>> }> = {
  '@jupyter-widgets/base': { major: 2, load: async () => ({ ...(await import('@jupyter-widgets/base')) }) },
  '@jupyter-widgets/controls': { major: 2, load: async (manager) => (await import('./controls')).controlsFor(manager.options) },
  // anywidget's JS module is "~0.9.*": every 0.x shares the AFM API Pyloom implements (anywidget.ts).
  anywidget: { major: 0, load: async (manager) => (await import('./anywidget')).anywidgetModule(manager.options) },
  '@jupyter-widgets/output': {
    major: 1,
    // Widgets displayed inside an Output widget are drawn by the same manager.
    load: async (manager) =>
      (await import('./output-widget')).outputModule(manager.options, {
        display: async (modelId, target) => void (await manager.display(modelId, target)),
      }),
  },
};

/** Why a widget cannot be shown: its module is not one Pyloom has. Names module and version. */
export class UnknownWidgetModule extends Error {
  constructor(
    readonly module: string,
    readonly version: string,
  ) {
    super(`Pyloom has no JavaScript for the widget module ${module} ${version}`);
    this.name = 'UnknownWidgetModule';
  }
}

const majorOf = (version: string): number => Number.parseInt(version.replace(/^[~^]/, ''), 10);

/** Whether Pyloom ships JavaScript for widget module `module` at `version` (a semver range like "^2.0.0"). */
export function isKnownWidgetModule(module: string, version: string): boolean {
  const known = MODULES[module];
  return known !== undefined && majorOf(version) === known.major;
}

export class PyloomWidgetManager extends ManagerBase {
  readonly options: WidgetManagerOptions;
  #channel: CommLink | undefined;
  #comms = new Map<string, PyloomComm>();
  #loaded = new Map<string, Promise<Record<string, unknown>>>();
  /** Module and version of every model Python opened, for the placeholder of one that fails. */
  readonly modelModules = new Map<string, { module: string; version: string; name: string }>();
  #modelWaiters = new Map<string, (() => void)[]>();
  #stateListeners = new Set<() => void>();

  /** `channel` undefined: saved widgets only (no Python). The host feeds Python's messages to receive(). */
  constructor(options: WidgetManagerOptions, channel?: CommLink) {
    super();
    this.options = options;
    this.#channel = channel;
  }

  knowsModule(module: string, version: string): boolean {
    return isKnownWidgetModule(module, version);
  }

  isOpen(modelId: string): boolean {
    return this.modelModules.has(modelId) || this.has_model(modelId);
  }

  /** Resolves once every message received so far has been handled (models made and updated). */
  settled(): Promise<void> {
    return this.#chain;
  }

  /** Resolves once Python opened the model (its comm_open can come after the display that names it). */
  whenOpened(modelId: string): Promise<void> {
    if (this.has_model(modelId)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.#modelWaiters.get(modelId) ?? [];
      waiters.push(resolve);
      this.#modelWaiters.set(modelId, waiters);
    });
  }

  /** Calls `listener` when a model is made, changes or closes (to keep saved widget state current); returns the unsubscribe. */
  onStateChange(listener: () => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  override register_model(modelId: string, modelPromise: Promise<WidgetModel>): void {
    super.register_model(modelId, modelPromise);
    const changed = () => {
      for (const listener of this.#stateListeners) listener();
    };
    modelPromise.then(
      (model) => {
        model.on('change', changed);
        model.once('comm:close', changed);
        changed();
      },
      () => undefined,
    );
  }

  /** Messages are handled one after another: a model's updates wait until its comm_open made it. */
  #chain: Promise<void> = Promise.resolve();

  /** A message from Python, in order. */
  receive(message: CommMessage): void {
    if (message.msg_type === 'comm_open') {
      const state = message.data['state'];
      if (state && typeof state === 'object' && !Array.isArray(state)) {
        const record = state as Record<string, unknown>;
        this.modelModules.set(message.comm_id, {
          module: String(record['_model_module']),
          version: String(record['_model_module_version']),
          name: String(record['_model_name']),
        });
      }
    }
    this.#chain = this.#chain.then(() => this.#handle(message)).catch((error: unknown) => console.error('Pyloom widgets:', error));
  }

  async #handle(message: CommMessage): Promise<void> {
    if (message.msg_type === 'comm_open') {
      const comm = this.#comm(message.comm_id, message.target_name ?? '');
      try {
        if (message.target_name === this.comm_target_name) await this.handle_comm_open(comm, asWidgetMessage(message) as never);
      } finally {
        for (const resolve of this.#modelWaiters.get(message.comm_id) ?? []) resolve();
        this.#modelWaiters.delete(message.comm_id);
      }
      return;
    }
    const comm = this.#comms.get(message.comm_id);
    if (!comm) {
      console.warn(`Pyloom: a ${message.msg_type} for comm ${message.comm_id}, which the page does not know, was ignored`);
      return;
    }
    comm.receive(message);
    if (message.msg_type === 'comm_close') this.#comms.delete(message.comm_id);
  }

  #comm(commId: string, target: string): PyloomComm {
    let comm = this.#comms.get(commId);
    if (!comm) {
      if (!this.#channel) throw new Error('this widget manager has no Python to talk to');
      comm = new PyloomComm(commId, target, this.#channel);
      this.#comms.set(commId, comm);
    }
    return comm;
  }

  protected async loadClass(className: string, moduleName: string, moduleVersion: string): Promise<typeof WidgetModel | typeof WidgetView> {
    const known = MODULES[moduleName];
    if (!known || majorOf(moduleVersion) !== known.major) throw new UnknownWidgetModule(moduleName, moduleVersion);
    let module = this.#loaded.get(moduleName);
    if (!module) {
      module = known.load(this);
      this.#loaded.set(moduleName, module);
    }
    const found = (await module)[className];
    if (
      typeof found === 'function' &&
      (found.prototype instanceof WidgetModel || found.prototype instanceof WidgetView || found === WidgetModel)
    ) {
      return found as typeof WidgetModel | typeof WidgetView;
    }
    throw new Error(`the widget module ${moduleName} ${moduleVersion} has no class ${className}`);
  }

  protected async _create_comm(
    target: string,
    modelId?: string,
    data?: JSONObject,
    metadata?: JSONObject,
    buffers?: (ArrayBuffer | ArrayBufferView)[],
  ): Promise<IClassicComm> {
    const comm = this.#comm(modelId ?? crypto.randomUUID().replaceAll('-', ''), target);
    if (data || metadata) comm.open(data ?? {}, undefined, metadata, buffers);
    return comm;
  }

  protected async _get_comm_info(): Promise<Record<string, never>> {
    return {};
  }

  /** Descriptions with description_allow_html: Pyloom's sanitizer unless the page is trusted. */
  override inline_sanitize(source: string): string {
    if (this.options.trusted) return source;
    const holder = document.createElement('div');
    holder.append(this.options.sanitizer.html(source));
    return holder.innerHTML;
  }

  /** Show the view of `modelId` in `host` (attached to the page). Rejects with UnknownWidgetModule for unknown modules. */
  async display(modelId: string, host: HTMLElement): Promise<DOMWidgetView> {
    await this.whenOpened(modelId);
    const model = await this.get_model(modelId);
    const info = this.modelModules.get(modelId);
    if (info && !MODULES[info.module]) throw new UnknownWidgetModule(info.module, info.version);
    const view = await this.create_view<DOMWidgetView>(model, {});
    const root = host.getRootNode();
    if (root instanceof ShadowRoot && !root.adoptedStyleSheets.includes(widgetStyles()))
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, widgetStyles()];
    Widget.attach(view.luminoWidget, host);
    return view;
  }
}
