// Find and replace across a notebook's cell sources (JupyterLab's search: plain or regular
// expression, case-sensitive or not). Pure functions over the cell list; offsets are UTF-16.
import type { Cell } from './model';

export interface FindOptions {
  caseSensitive: boolean;
  regex: boolean;
}

export interface FindMatch {
  cellId: string;
  /** UTF-16 offsets into the cell's source. */
  from: number;
  to: number;
}

export type FindQuery = { ok: true; pattern: RegExp } | { ok: false; error: string };

/** The search as a global RegExp, or the reason a regular expression does not compile. */
export function compileQuery(query: string, options: FindOptions): FindQuery {
  const flags = options.caseSensitive ? 'gu' : 'giu';
  const source = options.regex ? query : query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  try {
    return { ok: true, pattern: new RegExp(source, flags) };
  } catch (error) {
    return { ok: false, error: error instanceof SyntaxError ? error.message : String(error) };
  }
}

/** The replacement text for String.prototype.replace: literal unless searching by regular expression. */
export function replacementFor(text: string, options: FindOptions): string {
  return options.regex ? text : text.replace(/\$/g, '$$$$');
}

/**
 * Every non-empty match in every cell, in notebook then text order. An empty query or a pattern
 * that only matches empty strings finds nothing; at most `limit` matches are returned.
 */
export function findMatches(cells: readonly Cell[], pattern: RegExp, limit = 10_000): FindMatch[] {
  const matches: FindMatch[] = [];
  if (pattern.source === '(?:)') return matches;
  for (const cell of cells) {
    pattern.lastIndex = 0;
    for (const match of cell.source.matchAll(pattern)) {
      if (match[0] === '') continue;
      matches.push({ cellId: cell.id, from: match.index, to: match.index + match[0].length });
      if (matches.length >= limit) return matches;
    }
  }
  return matches;
}

/**
 * The source with one match replaced. With a regular expression, `$1`, `$<name>` and `$&` in
 * `replacement` refer to the match as in String.prototype.replace.
 */
export function replaceOne(source: string, match: FindMatch, pattern: RegExp, replacement: string): string {
  const text = source.slice(match.from, match.to);
  const single = new RegExp(pattern.source, pattern.flags.replace('g', ''));
  return source.slice(0, match.from) + text.replace(single, replacement) + source.slice(match.to);
}

/** The source with every match replaced; the same string when nothing matched. */
export function replaceAll(source: string, pattern: RegExp, replacement: string): string {
  if (pattern.source === '(?:)') return source;
  pattern.lastIndex = 0;
  return source.replace(pattern, (...args) => {
    const matched = String(args[0]);
    if (matched === '') return '';
    const single = new RegExp(pattern.source, pattern.flags.replace('g', ''));
    return matched.replace(single, replacement);
  });
}
