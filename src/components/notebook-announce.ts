// What the notebook's live region says: a cell starting and finishing, never its streamed output.
import type { NotebookSession } from '../notebook/session';

/**
 * The sentence for run-state changes among `changed` cells, or undefined when none changed state
 * (outputs streaming into a running cell change nothing here). `seen` holds the last state per
 * cell and is updated.
 */
export function announcementFor(session: NotebookSession, changed: readonly string[], seen: Map<string, string>): string | undefined {
  const said: string[] = [];
  for (const id of changed) {
    const state = session.runState(id) ?? 'idle';
    const before = seen.get(id) ?? 'idle';
    if (state === before) continue;
    seen.set(id, state);
    const position = session.index(id) + 1;
    if (position === 0) continue;
    if (state === 'running') said.push(`Running cell ${position}`);
    else if (state === 'idle' && before === 'running') {
      const cell = session.cell(id);
      const error = cell?.cell_type === 'code' ? cell.outputs.find((o) => o.output_type === 'error') : undefined;
      said.push(error && error.output_type === 'error' ? `Cell ${position} failed: ${error.ename}` : `Cell ${position} finished`);
    }
  }
  return said.length ? said.join('. ') : undefined;
}
