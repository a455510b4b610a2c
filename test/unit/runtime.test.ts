// The Runtime client against the real kernel (Node Pyodide) over real Comlink messaging.
import { afterEach, describe, expect, test } from 'vitest';
import { createRuntime, type Runtime, type RuntimeOptions, type StatusDetail } from '../../src/runtime/runtime';
import { createKernel } from '../../worker/kernel';
import type { BootInfo, OutputEvent, WorkerApi, WorkspaceApi } from '../../src/protocol';
import { nodeKernelDeps, PYODIDE_DIR, WHEEL_URL } from './helpers/node-kernel';
import { InProcessWorker } from './helpers/in-process-worker';

const runtimes: Runtime[] = [];
afterEach(() => {
  for (const runtime of runtimes.splice(0)) runtime.dispose();
});

function nodeRuntime(options: Partial<RuntimeOptions> = {}, workers: InProcessWorker[] = []): Runtime {
  const runtime = createRuntime({
    indexURL: PYODIDE_DIR,
    pyloomWheelURL: WHEEL_URL,
    createWorker: () => {
      const worker = new InProcessWorker(createKernel(nodeKernelDeps()));
      workers.push(worker);
      return worker;
    },
    ...options,
  });
  runtimes.push(runtime);
  return runtime;
}

function statuses(runtime: Runtime): string[] {
  const seen: string[] = [];
  runtime.addEventListener('status', (e) => seen.push((e as CustomEvent<StatusDetail>).detail.status));
  return seen;
}

/** Resolves when a stream output containing `text` reaches the page: the cell is running. */
function printed(runtime: Runtime, text: string): Promise<void> {
  return new Promise((resolve) => {
    runtime.addEventListener('output', (e) => {
      const { event } = (e as CustomEvent<{ event: OutputEvent }>).detail;
      if (event.output_type === 'stream' && event.text.includes(text)) resolve();
    });
  });
}

const result = (text: string, count: number) => ({
  output_type: 'execute_result',
  execution_count: count,
  data: { 'text/plain': text },
  metadata: {},
});

describe('Runtime', () => {
  test('a blank cell answers ok with no execution count, and the runtime lives on', async () => {
    const runtime = nodeRuntime();
    // execution_count None crosses toJs as undefined: the seam once refused it and killed the runtime.
    expect(await runtime.execute('  \n')).toEqual({ status: 'ok', executionCount: null, outputs: [] });
    expect(runtime.status).toBe('idle');
    expect(await runtime.execute('1 + 1')).toMatchObject({ status: 'ok', executionCount: 1, outputs: [result('2', 1)] });
  });

  test('runs executions one at a time in submission order and reports status', async () => {
    const runtime = nodeRuntime();
    const seen = statuses(runtime);
    const streamed: OutputEvent[] = [];
    const [a, b, c] = await Promise.all([
      runtime.execute('import asyncio\nawait asyncio.sleep(0.05)\norder = ["a"]'),
      runtime.execute('order.append("b")\nprint(order)', { onOutput: (e) => streamed.push(e) }),
      runtime.execute('order.append("c"); order'),
    ]);
    expect(a).toEqual({ status: 'ok', executionCount: 1, outputs: [] });
    expect(b).toEqual({ status: 'ok', executionCount: 2, outputs: [{ output_type: 'stream', name: 'stdout', text: "['a', 'b']\n" }] });
    expect(c.outputs).toEqual([result("['a', 'b', 'c']", 3)]);
    expect(streamed).toEqual(b.outputs);
    expect(seen).toEqual(['idle', 'busy', 'idle', 'busy', 'idle', 'busy', 'idle']);
    expect(runtime.bootInfo?.pyloomVersion).toBe('0.1.0');
  });

  test('an error in a cell is data: status error, and the next cell runs', async () => {
    const runtime = nodeRuntime();
    const failed = await runtime.execute('undefined_name');
    expect(failed.status).toBe('error');
    expect(failed.outputs).toMatchObject([{ output_type: 'error', ename: 'NameError', evalue: "name 'undefined_name' is not defined" }]);
    expect((await runtime.execute('2 ** 10')).outputs).toEqual([result('1024', 2)]);
  });

  test('restart aborts running and queued work and gives a fresh interpreter', async () => {
    const workers: InProcessWorker[] = [];
    const runtime = nodeRuntime({}, workers);
    await runtime.execute('x = 1');
    const started = printed(runtime, 'started');
    const running = runtime.execute('import asyncio\nprint("started")\nwhile True:\n    await asyncio.sleep(0.01)');
    const queued = runtime.execute('x');
    await started; // the cell is running, not merely sent
    const info = await runtime.restart();
    expect(info.pyodideVersion).toBeTruthy();
    expect(await running).toEqual({
      status: 'aborted',
      executionCount: null,
      outputs: [{ output_type: 'stream', name: 'stdout', text: 'started\n' }],
    });
    expect(await queued).toEqual({ status: 'aborted', executionCount: null, outputs: [] });
    expect(workers[0]!.terminated).toBe(true);
    const after = await runtime.execute("'x' in globals()");
    expect(after.outputs).toEqual([result('False', 1)]);
  });

  test('interrupt stops an awaiting cell without losing state (no isolation needed)', async () => {
    // A grace far beyond the expected few milliseconds: on a loaded machine a late stop must not
    // turn into a restart, and a cell that does not stop still fails the test ('restarted').
    const runtime = nodeRuntime({ interruptGraceMs: 30_000 });
    await runtime.execute('kept = "still here"');
    const started = printed(runtime, 'started');
    const running = runtime.execute('import asyncio\nprint("started")\nwhile True:\n    await asyncio.sleep(0.01)');
    await started;
    expect(await runtime.interrupt()).toBe('interrupted');
    expect((await running).outputs).toMatchObject([
      { output_type: 'stream', text: 'started\n' },
      { output_type: 'error', ename: 'KeyboardInterrupt' },
    ]);
    expect((await runtime.execute('kept')).outputs).toEqual([result("'still here'", 3)]);
    expect(await runtime.interrupt()).toBe('idle');
  });

  test('outputs printed after a cell finished still reach the page, tagged with their cell', async () => {
    const runtime = nodeRuntime();
    const late = new Promise<{ executionId: number; event: OutputEvent }>((resolve) => {
      runtime.addEventListener('output', (e) => {
        const detail = (e as CustomEvent<{ executionId: number; event: OutputEvent }>).detail;
        if (detail.event.output_type === 'stream' && detail.event.text.includes('later')) resolve(detail);
      });
    });
    // The cell's own background task (what is tested: output after the reply); the test waits for its
    // 'later' output event, not for a time.
    const reply = await runtime.execute(
      'import asyncio\nasync def later():\n    await asyncio.sleep(0.1)\n    print("later")\ntask = asyncio.ensure_future(later())',
    );
    expect(reply.outputs).toEqual([]);
    expect(await late).toMatchObject({ executionId: 1, event: { output_type: 'stream', text: 'later\n' } });
  });

  test('an uncaught worker error that Python survives is reported, not fatal', async () => {
    const workers: InProcessWorker[] = [];
    const runtime = nodeRuntime({}, workers);
    await runtime.ready;
    const reported = new Promise<string>((resolve) =>
      runtime.addEventListener('error', (e) => resolve((e as CustomEvent<{ message: string }>).detail.message)),
    );
    workers[0]!.throwUncaught('TypeError: a timer callback failed');
    expect(await reported).toBe('TypeError: a timer callback failed');
    expect(runtime.status).toBe('idle');
    expect((await runtime.execute('1 + 1')).outputs).toEqual([result('2', 1)]);
  });

  test('complete answers from the live namespace through the worker, in UTF-16 offsets', async () => {
    const runtime = nodeRuntime();
    await runtime.execute('greeting = "héllo 👋"');
    const code = 'print("👋", greeting.up';
    expect(await runtime.complete(code, code.length)).toEqual({
      from: code.length - 2,
      to: code.length,
      items: [{ label: 'upper', type: 'method', detail: '()' }],
    });
    expect(await runtime.complete('"greeting.up', 12)).toEqual({ from: 10, to: 12, items: [] });
  });

  test('complete never waits for a running cell: empty at once while busy, and the cell is undisturbed', async () => {
    const runtime = nodeRuntime();
    await runtime.execute('ready_value = 1');
    const running = runtime.execute('import asyncio\nawait asyncio.sleep(0.3)\nready_value + 1');
    expect(runtime.status).toBe('busy');
    // "At once" as an order of events, not a wall-clock bound: the answer comes before the cell's.
    const first = await Promise.race([
      runtime.complete('ready_v', 7).then((answer) => ({ answer })),
      running.then(() => 'the cell finished first'),
    ]);
    expect(first).toEqual({ answer: { from: 7, to: 7, items: [] } });
    expect((await running).outputs).toEqual([result('2', 2)]);
    expect((await runtime.complete('ready_v', 7)).items).toEqual([{ label: 'ready_value', type: 'variable' }]);
  });

  test('dispose answers pending work as aborted and refuses new work', async () => {
    const runtime = nodeRuntime();
    const pending = runtime.execute('1');
    runtime.dispose();
    expect(await pending).toEqual({ status: 'aborted', executionCount: null, outputs: [] });
    expect(runtime.status).toBe('dead');
    await expect(runtime.execute('1')).rejects.toThrow('this runtime was disposed; create a new one');
    await expect(runtime.restart()).rejects.toThrow(/disposed/);
  });
});

describe('a runtime whose worker dies', () => {
  const BOOT_INFO: BootInfo = {
    pyodideVersion: 'test',
    pythonVersion: 'test',
    pyloomVersion: 'test',
    packageBaseUrl: 'test',
    timings: {},
    interruptible: false,
    snapshot: 'off',
  };
  const never = <T>() => new Promise<T>(() => undefined);
  // These fakes model execution only; the workspace calls never answer.
  const noWorkspace: WorkspaceApi = {
    listFiles: never,
    statPath: never,
    readFile: never,
    writeFile: never,
    makeDirectory: never,
    movePath: never,
    deletePath: never,
    reloadPaths: never,
    zipPath: never,
    workspaceUsage: never,
    setWorkingDirectory: never,
    setWorkspaceWritable: never,
    clearWorkspace: never,
    fetchFiles: never,
  };

  test('a worker that fails to load: dead with the reason; ready and execute reject clearly', async () => {
    const worker = new InProcessWorker({ boot: never });
    const runtime = createRuntime({ indexURL: 'x/', pyloomWheelURL: 'y', createWorker: () => worker });
    runtimes.push(runtime);
    const queued = runtime.execute('1');
    worker.throwUncaught('SyntaxError: Unexpected token in worker.js');
    await expect(runtime.ready).rejects.toThrow('SyntaxError: Unexpected token in worker.js');
    await expect(queued).rejects.toThrow('the Python runtime died: SyntaxError: Unexpected token in worker.js. Restart it to continue.');
    expect(runtime.status).toBe('dead');
    expect(runtime.reason).toBe('SyntaxError: Unexpected token in worker.js');
    await expect(runtime.execute('1')).rejects.toThrow(
      'the Python runtime is dead (SyntaxError: Unexpected token in worker.js); call restart() to start a fresh one',
    );
  });

  test('a worker that stops answering while running a cell: dead after the health check, cell rejected', async () => {
    let markExecuting!: () => void;
    const executing = new Promise<void>((resolve) => (markExecuting = resolve));
    const api: WorkerApi = {
      ...noWorkspace,
      boot: async () => BOOT_INFO,
      execute: () => {
        markExecuting();
        return never();
      },
      interrupt: async () => false,
      installPackages: never,
      complete: never,
      connectComms: async () => undefined,
      ping: never,
    };
    const worker = new InProcessWorker(api);
    const runtime = createRuntime({ indexURL: 'x/', pyloomWheelURL: 'y', createWorker: () => worker, healthCheckTimeoutMs: 200 });
    runtimes.push(runtime);
    await runtime.ready;
    const running = runtime.execute('while True: pass');
    await executing; // the worker has the cell
    worker.throwUncaught('RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded');
    await expect(running).rejects.toThrow(/the Python runtime died: RangeError: .*\(out of memory\) \(the worker stopped answering\)/);
    expect(runtime.status).toBe('dead');
    expect(worker.terminated).toBe(true);
  });

  test('complete is best-effort: empty while starting, when the worker fails, and when dead; never rejects', async () => {
    let calls = 0;
    let boot!: () => void;
    const booted = new Promise<void>((resolve) => (boot = resolve));
    const api: WorkerApi = {
      ...noWorkspace,
      boot: async () => {
        await booted;
        return BOOT_INFO;
      },
      execute: never,
      interrupt: async () => false,
      installPackages: never,
      complete: async () => {
        calls += 1;
        throw new Error('completion failed in Python');
      },
      connectComms: async () => undefined,
      ping: async () => ({ state: 'ok' }),
    };
    const runtime = createRuntime({ indexURL: 'x/', pyloomWheelURL: 'y', createWorker: () => new InProcessWorker(api) });
    runtimes.push(runtime);
    const empty = { from: 4, to: 4, items: [] };
    expect(await runtime.complete('abcd', 4)).toEqual(empty); // starting
    boot();
    await runtime.ready;
    expect(await runtime.complete('abcd', 4)).toEqual(empty); // the worker rejected
    expect(calls).toBe(1);
    runtime.dispose();
    expect(await runtime.complete('abcd', 4)).toEqual(empty); // dead
    expect(calls).toBe(1);
  });

  test('an execution that rejects (Pyodide fatal error) kills the runtime; restart brings it back', async () => {
    let calls = 0;
    const api: WorkerApi = {
      ...noWorkspace,
      boot: async () => BOOT_INFO,
      execute: async () => {
        calls += 1;
        throw new Error('Pyodide has suffered a fatal error');
      },
      interrupt: async () => false,
      installPackages: never,
      complete: never,
      connectComms: async () => undefined,
      ping: async () => ({ state: 'fatal', reason: 'fatal' }),
    };
    const runtime = createRuntime({ indexURL: 'x/', pyloomWheelURL: 'y', createWorker: () => new InProcessWorker(api) });
    runtimes.push(runtime);
    await expect(runtime.execute('1')).rejects.toThrow(
      'the Python runtime died: the runtime failed while running a cell: Pyodide has suffered a fatal error',
    );
    expect(runtime.status).toBe('dead');
    await runtime.restart();
    expect(runtime.status).toBe('idle');
    await expect(runtime.execute('1')).rejects.toThrow(/fatal error/);
    expect(calls).toBe(2);
  });
});
