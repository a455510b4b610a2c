// application/json as a collapsible tree of <details> (keyboard accessible without scripting).
// Children are built when a node is first opened, a page at a time, so huge or deep data costs
// nothing up front.
import { type MimeRenderer, type RenderContext } from './types';

/** Children built per page; the rest wait behind a "Show N more" button. */
export const JSON_PAGE = 100;
/** `expanded: true` opens nodes up to this many, so expanding huge data cannot freeze the page. */
export const JSON_EXPAND_BUDGET = 2000;
/** Strings longer than this show their start; the full value is in the title. */
const LONG_STRING = 10_000;

type Container = unknown[] | { [key: string]: unknown };

const isContainer = (value: unknown): value is Container => value !== null && typeof value === 'object';

function leaf(document: Document, value: unknown): HTMLElement {
  const span = document.createElement('span');
  span.className = `json-${value === null ? 'null' : typeof value}`;
  const text = JSON.stringify(value) ?? String(value);
  span.textContent = text.length > LONG_STRING ? `${text.slice(0, LONG_STRING)}… (${text.length.toLocaleString('en')} characters)` : text;
  return span;
}

function describe(value: Container, size: number): string {
  if (Array.isArray(value)) return `Array(${size})`;
  return `{…} ${size} ${size === 1 ? 'key' : 'keys'}`;
}

interface Budget {
  left: number;
}

function node(context: RenderContext, key: string, value: unknown, open: boolean, budget: Budget | undefined): HTMLElement {
  const { document } = context;
  if (!isContainer(value)) {
    const row = document.createElement('div');
    row.className = 'json-row';
    const label = document.createElement('span');
    label.className = 'json-key';
    label.textContent = `${key}: `;
    row.append(label, leaf(document, value));
    return row;
  }
  // Keys of a big object are listed only when it is first opened.
  let keys: readonly string[] | undefined;
  const size = Array.isArray(value) ? value.length : (keys = Object.keys(value)).length;
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = `${key}: ${describe(value, size)}`;
  details.append(summary);
  let list: HTMLElement | undefined;
  let shown = 0;
  const more = document.createElement('button');
  more.type = 'button';
  more.className = 'json-more';
  const showPage = (pageBudget: Budget | undefined) => {
    list ??= details.appendChild(document.createElement('div'));
    list.className = 'json-children';
    const end = Math.min(size, shown + JSON_PAGE);
    for (; shown < end; shown += 1) {
      let childKey: string;
      let child: unknown;
      if (Array.isArray(value)) [childKey, child] = [String(shown), value[shown]];
      else {
        keys ??= Object.keys(value);
        childKey = keys[shown]!;
        child = value[childKey];
      }
      const openChild = pageBudget !== undefined && pageBudget.left > 0 && isContainer(child);
      if (openChild) pageBudget.left -= 1;
      list.append(node(context, childKey, child, openChild, pageBudget));
    }
    if (shown < size) {
      more.textContent = `Show ${Math.min(JSON_PAGE, size - shown).toLocaleString('en')} more of ${(size - shown).toLocaleString('en')}`;
      list.append(more);
    } else more.remove();
  };
  more.addEventListener('click', () => showPage(undefined));
  // Built on the first opening, by mouse, keyboard (Enter/Space on the summary) or script.
  details.addEventListener('toggle', () => {
    if (details.open && !list) showPage(undefined);
  });
  if (open) {
    showPage(budget);
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
    const budget = metadata['expanded'] === true ? { left: JSON_EXPAND_BUDGET } : undefined;
    wrapper.append(node(context, root, data, true, budget));
    return wrapper;
  },
};
