// @vitest-environment jsdom
// The ANSI SGR parser and the spans it becomes: Python's traceback colours, 16/256/24-bit colours,
// attributes, resets, and control sequences that must not show up as text.
import { describe, expect, test } from 'vitest';
import {
  ANSI_COLOR_NAMES,
  ANSI_CSS,
  ansiToDom,
  applySgr,
  parseAnsi,
  PLAIN_STYLE,
  stripAnsi,
  styleAfter,
  type AnsiStyle,
} from '../../src/render/ansi';
import { host } from './helpers/render';

const style = (changes: Partial<AnsiStyle>): AnsiStyle => ({ ...PLAIN_STYLE, ...changes });
const summary = (text: string) => parseAnsi(text).segments.map((s) => [s.text, s.style]);

describe('parseAnsi', () => {
  test('text without escapes is one plain segment', () => {
    expect(summary('plain <b>text</b>\n')).toEqual([['plain <b>text</b>\n', PLAIN_STYLE]]);
    expect(parseAnsi('').segments).toEqual([]);
  });

  test("the sequences of pyloom's tracebacks: 31, 32, 36, 1;31, 39, 0", () => {
    const text =
      '\x1b[36mCell In[1], line 2\x1b[39m\n\x1b[32m---->   2\x1b[39m 1/0\n\x1b[1;31mZeroDivisionError\x1b[0m: division by zero\n\x1b[31mred\x1b[0m';
    expect(summary(text)).toEqual([
      ['Cell In[1], line 2', style({ fg: 6 })],
      ['\n', PLAIN_STYLE],
      ['---->   2', style({ fg: 2 })],
      [' 1/0\n', PLAIN_STYLE],
      ['ZeroDivisionError', style({ fg: 1, bold: true })],
      [': division by zero\n', PLAIN_STYLE],
      ['red', style({ fg: 1 })],
    ]);
  });

  test('39/49 reset only the colour, 22/23/24/27/29 only their attribute, 0 and an empty list everything', () => {
    const bold = applySgr(PLAIN_STYLE, '1;3;4;7;9;31;42');
    expect(bold).toEqual(style({ fg: 1, bg: 2, bold: true, italic: true, underline: true, inverse: true, strike: true }));
    expect(applySgr(bold, '39')).toEqual({ ...bold, fg: undefined });
    expect(applySgr(bold, '49')).toEqual({ ...bold, bg: undefined });
    expect(applySgr(bold, '22;23;24;27;29')).toEqual(style({ fg: 1, bg: 2 }));
    expect(applySgr(bold, '0')).toEqual(PLAIN_STYLE);
    expect(applySgr(bold, '')).toEqual(PLAIN_STYLE);
    expect(summary('\x1b[31ma\x1b[mb')).toEqual([
      ['a', style({ fg: 1 })],
      ['b', PLAIN_STYLE],
    ]);
    expect(applySgr(PLAIN_STYLE, '2')).toEqual(style({ dim: true }));
    expect(applySgr(style({ bold: true, dim: true }), '22')).toEqual(PLAIN_STYLE);
  });

  test('normal and bright foreground and background colours are palette indexes 0–15', () => {
    for (let n = 0; n < 8; n += 1) {
      expect(applySgr(PLAIN_STYLE, String(30 + n)).fg).toBe(n);
      expect(applySgr(PLAIN_STYLE, String(90 + n)).fg).toBe(n + 8);
      expect(applySgr(PLAIN_STYLE, String(40 + n)).bg).toBe(n);
      expect(applySgr(PLAIN_STYLE, String(100 + n)).bg).toBe(n + 8);
    }
    expect(applySgr(PLAIN_STYLE, '01;031')).toEqual(style({ fg: 1, bold: true })); // leading zeros
  });

  test('256-colour: palette, colour cube and grey ramp', () => {
    const fg = (n: number) => applySgr(PLAIN_STYLE, `38;5;${n}`).fg;
    expect(fg(1)).toBe(1);
    expect(fg(9)).toBe(9);
    expect(fg(16)).toBe('rgb(0, 0, 0)');
    expect(fg(21)).toBe('rgb(0, 0, 255)');
    expect(fg(196)).toBe('rgb(255, 0, 0)');
    expect(fg(231)).toBe('rgb(255, 255, 255)');
    expect(fg(232)).toBe('rgb(8, 8, 8)');
    expect(fg(255)).toBe('rgb(238, 238, 238)');
    expect(applySgr(PLAIN_STYLE, '48;5;46').bg).toBe('rgb(0, 255, 0)');
  });

  test('24-bit colour, clamped, and the colon forms', () => {
    expect(applySgr(PLAIN_STYLE, '38;2;1;2;3').fg).toBe('rgb(1, 2, 3)');
    expect(applySgr(PLAIN_STYLE, '48;2;300;0;12').bg).toBe('rgb(255, 0, 12)');
    expect(applySgr(PLAIN_STYLE, '38:2::10:20:30').fg).toBe('rgb(10, 20, 30)');
    expect(applySgr(PLAIN_STYLE, '38:2:10:20:30').fg).toBe('rgb(10, 20, 30)');
    expect(applySgr(PLAIN_STYLE, '38:5:196').fg).toBe('rgb(255, 0, 0)');
    expect(applySgr(PLAIN_STYLE, '4:0')).toEqual(PLAIN_STYLE); // underline style "none"
    expect(applySgr(PLAIN_STYLE, '4:3').underline).toBe(true); // curly
  });

  test('parameters after an extended colour still apply; malformed colours change nothing', () => {
    expect(applySgr(PLAIN_STYLE, '38;5;196;1;44')).toEqual(style({ fg: 'rgb(255, 0, 0)', bold: true, bg: 4 }));
    expect(applySgr(PLAIN_STYLE, '38;2;1;2;3;4')).toEqual(style({ fg: 'rgb(1, 2, 3)', underline: true }));
    expect(applySgr(style({ fg: 3 }), '38;5;300')).toEqual(style({ fg: 3 }));
    expect(applySgr(style({ fg: 3 }), '38')).toEqual(style({ fg: 3 }));
    expect(applySgr(style({ fg: 3 }), '38;7;1')).toEqual(style({ fg: 3, bold: true }));
    expect(applySgr(PLAIN_STYLE, '58;5;1;999')).toEqual(PLAIN_STYLE); // unknown codes are ignored
  });

  test('cursor, erase, OSC (titles, hyperlinks), charset and stray escapes are dropped', () => {
    const text = '\x1b[2K\x1b[1A\x1b[?25lA\x1b]0;title\x07B\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\C\x1b(BD\x1b=E\x1b';
    expect(summary(text)).toEqual([['ABlinkCDE', PLAIN_STYLE]]);
    expect(stripAnsi('\x1b[31mred\x1b[39m \x1b]0;t\x07ok')).toBe('red ok');
    expect(stripAnsi('no escapes')).toBe('no escapes');
  });

  test('a style carries over from earlier text', () => {
    const before = styleAfter('head \x1b[1;32mgreen… (hidden)');
    expect(before).toEqual(style({ fg: 2, bold: true }));
    expect(parseAnsi('tail\x1b[0m end', before).segments.map((s) => [s.text, s.style])).toEqual([
      ['tail', style({ fg: 2, bold: true })],
      [' end', PLAIN_STYLE],
    ]);
    expect(styleAfter('plain', before)).toBe(before);
  });
});

describe('ansiToDom', () => {
  test('palette colours and attributes are classes, 256/24-bit colours inline styles', () => {
    const el = host(ansiToDom(document, 'a\x1b[31mred\x1b[1;92mbright\x1b[0m plain \x1b[38;5;196;48;2;1;2;3mx\x1b[0;2;3;4;9;41my'));
    const spans = [...el.querySelectorAll('span')];
    expect(el.textContent).toBe('aredbright plain xy');
    expect(spans.map((s) => [s.textContent, s.className])).toEqual([
      ['red', 'ansi-red-fg'],
      ['bright', 'ansi-bright-green-fg ansi-bold'],
      ['x', ''],
      ['y', 'ansi-red-bg ansi-dim ansi-italic ansi-underline ansi-strike'],
    ]);
    expect([spans[2]!.style.color, spans[2]!.style.backgroundColor]).toEqual(['rgb(255, 0, 0)', 'rgb(1, 2, 3)']);
  });

  test('inverse swaps colours; an unset side takes the default colours', () => {
    const el = host(ansiToDom(document, '\x1b[7ma\x1b[31mb\x1b[44mc'));
    expect([...el.querySelectorAll('span')].map((s) => s.className)).toEqual([
      'ansi-inverse-fg ansi-inverse-bg',
      'ansi-inverse-fg ansi-red-bg',
      'ansi-blue-fg ansi-red-bg',
    ]);
  });

  test('text is never parsed as HTML', () => {
    const el = host(ansiToDom(document, '\x1b[31m<img src=x onerror=alert(1)>\x1b[0m<script>alert(2)</script>'));
    expect(el.querySelector('img, script')).toBeNull();
    expect(el.textContent).toBe('<img src=x onerror=alert(1)><script>alert(2)</script>');
  });

  test('ANSI_CSS styles every class the spans can carry', () => {
    const classes = new Set<string>();
    for (let n = 0; n < 8; n += 1) {
      const text = `\x1b[${30 + n};${40 + n}ma\x1b[${90 + n};${100 + n}mb\x1b[0;7;1;2;3;4;9mc\x1b[0m`;
      for (const span of host(ansiToDom(document, text)).querySelectorAll('span')) span.classList.forEach((c) => classes.add(c));
    }
    expect(classes.size).toBe(16 * 2 + 2 + 5);
    for (const name of classes) expect(ANSI_CSS).toContain(`.${name} {`);
    for (const name of ANSI_COLOR_NAMES) expect(ANSI_CSS).toContain(`var(--pyloom-ansi-bright-${name}, `);
  });
});
