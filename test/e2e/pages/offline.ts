// The offline test page: registers the service worker (src/offline/register.ts), boots a Runtime,
// runs one cell and shows the offline state. Query: `lock` and `packages` (a package server's lock
// file and packageBaseUrl) or `index` (a PEP 691/503 index): the cell then imports pyloom_test_a;
// `coep` (the isolation option),
// `run=0` (register only), `order=runtime-first` (boot before registering, as an app that does
// not wait would), `register=0` (no service worker: the same page as a plain visit, to compare). Results land in `window.offlineTest` and `body[data-done]`.
import { createRuntime, type ExecuteReply } from '../../../src/index';
import { clearOfflineCache, offlineStatus, registerOffline, type IsolationMode, type OfflineState } from '../../../src/offline/register';

interface OfflineTest {
  state?: OfflineState;
  reply?: ExecuteReply;
  /** From navigation start to the cell's result (ms). */
  resultMs?: number;
  bootTimings?: Record<string, number | undefined>;
  /** crossOriginIsolated, and whether the runtime got its SharedArrayBuffer interrupt signal. */
  isolated: boolean;
  interruptible?: boolean;
  error?: string;
}

declare global {
  interface Window {
    offlineTest: OfflineTest;
    pyloomOffline: {
      registerOffline: typeof registerOffline;
      offlineStatus: typeof offlineStatus;
      clearOfflineCache: typeof clearOfflineCache;
    };
  }
}

const params = new URLSearchParams(location.search);
const coep = params.get('coep');
const isolation: IsolationMode = coep === 'off' || coep === 'credentialless' ? coep : 'require-corp';
const lock = params.get('lock');
const packages = params.get('packages');
const index = params.get('index');
const statusView = document.getElementById('status')!;
const resultView = document.getElementById('result')!;

window.pyloomOffline = { registerOffline, offlineStatus, clearOfflineCache };
window.offlineTest = { isolated: globalThis.crossOriginIsolated === true };

async function main(): Promise<void> {
  const options = {
    ...(lock ? { lockFileURL: lock } : {}),
    ...(packages ? { packageBaseUrl: packages } : {}),
    ...(index ? { indexUrls: [index] } : {}),
  };
  const early = params.get('order') === 'runtime-first' ? createRuntime(options) : undefined;
  if (params.get('register') !== '0') {
    const state = await registerOffline({ isolation, ...(lock ? { alsoCache: [lock] } : {}) });
    window.offlineTest.state = state;
    statusView.textContent = JSON.stringify(state, null, 2);
  }
  if (params.get('run') === '0') return;
  // By default booted after registration: the worker is controlled from its first request.
  const runtime = early ?? createRuntime(options);
  const code = lock || index ? 'import pyloom_test_a\npyloom_test_a.answer()' : '6 * 7';
  const reply = await runtime.execute(code);
  window.offlineTest.resultMs = performance.now();
  window.offlineTest.reply = reply;
  window.offlineTest.bootTimings = runtime.bootInfo?.timings;
  window.offlineTest.interruptible = runtime.bootInfo?.interruptible;
  resultView.textContent = JSON.stringify(reply.outputs);
  if (params.get('register') === '0') return;
  window.offlineTest.state = await offlineStatus();
  statusView.textContent = JSON.stringify(window.offlineTest.state, null, 2);
}

main()
  .catch((error: unknown) => {
    window.offlineTest.error = error instanceof Error ? error.message : String(error);
    statusView.textContent = `error: ${window.offlineTest.error}`;
  })
  .finally(() => {
    document.body.dataset['done'] = 'true';
  });
