// Real pure-Python wheels built inside the tests: `pyloom-test-a` (imports and depends on
// `pyloom-test-b`). Nothing is downloaded; the wheels are built from sources written here.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWheel, type BuiltWheel } from '../../../python-packages/wheel';

export interface TestPackage {
  /** Distribution name (as in a lock file: lower case, dashes). */
  name: string;
  importName: string;
  version: string;
  depends: string[];
  wheel: BuiltWheel;
}

function project(root: string, name: string, importName: string, version: string, deps: string[], source: string): TestPackage {
  const dir = join(root, name);
  mkdirSync(join(dir, importName), { recursive: true });
  writeFileSync(
    join(dir, 'pyproject.toml'),
    `[project]\nname = "${name}"\nversion = "${version}"\ndescription = "Pyloom test package"\ndependencies = [${deps.map((d) => `"${d}"`).join(', ')}]\n`,
  );
  writeFileSync(join(dir, importName, '__init__.py'), source);
  return { name, importName, version, depends: deps, wheel: buildWheel(dir, [importName]) };
}

/** Builds the two test packages in a fresh temporary folder. */
export function buildTestPackages(): { a: TestPackage; b: TestPackage } {
  const root = mkdtempSync(join(tmpdir(), 'pyloom-test-wheels-'));
  const b = project(root, 'pyloom-test-b', 'pyloom_test_b', '1.0.0', [], 'VALUE = 21\n');
  const a = project(
    root,
    'pyloom-test-a',
    'pyloom_test_a',
    '2.0.0',
    ['pyloom-test-b'],
    'from pyloom_test_b import VALUE\n\n\ndef answer():\n    return VALUE * 2\n',
  );
  return { a, b };
}

/** Lock-file entries (Pyodide's pyodide-lock.json schema) for test packages served at a base URL. */
export function lockEntries(packages: TestPackage[]): Record<string, object> {
  return Object.fromEntries(
    packages.map((p) => [
      p.name,
      {
        name: p.name,
        version: p.version,
        file_name: p.wheel.fileName,
        install_dir: 'site',
        sha256: p.wheel.sha256,
        package_type: 'package',
        imports: [p.importName],
        depends: p.depends,
        unvendored_tests: false,
      },
    ]),
  );
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
