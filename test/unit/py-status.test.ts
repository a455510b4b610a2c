// @vitest-environment jsdom
// <py-status> from a runtime's events: state, a byte progress bar while files download (Pyodide's
// core at boot, packages later), and the runtime's own last error.
import { expect, test } from 'vitest';
import '../../src/components/py-status';
import type { Runtime } from '../../src/runtime/runtime';
import type { DownloadProgress, Progress } from '../../src/protocol';

/** The events a Runtime dispatches, from a stand-in the test drives. */
class Events extends EventTarget {
  status = 'starting';
  reason: string | undefined;
  send(type: string, detail: unknown) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

function download(
  file: string,
  loaded: number,
  total: number | null,
  overall: Partial<DownloadProgress['overall']> = {},
): DownloadProgress {
  return {
    kind: 'download',
    executionId: null,
    url: `http://x/${file}`,
    file,
    loaded,
    total,
    done: false,
    overall: { loaded, total, files: 1, done: 0, ...overall },
  };
}

test('state, byte progress, and the last runtime error', async () => {
  const events = new Events();
  const element = document.createElement('py-status');
  element.runtime = events as unknown as Runtime;
  document.body.append(element);
  await element.updateComplete;
  const root = element.shadowRoot!;
  // (jsdom has no adopted style sheets: Lit puts <style> elements in the shadow root instead.)
  const text = () =>
    [...root.childNodes]
      .filter((node) => node.nodeName !== 'STYLE' && node.nodeType !== Node.COMMENT_NODE)
      .map((node) => node.textContent)
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();

  events.send('progress', {
    kind: 'boot',
    phase: 'load-pyodide',
    message: 'Starting Python (Pyodide)',
    step: 1,
    steps: 5,
  } satisfies Progress);
  await element.updateComplete;
  expect(text()).toContain('Python starting: Starting Python (Pyodide)');
  expect(root.querySelector('progress[aria-label="Start-up progress"]')?.getAttribute('max')).toBe('5');

  events.send('progress', download('pyodide.asm.wasm', 3_000_000, 9_800_000));
  await element.updateComplete;
  const bar = root.querySelector('progress[aria-label="Download progress"]')!;
  expect(bar.getAttribute('max')).toBe('9800000');
  expect(bar.getAttribute('value')).toBe('3000000');
  expect(text()).toContain('pyodide.asm.wasm: 3.0 MB of 9.8 MB (0/1 files)');

  // Unknown size: an indeterminate bar, bytes so far.
  events.send('progress', download('numpy.whl', 1_500_000, null));
  await element.updateComplete;
  expect(root.querySelector('progress[aria-label="Download progress"]')!.hasAttribute('value')).toBe(false);
  expect(text()).toContain('numpy.whl: 1.5 MB');

  events.send('progress', download('numpy.whl', 2_000_000, 2_000_000, { done: 1, files: 1 }));
  events.send('status', { status: 'idle' });
  await element.updateComplete;
  expect(root.querySelector('progress')).toBeNull();
  expect(text()).toBe('Python idle');

  events.send('error', { message: 'a callback failed' });
  await element.updateComplete;
  expect(root.querySelector('[role=alert]')!.textContent).toContain('Runtime error: a callback failed');
  events.send('status', { status: 'dead', reason: 'the worker stopped answering' });
  await element.updateComplete;
  expect(text()).toContain('Python dead: the worker stopped answering');
  (root.querySelector('[role=alert] button') as HTMLButtonElement).click();
  await element.updateComplete;
  expect(root.querySelector('[role=alert]')).toBeNull();
});
