// @vitest-environment jsdom
// Saved widget state (src/widgets/saved-state.ts): what the notebook page writes into an .ipynb
// validates against the official nbformat 4.5 schema and @jupyter-widgets/schema's v2 state
// schema, holds the models the outputs show (and only those), and is what the genuine
// @jupyter-widgets/base-manager serializes (buffers base64) and restores.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, test } from 'vitest';
import { SCHEMA_MISSING, SCHEMA_PATH } from '../nbformat-schema';
import { newNotebook, type Cell, type Notebook } from '../../src/notebook/model';
import { serializeNotebook, parseNotebook } from '../../src/notebook/ipynb';
import {
  followWidgetState,
  modelsShownBy,
  readWidgetState,
  WIDGET_STATE_MIME,
  withWidgetState,
  type SavedModel,
  type WidgetStateSource,
} from '../../src/widgets/saved-state';

const require = createRequire(import.meta.url);
const WIDGET_STATE_SCHEMA = require.resolve('@jupyter-widgets/schema/v2/state.schema.json');
const VIEW = 'application/vnd.jupyter.widget-view+json';

const controls = (name: string, state: Record<string, unknown>): SavedModel => ({
  model_name: name,
  model_module: '@jupyter-widgets/controls',
  model_module_version: '2.0.0',
  state,
});
const layout = (): SavedModel => ({
  model_name: 'LayoutModel',
  model_module: '@jupyter-widgets/base',
  model_module_version: '2.0.0',
  state: {},
});

function codeCell(id: string, modelId: string): Cell {
  return {
    id,
    cell_type: 'code',
    source: 'slider',
    metadata: {},
    execution_count: 1,
    outputs: [
      {
        output_type: 'execute_result',
        execution_count: 1,
        metadata: {},
        data: { 'text/plain': 'IntSlider(value=7)', [VIEW]: { version_major: 2, version_minor: 0, model_id: modelId } },
      },
    ],
  };
}

/** A box of a slider and a text box linked by jslink, an Output widget showing a third, and an orphan. */
function modelsOfASession(): Record<string, SavedModel> {
  return {
    box: controls('VBoxModel', { children: ['IPY_MODEL_slider', 'IPY_MODEL_text'], layout: 'IPY_MODEL_boxlayout' }),
    boxlayout: layout(),
    slider: controls('IntSliderModel', { value: 7, layout: 'IPY_MODEL_sliderlayout', style: 'IPY_MODEL_sliderstyle' }),
    sliderlayout: layout(),
    sliderstyle: controls('SliderStyleModel', {}),
    text: controls('IntTextModel', { value: 7 }),
    link: controls('LinkModel', { source: ['IPY_MODEL_slider', 'value'], target: ['IPY_MODEL_text', 'value'] }),
    out: {
      model_name: 'OutputModel',
      model_module: '@jupyter-widgets/output',
      model_module_version: '1.0.0',
      state: { outputs: [{ output_type: 'display_data', metadata: {}, data: { [VIEW]: { model_id: 'inner' } } }] },
    },
    inner: controls('ButtonModel', { description: 'Go' }),
    orphan: controls('IntSliderModel', { value: 1 }),
  };
}

function notebookShowing(...modelIds: string[]): Notebook {
  return newNotebook(modelIds.map((id, i) => codeCell(`c${i}`, id)));
}

describe('which models are saved', () => {
  test('those the outputs show, what they refer to (children, layouts, styles, Output contents) and links between them; not the orphan', () => {
    const kept = modelsShownBy(notebookShowing('box', 'out'), modelsOfASession());
    expect(Object.keys(kept).sort()).toEqual(['box', 'boxlayout', 'inner', 'link', 'out', 'slider', 'sliderlayout', 'sliderstyle', 'text']);
  });

  test('a notebook whose widget outputs were cleared saves no widget state, and keeps other widgets metadata', () => {
    const notebook = {
      ...notebookShowing(),
      metadata: {
        ...newNotebook().metadata,
        widgets: { 'application/x-other': { kept: true }, [WIDGET_STATE_MIME]: { version_major: 2, version_minor: 0, state: {} } },
      },
    };
    expect(withWidgetState(notebook, modelsOfASession()).metadata['widgets']).toEqual({ 'application/x-other': { kept: true } });
  });

  test('with no models known at all (say, a saved document this page cannot read), the metadata is left as it was', () => {
    const v1 = { widgets: { [WIDGET_STATE_MIME]: { version_major: 1, version_minor: 0, state: { a: { model_name: 'X' } } } } };
    const notebook = { ...notebookShowing('a'), metadata: v1 };
    expect(readWidgetState(v1)).toBeUndefined();
    expect(withWidgetState(notebook, {})).toBe(notebook);
  });

  test('malformed saved models are left out, the rest is read', () => {
    const read = readWidgetState({
      widgets: {
        [WIDGET_STATE_MIME]: {
          version_major: 2,
          version_minor: 0,
          state: {
            good: controls('IntSliderModel', { value: 3 }),
            bad: { model_name: 4, state: {} },
            badBuffers: { ...controls('ImageModel', {}), buffers: [{ path: ['value'], data: 'AA==', encoding: 'rot13' }] },
          },
        },
      },
    });
    expect(Object.keys(read?.state ?? {})).toEqual(['good']);
  });
});

describe('the saved .ipynb', () => {
  const saved = () => serializeNotebook(withWidgetState(notebookShowing('box', 'out'), modelsOfASession()));

  test('validates against the official nbformat 4.5 schema', (ctx) => {
    if (!SCHEMA_PATH) return ctx.skip(SCHEMA_MISSING);
    const ajv = new AjvDraft04({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
    const valid = validate(JSON.parse(saved()));
    expect(valid ? null : ajv.errorsText(validate.errors)).toBeNull();
  });

  test("its widget state validates against @jupyter-widgets/schema's v2 state schema, as JupyterLab 4 writes it", () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(WIDGET_STATE_SCHEMA, 'utf8')) as object);
    const document = (JSON.parse(saved()) as { metadata: { widgets: Record<string, unknown> } }).metadata.widgets[WIDGET_STATE_MIME];
    expect(validate(document) ? null : ajv.errorsText(validate.errors)).toBeNull();
    expect(document).toMatchObject({
      version_major: 2,
      version_minor: 0,
      state: {
        slider: {
          model_name: 'IntSliderModel',
          model_module: '@jupyter-widgets/controls',
          model_module_version: '2.0.0',
          state: { value: 7 },
        },
      },
    });
  });

  test('reopened, the notebook reads back the same state', () => {
    const { notebook } = parseNotebook(saved(), 'w.ipynb');
    expect(readWidgetState(notebook.metadata)?.state).toEqual(modelsShownBy(notebookShowing('box', 'out'), modelsOfASession()));
  });
});

describe('with the genuine @jupyter-widgets/base-manager', () => {
  test('the live manager serializes models with binary values as base64 buffers; a manager without Python restores them from the saved state', async () => {
    // jsdom has no DragEvent; Lumino's drag-and-drop module subclasses it when imported.
    globalThis.DragEvent ??= class DragEvent extends MouseEvent {} as typeof globalThis.DragEvent;
    const { PyloomWidgetManager } = await import('../../src/widgets/manager');
    const { createSanitizer } = await import('../../src/render/sanitize');
    const live = new PyloomWidgetManager({ trusted: false, sanitizer: createSanitizer(window) });
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 255]);
    const changes: number[] = [];
    live.onStateChange(() => changes.push(1));
    await live.new_model(
      { model_name: 'IntSliderModel', model_module: '@jupyter-widgets/controls', model_module_version: '2.0.0', model_id: 'slider' },
      { value: 42, description: 'n' },
    );
    await live.new_model(
      { model_name: 'ImageModel', model_module: '@jupyter-widgets/controls', model_module_version: '2.0.0', model_id: 'image' },
      { value: new DataView(bytes.buffer), format: 'png' },
    );
    expect(changes.length).toBeGreaterThanOrEqual(2);
    const document = readWidgetState({ widgets: { [WIDGET_STATE_MIME]: await live.get_state({ drop_defaults: true }) } })!;
    expect(document.state['slider']?.state).toMatchObject({ value: 42, description: 'n' });
    expect(document.state['image']?.buffers).toEqual([
      { path: ['value'], data: Buffer.from(bytes).toString('base64'), encoding: 'base64' },
    ]);

    const { SavedWidgets } = await import('../../src/widgets/saved-widgets');
    const restored = await new SavedWidgets(document, { trusted: false }).manager();
    const slider = await restored.get_model('slider');
    const image = await restored.get_model('image');
    expect(slider.get('value')).toBe(42);
    expect(slider.comm_live).toBe(false);
    expect(new Uint8Array((image.get('value') as DataView).buffer)).toEqual(bytes);
    expect(document.state['image']?.buffers?.[0]?.data).toBe(Buffer.from(bytes).toString('base64')); // the saved document is not decoded in place
  });
});

describe("following a manager's state", () => {
  /** A stand-in for the manager's three methods, with a state the test sets. */
  function source(): WidgetStateSource & { set(state: Record<string, SavedModel>): void } {
    let state: Record<string, SavedModel> = {};
    const listeners = new Set<() => void>();
    return {
      set(next) {
        state = next;
        for (const listener of listeners) listener();
      },
      onStateChange(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      get_state: async () => ({ version_major: 2, version_minor: 0, state }),
      knowsModule: (module) => module.startsWith('@jupyter-widgets/'),
    };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  test('reports changed state only: not the quiet baseline, not an equal state, not models of unknown modules; nothing after unsubscribe', async () => {
    const manager = source();
    manager.set({ a: controls('IntSliderModel', { value: 1 }) });
    const reports: Record<string, SavedModel>[] = [];
    const stop = followWidgetState(manager, (models) => reports.push(models), { quietStart: true });
    await settle();
    expect(reports).toEqual([]);
    manager.set({ a: controls('IntSliderModel', { value: 1 }) });
    await settle();
    expect(reports).toEqual([]);
    manager.set({
      a: controls('IntSliderModel', { value: 2 }),
      m: { model_name: 'MysteryModel', model_module: 'mystery-widgets', model_module_version: '1.0.0', state: { error: true } },
    });
    await settle();
    expect(reports).toEqual([{ a: controls('IntSliderModel', { value: 2 }) }]);
    stop();
    manager.set({ a: controls('IntSliderModel', { value: 3 }) });
    await settle();
    expect(reports).toHaveLength(1);
  });

  test('a burst of changes is serialized one at a time and ends with the last state', async () => {
    const manager = source();
    const reports: number[] = [];
    followWidgetState(manager, (models) => reports.push(models['a']?.state['value'] as number));
    for (let value = 1; value <= 100; value += 1) manager.set({ a: controls('IntSliderModel', { value }) });
    await settle();
    await settle();
    expect(reports.at(-1)).toBe(100);
    expect(reports.length).toBeLessThan(100);
  });
});
