// application/json as a collapsible tree of <details> (keyboard accessible without scripting).
// Children are built when a node is first opened, so huge or deep data costs nothing up front.
import { type MimeRenderer, type RenderContext } from './types';

const PREVIEW_ITEMS = 100; // children shown per node before a "… N more" line

function leaf(document: Document, value: unknown): HTMLElement {
  const span = document.createElement('span');
  span.className = `json-${value === null ? 'null' : typeof value}`;
  span.textContent = JSON.stringify(value) ?? String(value);
  return span;
}

function node(context: RenderContext, key: string, value: unknown, open: boolean): HTMLElement {
  const { document } = context;
  if (value === null || typeof value !== 'object') {
    const row = document.createElement('div');
    row.className = 'json-row';
    const label = document.createElement('span');
    label.className = 'json-key';
    label.textContent = `${key}: `;
    row.append(label, leaf(document, value));
    return row;
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = `${key}: ${Array.isArray(value) ? `Array(${entries.length})` : `{…} ${entries.length} keys`}`;
  details.append(summary);
  let built = false;
  const build = () => {
    if (built) return;
    built = true;
    const list = document.createElement('div');
    list.className = 'json-children';
    for (const [k, v] of entries.slice(0, PREVIEW_ITEMS)) list.append(node(context, k, v, false));
    if (entries.length > PREVIEW_ITEMS) {
      const more = document.createElement('div');
      more.className = 'json-more';
      more.textContent = `… ${entries.length - PREVIEW_ITEMS} more`;
      list.append(more);
    }
    details.append(list);
  };
  details.addEventListener('toggle', () => details.open && build());
  if (open) {
    build();
    details.open = true;
  }
  return details;
}

export const json: MimeRenderer = {
  mimeTypes: ['application/json'],
  rank: 100,
  safe: true,
  render(data, metadata, context) {
    const wrapper = context.document.createElement('div');
    wrapper.className = 'json';
    const root = typeof metadata['root'] === 'string' ? metadata['root'] : 'root';
    wrapper.append(node(context, root, data, true));
    if (metadata['expanded'] === true) {
      for (const details of wrapper.querySelectorAll('details')) details.open = true;
    }
    return wrapper;
  },
};
