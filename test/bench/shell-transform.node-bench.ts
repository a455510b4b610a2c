// The IPython input transformer's cost per cell (figures, not pass/fail), in Pyodide under Node: a
// cell with no `%`, `!` or `?` (1, 12 and 60 lines), a cell with `%` formatting and `!=` but no
// IPython syntax, and a cell with a line magic. Each figure is the median of 7 timeit repeats, in µs
// per call. Writes test/bench/results/shell-transform.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { bootNodeKernel } from '../unit/helpers/node-kernel';

const MEASURE = `
import json, statistics, timeit
from pyloom.inputtransform import transform_cell

plain_line = "total = sum(range(10))"
plain_12 = "\\n".join(f"x{i} = {i} * 2  # step {i}" for i in range(12))
plain_60 = "\\n".join(f"value_{i} = value_{i - 1} + {i}" if i else "value_0 = 0" for i in range(60))
formatting = "\\n".join(['label = "%d items" % 3', "ok = 1 != 2"] * 6)
magic = "%time sum(range(10))\\n" + plain_12

def per_call_us(source):
    if transform_cell(source) is None:
        raise AssertionError("no result")
    number = 2000
    runs = timeit.repeat(lambda: transform_cell(source), number=number, repeat=7)
    return statistics.median(runs) / number * 1e6

json.dumps({
    "plain1LineUs": per_call_us(plain_line),
    "plain12LinesUs": per_call_us(plain_12),
    "plain60LinesUs": per_call_us(plain_60),
    "percentFormatting12LinesUs": per_call_us(formatting),
    "lineMagicPlus12LinesUs": per_call_us(magic),
    "plainIsUnchanged": transform_cell(plain_60) == plain_60,
})
`;

test('input transformer: µs per cell', async () => {
  const kernel = await bootNodeKernel();
  const reply = await kernel.run(MEASURE);
  expect(reply.status).toBe('ok');
  const result = reply.outputs.find((o) => o.output_type === 'execute_result');
  const text = result?.output_type === 'execute_result' ? String(result.data['text/plain']) : '';
  // The value's repr: the JSON text in single quotes.
  const figures = JSON.parse(text.slice(1, -1)) as Record<string, number | boolean>;
  mkdirSync('test/bench/results', { recursive: true });
  writeFileSync('test/bench/results/shell-transform.json', `${JSON.stringify({ date: new Date().toISOString(), ...figures }, null, 2)}\n`);
  const f = (key: string) => `${Number(figures[key]).toFixed(1)} µs`;
  console.log(
    [
      '',
      'input transformer, per cell (Pyodide in Node, median of 7 × 2000 calls)',
      `  no IPython syntax, 1 line        ${f('plain1LineUs')}`,
      `  no IPython syntax, 12 lines      ${f('plain12LinesUs')}`,
      `  no IPython syntax, 60 lines      ${f('plain60LinesUs')}`,
      `  % formatting and != , 12 lines   ${f('percentFormatting12LinesUs')}`,
      `  a %time line + 12 lines          ${f('lineMagicPlus12LinesUs')}`,
      `  a plain cell passes unchanged    ${String(figures['plainIsUnchanged'])}`,
      '',
    ].join('\n'),
  );
});
