// Runs python-packages/pyloom/tests in real Pyodide (Node): every `test_*` function of every
// `test_*.py` is one Vitest test, so a failure names the Python test and shows its traceback.
// Twice: on the shipped Pyodide (314) and on 0.29.0 (Python 3.13), the version matrix's second core.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PyodideAPI } from 'pyodide';
import { beforeAll, describe, test } from 'vitest';
import { buildWheel, PYLOOM_SOURCE_DIR } from '../../python-packages/wheel';
import { PYODIDE_DIR } from './helpers/node-kernel';
import { PYODIDE_029_DIR } from './helpers/pyodide-029';
import { SHARED_WHEELS_DIR, sharedWheel } from './helpers/shared-wheels';

const TESTS_DIR = join(PYLOOM_SOURCE_DIR, 'tests');
const FS_TESTS_DIR = '/home/pyodide/pyloom_tests';
// Genuine wheels for the library-probe tests, unpacked here; tests add it to sys.path themselves.
const FS_WHEELS_DIR = '/home/pyodide/shared_wheels';
const PROBE_WHEELS = ['tqdm-', 'traitlets-', 'ipywidgets-', 'comm-'];

const modules = readdirSync(TESTS_DIR)
  .filter((f) => /^(test_.*|_support)\.py$/.test(f))
  .sort()
  .map((file) => ({
    file,
    source: readFileSync(join(TESTS_DIR, file), 'utf8'),
  }));

type LoadPyodide = (options: { indexURL: string }) => Promise<PyodideAPI>;

async function setUp(loadPyodide: LoadPyodide, indexURL: string): Promise<PyodideAPI> {
  const pyodide = await loadPyodide({ indexURL });
  const site = pyodide.runPython('import sysconfig; sysconfig.get_path("purelib")') as string;
  pyodide.unpackArchive(buildWheel().bytes, 'wheel', { extractDir: site });
  pyodide.FS.mkdirTree(FS_TESTS_DIR);
  for (const { file, source } of modules) pyodide.FS.writeFile(`${FS_TESTS_DIR}/${file}`, source);
  pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(FS_TESTS_DIR)})`);
  const missing: string[] = [];
  pyodide.FS.mkdirTree(FS_WHEELS_DIR);
  for (const prefix of PROBE_WHEELS) {
    const wheel = sharedWheel(prefix);
    if (wheel) pyodide.unpackArchive(wheel.bytes, 'wheel', { extractDir: FS_WHEELS_DIR });
    else missing.push(prefix.slice(0, -1));
  }
  const env = pyodide.pyimport('os').environ;
  env.__setitem__('PYLOOM_TEST_WHEELS', FS_WHEELS_DIR);
  env.__setitem__('PYLOOM_TEST_WHEELS_MISSING', missing.length ? `${missing.join(', ')} (not in ${SHARED_WHEELS_DIR})` : '');
  env.destroy();
  // The genuine packaging wheel (pure Python, importable as a zip) for the requirement and version
  // tests; without ../shared/wheels those tests skip, naming the module (tests/_support.require).
  const packaging = sharedWheel('packaging-');
  if (packaging) {
    pyodide.FS.writeFile(`/lib/${packaging.fileName}`, packaging.bytes);
    pyodide.runPython(`import sys; sys.path.append(${JSON.stringify(`/lib/${packaging.fileName}`)})`);
  }
  return pyodide;
}

const VERSIONS: { label: string; indexURL: string; load: () => Promise<LoadPyodide> }[] = [
  { label: 'Pyodide 314', indexURL: PYODIDE_DIR, load: async () => (await import('pyodide')).loadPyodide },
  {
    label: 'Pyodide 0.29.0',
    indexURL: PYODIDE_029_DIR,
    load: async () => (await import('pyodide-0.29')).loadPyodide as unknown as LoadPyodide,
  },
];

for (const version of VERSIONS) {
  describe(version.label, () => {
    let pyodide: PyodideAPI;
    beforeAll(async () => {
      pyodide = await setUp(await version.load(), version.indexURL);
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
  });
}
