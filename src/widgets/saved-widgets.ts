// Widgets shown from a notebook's saved state, with no Python: a widget manager built from the
// saved models (loaded on the first widget shown). Interaction stays in the page (a slider moves,
// jslinks follow) and reaches no Python, but is saved again, as JupyterLab does; HTML is sanitized
// unless the page is trusted.
import { createSanitizer } from '../render/sanitize';
import type { WidgetDisplay } from '../render/types';
import type { IManagerState } from '@jupyter-widgets/base-manager';
import type { PyloomWidgetManager } from './manager';
import { followWidgetState, type SavedModel, type WidgetStateDocument } from './saved-state';

export class SavedWidgets implements WidgetDisplay {
  readonly document: WidgetStateDocument;
  readonly trusted: boolean;
  #manager: Promise<PyloomWidgetManager> | undefined;
  #state: Record<string, SavedModel>;
  #listeners = new Set<() => void>();

  constructor(document: WidgetStateDocument, options: { trusted: boolean }) {
    this.document = document;
    this.trusted = options.trusted;
    this.#state = document.state;
  }

  /** The saved models as they are now (moved in the page since the file was opened, or as read). */
  widgetState(): Record<string, SavedModel> {
    return this.#state;
  }

  /** Calls `listener` after widgetState() changed; returns the unsubscribe. */
  onStateChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Whether the saved state has model `modelId`. */
  has(modelId: string): boolean {
    return Object.hasOwn(this.document.state, modelId);
  }

  /** The manager holding the saved models (tests read their values here). */
  manager(): Promise<PyloomWidgetManager> {
    this.#manager ??= import('./manager').then(async ({ PyloomWidgetManager }) => {
      const manager = new PyloomWidgetManager({ trusted: this.trusted, sanitizer: createSanitizer(window) });
      // Models register before set_state's first await; one that fails (unknown module) is
      // reported where it is displayed, the others still show.
      // A deep copy: set_state puts decoded buffers into the state it is given (the notebook's metadata here).
      const copy: IManagerState = JSON.parse(JSON.stringify(this.document));
      const restored = manager
        .set_state(copy)
        .catch((error: unknown) => console.warn('Pyloom: some saved widgets could not be restored:', error));
      void restored.then(() =>
        followWidgetState(
          manager,
          (models) => {
            this.#state = { ...this.#state, ...models };
            for (const listener of this.#listeners) listener();
          },
          { quietStart: true },
        ),
      );
      return manager;
    });
    return this.#manager;
  }

  /** Draw saved widget `modelId` into `target`; rejects when it is not saved or its module is unknown. */
  async display(modelId: string, target: HTMLElement): Promise<void> {
    const saved = this.document.state[modelId];
    if (!saved) throw new Error('this widget was not saved with the notebook: run its cell to show it');
    const { isKnownWidgetModule, UnknownWidgetModule } = await import('./manager');
    const version = saved.model_module_version ?? '(no version saved)';
    if (!isKnownWidgetModule(saved.model_module, version)) throw new UnknownWidgetModule(saved.model_module, version);
    const manager = await this.manager();
    await manager.display(modelId, target);
  }
}
