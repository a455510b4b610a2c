// Toolbar icons: 16×16 stroke paths drawn for Pyloom, coloured by currentColor so themes apply.
import { svg, type SVGTemplateResult } from 'lit';

const PATHS = {
  add: 'M8 3v10M3 8h10',
  addAbove: 'M3 11h10M3 14h10M8 1.5v7M4.5 5H11.5',
  addBelow: 'M3 2h10M3 5h10M8 7.5v7M4.5 11h7',
  delete: 'M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 9h5.6l.7-9',
  undo: 'M5 3.5 2.5 6 5 8.5M2.5 6H10a3.5 3.5 0 0 1 0 7H6',
  cut: 'M5 13a2 2 0 1 0 0-.01M11 13a2 2 0 1 0 0-.01M6.3 11.5 12 2.5M9.7 11.5 4 2.5',
  copy: 'M5.5 5.5h7v8h-7zM3.5 10.5v-8h7',
  paste: 'M4 3H3v11h10V3h-1M5.5 2h5v2.5h-5z',
  up: 'M8 13V3M4 7l4-4 4 4',
  down: 'M8 3v10M4 9l4 4 4-4',
  run: 'M4.5 3v10l8.5-5z',
  runAll: 'M2.5 3v10l6-5zM8.5 3v10l6-5z',
  stop: 'M4 4h8v8H4z',
  restart: 'M12.5 4.5A5.5 5.5 0 1 0 13.5 8M12.5 1.5v3h-3',
  restartRun: 'M11 4A5 5 0 1 0 12.5 8M11 1.5V4H8.5M7 6v4l3-2z',
  clear: 'M2.5 13.5h11M4 10.5 10 4.5l2 2-6 6H4z',
  search: 'M7 11.5a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zM10.3 10.3 14 14',
  toc: 'M2 3.5h1M5 3.5h9M2 8h1M5 8h9M4 12.5h1M7 12.5h7',
  keyboard: 'M1.5 4.5h13v7h-13zM4 7h1M7 7h1M10 7h1M5 9.5h6',
  palette: 'M2.5 3.5h11v9h-11zM4.5 6.5l2 1.5-2 1.5M8 10h3',
  merge: 'M4 2v3l4 3 4-3V2M8 8v6M5.5 11.5 8 14l2.5-2.5',
  split: 'M8 2v5M4 14v-3l4-3 4 3v3M2 8h1.5M12.5 8H14',
  lines: 'M2 4h1.5M2 8h1.5M2 12h1.5M6 4h8M6 8h8M6 12h8',
  collapse: 'M3 6l5 5 5-5',
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName): SVGTemplateResult {
  return svg`<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"
    fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round"><path d=${PATHS[name]}></path></svg>`;
}
