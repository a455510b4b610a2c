// IPython syntax in a real worker, where pyloom is imported from its wheel (zipimport): magics,
// shell escapes, help and get_ipython() as a notebook uses them.
import { expect, test } from '@playwright/test';
import { openCells, openNotebook } from './notebook-page';

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
  expect(result[5]!.text).toBe(
    'Signature: len(obj, /)\nDocstring: Return the number of items in a container.\nType:      builtin_function_or_method',
  );
  expect(result[6]).toEqual({ status: 'error', text: 'UsageError: Line magic function `%nosuchmagic` not found.' });
  expect(result[7]!.text).toBe("['files', 'hello_mod', 'r', 'x']");
  expect(result[8]!.status).toBe('error');
  expect(result[8]!.text).toContain('Cell In[9], line 4');
  expect(result[8]!.text).toContain('---->   4 1 / 0');
  expect(result[9]!.text).toBe("(True, 'ZMQInteractiveShell')");
});

test("%load replaces the cell's text on the notebook page (undo brings it back); set_next_input adds a cell below", async ({ page }) => {
  await openNotebook(page);
  await openCells(page, 'load.ipynb', [
    '%%writefile loaded_here.py\nprint("loaded in the browser")',
    '%load loaded_here.py',
    'get_ipython().set_next_input("below = 1")',
  ]);
  const editor = (n: number) => page.getByRole('textbox', { name: `Code cell ${n} source` });
  await editor(2).click(); // its editor exists before the text is replaced, as when a user typed %load
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await expect(editor(2)).toHaveText('# %load loaded_here.pyprint("loaded in the browser")', { timeout: 120_000 });
  await expect(page.locator('py-cell')).toHaveCount(4);
  await expect(editor(4)).toHaveText('below = 1');
  await expect(editor(3)).toHaveText('get_ipython().set_next_input("below = 1")');
  // Not run: the loaded cell shows no output until it is run again, then it runs the file's code.
  await expect(page.locator('py-cell').nth(1).locator('py-output')).toHaveText('');
  await editor(2).click();
  await page.keyboard.press('Shift+Enter');
  await expect(page.locator('py-cell').nth(1).locator('py-output')).toHaveText('loaded in the browser', { timeout: 60_000 });
  // The replacement is one change in the editor's history: undo brings the %load line back.
  await editor(2).click();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(editor(2)).toHaveText('%load loaded_here.py');
});
