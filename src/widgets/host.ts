// Widgets for one runtime: follows its comm channel (a new one at each restart) and loads the
// widget manager (a chunk of its own: @jupyter-widgets and Lumino) when Python opens the first comm.
import type { CommMessage } from '../protocol';
import type { CommLink } from '../runtime/comm-link';
import type { RuntimeStatus } from '../runtime/runtime';
import { createSanitizer } from '../render/sanitize';
import type { WidgetDisplay } from '../render/types';
import type { PyloomWidgetManager } from './manager';
import { followWidgetState, type SavedModel } from './saved-state';
import type { SavedWidgets } from './saved-widgets';

/** What the host needs of a runtime: its status, its comm link and the `comms`/`status` events. */
export interface WidgetRuntime extends EventTarget {
  readonly status: RuntimeStatus;
  readonly comms: CommLink | undefined;
}

export class WidgetHost implements WidgetDisplay {
  readonly trusted: boolean;
  #runtime: WidgetRuntime;
  #manager: Promise<PyloomWidgetManager> | undefined;
  #stop: (() => void) | undefined;
  /** The loaded manager of the current channel, for synchronous checks. */
  #current: PyloomWidgetManager | undefined;
  /** Displays waiting for the manager (the comm_open may come after the output that shows it). */
  #waiting: (() => void)[] = [];
  /** Widgets saved with the open notebook: shown while Python has not opened the same model. */
  saved: SavedWidgets | undefined;
  /** Last known state of the live models (serialized, as saved), and of those before a restart. */
  #liveState: Record<string, SavedModel> = {};
  #retiredState: Record<string, SavedModel> = {};
  #stateListeners = new Set<() => void>();
  #stopRecording: (() => void) | undefined;

  constructor(runtime: WidgetRuntime, options: { trusted: boolean }) {
    this.trusted = options.trusted;
    this.#runtime = runtime;
    const follow = (channel: CommLink | undefined) => {
      this.#stop?.();
      this.#stopRecording?.();
      this.#manager = undefined;
      this.#current = undefined;
      // The old Python's widgets are closed; their last state stays for the outputs that show them.
      this.#retiredState = { ...this.#retiredState, ...this.#liveState };
      this.#liveState = {};
      if (!channel) return;
      const backlog: CommMessage[] = [];
      let manager: PyloomWidgetManager | undefined;
      this.#stop = channel.onMessage((message) => {
        if (manager) manager.receive(message);
        else {
          backlog.push(message);
          void this.#load(channel).then((loaded) => {
            if (manager) return;
            manager = loaded;
            this.#current = loaded;
            this.#recordStateOf(loaded);
            for (const waiting of backlog.splice(0)) loaded.receive(waiting);
            for (const resolve of this.#waiting.splice(0)) resolve();
          });
        }
      });
    };
    follow(runtime.comms);
    runtime.addEventListener('comms', (event) => follow((event as CustomEvent<CommLink>).detail));
  }

  /** The widget manager of the current Python, once Python opened a comm (tests and benches read models here). */
  get manager(): PyloomWidgetManager | undefined {
    return this.#current;
  }

  #load(channel: CommLink): Promise<PyloomWidgetManager> {
    this.#manager ??= import('./manager').then(
      ({ PyloomWidgetManager }) => new PyloomWidgetManager({ trusted: this.trusted, sanitizer: createSanitizer(window) }, channel),
    );
    return this.#manager;
  }

  /**
   * The serialized state of every widget this host has seen, by model id (as saved in a notebook:
   * see saved-state.ts). Updated shortly after each change; `onStateChange` tells when.
   */
  widgetState(): Record<string, SavedModel> {
    return { ...this.#retiredState, ...this.#liveState };
  }

  /** Calls `listener` after widgetState() changed; returns the unsubscribe. */
  onStateChange(listener: () => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  #recordStateOf(manager: PyloomWidgetManager): void {
    this.#stopRecording = followWidgetState(manager, (models) => {
      if (this.#current !== manager) return;
      this.#liveState = models;
      for (const listener of this.#stateListeners) listener();
    });
  }

  /** Show widget `modelId` in `target`. Rejects when no Python has opened it (or its module is unknown). */
  async display(modelId: string, target: HTMLElement): Promise<void> {
    if (this.saved?.has(modelId) && !this.#current?.isOpen(modelId)) return this.saved.display(modelId, target);
    const notOpen = () =>
      new Error('this widget is not open in Python (the runtime restarted, or the cell has not run yet): run the cell again');
    // Python opens a widget's comm before it displays it, but the two travel on different
    // ports; once Python is idle every comm_open it sent has arrived.
    const settled = new Promise<never>((_, reject) => {
      const check = () => {
        if (this.#runtime.status === 'busy' || this.#runtime.status === 'starting') return;
        this.#runtime.removeEventListener('status', check);
        // Python is idle: the widget's comm_open has arrived if it was ever sent. The manager
        // may still be loading it.
        if (!this.#manager) reject(notOpen());
        else
          void this.#manager.then(async (manager) => {
            await manager.settled();
            if (!manager.isOpen(modelId)) reject(notOpen());
          });
      };
      this.#runtime.addEventListener('status', check);
      queueMicrotask(check);
    });
    settled.catch(() => undefined);
    if (!this.#manager) await Promise.race([new Promise<void>((resolve) => this.#waiting.push(resolve)), settled]);
    const manager = await this.#manager!;
    await Promise.race([manager.whenOpened(modelId), settled]);
    await manager.display(modelId, target);
  }
}

const hosts = new WeakMap<WidgetRuntime, WidgetHost>();

/** The widget host of `runtime` (one per runtime; trust is the first caller's). */
export function widgetHostFor(runtime: WidgetRuntime, options: { trusted: boolean }): WidgetHost {
  let host = hosts.get(runtime);
  if (!host) {
    host = new WidgetHost(runtime, options);
    hosts.set(runtime, host);
  }
  return host;
}
