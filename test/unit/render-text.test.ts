// @vitest-environment jsdom
// The text renderers: text/plain, stdout/stderr streams (ANSI colours, folding of long text and its
// chunked expansion) and error tracebacks.
import { describe, expect, test } from 'vitest';
import { renderOutput } from '../../src/render/registry';
import { FOLD_CHARS, FOLD_LINES, HEAD_LINES, TAIL_LINES } from '../../src/render/text';
import { renderContext } from './helpers/render';

const lines = (count: number, make = (i: number) => `line ${i}`) => Array.from({ length: count }, (_, i) => make(i)).join('\n');

describe('text/plain, streams and errors', () => {
  test('text stays text, with ANSI colours', () => {
    const el = renderOutput({ output_type: 'stream', name: 'stderr', text: '\x1b[31mwarn\x1b[0m <b>x</b>\n' }, renderContext());
    expect(el.querySelector('pre.stream.stderr span.ansi-red-fg')?.textContent).toBe('warn');
    expect(el.querySelector('b')).toBeNull();
    expect(el.textContent).toBe('warn <b>x</b>\n');
    const plain = renderOutput(
      { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': ['4', '2'] }, metadata: {} },
      renderContext(),
    );
    expect(plain.querySelector('pre.text')?.textContent).toBe('42'); // nbformat's list-of-lines form
  });

  test('errors show the coloured traceback; without one, ename and evalue', () => {
    const traceback = [
      '\x1b[31m---\x1b[39m',
      '\x1b[36mCell In[1], line 1\x1b[39m\n\x1b[32m----> 1\x1b[39m 1/0',
      '\x1b[1;31mZeroDivisionError\x1b[0m: division by zero',
    ];
    const el = renderOutput({ output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback }, renderContext());
    const pre = el.querySelector('pre.error')!;
    expect(pre.getAttribute('role')).toBe('alert');
    expect(pre.textContent).toBe('---\nCell In[1], line 1\n----> 1 1/0\nZeroDivisionError: division by zero');
    expect([...pre.querySelectorAll('span')].map((s) => [s.textContent, s.className])).toEqual([
      ['---', 'ansi-red-fg'],
      ['Cell In[1], line 1', 'ansi-cyan-fg'],
      ['----> 1', 'ansi-green-fg'],
      ['ZeroDivisionError', 'ansi-red-fg ansi-bold'],
    ]);
    const bare = renderOutput({ output_type: 'error', ename: 'KeyError', evalue: "'k'", traceback: [] }, renderContext());
    expect(bare.textContent).toBe("KeyError: 'k'");
  });

  test(`text over ${FOLD_LINES} lines shows its head and tail and a "Show all" button`, () => {
    const text = `${lines(FOLD_LINES + 500)}\n`;
    const folded = renderOutput({ output_type: 'stream', name: 'stdout', text }, renderContext());
    const button = folded.querySelector('button.show-all');
    expect(button?.getAttribute('data-action')).toBe('expand');
    expect(button?.textContent).toBe(`Show all (1,500 lines, ${text.length.toLocaleString('en')} characters)`);
    const [head, tail] = [...folded.querySelectorAll('pre > .chunk')].map((c) => c.textContent);
    expect(head).toBe(`${lines(HEAD_LINES)}\n`);
    expect(tail).toBe(
      `${lines(FOLD_LINES + 500)
        .split('\n')
        .slice(-TAIL_LINES)
        .join('\n')}\n`,
    );
    expect(folded.textContent).not.toContain('line 700\n');
    expect(
      renderOutput({ output_type: 'stream', name: 'stdout', text: lines(FOLD_LINES) }, renderContext()).querySelector('button'),
    ).toBeNull();
  });

  test('text over 1 MB in few lines is folded too, without splitting an escape sequence', () => {
    const long = `start \x1b[32m${'x'.repeat(FOLD_CHARS)}\x1b[31mred end`;
    const el = renderOutput({ output_type: 'stream', name: 'stdout', text: long }, renderContext());
    expect(el.querySelector('button.show-all')?.textContent).toBe(`Show all (1 lines, ${long.length.toLocaleString('en')} characters)`);
    expect(el.textContent!.length).toBeLessThan(FOLD_CHARS / 2);
    expect(el.textContent).not.toContain('\x1b');
    expect(el.textContent).not.toContain('[31m');
    const spans = [...el.querySelectorAll('span span')];
    expect(spans.at(-1)?.textContent).toBe('red end');
    expect(spans.at(-1)?.className).toBe('ansi-red-fg');
  });

  test('a colour set in the hidden middle still colours the tail', () => {
    const text = `${lines(HEAD_LINES + 10)}\n\x1b[34m${lines(2000)}`;
    const el = renderOutput({ output_type: 'stream', name: 'stdout', text }, renderContext());
    const tail = el.querySelectorAll('pre > .chunk')[1]!;
    expect(tail.querySelectorAll('span.ansi-blue-fg')).toHaveLength(1);
    expect(tail.textContent).toBe(lines(2000).split('\n').slice(-TAIL_LINES).join('\n'));
  });

  test('expanded long text is built in chunks, in later tasks, until it is complete', async () => {
    const text = lines(9000, (i) => (i % 1000 === 0 ? `\x1b[1mbold ${i}\x1b[0m` : `line ${i}`));
    const el = renderOutput({ output_type: 'stream', name: 'stdout', text }, renderContext({ expanded: true }));
    document.body.append(el);
    const pre = el.querySelector('pre')!;
    expect(pre.querySelector('button')).toBeNull();
    expect(pre.textContent!.length).toBeLessThan(text.length); // not all at once
    await expect.poll(() => pre.dataset['complete'], { timeout: 50_000 }).toBe('true');
    expect(pre.textContent).toBe(text.replace(/\x1b\[\d*m/g, ''));
    expect(pre.querySelectorAll('span.ansi-bold')).toHaveLength(9);
    el.remove();
  });

  test('chunked building stops once its output is gone', async () => {
    const el = renderOutput({ output_type: 'stream', name: 'stdout', text: lines(20_000) }, renderContext({ expanded: true }));
    const pre = el.querySelector('pre')!;
    const first = pre.childElementCount;
    // The control, started after it: once the shown one has built more chunks, the detached one's
    // next task (queued earlier) has run too, and must have added nothing.
    const shown = renderOutput({ output_type: 'stream', name: 'stdout', text: lines(20_000) }, renderContext({ expanded: true }));
    document.body.append(shown);
    const shownPre = shown.querySelector('pre')!;
    await expect.poll(() => shownPre.childElementCount, { timeout: 50_000 }).toBeGreaterThan(first + 1);
    expect(pre.childElementCount).toBe(first);
    expect(pre.dataset['complete']).toBeUndefined();
    shown.remove();
  });
});
