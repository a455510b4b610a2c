// Find and replace across a notebook's cell sources, and find in its text outputs (JupyterLab's
// search: plain or regular expression, case-sensitive or not, cell outputs as an option; outputs
// are read-only). Pure functions over the cell list; offsets are UTF-16.
import type { Output } from '../protocol';
import { stripAnsi } from '../render/ansi';
import { asText } from '../render/types';
import type { Cell } from './model';

export interface FindOptions {
  caseSensitive: boolean;
  regex: boolean;
}

export interface FindMatch {
  cellId: string;
  /** Index into the cell's outputs for a match in an output; absent for a match in the source. */
  output?: number;
  /** UTF-16 offsets into the cell's source, or into the output's text (`outputText`). */
  from: number;
  to: number;
}

/**
 * The text an output shows as text, as searched: streams and error tracebacks without their ANSI
 * colour codes, and results or displays whose only representation is text/plain. Undefined for
 * rich outputs (HTML, images, Markdown…), which are not searched.
 */
export function outputText(output: Output): string | undefined {
  switch (output.output_type) {
    case 'stream':
      return stripAnsi(output.text);
    case 'error':
      return stripAnsi(output.traceback.length > 0 ? output.traceback.join('\n') : `${output.ename}: ${output.evalue}`);
    case 'execute_result':
    case 'display_data': {
      const types = Object.keys(output.data);
      return types.length === 1 && types[0] === 'text/plain' ? stripAnsi(asText(output.data['text/plain'])) : undefined;
    }
    default:
      return undefined;
  }
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
 * Every non-empty match in every cell, in notebook then text order: a cell's source, then (with
 * `outputs`) its text outputs in order. An empty query or a pattern that only matches empty
 * strings finds nothing; at most `limit` matches are returned.
 */
export function findMatches(cells: readonly Cell[], pattern: RegExp, limit = 10_000, outputs = false): FindMatch[] {
  const matches: FindMatch[] = [];
  if (pattern.source === '(?:)') return matches;
  const scan = (text: string, where: Omit<FindMatch, 'from' | 'to'>): boolean => {
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      if (match[0] === '') continue;
      matches.push({ ...where, from: match.index, to: match.index + match[0].length });
      if (matches.length >= limit) return false;
    }
    return true;
  };
  for (const cell of cells) {
    if (!scan(cell.source, { cellId: cell.id })) return matches;
    if (!outputs || cell.cell_type !== 'code') continue;
    for (const [index, output] of cell.outputs.entries()) {
      const text = outputText(output);
      if (text !== undefined && !scan(text, { cellId: cell.id, output: index })) return matches;
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
