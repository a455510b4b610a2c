// The worker kernel on real Pyodide in Node: boot, execute, event delivery, batching, interrupt.
import { afterEach, describe, expect, test } from 'vitest';
import { codePointOffset, createKernel, utf16Offset } from '../../worker/kernel';
import { cdnPackageBaseUrl } from '../../worker/packages';
import { watchCount } from '../../worker/downloads';
import { decodeExecuteReply } from '../../worker/pyloom-api';
import type { BootOptions, WorkerEvent } from '../../src/protocol';
import { WORKSPACE_ROOT } from '../../worker/workspace/mount';
import pyodidePackage from 'pyodide/package.json' with { type: 'json' };
import { bootNodeKernel, nodeKernelDeps, PYODIDE_DIR, WHEEL_URL } from './helpers/node-kernel';
import { memoryStore, type WorkspaceStore } from '../../worker/workspace/store';
import { deferred } from '../../src/shared/deferred';
import { checkSeam, SEAM_NBFORMAT_SKIPPED, seamProblem, seamProblems } from './helpers/seam';

// The seam: every event the kernels below emit has a shape src/protocol.ts declares, and its
// outputs are valid nbformat (helpers/seam.ts). A Python reply that changes shape fails here.
afterEach(() => {
  expect(seamProblems.splice(0)).toEqual([]);
});

describe('the Python → TypeScript seam', () => {
  test('the checker itself refuses what the protocol does not declare', () => {
    expect(seamProblem({ type: 'output', executionId: 1, event: { output_type: 'stream', name: 'stdout', text: 'ok\n' } })).toBeUndefined();
    expect(
      seamProblem({ type: 'progress', progress: { kind: 'boot', phase: 'ready', message: 'Ready', step: 4, steps: 5 } }),
    ).toBeUndefined();
    const renamed = JSON.parse('{"output_type":"stream","name":"stdout","txt":"x"}');
    expect(seamProblem({ type: 'output', executionId: 1, event: renamed })).toBeDefined();
    const extra = JSON.parse('{"kind":"boot","phase":"ready","message":"Ready","step":4,"steps":5,"eta":1}');
    expect(seamProblem({ type: 'progress', progress: extra })).toMatch(/additional properties/);
    checkSeam({ type: 'output', executionId: 1, event: JSON.parse('{"output_type":"clear_output","wait":true,"now":1}') });
    expect(seamProblems.splice(0)).toEqual([expect.stringMatching(/unexpected fields now/)]);
  });

  test.skipIf(SEAM_NBFORMAT_SKIPPED !== undefined)(
    `outputs are checked against the nbformat schema${SEAM_NBFORMAT_SKIPPED ? ` (skipped: ${SEAM_NBFORMAT_SKIPPED})` : ''}`,
    () => {
      const badStream = JSON.parse('{"output_type":"stream","name":"stdout","text":"x","extra":1}');
      expect(seamProblem({ type: 'output', executionId: 1, event: badStream })).toMatch(/additional properties/);
      const badResult = JSON.parse('{"output_type":"execute_result","execution_count":"1","data":{},"metadata":{}}');
      expect(seamProblem({ type: 'output', executionId: 1, event: badResult })).toBeDefined();
    },
  );
});

describe('boot', () => {
  test('reports each phase in order and what it booted', async () => {
    const kernel = await bootNodeKernel();
    const phases = kernel.events.flatMap((e) => (e.type === 'progress' && e.progress.kind === 'boot' ? [e.progress.phase] : []));
    expect(phases).toEqual(['import-pyodide', 'load-pyodide', 'install-pyloom', 'start-shell', 'ready']);
    const { outputs } = await kernel.run('import pyloom, sys\npyloom.__version__, sys.version_info[:2] >= (3, 12)');
    expect(outputs).toEqual([
      { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': "('0.1.0', True)" }, metadata: {} },
    ]);
  });

  test('package base URL: the CDN of the running Pyodide by default, or the configured mirror', async () => {
    const events: WorkerEvent[] = [];
    const kernel = createKernel({ ...nodeKernelDeps(), baseURL: 'https://docs.example.org/guide/page.html' });
    const info = await kernel.boot({ indexURL: PYODIDE_DIR, pyloomWheelURL: WHEEL_URL, packageBaseUrl: '../mirror' }, (e) =>
      events.push(e),
    );
    expect(info.packageBaseUrl).toBe('https://docs.example.org/mirror/');
    expect(info.pyodideVersion).toBe(pyodidePackage.version);
    expect(cdnPackageBaseUrl(info.pyodideVersion)).toBe(`https://cdn.jsdelivr.net/pyodide/v${pyodidePackage.version}/full/`);
    const plain = await bootNodeKernel();
    const { outputs } = await plain.run('1');
    expect(outputs).toHaveLength(1);
  });

  test('a failing step rejects with a message that names the step', async () => {
    const deps = nodeKernelDeps();
    const kernel = createKernel({
      ...deps,
      fetchBytes: async (url) => {
        if (url.endsWith('.whl')) throw new Error(`could not fetch ${url}: HTTP 404 Not Found`);
        return deps.fetchBytes!(url);
      },
    });
    await expect(kernel.boot({ indexURL: PYODIDE_DIR, pyloomWheelURL: 'https://x/pyloom.whl' }, () => undefined)).rejects.toThrow(
      'Pyloom could not boot: installing the pyloom package failed: could not fetch https://x/pyloom.whl: HTTP 404 Not Found',
    );
  });

  test('a missing Pyodide says where it looked', async () => {
    const kernel = createKernel({
      importPyodide: async (url) => {
        throw new Error(`Failed to fetch dynamically imported module: ${url}`);
      },
    });
    await expect(kernel.boot({ indexURL: 'https://nowhere.invalid/pyodide/', pyloomWheelURL: WHEEL_URL }, () => undefined)).rejects.toThrow(
      /loading the pyodide loader failed: .*https:\/\/nowhere\.invalid\/pyodide\/pyodide\.mjs/,
    );
  });

  test('execute before boot and a second boot are refused clearly', async () => {
    const kernel = createKernel();
    await expect(kernel.execute({ id: 1, code: '1' })).rejects.toThrow(/has not finished booting/);
    expect(await kernel.ping()).toEqual({ state: 'booting' });
    const booted = await bootNodeKernel();
    await expect(booted.api.boot({ indexURL: PYODIDE_DIR, pyloomWheelURL: WHEEL_URL }, () => undefined)).rejects.toThrow(
      /already been booted/,
    );
    expect(await booted.api.ping()).toEqual({ state: 'ok' });
  });

  test('dispose releases the download watch the boot subscribed (kernels in one process do not pile up)', async () => {
    const before = watchCount();
    const kernel = createKernel(nodeKernelDeps());
    await kernel.boot({ indexURL: PYODIDE_DIR, pyloomWheelURL: WHEEL_URL }, () => undefined);
    expect(watchCount()).toBe(before + 1);
    kernel.dispose();
    expect(watchCount()).toBe(before);
    await expect(kernel.boot({ indexURL: PYODIDE_DIR, pyloomWheelURL: WHEEL_URL }, () => undefined)).rejects.toThrow(/already been booted/);
  });
});

describe('execute', () => {
  test('tags outputs with the execution id and answers status and count', async () => {
    const kernel = await bootNodeKernel();
    expect(await kernel.api.execute({ id: 7, code: 'print("seven")' })).toEqual({ status: 'ok', executionCount: 1 });
    expect(await kernel.api.execute({ id: 8, code: 'raise ValueError("eight")' })).toEqual({ status: 'error', executionCount: 2 });
    expect(kernel.outputsOf(7)).toEqual([{ output_type: 'stream', name: 'stdout', text: 'seven\n' }]);
    expect(kernel.outputsOf(8)).toMatchObject([{ output_type: 'error', ename: 'ValueError', evalue: 'eight' }]);
  });

  test("a cell's set_next_input request crosses the seam as the ack's payload (and only a well-formed one)", async () => {
    const kernel = await bootNodeKernel();
    const ack = await kernel.api.execute({ id: 1, code: "get_ipython().set_next_input('# next', replace=True)" });
    expect(ack).toEqual({ status: 'ok', executionCount: 1, payload: [{ source: 'set_next_input', text: '# next', replace: true }] });
    expect(decodeExecuteReply({ status: 'ok', execution_count: 2, payload: [] })).toEqual({ status: 'ok', executionCount: 2 });
    expect(() =>
      decodeExecuteReply({ status: 'ok', execution_count: 2, payload: [{ source: 'set_next_input', text: 1, replace: true }] }),
    ).toThrow(/out of step/);
    expect(() => decodeExecuteReply({ status: 'ok', execution_count: 2, payload: [{ source: 'page', data: {} }] })).toThrow(/out of step/);
  });

  test('display() needs no import and IPython.display works, as in Jupyter', async () => {
    const kernel = await bootNodeKernel();
    const { status, outputs } = await kernel.run(
      [
        'from IPython.display import HTML, Markdown, update_display',
        'display(HTML("<b>bold</b>"))',
        'h = display(Markdown("v1"), display_id="d1")',
        'update_display(Markdown("v2"), display_id="d1")',
        'import IPython, sys',
        'IPython.__file__.startswith(sys.path[0])  # served from the pyloom wheel',
      ].join('\n'),
    );
    expect(status).toBe('ok');
    expect(outputs).toEqual([
      {
        output_type: 'display_data',
        data: { 'text/html': '<b>bold</b>', 'text/plain': '<IPython.core.display.HTML object>' },
        metadata: {},
      },
      {
        output_type: 'display_data',
        data: { 'text/markdown': 'v1', 'text/plain': '<IPython.core.display.Markdown object>' },
        metadata: {},
        transient: { display_id: 'd1' },
      },
      {
        output_type: 'update_display_data',
        data: { 'text/markdown': 'v2', 'text/plain': '<IPython.core.display.Markdown object>' },
        metadata: {},
        transient: { display_id: 'd1' },
      },
      { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': 'True' }, metadata: {} },
    ]);
  });

  test('does not answer before the page has acknowledged the last output event', async () => {
    const kernel = createKernel(nodeKernelDeps());
    const acknowledged: string[] = [];
    await kernel.boot({ indexURL: PYODIDE_DIR, pyloomWheelURL: WHEEL_URL }, (event) => {
      if (event.type !== 'output') return undefined;
      // Like a Comlink proxy: the call resolves when the other side has handled it. The delay is
      // the slow page being simulated, not a wait: the reply must come after it whatever it is.
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          acknowledged.push(event.event.output_type);
          resolve();
        }, 50),
      );
    });
    await kernel.execute({ id: 1, code: '"result"' });
    expect(acknowledged).toEqual(['execute_result']);
  });

  test('100,000 printed lines arrive complete in a bounded number of messages', async () => {
    const kernel = await bootNodeKernel();
    const start = performance.now();
    const { outputs } = await kernel.run('for i in range(100_000):\n    print(i)');
    const elapsed = performance.now() - start;
    const text = outputs.map((o) => (o.output_type === 'stream' ? o.text : '')).join('');
    expect(text.length).toBe(588_890);
    expect(text.endsWith('99998\n99999\n')).toBe(true);
    // The batching bound (see test_streams.py), whatever the machine's speed.
    expect(outputs.length).toBeLessThanOrEqual(Math.ceil(text.length / 65536) + Math.ceil(elapsed / 50) + 2);
    expect(outputs.length).toBeLessThan(1000);
    console.info(`100,000 lines in Node: ${elapsed.toFixed(0)} ms, ${outputs.length} messages`);
  });

  test('interrupting an awaiting cell ends it with KeyboardInterrupt and keeps the state', async () => {
    const interruptBuffer = new Uint8Array(new SharedArrayBuffer(1));
    const kernel = await bootNodeKernel({ interruptBuffer });
    await kernel.run('kept = 41');
    const running = kernel.run('import asyncio\nprint("started")\nwhile True:\n    await asyncio.sleep(0.01)');
    await kernel.nextOutput((e) => e.output_type === 'stream' && e.text === 'started\n');
    // What Runtime.interrupt() does: raise the flag for synchronous code, send the message for
    // awaiting code.
    interruptBuffer[0] = 2;
    void kernel.api.interrupt(2);
    const stopped = await running;
    expect(stopped.status).toBe('error');
    expect(stopped.outputs).toMatchObject([
      { output_type: 'stream', text: 'started\n' },
      { output_type: 'error', ename: 'KeyboardInterrupt' },
    ]);
    const traceback = (stopped.outputs[1] as { traceback: string[] }).traceback.join('\n');
    expect(traceback).toContain('Cell In[2], line 4');
    const after = await kernel.run('kept + 1');
    expect(after.outputs).toMatchObject([{ data: { 'text/plain': '42' } }]);
    expect(await kernel.api.interrupt(3)).toBe(false); // nothing running: a no-op
  });

  test('the interrupt buffer stops synchronous Python', async () => {
    const interruptBuffer = new Uint8Array(new SharedArrayBuffer(1));
    const kernel = await bootNodeKernel({ interruptBuffer });
    // Node's only thread is busy running Python, so Python itself calls the function that raises
    // the flag; in the browser the page writes it from the main thread (see the Chromium tests).
    const global = globalThis as { raiseInterrupt?: () => void };
    global.raiseInterrupt = () => {
      interruptBuffer[0] = 2;
    };
    const stopped = await kernel.run('import js\nn = 0\nwhile True:\n    n += 1\n    if n == 1000:\n        js.raiseInterrupt()');
    delete global.raiseInterrupt;
    expect(stopped.status).toBe('error');
    expect(stopped.outputs).toMatchObject([{ output_type: 'error', ename: 'KeyboardInterrupt' }]);
    const after = await kernel.run('n > 1000');
    expect(after.outputs).toMatchObject([{ data: { 'text/plain': 'True' } }]);
  });

  test('an interrupt sent while the request travels stops that cell; none is left for the next', async () => {
    const interruptBuffer = new Uint8Array(new SharedArrayBuffer(1));
    const kernel = await bootNodeKernel({ interruptBuffer });
    interruptBuffer[0] = 2; // written by the page right after it sent the request
    const stopped = await kernel.run('while True:\n    pass');
    expect(stopped.outputs).toMatchObject([{ output_type: 'error', ename: 'KeyboardInterrupt' }]);
    // Nothing is left for the next cell (a signal that comes as a cell ends is cleared by the
    // kernel at the end, and by the Runtime before it sends the next request).
    expect(interruptBuffer[0]).toBe(0);
    const next = await kernel.run('sum(range(100_000))');
    expect(next.status).toBe('ok');
    expect(interruptBuffer[0]).toBe(0);
  });
  // Boot answers before the workspace is mounted, and a cell waits for the mount: the time limit's
  // interrupt can come while it waits. The mount then ran Python of its own (invalidate_caches
  // after chdir), where Pyodide took the signal: the mount failed with KeyboardInterrupt and the
  // cell slept to its end (the lost embed data-timeout interrupt, issue 12).
  async function kernelWaitingForMount(options: Partial<BootOptions>) {
    const listing = deferred<void>();
    const release = deferred<void>();
    const store = memoryStore();
    const gated: WorkspaceStore = {
      ...store,
      kind: store.kind,
      list: async () => {
        listing.resolve();
        await release.promise;
        return store.list();
      },
    };
    const kernel = await bootNodeKernel(options, { ...nodeKernelDeps(), workspaceStore: Promise.resolve(gated) });
    await listing.promise; // the mount has started and now waits for the store
    return { kernel, release: () => release.resolve() };
  }
  // The workload being interrupted: 5 s of busy work. The test passes only if the interrupt stops it
  // before it prints ("ran to the end" means the signal was lost).
  const SLEEPER = 'import time\nend = time.monotonic() + 5\nwhile time.monotonic() < end:\n    pass\nprint("ran to the end")';

  test('an interrupt written while the cell waits for the workspace mount stops that cell, and the mount survives it', async () => {
    const interruptBuffer = new Uint8Array(new SharedArrayBuffer(1));
    const { kernel, release } = await kernelWaitingForMount({ interruptBuffer });
    const running = kernel.run(SLEEPER); // the request has arrived; the cell waits for the mount
    interruptBuffer[0] = 2; // the page's flag (its message may come later: the buffer alone must do)
    release();
    const stopped = await running;
    expect(stopped.status).toBe('error');
    expect(stopped.outputs).toMatchObject([{ output_type: 'error', ename: 'KeyboardInterrupt' }]);
    expect(interruptBuffer[0]).toBe(0);
    // The mount was not hurt: the next cell runs in the workspace, with no warning.
    const next = await kernel.run('import os\nprint(os.getcwd())');
    expect(next.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: `${WORKSPACE_ROOT}\n` }]);
  });

  test('without a shared buffer, the interrupt message that comes while the cell waits for the mount stops it', async () => {
    const { kernel, release } = await kernelWaitingForMount({});
    const running = kernel.run(SLEEPER);
    expect(await kernel.api.interrupt(1)).toBe(true);
    release();
    const stopped = await running;
    expect(stopped.outputs).toMatchObject([{ output_type: 'error', ename: 'KeyboardInterrupt' }]);
    expect((await kernel.run('1 + 1')).outputs).toMatchObject([{ data: { 'text/plain': '2' } }]);
  });
});

describe('complete', () => {
  test('UTF-16 offsets ↔ code points: a surrogate pair is one code point', () => {
    const text = 'a😀b👍🏽c';
    expect([0, 1, 3, 4, 6, 8, 9].map((offset) => codePointOffset(text, offset))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([0, 1, 2, 3, 4, 5, 6, 99].map((points) => utf16Offset(text, points))).toEqual([0, 1, 3, 4, 6, 8, 9, 9]);
  });

  test('completes from the namespace cells run in, with UTF-16 offsets around emoji', async () => {
    const kernel = await bootNodeKernel();
    await kernel.run('import math\nfruit_basket = "🍎🍐"\n𠀀𠀁_total = 1');
    const code = 'label = "😀 é 👍🏽"; math.sq';
    expect(await kernel.api.complete({ code, cursor: code.length })).toEqual({
      from: code.length - 2,
      to: code.length,
      items: [{ label: 'sqrt', type: 'function', detail: '(x, /)' }],
    });
    // The cursor mid-line, emoji on both sides of it.
    const middle = '"😀"; fruit_b + "😀"';
    const cursor = middle.indexOf(' +');
    expect(await kernel.api.complete({ code: middle, cursor })).toEqual({
      from: middle.indexOf('fruit_b'),
      to: cursor,
      items: [{ label: 'fruit_basket', type: 'variable' }],
    });
    // A partial made of characters outside the BMP (valid Python identifiers).
    const astral = 'x = 1; 𠀀';
    expect(await kernel.api.complete({ code: astral, cursor: astral.length })).toEqual({
      from: astral.indexOf('𠀀'),
      to: astral.length,
      items: [{ label: '𠀀𠀁_total', type: 'variable' }],
    });
    // Inside a string, in a comment, between the halves of a pair: nothing.
    for (const text of ['s = "😀 math.sq', '# 😀 math.sq']) {
      expect(await kernel.api.complete({ code: text, cursor: text.length })).toEqual({ from: text.length - 2, to: text.length, items: [] });
    }
    expect(await kernel.api.complete({ code: 'x😀', cursor: 2 })).toEqual({ from: 2, to: 2, items: [] });
    // Completing ran nothing: the cell count is where the cells left it.
    expect((await kernel.run('1')).executionCount).toBe(2);
  });

  test('no items before boot or while a cell runs', async () => {
    expect(await createKernel().complete({ code: 'pri', cursor: 3 })).toEqual({ from: 3, to: 3, items: [] });
    const kernel = await bootNodeKernel();
    const running = kernel.run('import asyncio\nprint("started")\nfor _ in range(20):\n    await asyncio.sleep(0.01)');
    await kernel.nextOutput((e) => e.output_type === 'stream' && e.text === 'started\n');
    expect(await kernel.api.complete({ code: 'pri', cursor: 3 })).toEqual({ from: 3, to: 3, items: [] });
    expect((await running).status).toBe('ok');
    const after = await kernel.api.complete({ code: 'pri', cursor: 3 });
    expect(after.items[0]).toEqual({ label: 'print', type: 'function', detail: expect.any(String) });
  });
});

describe('a Pyodide fatal error', () => {
  test('inside a cell (a trap in C code) rejects the execution and makes ping report it', async () => {
    const kernel = await bootNodeKernel();
    // Calling a null C function pointer traps in WebAssembly, as a segfault would natively.
    await expect(kernel.run('import ctypes\nctypes.CFUNCTYPE(None)(0)()')).rejects.toThrow(/Pyodide has suffered a fatal error/);
    await expect(kernel.api.ping()).resolves.toMatchObject({ state: 'fatal', reason: expect.stringMatching(/fatal error/) });
  }, 240_000);
});
