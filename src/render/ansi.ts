// ANSI escape codes in terminal text: an SGR parser (colours, bold, …) and styled spans built as DOM.

/** The 16 named colours; index n < 8 is normal, n + 8 its bright variant (SGR 30–37 / 90–97). */
export const ANSI_COLOR_NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;

/** A palette index 0–15 (themeable through CSS classes) or a CSS colour (256-colour and 24-bit). */
export type AnsiColor = number | string;

export interface AnsiStyle {
  readonly fg: AnsiColor | undefined;
  readonly bg: AnsiColor | undefined;
  readonly bold: boolean;
  readonly dim: boolean;
  readonly italic: boolean;
  readonly underline: boolean;
  readonly strike: boolean;
  readonly inverse: boolean;
}

export interface AnsiSegment {
  text: string;
  style: AnsiStyle;
}

export const PLAIN_STYLE: AnsiStyle = {
  fg: undefined,
  bg: undefined,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  strike: false,
  inverse: false,
};

const isPlain = (s: AnsiStyle) =>
  s === PLAIN_STYLE ||
  (s.fg === undefined && s.bg === undefined && !s.bold && !s.dim && !s.italic && !s.underline && !s.strike && !s.inverse);

/** xterm's 256-colour palette: 0–15 stay palette indexes, the cube and greys become rgb(). */
function color256(n: number | undefined): AnsiColor | undefined {
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 255) return undefined;
  if (n < 16) return n;
  if (n >= 232) {
    const level = 8 + (n - 232) * 10;
    return `rgb(${level}, ${level}, ${level})`;
  }
  const steps = [0, 95, 135, 175, 215, 255];
  const i = n - 16;
  return `rgb(${steps[Math.floor(i / 36)]}, ${steps[Math.floor(i / 6) % 6]}, ${steps[i % 6]})`;
}

const channel = (v: number | undefined) => Math.max(0, Math.min(255, v ?? 0));

/**
 * Extended colour (38/48) arguments: `5;n` or `2;r;g;b`, or the colon forms `5:n`, `2:r:g:b` and
 * `2::r:g:b` (with an empty colour-space id). Returns the colour and how many parameters it used.
 */
function extendedColor(args: readonly (number | undefined)[]): [AnsiColor | undefined, number] {
  if (args[0] === 5) return [color256(args[1]), 2];
  if (args[0] === 2) return [`rgb(${channel(args[1])}, ${channel(args[2])}, ${channel(args[3])})`, 4];
  return [undefined, 1];
}

/**
 * Apply one SGR parameter string (what sits between `ESC[` and `m`) to a style. Unknown codes are
 * ignored, as terminals do.
 */
export function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  const next: { -readonly [K in keyof AnsiStyle]: AnsiStyle[K] } = { ...style };
  const fields = params.split(';');
  for (let i = 0; i < fields.length; i += 1) {
    const field = fields[i]!;
    // Colon sub-parameters belong to this field only (ITU T.416), e.g. 38:2::255:0:0 or 4:3.
    const sub = field.split(':').map((p) => (p === '' ? undefined : Number.parseInt(p, 10)));
    const code = sub[0] ?? 0;
    // 58 (underline colour) takes the same arguments; they are consumed and the colour ignored.
    if (code === 38 || code === 48 || code === 58) {
      let color: AnsiColor | undefined;
      if (sub.length > 1) {
        const rest = sub.slice(1);
        // 2::r:g:b carries a colour-space id before the channels.
        if (rest[0] === 2 && rest.length === 5) rest.splice(1, 1);
        [color] = extendedColor(rest);
      } else {
        const rest = fields.slice(i + 1).map((p) => (p === '' ? 0 : Number.parseInt(p, 10)));
        let used: number;
        [color, used] = extendedColor(rest);
        i += Math.min(used, rest.length);
      }
      // A malformed or out-of-range colour leaves the current one, as terminals do.
      if (color !== undefined && code === 38) next.fg = color;
      else if (color !== undefined && code === 48) next.bg = color;
      continue;
    }
    if (code === 0) Object.assign(next, PLAIN_STYLE);
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = sub[1] !== 0;
    else if (code === 7) next.inverse = true;
    else if (code === 9) next.strike = true;
    else if (code === 21)
      next.underline = true; // doubly underlined
    else if (code === 22) next.bold = next.dim = false;
    else if (code === 23) next.italic = false;
    else if (code === 24) next.underline = false;
    else if (code === 27) next.inverse = false;
    else if (code === 29) next.strike = false;
    else if (code >= 30 && code <= 37) next.fg = code - 30;
    else if (code === 39) next.fg = undefined;
    else if (code >= 40 && code <= 47) next.bg = code - 40;
    else if (code === 49) next.bg = undefined;
    else if (code >= 90 && code <= 97) next.fg = code - 90 + 8;
    else if (code >= 100 && code <= 107) next.bg = code - 100 + 8;
  }
  return next;
}

// CSI (SGR is the `m` one; cursor moves and erases are dropped), OSC (titles, hyperlinks) up to
// BEL or ST, charset selection, other two-character escapes (ESC 7, ESC =, …), and a lone ESC.
const ESCAPES = /\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()*+].?|\x1b[0-~]?/g;

/** Split terminal text into styled segments; `start` carries the style over from earlier text. */
export function parseAnsi(text: string, start: AnsiStyle = PLAIN_STYLE): { segments: AnsiSegment[]; end: AnsiStyle } {
  const segments: AnsiSegment[] = [];
  let style = start;
  let last = 0;
  const push = (chunk: string) => {
    if (!chunk) return;
    const previous = segments[segments.length - 1];
    if (previous && previous.style === style) previous.text += chunk;
    else segments.push({ text: chunk, style });
  };
  if (!text.includes('\x1b')) {
    push(text);
    return { segments, end: style };
  }
  for (const match of text.matchAll(ESCAPES)) {
    push(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[2] === 'm') style = applySgr(style, match[1] ?? '');
  }
  push(text.slice(last));
  return { segments, end: style };
}

/** The style in force after `text`, without building segments (for text that is not shown). */
export function styleAfter(text: string, start: AnsiStyle = PLAIN_STYLE): AnsiStyle {
  let style = start;
  if (!text.includes('\x1b')) return style;
  for (const match of text.matchAll(ESCAPES)) if (match[2] === 'm') style = applySgr(style, match[1] ?? '');
  return style;
}

const paletteName = (n: number) => `${n >= 8 ? 'bright-' : ''}${ANSI_COLOR_NAMES[n % 8]}`;

/**
 * Palette colours and attributes become classes (themed by ANSI_CSS through --pyloom-ansi-*
 * properties); 256-colour and 24-bit colours are inline styles because they have no names.
 */
function styledSpan(document: Document, segment: AnsiSegment): HTMLElement {
  const { style } = segment;
  const span = document.createElement('span');
  const classes: string[] = [];
  // Inverse swaps the colours; an unset side becomes the default background / text colour.
  const fg = style.inverse ? (style.bg ?? 'inverse') : style.fg;
  const bg = style.inverse ? (style.fg ?? 'inverse') : style.bg;
  if (typeof fg === 'number') classes.push(`ansi-${paletteName(fg)}-fg`);
  else if (fg === 'inverse') classes.push('ansi-inverse-fg');
  else if (fg !== undefined) span.style.color = fg;
  if (typeof bg === 'number') classes.push(`ansi-${paletteName(bg)}-bg`);
  else if (bg === 'inverse') classes.push('ansi-inverse-bg');
  else if (bg !== undefined) span.style.backgroundColor = bg;
  for (const attribute of ['bold', 'dim', 'italic', 'underline', 'strike'] as const) {
    if (style[attribute]) classes.push(`ansi-${attribute}`);
  }
  span.className = classes.join(' ');
  span.textContent = segment.text;
  return span;
}

/** Segments as text nodes and spans. Text is only ever set as text: nothing is parsed as HTML. */
export function segmentsToDom(document: Document, segments: readonly AnsiSegment[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const segment of segments) {
    fragment.append(isPlain(segment.style) ? document.createTextNode(segment.text) : styledSpan(document, segment));
  }
  return fragment;
}

export function ansiToDom(document: Document, text: string): DocumentFragment {
  return segmentsToDom(document, parseAnsi(text).segments);
}

/** Text without escape codes (for copying, searching, plain views). */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ESCAPES, '') : text;
}

/** The light palette, used when no theme sets --pyloom-ansi-<name>. */
export const ANSI_DEFAULTS: Readonly<Record<string, string>> = {
  black: '#3e424d',
  red: '#c33',
  green: '#1a7f37',
  yellow: '#9a6700',
  blue: '#0550ae',
  magenta: '#8250df',
  cyan: '#1b7c83',
  white: '#6e7781',
  'bright-black': '#57606a',
  'bright-red': '#e5534b',
  'bright-green': '#2da44e',
  'bright-yellow': '#bf8700',
  'bright-blue': '#218bff',
  'bright-magenta': '#a475f9',
  'bright-cyan': '#3192aa',
  'bright-white': '#8c959f',
};

/** The CSS for the classes above; colours come from --pyloom-ansi-<name> custom properties. */
export const ANSI_CSS = [
  ...Array.from({ length: 16 }, (_, n) => {
    const name = paletteName(n);
    const color = `var(--pyloom-ansi-${name}, ${ANSI_DEFAULTS[name] ?? 'currentColor'})`;
    return `.ansi-${name}-fg { color: ${color}; } .ansi-${name}-bg { background-color: ${color}; }`;
  }),
  '.ansi-inverse-fg { color: var(--pyloom-output-background, #fff); }',
  '.ansi-inverse-bg { background-color: var(--pyloom-text-color, #1d2330); }',
  '.ansi-bold { font-weight: bold; }',
  '.ansi-dim { opacity: 0.7; }',
  '.ansi-italic { font-style: italic; }',
  '.ansi-underline { text-decoration: underline; }',
  '.ansi-strike { text-decoration: line-through; }',
  '.ansi-underline.ansi-strike { text-decoration: underline line-through; }',
].join('\n');
