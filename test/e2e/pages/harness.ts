// Exposes the public library API to Playwright, and one test helper built only on that API.
import * as pyloom from '../../../src/index';
import type { ExecuteReply, Runtime } from '../../../src/index';

declare global {
  interface Window {
    pyloom: typeof pyloom;
    runUntilPrinted: typeof runUntilPrinted;
  }
}

/**
 * Runs `code`, which prints `started` first: `started` resolves when that line reaches the page,
 * i.e. the cell is running in the worker (tests wait for it instead of sleeping).
 */
function runUntilPrinted(runtime: Runtime, code: string): { started: Promise<void>; reply: Promise<ExecuteReply> } {
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const reply = runtime.execute(code, {
    onOutput: (event) => {
      if (event.output_type === 'stream' && event.text.includes('started')) markStarted();
    },
  });
  return { started, reply };
}

window.pyloom = pyloom;
window.runUntilPrinted = runUntilPrinted;
document.body.dataset['ready'] = 'true';
