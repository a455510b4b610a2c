// The second Pyodide of the version matrix: 0.29.0 (Python 3.13) from the `pyodide-0.29` npm alias,
// and the genuine numpy 2.2.5 built for it from ../shared/wheels (never copied into the repo).
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BootOptions } from '../../../src/protocol';
import { bootNodeKernel, nodeKernelDeps, type NodeKernel } from './node-kernel';
import { serve, type TestServer } from './http-server';

const require = createRequire(import.meta.url);
export const PYODIDE_029_DIR = `${dirname(require.resolve('pyodide-0.29/pyodide.mjs'))}/`;
export const NUMPY_029_WHEEL = 'numpy-2.2.5-cp313-cp313-pyodide_2025_0_wasm32.whl';

const ROOT = resolve(import.meta.dirname, '../../..');
/** ../shared/wheels beside the checkout (or one level higher, as for a worktree), or PYLOOM_SHARED_WHEELS. */
export const SHARED_WHEELS = [
  process.env['PYLOOM_SHARED_WHEELS'],
  resolve(ROOT, '../shared/wheels'),
  resolve(ROOT, '../../shared/wheels'),
].find((dir): dir is string => dir !== undefined && existsSync(resolve(dir, 'pyodide-0.29.0', NUMPY_029_WHEEL)));
export const NO_NUMPY_WHY =
  'the genuine Pyodide 0.29.0 numpy wheel is not here (../shared/wheels/pyodide-0.29.0/, or set PYLOOM_SHARED_WHEELS): numpy is never faked';

/** Serves the 0.29.0 numpy wheel as a package base URL; the lock is Pyodide 0.29.0's own. */
export async function serveNumpy029(): Promise<TestServer> {
  if (!SHARED_WHEELS) throw new Error(NO_NUMPY_WHY);
  return serve({ [`/${NUMPY_029_WHEEL}`]: new Uint8Array(readFileSync(resolve(SHARED_WHEELS, 'pyodide-0.29.0', NUMPY_029_WHEEL))) });
}

/** A kernel on Pyodide 0.29.0 in Node, with packages from `packageBaseUrl` when given. */
export function bootKernel029(options: Partial<BootOptions> = {}): Promise<NodeKernel> {
  const deps = nodeKernelDeps();
  deps.importPyodide = async () => (await import('pyodide-0.29')) as never;
  return bootNodeKernel({ indexURL: PYODIDE_029_DIR, ...options }, deps);
}
