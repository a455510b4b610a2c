// The remote runtime when its websocket to a real Jupyter Server drops mid-cell (through a proxy
// that cuts connections the ways networks do): what the server buffered arrives after the
// reconnect; what was lost before the server noticed is said to be lost, never silently missing.
import { execFileSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ErrorDetail } from '../../src/runtime/runtime';
import { startCuttingProxy, type CuttingProxy } from './helpers/cutting-proxy';
import { fileAppears, jupyterSkip, outputMatching, streamText, useJupyterServer } from './helpers/jupyter-runtime';

const jupyter = useJupyterServer();

describe.skipIf(jupyterSkip)(`a dropped websocket to a real Jupyter Server${jupyterSkip ? ` (skipped: ${jupyterSkip})` : ''}`, () => {
  let proxy: CuttingProxy;
  beforeEach(async () => {
    proxy = await startCuttingProxy(jupyter.server.port);
  });
  afterEach(async () => {
    await proxy.close();
  });

  /**
   * A runtime through the proxy, running `cell` (which prints 'start' first); resolves once 'start'
   * arrived. `signals` are named FIFOs made in the server's folder: the cell's `wait_for(name)`
   * blocks in open() until the test's `signal(name)` opens the other end — an event, not a poll.
   */
  async function runThroughProxy(cell: string, signals: string[]) {
    execFileSync(
      'mkfifo',
      signals.map((name) => join(jupyter.server.root, name)),
    );
    const runtime = jupyter.remote({ baseUrl: `http://127.0.0.1:${proxy.port}/` });
    const { kernelId } = await runtime.ready;
    const errors: string[] = [];
    runtime.addEventListener('error', (e) => errors.push((e as CustomEvent<ErrorDetail>).detail.message));
    const started = outputMatching(runtime, (e) => e.output_type === 'stream' && e.text.includes('start'));
    const running = runtime.execute(
      `import os\ndef wait_for(name):\n    with open(os.path.join(${JSON.stringify(jupyter.server.root)}, name)) as fifo:\n        fifo.read()\nprint('start', flush=True)\n${cell}`,
    );
    await started;
    const dropped = new Promise<void>((resolve) => runtime.addEventListener('error', () => resolve(), { once: true }));
    return { runtime, kernelId, errors, running, dropped };
  }
  /**
   * Let the page reconnect, and wait until the server restored its session while the cell still
   * runs. (Restored to an idle kernel, Jupyter Server 1.23 "nudges" it on the buffering channel and
   * swallows the first IOPub message that comes meanwhile, which can be the cell's last one.)
   */
  async function reconnectWhileBusy(kernelId: string): Promise<void> {
    const mark = jupyter.server.logMark();
    proxy.release();
    await jupyter.server.logged(new RegExp(`Restoring connection for ${kernelId}`), mark);
  }
  /** Opens and closes the writing end of a signal FIFO: the kernel's wait_for(name) returns. Asynchronous: the open waits for the kernel's end without blocking the proxy. */
  const signal = async (name: string) => (await open(join(jupyter.server.root, name), 'w')).close();

  test('the server buffered what the kernel printed meanwhile: after the reconnect (with back-off) the cell gets all of it', async () => {
    const { runtime, kernelId, errors, running, dropped } = await runThroughProxy(
      "wait_for('a-go')\nprint('end', flush=True)\nopen(os.path.join(" +
        JSON.stringify(jupyter.server.root) +
        ", 'a-printed'), 'w').close()\nwait_for('a-finish')",
      ['a-go', 'a-finish'],
    );
    proxy.hold();
    const mark = jupyter.server.logMark();
    proxy.cutBoth();
    await dropped;
    // 'end' is printed only once the server buffers for this kernel, and reaches it before the page reconnects.
    await jupyter.server.logged(new RegExp(`Starting buffering for ${kernelId}`), mark);
    await signal('a-go');
    await fileAppears(join(jupyter.server.root, 'a-printed'));
    await reconnectWhileBusy(kernelId);
    await signal('a-finish');
    const reply = await running;
    expect(errors[0]).toMatch(/dropped; reconnecting\. The running cell keeps going/);
    expect(reply.status).toBe('ok');
    // Everything the kernel printed arrives. The loss check is conservative: in 1 of 2 full-file
    // runs it still added its "may be lost" note although nothing was (a counter gap of a message
    // that was never meant for the page, README known gaps), so the note is tolerated here.
    expect(streamText(reply.outputs)).toMatch(
      /^start\nend\n(Pyloom: the connection to the Jupyter server dropped while this cell ran; output produced while the connection was down may be lost\.\n)?$/,
    );
    expect((await runtime.execute('1 + 1')).outputs[0]).toMatchObject({ data: { 'text/plain': '2' } });
  });

  test('output sent before the server noticed the drop is gone: the cell still gets its reply and says output may be lost', async () => {
    const { kernelId, running, dropped } = await runThroughProxy("wait_for('b-go')\nprint('end', flush=True)\nwait_for('b-finish')", [
      'b-go',
      'b-finish',
    ]);
    proxy.hold();
    proxy.cutClientSide();
    await dropped;
    await signal('b-go');
    // The server wrote 'end' into the half-open connection: lost.
    await proxy.discarded('"end\\n"');
    const mark = jupyter.server.logMark();
    proxy.cutServerSide();
    await jupyter.server.logged(new RegExp(`Starting buffering for ${kernelId}`), mark);
    await reconnectWhileBusy(kernelId);
    await signal('b-finish');
    const reply = await running;
    expect(reply.status).toBe('ok');
    const text = streamText(reply.outputs);
    expect(text).not.toContain('end');
    expect(text).toMatch(
      /^start\nPyloom: the connection to the Jupyter server dropped while this cell ran; output produced while the connection was down may be lost\.\n$/,
    );
  });

  test('a reply sent before the server noticed the drop is gone: after the reconnect the cell ends as aborted, saying its result may be lost', async () => {
    const { runtime, running, dropped } = await runThroughProxy("wait_for('c-go')\nprint('end')", ['c-go']);
    proxy.hold();
    proxy.cutClientSide();
    await dropped;
    await signal('c-go');
    await proxy.discarded('"execute_reply"');
    proxy.cutServerSide();
    proxy.release();
    const reply = await running;
    expect(reply.status).toBe('aborted');
    expect(streamText(reply.outputs)).toMatch(
      /^start\nPyloom: the connection to the Jupyter server dropped while this cell ran and its result did not arrive/,
    );
    expect((await runtime.execute('1 + 1')).outputs[0]).toMatchObject({ data: { 'text/plain': '2' } });
  });
});
