// Drag-and-drop reordering of a notebook's cells: the prompt column is the handle, the selection
// moves together, and a marker on the cell under the pointer says on which side they land.
import type { NotebookSession } from '../notebook/session';
import type { NotebookController } from './notebook-controller';

const DRAG_TYPE = 'application/x-pyloom-cells';

/** What the drag needs of <py-notebook>: its cells, its selection, the place its cells render in. */
export interface CellDragHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly session: NotebookSession | undefined;
  readonly controller: Pick<NotebookController, 'selectedIds' | 'moveTo'>;
}

/** Listeners for the cell list's drag events (bound: pass them to the template as they are). */
export class CellDrag {
  readonly #host: CellDragHost;
  #dragging: string[] = [];

  constructor(host: CellDragHost) {
    this.#host = host;
  }

  onDragStart = (event: DragEvent) => {
    const id = cellIdOf(event);
    const handle = event.composedPath()[0];
    if (!id || !event.dataTransfer || !(handle instanceof HTMLElement) || !handle.classList.contains('prompt')) return;
    const selected = this.#host.controller.selectedIds();
    this.#dragging = selected.includes(id) ? selected : [id];
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData(DRAG_TYPE, this.#dragging.join(' '));
  };

  onDragOver = (event: DragEvent) => {
    if (this.#dragging.length === 0) return;
    const target = dropTarget(event, this.#dragging);
    this.clearDrop();
    if (!target) return;
    event.preventDefault();
    target.element.dataset['drop'] = target.after ? 'after' : 'before';
  };

  onDrop = (event: DragEvent) => {
    const target = dropTarget(event, this.#dragging);
    const session = this.#host.session;
    this.clearDrop();
    if (!target || !session) return;
    event.preventDefault();
    const rest = session.cells.filter((cell) => !this.#dragging.includes(cell.id));
    const index = rest.findIndex((cell) => cell.id === target.element.dataset['id']) + (target.after ? 1 : 0);
    this.#host.controller.moveTo(this.#dragging, index);
    this.#dragging = [];
  };

  onDragEnd = () => {
    this.#dragging = [];
    this.clearDrop();
  };

  clearDrop = () => {
    for (const element of this.#host.renderRoot.querySelectorAll<HTMLElement>('py-cell[data-drop]')) delete element.dataset['drop'];
  };
}

/** The cell under the pointer and which half of it, unless it is one of the dragged cells. */
function dropTarget(event: DragEvent, dragging: readonly string[]): { element: HTMLElement; after: boolean } | undefined {
  const element = event.composedPath().find((node): node is HTMLElement => node instanceof HTMLElement && node.localName === 'py-cell');
  if (!element || dragging.includes(element.dataset['id'] ?? '')) return undefined;
  const box = element.getBoundingClientRect();
  return { element, after: event.clientY > box.top + box.height / 2 };
}

/** The id of the <py-cell> an event came through (its `data-id`), or undefined. */
export function cellIdOf(event: Event): string | undefined {
  for (const node of event.composedPath()) {
    if (node instanceof HTMLElement && node.localName === 'py-cell') return node.dataset['id'];
  }
  return undefined;
}
