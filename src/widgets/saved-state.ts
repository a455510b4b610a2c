// Widget state saved in a notebook, as JupyterLab 4 saves it: metadata.widgets
// ["application/vnd.jupyter.widget-state+json"] (schema v2 of @jupyter-widgets/schema). Plain data
// (no DOM, no widget code): reading it from a notebook, and writing the models its outputs show.
import type { Notebook } from '../notebook/model';
import type { JsonObject } from '../protocol';

export const WIDGET_STATE_MIME = 'application/vnd.jupyter.widget-state+json';
const WIDGET_VIEW_MIME = 'application/vnd.jupyter.widget-view+json';
const MODEL_REFERENCE = 'IPY_MODEL_';

/** One model's saved state; `buffers` hold binary values (base64 or hex) at `path` inside `state`. */
export interface SavedModel {
  model_name: string;
  model_module: string;
  model_module_version?: string;
  state: JsonObject;
  buffers?: { path: (string | number)[]; data: string; encoding: 'base64' | 'hex' }[];
}

/** The `application/vnd.jupyter.widget-state+json` document (version 2.0). */
export interface WidgetStateDocument {
  version_major: 2;
  version_minor: 0;
  state: Record<string, SavedModel>;
}

const isRecord = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

function isSavedModel(value: unknown): value is SavedModel {
  if (!isRecord(value) || typeof value['model_name'] !== 'string' || typeof value['model_module'] !== 'string' || !isRecord(value['state']))
    return false;
  const version = value['model_module_version'];
  if (version !== undefined && typeof version !== 'string') return false;
  const buffers = value['buffers'];
  if (buffers === undefined) return true;
  return (
    Array.isArray(buffers) &&
    buffers.every(
      (b) =>
        isRecord(b) &&
        typeof b['data'] === 'string' &&
        (b['encoding'] === 'base64' || b['encoding'] === 'hex') &&
        Array.isArray(b['path']) &&
        b['path'].every((p) => typeof p === 'string' || typeof p === 'number'),
    )
  );
}

/**
 * The saved widget state of `metadata` (a notebook's), or undefined when it has none. Models that
 * do not have the v2 shape are left out (a hand-edited file loses only those widgets); a document
 * of another major version is ignored as a whole (nothing here reads v1).
 */
export function readWidgetState(metadata: JsonObject): WidgetStateDocument | undefined {
  const widgets = metadata['widgets'];
  const document = isRecord(widgets) ? widgets[WIDGET_STATE_MIME] : undefined;
  if (!isRecord(document) || document['version_major'] !== 2 || !isRecord(document['state'])) return undefined;
  const state: Record<string, SavedModel> = {};
  for (const [id, model] of Object.entries(document['state'])) if (isSavedModel(model)) state[id] = model;
  return { version_major: 2, version_minor: 0, state };
}

/** Every model id `value` names: widget-view outputs' `model_id` and `IPY_MODEL_<id>` references. */
function collectReferences(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    if (value.startsWith(MODEL_REFERENCE)) into.add(value.slice(MODEL_REFERENCE.length));
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into);
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === WIDGET_VIEW_MIME && isRecord(item) && typeof item['model_id'] === 'string') into.add(item['model_id']);
      else collectReferences(item, into);
    }
  }
}

/** Links (jslink/dlink) are referenced by nothing shown; kept when what they link is kept. */
const LINK_MODELS = new Set(['LinkModel', 'DirectionalLinkModel']);

/**
 * The models worth saving for `notebook`: those its outputs show, everything those refer to
 * (children, layouts, styles, models inside Output widgets) and the links between kept models.
 * Models of widgets no output shows any more (closed, or from before a restart) are dropped.
 */
export function modelsShownBy(notebook: Notebook, state: Record<string, SavedModel>): Record<string, SavedModel> {
  const kept = new Set<string>();
  const pending = new Set<string>();
  for (const cell of notebook.cells) if (cell.cell_type === 'code') collectReferences(cell.outputs, pending);
  const visit = () => {
    for (const id of pending) {
      pending.delete(id);
      const model = state[id];
      if (!model || kept.has(id)) continue;
      kept.add(id);
      collectReferences(model.state, pending);
    }
  };
  visit();
  for (const [id, model] of Object.entries(state)) {
    if (kept.has(id) || !LINK_MODELS.has(model.model_name)) continue;
    const linked = new Set<string>();
    collectReferences(model.state, linked);
    if ([...linked].some((other) => kept.has(other))) {
      pending.add(id);
      visit();
    }
  }
  return Object.fromEntries(Object.entries(state).filter(([id]) => kept.has(id)));
}

/**
 * `notebook` with `metadata.widgets[WIDGET_STATE_MIME]` set to the models of `state` its outputs
 * show (see modelsShownBy); without that key when none is shown. Other keys of
 * `metadata.widgets` are kept as read. With no models known at all, the notebook is returned as is
 * (a saved document this page could not read is kept). The notebook itself is not changed.
 */
export function withWidgetState(notebook: Notebook, state: Record<string, SavedModel>): Notebook {
  if (Object.keys(state).length === 0) return notebook;
  const shown = modelsShownBy(notebook, state);
  const { widgets, ...metadata } = notebook.metadata;
  const others = isRecord(widgets) ? Object.fromEntries(Object.entries(widgets).filter(([key]) => key !== WIDGET_STATE_MIME)) : {};
  const document: WidgetStateDocument = { version_major: 2, version_minor: 0, state: shown };
  const next = Object.keys(shown).length ? { ...others, [WIDGET_STATE_MIME]: document } : others;
  return { ...notebook, metadata: Object.keys(next).length ? { ...metadata, widgets: next } : metadata };
}

/** What followState needs of a widget manager (PyloomWidgetManager has both). */
export interface WidgetStateSource {
  onStateChange(listener: () => void): () => void;
  get_state(options: { drop_defaults: boolean }): Promise<unknown>;
  /** Whether the source has real code for a module: models of others serialize as error stand-ins, not their state. */
  knowsModule(module: string, version: string): boolean;
}

/**
 * Calls `report(models)` with the serialized state of `source`'s models after they change: one
 * serialization at a time, the latest change always included, a state equal to the last one not
 * reported, models of modules the source lacks left out. `quietStart`: serialize once now as the baseline without reporting it (models just
 * restored from a file are not a change). Returns the unsubscribe.
 */
export function followWidgetState(
  source: WidgetStateSource,
  report: (models: Record<string, SavedModel>) => void,
  options: { quietStart?: boolean } = {},
): () => void {
  let last: string | undefined;
  let running = false;
  let again = false;
  let stopped = false;
  const record = async (quiet: boolean) => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const all = readWidgetState({ widgets: { [WIDGET_STATE_MIME]: await source.get_state({ drop_defaults: true }) } })?.state ?? {};
        const models = Object.fromEntries(
          Object.entries(all).filter(([, m]) => source.knowsModule(m.model_module, m.model_module_version ?? '')),
        );
        const text = JSON.stringify(models);
        if (stopped || text === last) continue;
        last = text;
        if (!quiet) report(models);
      } while (again && !stopped);
    } finally {
      running = false;
    }
  };
  const failed = (error: unknown) => console.warn('Pyloom: widget state not recorded:', error);
  const unsubscribe = source.onStateChange(() => void record(false).catch(failed));
  if (options.quietStart) void record(true).catch(failed);
  return () => {
    stopped = true;
    unsubscribe();
  };
}
