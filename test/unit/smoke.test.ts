import { test, expect } from 'vitest';
import { bootNodeKernel } from './helpers/node-kernel';
test('smoke', async () => {
  const k = await bootNodeKernel();
  const r = await k.run('print("hi")\n1+1');
  console.log(JSON.stringify(r));
  const e = await k.run('def f():\n    return 1/0\nf()');
  console.log(e.outputs.map((o) => JSON.stringify(o)).join('\n'));
  expect(r.status).toBe('ok');
});
