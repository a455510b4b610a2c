// Runs python-packages/pyloom/tests in real Pyodide (Node): every `test_*` function of every
// `test_*.py` is one Vitest test, so a failure names the Python test and shows its traceback.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PyodideAPI } from 'pyodide';
import { beforeAll, describe, test } from 'vitest';
import { buildWheel, PYLOOM_SOURCE_DIR } from '../../python-packages/wheel';
import { PYODIDE_DIR } from './helpers/node-kernel';
import { sharedWheel } from './helpers/shared-wheels';

const TESTS_DIR = join(PYLOOM_SOURCE_DIR, 'tests');
const FS_TESTS_DIR = '/home/pyodide/pyloom_tests';

const modules = readdirSync(TESTS_DIR)
  .filter((f) => /^(test_.*|_support)\.py$/.test(f))
  .sort()
  .map((file) => ({
    file,
    source: readFileSync(join(TESTS_DIR, file), 'utf8'),
  }));

let pyodide: PyodideAPI;

beforeAll(async () => {
  const { loadPyodide } = await import('pyodide');
  pyodide = await loadPyodide({ indexURL: PYODIDE_DIR });
  const site = pyodide.runPython('import sysconfig; sysconfig.get_path("purelib")') as string;
  pyodide.unpackArchive(buildWheel().bytes, 'wheel', { extractDir: site });
  pyodide.FS.mkdirTree(FS_TESTS_DIR);
  for (const { file, source } of modules) pyodide.FS.writeFile(`${FS_TESTS_DIR}/${file}`, source);
  pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(FS_TESTS_DIR)})`);
  // The genuine packaging wheel (pure Python, importable as a zip) for the requirement and version
  // tests; without ../shared/wheels those tests skip, naming the module (tests/_support.require).
  const packaging = sharedWheel('packaging');
  if (packaging) {
    pyodide.FS.writeFile(`/lib/${packaging.fileName}`, packaging.bytes);
    pyodide.runPython(`import sys; sys.path.append(${JSON.stringify(`/lib/${packaging.fileName}`)})`);
  }
});

for (const { file, source } of modules.filter((m) => m.file.startsWith('test_'))) {
  const moduleName = file.replace(/\.py$/, '');
  const names = [...source.matchAll(/^(?:async\s+)?def\s+(test_\w+)\s*\(/gm)].map((m) => m[1]!);
  describe(`python: ${file}`, () => {
    for (const name of names) {
      test(name, async (context) => {
        // Bare asserts carry no message, so a failure reports the traceback and the test's locals.
        const failure = (await pyodide.runPythonAsync(
          [
            'import importlib, inspect, traceback, unittest',
            '_failure = None',
            'try:',
            `    _result = importlib.import_module(${JSON.stringify(moduleName)}).${name}()`,
            '    if inspect.isawaitable(_result):',
            '        await _result',
            'except unittest.SkipTest as _skip:',
            '    _failure = "SKIP:" + str(_skip)',
            'except BaseException as _exc:',
            '    _tb = _exc.__traceback__',
            '    while _tb.tb_next is not None and _tb.tb_frame.f_code.co_name != ' + JSON.stringify(name) + ':',
            '        _tb = _tb.tb_next',
            '    _locals = {k: repr(v)[:300] for k, v in _tb.tb_frame.f_locals.items()}',
            '    _failure = "".join(traceback.format_exception(_exc)) + "\\nlocals of the test: " + repr(_locals)',
            '_failure',
          ].join('\n'),
        )) as string | undefined;
        // A test that cannot run here (say, matplotlib is not installed) is reported as skipped,
        // with its reason; never as passed.
        if (failure?.startsWith('SKIP:')) context.skip(failure.slice(5));
        if (failure) throw new Error(failure);
      });
    }
  });
}
