/// <reference types="vitest/config" />
// Dev server, build and unit-test config. The `pyloomAssets` plugin serves (dev) or emits (build)
// the Pyodide core from the pinned npm package and the pyloom wheel built from python-packages/.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { buildWheel } from './python-packages/wheel.ts';

const require = createRequire(import.meta.url);
const PYODIDE_DIR = dirname(require.resolve('pyodide/pyodide.mjs'));
/** The Pyodide core files an app needs; package wheels come from packageBaseUrl at run time. */
const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];
const VIRTUAL_ID = 'virtual:pyloom-assets';
const CONTENT_TYPES: Record<string, string> = {
  mjs: 'text/javascript',
  wasm: 'application/wasm',
  zip: 'application/zip',
  json: 'application/json',
  whl: 'application/zip',
};
/** Cross-origin isolation: SharedArrayBuffer for interrupts and input(). */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function pyloomAssets(): Plugin {
  let base = '/';
  let isBuild = false;
  return {
    name: 'pyloom-assets',
    configResolved(config) {
      base = config.base;
      isBuild = config.command === 'build';
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? `\0${VIRTUAL_ID}` : undefined;
    },
    load(id) {
      if (id !== `\0${VIRTUAL_ID}`) return undefined;
      const wheel = buildWheel();
      if (!isBuild) {
        // Under Vitest there is no page location; the defaults are unused there.
        return [
          `const page = globalThis.location?.href ?? 'file:///';`,
          `export const pyodideIndexURL = new URL(${JSON.stringify(`${base}pyodide/`)}, page).href;`,
          `export const pyloomWheelURL = new URL(${JSON.stringify(`${base}pyloom/${wheel.fileName}`)}, page).href;`,
        ].join('\n');
      }
      const refs = PYODIDE_FILES.map((file) =>
        this.emitFile({ type: 'asset', fileName: `pyodide/${file}`, source: readFileSync(join(PYODIDE_DIR, file)) }),
      );
      // The hash in the folder name lets caches keep a wheel forever: new sources, new URL.
      const wheelRef = this.emitFile({ type: 'asset', fileName: `pyloom/${wheel.sha256.slice(0, 12)}/${wheel.fileName}`, source: wheel.bytes });
      // Absolute, against this module's own URL: a page on another origin (a docs embed) must
      // still find Pyodide where Pyloom is hosted, not on the page's server.
      return [
        `const loader = new URL(import.meta.ROLLUP_FILE_URL_${refs[0]}, import.meta.url).href;`,
        `export const pyodideIndexURL = loader.slice(0, loader.lastIndexOf('/') + 1);`,
        `export const pyloomWheelURL = new URL(import.meta.ROLLUP_FILE_URL_${wheelRef}, import.meta.url).href;`,
      ].join('\n');
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0]!;
        let body: Uint8Array | undefined;
        if (path.startsWith(`${base}pyodide/`)) {
          const file = path.slice(`${base}pyodide/`.length);
          if (PYODIDE_FILES.includes(file)) body = readFileSync(join(PYODIDE_DIR, file));
        } else if (path.startsWith(`${base}pyloom/`) && path.endsWith('.whl')) {
          body = buildWheel().bytes; // rebuilt per request: Python edits are live in dev
        }
        if (!body) return next();
        res.setHeader('Content-Type', CONTENT_TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream');
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        res.end(body);
      });
    },
  };
}

// PYLOOM_NO_ISOLATION=1 serves without COOP/COEP: how a plain static host behaves (tests use it).
const headers: Record<string, string> = process.env['PYLOOM_NO_ISOLATION'] ? {} : ISOLATION_HEADERS;

export default defineConfig(({ mode }) => ({
  plugins: [pyloomAssets()],
  server: { headers, cors: true },
  preview: { headers, cors: true },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // `--mode test` adds the pages the browser tests drive; the app build ships only the app.
    outDir: mode === 'test' ? 'dist-test' : 'dist',
    rollupOptions: {
      input: {
        index: 'index.html',
        // The docs-page embed: a stable file name, so pages can point a script tag at it.
        embed: 'src/embed/index.ts',
        embedDemo: 'src/embed/demo/index.html',
        ...(mode === 'test'
          ? {
              harness: 'test/e2e/pages/harness.html',
              render: 'test/e2e/pages/render.html',
              thebe: 'test/e2e/pages/thebe.html',
              embedHostile: 'test/e2e/pages/embed-hostile.html',
              embedCrossOrigin: 'test/e2e/pages/embed-cross-origin.html',
              embedOptions: 'test/e2e/pages/embed-options.html',
              benchBare: 'test/bench/pages/bare.html',
              benchPyloom: 'test/bench/pages/pyloom.html',
            }
          : {}),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'embed' ? 'pyloom-embed.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  test: {
    include: ['test/unit/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results/unit.json' }]],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The kernel test that crashes Pyodide on purpose (a null C function pointer called through
    // ctypes) leaves Pyodide's own rethrow from an event-loop callback; in a browser that is the
    // worker's error event, which the runtime handles. Only that exact error is let through.
    onUnhandledError: (error) => !(error.message.includes("Cannot read properties of null (reading 'apply')") && (error as { pyodide_fatal_error?: boolean }).pyodide_fatal_error === true),
  },
}));
