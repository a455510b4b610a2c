// The version matrix's second Pyodide (0.29.0, Python 3.13) with a real compiled package: genuine
// numpy 2.2.5 from ../shared/wheels, loaded on demand by an import (skipped with the reason when
// the wheel is absent). Pyodide 314 has no numpy build reachable here, so compiled-package
// behaviour is checked on this version.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestServer } from './helpers/http-server';
import { bootKernel029, NO_NUMPY_WHY, NUMPY_029_WHEEL, serveNumpy029, SHARED_WHEELS } from './helpers/pyodide-029';

let server: TestServer | undefined;
beforeAll(async () => {
  if (SHARED_WHEELS) server = await serveNumpy029();
});
afterAll(() => server?.close());

function base(): string {
  return `${server!.base}/`;
}

describe('Pyodide 0.29.0 with genuine numpy 2.2.5', () => {
  test('the shell boots on 0.29.0 and reports Python 3.13', async () => {
    const kernel = await bootKernel029();
    const reply = await kernel.run('import sys\nsys.version_info[:2]');
    expect(reply.outputs).toMatchObject([{ output_type: 'execute_result', data: { 'text/plain': '(3, 13)' } }]);
  });

  test('an import loads numpy on demand, with byte progress, and arrays display', async (context) => {
    if (!SHARED_WHEELS) context.skip(NO_NUMPY_WHY);
    const kernel = await bootKernel029({ packageBaseUrl: base() });
    const reply = await kernel.run('import numpy as np\na = np.arange(12).reshape(3, 4)\nprint(a.sum(axis=0))\na');
    expect(reply.status).toBe('ok');
    expect(reply.outputs[0]).toMatchObject({ output_type: 'stream', name: 'stdout', text: '[12 15 18 21]\n' });
    // numpy has no _repr_html_: the value is shown as its repr, nothing else.
    expect(reply.outputs[1]).toMatchObject({
      output_type: 'execute_result',
      data: { 'text/plain': 'array([[ 0,  1,  2,  3],\n       [ 4,  5,  6,  7],\n       [ 8,  9, 10, 11]])' },
    });
    expect(Object.keys((reply.outputs[1] as { data: object }).data)).toEqual(['text/plain']);
    const finals = kernel.events.flatMap((e) =>
      e.type === 'progress' && e.progress.kind === 'download' && e.progress.done ? [e.progress] : [],
    );
    expect(finals.map((d) => [d.file, d.executionId])).toEqual([[NUMPY_029_WHEEL, 1]]);
    expect(finals[0]!.loaded).toBe(finals[0]!.total);
    expect(finals[0]!.loaded).toBeGreaterThan(1_000_000);
    // The values of a few compiled routines, checked against what they must be.
    const math = await kernel.run(
      'import numpy.linalg, numpy.fft\n' +
        'print(round(float(np.linalg.det(np.array([[2.0, 1.0], [1.0, 3.0]]))), 9))\n' +
        'print(np.fft.fft(np.array([1.0, 0.0, 0.0, 0.0])).real.tolist())\n' +
        'print(np.random.default_rng(42).integers(0, 1000, 3).tolist())',
    );
    expect(math.outputs.map((o) => (o as { text?: string }).text).join('')).toBe('5.0\n[1.0, 1.0, 1.0, 1.0]\n[89, 773, 654]\n');
  });

  test('an error raised inside numpy is a clean error output that points at the cell line', async (context) => {
    if (!SHARED_WHEELS) context.skip(NO_NUMPY_WHY);
    const kernel = await bootKernel029({ packageBaseUrl: base() });
    const reply = await kernel.run('import numpy as np\nx = np.ones(3)\ny = x.reshape(2, 2)');
    expect(reply.status).toBe('error');
    const error = reply.outputs.at(-1) as { output_type: string; ename: string; evalue: string; traceback: string[] };
    expect(error).toMatchObject({ output_type: 'error', ename: 'ValueError' });
    expect(error.evalue).toContain('cannot reshape array of size 3 into shape (2,2)');
    const text = error.traceback.join('\n');
    expect(text).toMatch(/line 3/);
    expect(text).not.toMatch(/pyloom[/\\]shell\.py/); // the shell's own frames are not shown
  });

  test('a long numpy loop is stopped by the interrupt buffer and the state is kept', async (context) => {
    if (!SHARED_WHEELS) context.skip(NO_NUMPY_WHY);
    const interruptBuffer = new Uint8Array(new SharedArrayBuffer(1));
    const kernel = await bootKernel029({ packageBaseUrl: base(), interruptBuffer });
    await kernel.run('import numpy as np\nkept = np.arange(5)');
    // Node's one thread runs Python, so Python raises the flag itself after some work (in the
    // browser the page writes it; see the Chromium interrupt tests).
    const global = globalThis as { raiseInterrupt?: () => void };
    global.raiseInterrupt = () => {
      interruptBuffer[0] = 2;
    };
    const stopped = await kernel.run(
      'import js\nm = np.random.default_rng(0).random((64, 64))\nn = 0\nwhile True:\n    m = m @ m / np.linalg.norm(m)\n    n += 1\n    if n == 50:\n        js.raiseInterrupt()',
    );
    delete global.raiseInterrupt;
    expect(stopped.outputs).toMatchObject([{ output_type: 'error', ename: 'KeyboardInterrupt' }]);
    const after = await kernel.run('int(kept.sum()), n >= 50');
    expect(after.outputs).toMatchObject([{ data: { 'text/plain': '(10, True)' } }]);
  });
});
