// ANSI SGR escape codes (colours, bold, underline) → styled spans, built as DOM (never HTML).

const BASIC = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;

interface Style {
  fg: string | undefined;
  bg: string | undefined;
  bold: boolean;
  italic: boolean;
  underline: boolean;
}

const PLAIN: Style = { fg: undefined, bg: undefined, bold: false, italic: false, underline: false };

/** xterm 256-colour palette entry as CSS. */
function color256(n: number): string | undefined {
  if (n < 0 || n > 255) return undefined;
  if (n < 16) return `var(--pyloom-ansi-${n < 8 ? '' : 'bright-'}${BASIC[n % 8]})`;
  if (n >= 232) {
    const level = 8 + (n - 232) * 10;
    return `rgb(${level}, ${level}, ${level})`;
  }
  const i = n - 16;
  const steps = [0, 95, 135, 175, 215, 255];
  return `rgb(${steps[Math.floor(i / 36)]}, ${steps[Math.floor(i / 6) % 6]}, ${steps[i % 6]})`;
}

/** Apply one SGR parameter list to a style. Unknown codes are ignored, as terminals do. */
export function applySgr(style: Style, params: number[]): Style {
  const next = { ...style };
  for (let i = 0; i < params.length; i += 1) {
    const code = params[i]!;
    if (code === 0) Object.assign(next, PLAIN);
    else if (code === 1) next.bold = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 22) next.bold = false;
    else if (code === 23) next.italic = false;
    else if (code === 24) next.underline = false;
    else if (code >= 30 && code <= 37) next.fg = `var(--pyloom-ansi-${BASIC[code - 30]})`;
    else if (code >= 90 && code <= 97) next.fg = `var(--pyloom-ansi-bright-${BASIC[code - 90]})`;
    else if (code === 39) next.fg = undefined;
    else if (code >= 40 && code <= 47) next.bg = `var(--pyloom-ansi-${BASIC[code - 40]})`;
    else if (code >= 100 && code <= 107) next.bg = `var(--pyloom-ansi-bright-${BASIC[code - 100]})`;
    else if (code === 49) next.bg = undefined;
    else if ((code === 38 || code === 48) && params[i + 1] === 5) {
      const value = color256(params[i + 2] ?? -1);
      if (code === 38) next.fg = value;
      else next.bg = value;
      i += 2;
    } else if ((code === 38 || code === 48) && params[i + 1] === 2) {
      const [r, g, b] = [params[i + 2], params[i + 3], params[i + 4]].map((v) => Math.max(0, Math.min(255, v ?? 0)));
      const value = `rgb(${r}, ${g}, ${b})`;
      if (code === 38) next.fg = value;
      else next.bg = value;
      i += 4;
    }
  }
  return next;
}

// CSI sequences: SGR (…m) is styled; any other control sequence (cursor moves, erase) is dropped.
const CSI = /\x1b\[([0-9;?]*)([@-~])/g;

export function ansiToDom(document: Document, text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let style = PLAIN;
  let last = 0;
  const push = (chunk: string) => {
    if (!chunk) return;
    if (style === PLAIN || (!style.fg && !style.bg && !style.bold && !style.italic && !style.underline)) {
      fragment.append(document.createTextNode(chunk));
      return;
    }
    const span = document.createElement('span');
    if (style.fg) span.style.color = style.fg;
    if (style.bg) span.style.backgroundColor = style.bg;
    if (style.bold) span.style.fontWeight = 'bold';
    if (style.italic) span.style.fontStyle = 'italic';
    if (style.underline) span.style.textDecoration = 'underline';
    span.textContent = chunk;
    fragment.append(span);
  };
  for (const match of text.matchAll(CSI)) {
    push(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[2] === 'm') {
      const params = (match[1] ?? '').split(';').map((p) => (p === '' ? 0 : Number.parseInt(p, 10)));
      style = applySgr(style, params);
    }
  }
  push(text.slice(last));
  return fragment;
}

/** Text without escape codes (for copying, searching, plain views). */
export function stripAnsi(text: string): string {
  return text.replace(CSI, '');
}
