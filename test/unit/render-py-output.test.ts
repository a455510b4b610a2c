// @vitest-environment jsdom
// <py-output> in jsdom: outputs and events (OutputList semantics), re-rendering only what changed,
// per-output "Show all", trust switching, and the styles a rich output's own shadow root gets.
import { afterEach, describe, expect, test } from 'vitest';
import '../../src/components/py-output';
import type { PyOutput } from '../../src/components/py-output';
import { FOLD_LINES } from '../../src/render/text';

const created: PyOutput[] = [];
async function make(trusted = false): Promise<PyOutput> {
  const element = document.createElement('py-output');
  element.trusted = trusted;
  document.body.append(element);
  created.push(element);
  await element.updateComplete;
  return element;
}
const root = (element: PyOutput) => element.shadowRoot!;
const outputNodes = (element: PyOutput) => [...root(element).querySelectorAll('.outputs > .output')];

afterEach(() => {
  for (const element of created.splice(0)) element.remove();
});

describe('<py-output>', () => {
  test('renders the outputs it is given, in order', async () => {
    const el = await make();
    el.outputs = [
      { output_type: 'stream', name: 'stdout', text: 'hello\n' },
      { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '42', 'text/html': '<b>42</b>' }, metadata: {} },
      { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['\x1b[31mE\x1b[39m: v'] },
    ];
    await el.updateComplete;
    expect(outputNodes(el).map((n) => n.className)).toEqual(['output stream', 'output execute_result', 'output error']);
    expect(root(el).querySelector('.html')?.shadowRoot?.querySelector('b')?.textContent).toBe('42');
    expect(root(el).querySelector('pre.error .ansi-red-fg')?.textContent).toBe('E');
  });

  test('apply(): streams merge, \\r rewrites a line in place, and only the changed output is rebuilt', async () => {
    const el = await make();
    el.apply({ output_type: 'display_data', data: { 'text/plain': 'fixed' }, metadata: {} });
    el.apply({ output_type: 'stream', name: 'stdout', text: ' 10%\r' });
    await el.updateComplete;
    const [display, stream] = outputNodes(el);
    el.apply({ output_type: 'stream', name: 'stdout', text: ' 20%\r' }); // same length, new text
    await el.updateComplete;
    expect(el.outputs).toHaveLength(2);
    expect(outputNodes(el)[0]).toBe(display);
    expect(outputNodes(el)[1]).not.toBe(stream);
    expect(outputNodes(el)[1]?.textContent).toBe(' 20%\r');
    el.apply({ output_type: 'stream', name: 'stdout', text: '100%\ndone\n' });
    await el.updateComplete;
    expect(outputNodes(el)[1]?.textContent).toBe('100%\ndone\n');
  });

  test('apply(): update_display_data replaces every output showing that display id', async () => {
    const el = await make();
    const shown = (text: string) => ({
      output_type: 'display_data' as const,
      data: { 'text/plain': text },
      metadata: {},
      transient: { display_id: 'd' },
    });
    el.apply(shown('one'));
    el.apply({ output_type: 'stream', name: 'stdout', text: 'between\n' });
    el.apply(shown('one again'));
    expect(
      el.apply({ output_type: 'update_display_data', data: { 'text/plain': 'two' }, metadata: {}, transient: { display_id: 'd' } }),
    ).toBe(true);
    await el.updateComplete;
    expect(outputNodes(el).map((n) => n.textContent)).toEqual(['two', 'between\n', 'two']);
    expect(
      el.apply({ output_type: 'update_display_data', data: { 'text/plain': 'x' }, metadata: {}, transient: { display_id: 'unknown' } }),
    ).toBe(false);
  });

  test('apply(): clear_output(wait=True) keeps the old outputs until the next one, then swaps in one update', async () => {
    const el = await make();
    el.apply({ output_type: 'display_data', data: { 'text/plain': 'frame 1' }, metadata: {} });
    await el.updateComplete;
    expect(el.apply({ output_type: 'clear_output', wait: true })).toBe(false);
    await el.updateComplete;
    expect(outputNodes(el).map((n) => n.textContent)).toEqual(['frame 1']);
    const seen: string[][] = [];
    const observer = new MutationObserver(() => seen.push(outputNodes(el).map((n) => n.textContent ?? '')));
    observer.observe(root(el), { childList: true, subtree: true });
    el.apply({ output_type: 'display_data', data: { 'text/plain': 'frame 2' }, metadata: {} });
    await el.updateComplete;
    await Promise.resolve();
    observer.disconnect();
    expect(seen.every((texts) => texts.length > 0)).toBe(true); // never an empty area in between
    expect(outputNodes(el).map((n) => n.textContent)).toEqual(['frame 2']);
    el.apply({ output_type: 'clear_output', wait: false });
    await el.updateComplete;
    expect(outputNodes(el)).toEqual([]);
  });

  test('apply() continues from outputs set from outside; clear() empties', async () => {
    const el = await make();
    el.outputs = [{ output_type: 'stream', name: 'stdout', text: 'stored ' }];
    el.apply({ output_type: 'stream', name: 'stdout', text: 'and new' });
    await el.updateComplete;
    expect(outputNodes(el).map((n) => n.textContent)).toEqual(['stored and new']);
    el.clear();
    await el.updateComplete;
    expect(el.outputs).toEqual([]);
    expect(outputNodes(el)).toEqual([]);
  });

  test('"Show all" expands only its own output and says so with output-expand', async () => {
    const el = await make();
    const long = Array.from({ length: FOLD_LINES + 10 }, (_, i) => `line ${i}`).join('\n');
    el.outputs = [
      { output_type: 'stream', name: 'stdout', text: long },
      { output_type: 'stream', name: 'stderr', text: long },
    ];
    await el.updateComplete;
    const events: number[] = [];
    el.addEventListener('output-expand', (event) => events.push(event.detail.index));
    root(el).querySelectorAll<HTMLButtonElement>('button.show-all')[1]!.click();
    await el.updateComplete;
    expect(events).toEqual([1]);
    expect(root(el).querySelectorAll('button.show-all')).toHaveLength(1);
    await expect.poll(() => root(el).querySelector('pre.stderr')?.textContent, { timeout: 50_000 }).toBe(long);
    el.expanded = true;
    await el.updateComplete;
    expect(root(el).querySelectorAll('button.show-all')).toHaveLength(0);
  });

  test('switching trust re-renders: the same bundle, with and without its script', async () => {
    const el = await make();
    el.outputs = [{ output_type: 'display_data', data: { 'text/html': '<script>1</script><i>x</i>' }, metadata: {} }];
    await el.updateComplete;
    const inner = () => root(el).querySelector('.html')!.shadowRoot!;
    expect(inner().querySelector('script')).toBeNull();
    el.trusted = true;
    await el.updateComplete;
    expect(el.hasAttribute('trusted')).toBe(true);
    expect(inner().querySelector('script')).not.toBeNull();
  });

  test("a rich output's own shadow root gets the shared styles: KaTeX's and the tables'", async () => {
    const el = await make();
    el.outputs = [{ output_type: 'display_data', data: { 'text/markdown': 'math $x^2$' }, metadata: {} }];
    await el.updateComplete;
    const inner = root(el).querySelector('.markdown')!.shadowRoot!;
    expect(inner.querySelector('.katex')).not.toBeNull();
    // jsdom cannot adopt style sheets, so Lit falls back to <style> elements. Vitest does not
    // process CSS (KaTeX's sheet is empty here); the Chromium test checks that math is laid out.
    const sheets = [...inner.querySelectorAll('style')].map((s) => s.textContent ?? '');
    expect(sheets).toHaveLength(2);
    expect(sheets[1]).toContain('border-collapse');
    expect(document.head.querySelectorAll('style[data-pyloom-katex-fonts]')).toHaveLength(1);
  });

  test('a custom renderer list takes part', async () => {
    const el = await make();
    el.renderers = [
      { mimeTypes: ['application/vnd.custom'], rank: 1, safe: true, render: (data) => document.createTextNode(`custom ${String(data)}`) },
    ];
    el.outputs = [{ output_type: 'display_data', data: { 'application/vnd.custom': 7, 'text/plain': 'seven' }, metadata: {} }];
    await el.updateComplete;
    expect(outputNodes(el)[0]?.textContent).toBe('custom 7');
  });
});
