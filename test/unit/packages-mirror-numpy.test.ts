// numpy and pandas from a local Pyodide package mirror: run when PYLOOM_PYODIDE_MIRROR names one
// (a folder made by `npm run packages:mirror -- numpy pandas`, or a URL serving such a folder),
// reported as skipped with the reason otherwise. numpy is never faked.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { bootNodeKernel } from './helpers/node-kernel';

const mirror = process.env['PYLOOM_PYODIDE_MIRROR'];
const why =
  'PYLOOM_PYODIDE_MIRROR is not set: no local Pyodide package mirror with numpy/pandas (make one with `npm run packages:mirror -- numpy pandas`)';

async function mirrorKernel() {
  const base = mirror!.endsWith('/') ? mirror! : `${mirror}/`;
  const localLock = !/^https?:/.test(base) && existsSync(join(base, 'pyodide-lock.json')) ? join(base, 'pyodide-lock.json') : undefined;
  return bootNodeKernel({ packageBaseUrl: base, ...(localLock ? { lockFileURL: localLock } : {}) });
}

describe('numpy and pandas from a local mirror', () => {
  test('import numpy as np; np.arange(10).sum()', async (context) => {
    if (!mirror) context.skip(why);
    const kernel = await mirrorKernel();
    const reply = await kernel.run('import numpy as np\nnp.arange(10).sum()');
    expect(reply.outputs.at(-1)).toMatchObject({ output_type: 'execute_result', data: { 'text/plain': 'np.int64(45)' } });
  });

  test('a pandas DataFrame is shown as an HTML table', async (context) => {
    if (!mirror) context.skip(why);
    const kernel = await mirrorKernel();
    const reply = await kernel.run("import pandas as pd\npd.DataFrame({'a': [1, 2], 'b': ['x', 'y']})");
    const result = reply.outputs.at(-1) as { data: Record<string, string> };
    expect(result.data['text/html']).toContain('<table');
    expect(result.data['text/plain']).toMatch(/a\s+b/);
  });
});
