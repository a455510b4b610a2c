// Pyloom's light and dark themes as CSS custom properties: one set of names for the notebook page,
// its components, <py-output> and the docs-page embed cells, so a page restyles all of them at once.
import { ANSI_DEFAULTS } from './ansi';

type Tokens = Record<string, string>;

const LIGHT: Tokens = {
  'page-bg': '#ffffff',
  'text-color': '#1d2330',
  muted: '#545b6b',
  border: '#d9dce3',
  'panel-bg': '#f5f6f8',
  'control-bg': '#ffffff',
  'control-border': '#8c93a3',
  'hover-bg': '#eef1f6',
  accent: '#2f6fde',
  focus: '#2f6fde',
  'selected-bg': '#eaf1fd',
  'selected-edge': '#8fb0ea',
  'editor-bg': '#f7f7f9',
  'editor-border': '#d8dbe2',
  'active-line': '#eef1f6',
  'selection-bg': '#cfe0fb',
  'link-color': '#0550ae',
  'table-border': '#9aa0ab',
  'table-stripe': '#f5f6f8',
  'table-hover': '#e3ecfa',
  'error-background': '#fdf0f0',
  'notice-color': '#6e4b00',
  'notice-background': '#fff8e1',
  'out-prompt-color': '#b3261e',
  'running-color': '#a14c00',
  'queued-color': '#735b00',
  'error-color': '#b3261e',
  'syntax-keyword': '#8b1aa0',
  'syntax-string': '#0a6b2a',
  'syntax-number': '#0550ae',
  'syntax-comment': '#5c6370',
  'syntax-function': '#6a3bb5',
  'syntax-class': '#8a4b00',
  'syntax-operator': '#4a5160',
  'syntax-heading': '#0550ae',
  'syntax-link': '#0550ae',
  'syntax-invalid': '#b3261e',
  ...Object.fromEntries(Object.entries(ANSI_DEFAULTS).map(([name, color]) => [`ansi-${name}`, color])),
};

const DARK: Tokens = {
  'page-bg': '#0d1117',
  'text-color': '#e6edf3',
  muted: '#9da7b3',
  border: '#30363d',
  'panel-bg': '#161b22',
  'control-bg': '#161b22',
  'control-border': '#6e7681',
  'hover-bg': '#21262d',
  accent: '#4493f8',
  focus: '#58a6ff',
  'selected-bg': '#132339',
  'selected-edge': '#2f5e9e',
  'editor-bg': '#161b22',
  'editor-border': '#30363d',
  'active-line': '#1c2430',
  'selection-bg': '#264f78',
  'link-color': '#58a6ff',
  'table-border': '#6e7681',
  'table-stripe': '#161b22',
  'table-hover': '#1f2a3a',
  'error-background': '#2d1517',
  'notice-color': '#f2cc60',
  'notice-background': '#2b2111',
  'out-prompt-color': '#ff7b72',
  'running-color': '#f0883e',
  'queued-color': '#d29922',
  'error-color': '#ff7b72',
  'syntax-keyword': '#ff7b72',
  'syntax-string': '#a5d6ff',
  'syntax-number': '#79c0ff',
  'syntax-comment': '#8b949e',
  'syntax-function': '#d2a8ff',
  'syntax-class': '#ffa657',
  'syntax-operator': '#c9d1d9',
  'syntax-heading': '#79c0ff',
  'syntax-link': '#58a6ff',
  'syntax-invalid': '#ff7b72',
  'ansi-black': '#8b949e',
  'ansi-red': '#ff7b72',
  'ansi-green': '#3fb950',
  'ansi-yellow': '#d29922',
  'ansi-blue': '#58a6ff',
  'ansi-magenta': '#bc8cff',
  'ansi-cyan': '#39c5cf',
  'ansi-white': '#b1bac4',
  'ansi-bright-black': '#8b949e',
  'ansi-bright-red': '#ffa198',
  'ansi-bright-green': '#56d364',
  'ansi-bright-yellow': '#e3b341',
  'ansi-bright-blue': '#79c0ff',
  'ansi-bright-magenta': '#d2a8ff',
  'ansi-bright-cyan': '#56d4dd',
  'ansi-bright-white': '#f0f6fc',
};

const declarations = (tokens: Tokens, scheme: 'light' | 'dark') =>
  `color-scheme: ${scheme}; ${Object.entries(tokens)
    .map(([name, value]) => `--pyloom-${name}: ${value};`)
    .join(' ')}`;

export type ThemeChoice = 'light' | 'dark' | 'auto';

/**
 * Theme rules for a scope. `base` gets the light theme; `dark` forces the dark one; `auto` follows
 * the reader's prefers-color-scheme. Example (the notebook page):
 * `themeCss(':root', ':root[data-theme=dark]', ':root:not([data-theme=light])')`.
 */
export function themeCss(base: string, dark: string, auto: string): string {
  return [
    `${base} { ${declarations(LIGHT, 'light')} }`,
    `${dark} { ${declarations(DARK, 'dark')} }`,
    `@media (prefers-color-scheme: dark) { ${auto} { ${declarations(DARK, 'dark')} } }`,
  ].join('\n');
}

/** The variable names a theme sets (for documentation and tests). */
export const THEME_TOKENS: readonly string[] = Object.keys(LIGHT).map((name) => `--pyloom-${name}`);
