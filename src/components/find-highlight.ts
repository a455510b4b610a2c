// Marks find matches in cell outputs with the CSS Custom Highlight API: ranges over the rendered
// text, no change to the output DOM (outputs stay read-only, and an iframe or widget is never touched).
import type { FindMatch } from '../notebook/find';
import type { PyOutput } from './py-output';

const ALL = 'pyloom-find';
const CURRENT = 'pyloom-find-current';

/** Where the outputs of a cell are, by cell id (the notebook's rendered cells). */
export type OutputsOf = (cellId: string) => PyOutput | null;

/**
 * Highlight the output matches (`expected` gives each match's text, to skip text not shown as
 * such, e.g. folded) and, distinctly, `current`. Returns the current match's range, if shown.
 */
export function highlightOutputMatches(
  matches: readonly FindMatch[],
  current: FindMatch | undefined,
  outputsOf: OutputsOf,
  expected: (match: FindMatch) => string,
): Range | undefined {
  if (typeof CSS === 'undefined' || !('highlights' in CSS)) return undefined;
  const all = new Highlight();
  let shown: Range | undefined;
  for (const match of matches) {
    if (match.output === undefined) continue;
    const range = outputsOf(match.cellId)?.textRange(match.output, match.from, match.to);
    if (!range || range.toString() !== expected(match)) continue;
    if (match === current) shown = range;
    else all.add(range);
  }
  CSS.highlights.set(ALL, all);
  CSS.highlights.set(CURRENT, shown ? new Highlight(shown) : new Highlight());
  return shown;
}

export function clearOutputHighlights(): void {
  if (typeof CSS === 'undefined' || !('highlights' in CSS)) return;
  CSS.highlights.delete(ALL);
  CSS.highlights.delete(CURRENT);
}
