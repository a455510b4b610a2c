// application/vnd.jupyter.widget-view+json: a live Jupyter widget, drawn by the runtime's widget
// manager (src/widgets) in a shadow root of its own; a notice where there is no live Python.
import type { JsonObject } from '../protocol';
import { whenConnected } from './plots/lazy';
import { contained } from './shadow';
import { notice, type MimeRenderer } from './types';
import { errorMessage } from '../shared/errors';

export const WIDGET_VIEW_MIME = 'application/vnd.jupyter.widget-view+json';

const isRecord = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

export const widgetView: MimeRenderer = {
  mimeTypes: [WIDGET_VIEW_MIME],
  rank: 10,
  safe: true,
  render(data, _metadata, context) {
    const { document } = context;
    const target = document.createElement('div');
    target.className = 'widget-target';
    const host = contained(context, 'widget', target);
    const modelId = isRecord(data) ? data['model_id'] : undefined;
    if (typeof modelId !== 'string') {
      target.append(notice(document, 'This widget output has no model_id.'));
      host.dataset['state'] = 'error';
      return host;
    }
    host.dataset['modelId'] = modelId;
    const widgets = context.widgets;
    if (!widgets) {
      target.append(notice(document, 'A live widget is shown here when its cell runs (no Python is connected to this output).'));
      host.dataset['state'] = 'error';
      return host;
    }
    host.dataset['state'] = 'loading';
    void whenConnected(host)
      .then(() => widgets.display(modelId, target))
      .then(
        () => (host.dataset['state'] = 'done'),
        (error: unknown) => {
          target.replaceChildren(notice(document, `Widget not shown: ${errorMessage(error)}`));
          host.dataset['state'] = 'error';
        },
      );
    return host;
  },
};
