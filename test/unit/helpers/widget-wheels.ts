// The genuine widget wheels of ../shared/wheels (never copied into the repo), served by a local
// server with a lock file that adds them to Pyodide's pinned lock. Absent folder → a skip reason.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { serve, type TestServer } from './http-server';

const require = createRequire(import.meta.url);
export const WHEELS_DIR = resolve(process.env['PYLOOM_SHARED_WHEELS'] ?? join(process.cwd(), '..', 'shared', 'wheels'));

/** Lock name → (wheel file, import names, lock dependencies). ipywidgets' `ipython` is Pyloom's stand-in. */
const WIDGET_WHEELS: Record<string, { file: string; imports: string[]; depends: string[] }> = {
  comm: { file: 'comm-0.2.2-py3-none-any.whl', imports: ['comm'], depends: ['traitlets'] },
  traitlets: { file: 'traitlets-5.9.0-py3-none-any.whl', imports: ['traitlets'], depends: [] },
  widgetsnbextension: { file: 'widgetsnbextension-4.0.9-py3-none-any.whl', imports: ['widgetsnbextension'], depends: [] },
  'jupyterlab-widgets': { file: 'jupyterlab_widgets-3.0.9-py3-none-any.whl', imports: ['jupyterlab_widgets'], depends: [] },
  ipywidgets: {
    file: 'ipywidgets-8.1.1-py3-none-any.whl',
    imports: ['ipywidgets'],
    depends: ['comm', 'traitlets', 'widgetsnbextension', 'jupyterlab-widgets'],
  },
  'typing-extensions': { file: 'typing_extensions-4.14.0-py3-none-any.whl', imports: ['typing_extensions'], depends: [] },
  psygnal: { file: 'psygnal-0.12.0-py3-none-any.whl', imports: ['psygnal'], depends: ['typing-extensions'] },
  anywidget: { file: 'anywidget-0.9.15-py3-none-any.whl', imports: ['anywidget'], depends: ['ipywidgets', 'psygnal', 'typing-extensions'] },
};

/** Why widget tests cannot run here, or undefined when every wheel is present. */
export function widgetWheelsMissing(): string | undefined {
  const missing = Object.values(WIDGET_WHEELS).filter(({ file }) => !existsSync(join(WHEELS_DIR, file)));
  if (missing.length === 0) return undefined;
  return `the genuine widget wheels are not in ${WHEELS_DIR} (missing ${missing.map((m) => m.file).join(', ')})`;
}

/** sha256 of each wheel from MANIFEST.tsv (file → hex). */
function manifest(): Map<string, string> {
  const lines = readFileSync(join(WHEELS_DIR, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  return new Map(lines.map((line) => line.split('\t')).map(([file, , sha]) => [file!, sha!]));
}

/** Pyodide's lock with the widget wheels added (traitlets replaced by 5.9.0, which is here). */
export function widgetLock(): string {
  const pinned = JSON.parse(readFileSync(join(dirname(require.resolve('pyodide/pyodide.mjs')), 'pyodide-lock.json'), 'utf8')) as {
    packages: Record<string, unknown>;
  };
  const hashes = manifest();
  const entries = Object.fromEntries(
    Object.entries(WIDGET_WHEELS).map(([name, { file, imports, depends }]) => [
      name,
      {
        name,
        version: file.split('-')[1],
        file_name: file,
        install_dir: 'site',
        sha256: hashes.get(file),
        package_type: 'package',
        imports,
        depends,
        unvendored_tests: false,
      },
    ]),
  );
  return JSON.stringify({ ...pinned, packages: { ...pinned.packages, ...entries } });
}

/** A local server with `/lock.json` and `/wheels/<file>`; CORS open (browsers fetch it cross-origin). */
export async function serveWidgetWheels(): Promise<TestServer> {
  const routes: Record<string, Uint8Array | string> = { '/lock.json': widgetLock() };
  for (const { file } of Object.values(WIDGET_WHEELS)) routes[`/wheels/${file}`] = new Uint8Array(readFileSync(join(WHEELS_DIR, file)));
  return serve(routes);
}

/**
 * The widget wheels a Jupyter Server's ipykernel needs to import ipywidgets, unpacked (a wheel is a
 * zip) into a new temp dir for its PYTHONPATH. Not traitlets: the server's own (newer) one stays.
 * Uses `python` (the server's) to unpack. Throws with its output when unpacking fails.
 */
export function unpackWidgetWheelsForServer(python: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pyloom-widget-wheels-'));
  const files = ['comm', 'ipywidgets', 'widgetsnbextension', 'jupyterlab-widgets'].map((name) =>
    join(WHEELS_DIR, WIDGET_WHEELS[name]!.file),
  );
  const unpack = spawnSync(
    python,
    ['-c', 'import sys, zipfile\nfor f in sys.argv[2:]: zipfile.ZipFile(f).extractall(sys.argv[1])', dir, ...files],
    { encoding: 'utf8' },
  );
  if (unpack.status !== 0) throw new Error(`could not unpack the widget wheels into ${dir}: ${unpack.stderr || String(unpack.error)}`);
  return dir;
}
