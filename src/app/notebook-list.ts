// The notebook files of the workspace, as a list to open, duplicate or delete them.
import { html, render } from 'lit';
import type { ListedNotebook } from '../notebook/store';

export interface ListActions {
  open(id: string): void;
  duplicate(id: string): void;
  remove(id: string): void;
}

const when = (time: number) => new Date(time).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function renderNotebookList(
  container: HTMLElement,
  notebooks: ListedNotebook[],
  current: string | undefined,
  actions: ListActions,
): void {
  render(
    html`<h2 style="font-size:14px;margin:4px 0 8px">Notebooks in the workspace (${notebooks.length})</h2>
      <ul>
        ${notebooks.map(
          (nb) => html`<li aria-current=${nb.id === current ? 'true' : 'false'}>
            <button type="button" class="open" @click=${() => actions.open(nb.id)}>${nb.id}</button>
            <div class="meta">changed ${when(nb.updated)}</div>
            <button type="button" aria-label=${`Duplicate ${nb.id}`} @click=${() => actions.duplicate(nb.id)}>Duplicate</button>
            <button type="button" aria-label=${`Delete ${nb.id}`} @click=${() => actions.remove(nb.id)}>Delete</button>
          </li>`,
        )}
      </ul>`,
    container,
  );
}
