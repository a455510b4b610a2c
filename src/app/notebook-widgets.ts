// The notebook page's widgets: the runtime's live ones, the open notebook's saved ones (shown
// statically until Python opens the same model), and the widget state written on every save.
import type { Notebook } from '../notebook/model';
import type { WidgetDisplay } from '../render/types';
import type { WidgetHost } from '../widgets/host';
import { readWidgetState, withWidgetState, type SavedModel } from '../widgets/saved-state';
import { SavedWidgets } from '../widgets/saved-widgets';

export class NotebookWidgets {
  #host: WidgetHost | undefined;
  #saved: SavedWidgets | undefined;
  #stopListening: (() => void) | undefined;
  #stopListeningSaved: (() => void) | undefined;
  /** Called when live widget state changed (the notebook is worth saving again). */
  onChange: () => void = () => undefined;

  /** Widgets come from `host` (undefined: a runtime without comms). Returns what outputs display widgets with. */
  useHost(host: WidgetHost | undefined): WidgetDisplay | undefined {
    this.#stopListening?.();
    this.#host = host;
    this.#stopListening = host?.onStateChange(() => this.onChange());
    if (host) host.saved = this.#saved;
    return this.display;
  }

  /** `notebook` was opened: its saved widgets show until their cells run. Returns the display to use. */
  open(notebook: Notebook): WidgetDisplay | undefined {
    const document = readWidgetState(notebook.metadata);
    // Saved widgets are shown as untrusted, like the rest of a notebook opened here.
    this.#saved = document && Object.keys(document.state).length ? new SavedWidgets(document, { trusted: false }) : undefined;
    this.#stopListeningSaved?.();
    this.#stopListeningSaved = this.#saved?.onStateChange(() => this.onChange());
    if (this.#host) this.#host.saved = this.#saved;
    return this.display;
  }

  get display(): WidgetDisplay | undefined {
    return this.#host ?? this.#saved;
  }

  /** `notebook` with the widget state to save: the saved models (as moved here) and the live ones (newer) its outputs show. */
  save(notebook: Notebook): Notebook {
    const state: Record<string, SavedModel> = { ...this.#saved?.widgetState(), ...this.#host?.widgetState() };
    return withWidgetState(notebook, state);
  }
}
