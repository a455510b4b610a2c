// IPython syntax in a real worker, where pyloom is imported from its wheel (zipimport): magics,
// shell escapes, help and get_ipython() as a notebook uses them.
import { expect, test } from '@playwright/test';

test('magics, shell escapes and help in the browser worker', async ({ page }) => {
  await page.goto('/test/e2e/pages/harness.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  const result = await page.evaluate(async () => {
    const runtime = window.pyloom.createRuntime();
    const cells = [
      '%time sum(range(10**5))',
      '%%writefile hello_mod.py\ndef hi():\n    return "hi from a file"',
      'import hello_mod\nhello_mod.hi()',
      '!ls hello_mod.py\nfiles = !ls\n"hello_mod.py" in files',
      'r = %timeit -o -q -n 5 -r 2 sum(range(10))\nr.loops, r.repeat',
      'len?',
      '%nosuchmagic',
      '%matplotlib inline\nx = 1\n%who_ls',
      'for i in range(1):\n    %pwd\n\n1 / 0',
      "ip = get_ipython()\n'IPKernelApp' in ip.config, type(ip).__name__",
    ];
    const replies = [];
    for (const code of cells) replies.push(await runtime.execute(code));
    runtime.dispose();
    return replies.map((reply) => ({
      status: reply.status,
      text: reply.outputs
        .map((o) =>
          o.output_type === 'stream'
            ? o.text
            : o.output_type === 'error'
              ? o.traceback.join('\n').replace(/\x1b\[[0-9;]*m/g, '')
              : String(o.data['text/plain']).replace(/\x1b\[[0-9;]*m/g, ''),
        )
        .join(''),
    }));
  });
  expect(result[0]!.text).toMatch(/^CPU times: user .+, sys: .+, total: .+\nWall time: .+\n4999950000$/);
  expect(result[1]!.text).toBe('Writing hello_mod.py\n');
  expect(result[2]!.text).toBe("'hi from a file'");
  expect(result[3]!.text).toBe('hello_mod.py\nTrue');
  expect(result[4]!.text).toBe('(5, 2)');
  expect(result[5]!.text).toBe('Signature: len(obj, /)\nDocstring: Return the number of items in a container.\nType:      builtin_function_or_method');
  expect(result[6]).toEqual({ status: 'error', text: 'UsageError: Line magic function `%nosuchmagic` not found.' });
  expect(result[7]!.text).toBe("['files', 'hello_mod', 'r', 'x']");
  expect(result[8]!.status).toBe('error');
  expect(result[8]!.text).toContain('Cell In[9], line 4');
  expect(result[8]!.text).toContain('---->   4 1 / 0');
  expect(result[9]!.text).toBe("(True, 'ZMQInteractiveShell')");
});
