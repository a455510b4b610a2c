// The table of contents of a notebook: Markdown ATX and Setext headings of its Markdown cells, in
// order, with the cell each one jumps to. Headings inside fenced code blocks are not headings.
import type { Cell } from './model';

export interface Heading {
  cellId: string;
  /** 1-6 */
  level: number;
  /** The heading text, inline Markdown markers removed. */
  text: string;
}

/** Headings of every Markdown cell, in notebook order. */
export function headingsOf(cells: readonly Cell[]): Heading[] {
  const headings: Heading[] = [];
  for (const cell of cells) {
    if (cell.cell_type !== 'markdown') continue;
    let fence: string | undefined;
    const lines = cell.source.split(/\r?\n/);
    lines.forEach((line, i) => {
      const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
      if (fenceMatch) {
        const marker = fenceMatch[1]!;
        if (!fence) fence = marker;
        else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
        return;
      }
      if (fence) return;
      const atx = /^\s{0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$/.exec(line);
      if (atx) {
        const text = plain(atx[2] ?? '');
        if (text) headings.push({ cellId: cell.id, level: atx[1]!.length, text });
        return;
      }
      const next = lines[i + 1];
      if (next !== undefined && line.trim() && /^\s{0,3}(=+|-+)\s*$/.test(next) && !/^\s{0,3}([-*+]\s|>)/.test(line)) {
        headings.push({ cellId: cell.id, level: next.trim().startsWith('=') ? 1 : 2, text: plain(line) });
      }
    });
  }
  return headings;
}

/** Emphasis, code and link markers dropped: `**Intro** to [pandas](url)` → `Intro to pandas`. */
function plain(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_|`)(.+?)\1/g, '$2')
    .replace(/<[^>]+>/g, '')
    .trim();
}
