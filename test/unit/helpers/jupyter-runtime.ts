// One real Jupyter Server per test file for the remote-runtime tests (test/jupyter-server.ts), the
// runtimes made against it (disposed after each test), and the waits those tests share.
import { existsSync, rmSync, watch } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createRuntime } from '../../../src/runtime/runtime';
import type { JupyterRuntime } from '../../../src/runtime/jupyter/runtime';
import type { ServerSettings } from '../../../src/runtime/jupyter/options';
import type { OutputEvent } from '../../../src/protocol';
import { jupyterMissing, PYTHON, startJupyter, type JupyterServer } from '../../jupyter-server';
import { unpackWidgetWheelsForServer } from './widget-wheels';

/** Why the remote-runtime tests cannot run here (no jupyter_server or ipykernel), or undefined. */
export const jupyterSkip = jupyterMissing();

export interface RemoteRuntimes {
  /** This file's server; set once `beforeAll` has run. */
  readonly server: JupyterServer;
  /** A runtime on this file's server (`settings` override its URL or token), disposed after the test. */
  remote(settings?: Partial<ServerSettings>, interruptGraceMs?: number): JupyterRuntime;
}

/**
 * Registers this file's hooks: a server started before its tests, stopped after them; with
 * `widgets`, its kernels import ipywidgets unpacked from the genuine wheels (the caller skips when
 * they are absent). Does nothing when `jupyterSkip` says the server cannot run.
 */
export function useJupyterServer(options: { widgets?: boolean } = {}): RemoteRuntimes {
  let server: JupyterServer | undefined;
  let widgetPath: string | undefined;
  const runtimes: JupyterRuntime[] = [];
  beforeAll(async () => {
    if (jupyterSkip) return;
    widgetPath = options.widgets ? unpackWidgetWheelsForServer(PYTHON) : undefined;
    server = await startJupyter({ allowOrigin: 'http://127.0.0.1', ...(widgetPath ? { env: { PYTHONPATH: widgetPath } } : {}) });
  });
  afterAll(async () => {
    await server?.stop();
    if (widgetPath) rmSync(widgetPath, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const runtime of runtimes.splice(0)) runtime.dispose();
  });
  const started = (): JupyterServer => {
    if (!server) throw new Error('the Jupyter server is not started: use it inside a test, after beforeAll');
    return server;
  };
  return {
    get server() {
      return started();
    },
    remote(settings, interruptGraceMs) {
      const { baseUrl, token } = started();
      const runtime = createRuntime({
        kind: 'jupyter',
        serverSettings: { baseUrl, token, ...settings },
        kernelName: 'python3',
        ...(interruptGraceMs ? { interruptGraceMs } : {}),
      });
      runtimes.push(runtime);
      return runtime;
    },
  };
}

/** Resolves with the first output event `match` accepts. */
export function outputMatching(runtime: JupyterRuntime, match: (event: OutputEvent) => boolean): Promise<OutputEvent> {
  return new Promise((resolve) => {
    const listener = (e: Event) => {
      const { event } = (e as CustomEvent<{ event: OutputEvent }>).detail;
      if (match(event)) {
        runtime.removeEventListener('output', listener);
        resolve(event);
      }
    };
    runtime.addEventListener('output', listener);
  });
}

/** Resolves once `path` exists (a file the kernel writes to say it got somewhere). */
export function fileAppears(path: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dirname(path), () => {
      if (existsSync(path)) (watcher.close(), resolve());
    });
    if (existsSync(path)) (watcher.close(), resolve());
  });
}

/** The text of every stream output, in order. */
export const streamText = (outputs: readonly { output_type: string }[]): string =>
  outputs.map((o) => ('text' in o && typeof o.text === 'string' ? o.text : '')).join('');
