/// <reference types="vitest/config" />
// Dev server, build and unit-test config. The `pyloomAssets` plugin serves (dev) or emits (build)
// the Pyodide core from the pinned npm package and the pyloom wheel built from python-packages/,
// and builds the offline service worker (src/offline/sw.ts → sw.js) with this build's file list.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { defineConfig, type Plugin, type Rolldown } from 'vite';
import type { PrecacheManifest } from './src/offline/messages.ts';
import { buildWheel } from './python-packages/wheel.ts';

const require = createRequire(import.meta.url);
const PYODIDE_DIR = dirname(require.resolve('pyodide/pyodide.mjs'));
/** The Pyodide core files an app needs; package wheels come from packageBaseUrl at run time. */
const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];
const PYODIDE_VERSION = (JSON.parse(readFileSync(join(PYODIDE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
const VIRTUAL_ID = 'virtual:pyloom-assets';
/** Built at the site root, so its scope covers index.html, the embed and every page beside them. */
const SERVICE_WORKER = { source: 'src/offline/sw.ts', fileName: 'sw.js' };
/**
 * Plot libraries (megabytes each) are not precached: a page that never shows a plot never downloads
 * them; the service worker keeps a chunk once it has been used (cache-first for hashed assets).
 */
const LAZY_LIBRARIES = /node_modules\/(plotly\.js-dist-min|vega[^/]*|@bokeh)\/|\/src\/render\/plots\/(plotly|vega|bokeh)\.ts$/;
/** Browsers with service workers all read woff2: the other formats KaTeX's CSS lists are not precached. */
const OLD_FONT = /\.(woff|ttf|eot)$/;
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

interface AssetOptions {
  /** Entries (HTML pages, scripts) whose files the service worker precaches, with their chunks. */
  precache: string[];
}

function pyloomAssets(options: AssetOptions): Plugin {
  let base = '/';
  let root = process.cwd();
  let assetsDir = 'assets';
  let isBuild = false;
  /** File names of the Pyodide core and the wheel, as emitted. */
  const emitted = { pyodide: [] as string[], wheel: '' };
  return {
    name: 'pyloom-assets',
    configResolved(config) {
      base = config.base;
      root = config.root;
      assetsDir = config.build.assetsDir;
      isBuild = config.command === 'build';
    },
    buildStart() {
      // Its own entry, importing nothing at run time: one classic script, no shared chunks.
      if (isBuild) this.emitFile({ type: 'chunk', id: resolve(root, SERVICE_WORKER.source), fileName: SERVICE_WORKER.fileName });
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
      emitted.pyodide = PYODIDE_FILES.map((file) => `pyodide/${file}`);
      const refs = PYODIDE_FILES.map((file) =>
        this.emitFile({ type: 'asset', fileName: `pyodide/${file}`, source: readFileSync(join(PYODIDE_DIR, file)) }),
      );
      // The hash in the folder name lets caches keep a wheel forever: new sources, new URL.
      emitted.wheel = `pyloom/${wheel.sha256.slice(0, 12)}/${wheel.fileName}`;
      const wheelRef = this.emitFile({ type: 'asset', fileName: emitted.wheel, source: wheel.bytes });
      // Absolute, against this module's own URL: a page on another origin (a docs embed) must
      // still find Pyodide where Pyloom is hosted, not on the page's server.
      return [
        `const loader = new URL(import.meta.ROLLUP_FILE_URL_${refs[0]}, import.meta.url).href;`,
        `export const pyodideIndexURL = loader.slice(0, loader.lastIndexOf('/') + 1);`,
        `export const pyloomWheelURL = new URL(import.meta.ROLLUP_FILE_URL_${wheelRef}, import.meta.url).href;`,
      ].join('\n');
    },
    generateBundle: {
      // Last, when every page, chunk, CSS file and asset has its final name.
      order: 'post',
      handler(_, bundle) {
        const sw = bundle[SERVICE_WORKER.fileName];
        if (!isBuild || sw?.type !== 'chunk') return;
        const entries = options.precache.map((entry) => resolve(root, entry));
        const manifest = precacheManifest(bundle, entries, { root, assetsDir, ...emitted });
        sw.code = `const __PYLOOM_PRECACHE__ = ${JSON.stringify(manifest)};\n${sw.code}`;
      },
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

/**
 * What the service worker precaches: the precache entries with every chunk, CSS file and asset
 * they import (statically or lazily, the worker included; not the plot libraries), the Pyodide core
 * and the wheel. The
 * build hash covers the contents of the shell files, so a deploy that changes nothing keeps its cache.
 */
function precacheManifest(
  bundle: Rolldown.OutputBundle,
  entries: string[],
  build: { root: string; assetsDir: string; pyodide: string[]; wheel: string },
): PrecacheManifest {
  const files = new Set<string>();
  const pages = new Set<string>();
  const visit = (fileName: string): void => {
    const item = bundle[fileName];
    if (!item || files.has(fileName) || OLD_FONT.test(fileName)) return;
    files.add(fileName);
    if (item.type !== 'chunk') return;
    const meta = item.viteMetadata;
    const eager = item.dynamicImports.filter((next) => {
      const target = bundle[next];
      return !(target?.type === 'chunk' && target.moduleIds.some((id) => LAZY_LIBRARIES.test(id)));
    });
    for (const next of [...item.imports, ...eager, ...(meta?.importedCss ?? []), ...(meta?.importedAssets ?? [])]) visit(next);
  };
  for (const item of Object.values(bundle)) {
    if (item.type !== 'chunk' || !item.isEntry || !item.facadeModuleId || !entries.includes(item.facadeModuleId)) continue;
    visit(item.fileName);
    // An HTML entry's chunk stands for the page; the page itself is an asset named after it.
    if (item.facadeModuleId.endsWith('.html')) pages.add(relative(build.root, item.facadeModuleId).split('\\').join('/'));
  }
  const missing = entries.filter(
    (entry) => ![...Object.values(bundle)].some((item) => item.type === 'chunk' && item.facadeModuleId === entry),
  );
  if (missing.length > 0) throw new Error(`service worker precache: no entry chunk for ${missing.join(', ')}`);
  if (build.wheel) files.add(build.wheel);
  for (const page of pages) files.add(page);
  const shell = [...files].filter((file) => !build.pyodide.includes(file)).sort();
  // Vite names everything in assetsDir with a content hash; the wheel's folder is its hash.
  const hashed = shell.filter((file) => file.startsWith(`${build.assetsDir}/`) || file === build.wheel);
  const hash = createHash('sha256');
  for (const file of shell) {
    const item = bundle[file];
    if (!item) throw new Error(`service worker precache: ${file} is not in the bundle`);
    hash
      .update(`${file}\0`)
      .update(item.type === 'chunk' ? item.code : item.source)
      .update('\0');
  }
  return {
    build: hash.digest('hex').slice(0, 12),
    pyodideVersion: PYODIDE_VERSION,
    hashed,
    pages: shell.filter((file) => !hashed.includes(file)),
    pyodide: build.pyodide,
  };
}

// PYLOOM_NO_ISOLATION=1 serves without COOP/COEP: how a plain static host behaves (tests use it).
const headers: Record<string, string> = process.env['PYLOOM_NO_ISOLATION'] ? {} : ISOLATION_HEADERS;

export default defineConfig(({ mode }) => ({
  plugins: [
    pyloomAssets({
      // The notebook page and the docs embed; test builds add the offline test page.
      precache: ['index.html', 'src/embed/index.ts', ...(mode === 'test' ? ['test/e2e/pages/offline.html'] : [])],
    }),
  ],
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
        embedWidgetsDemo: 'src/embed/demo/widgets.html',
        ...(mode === 'test'
          ? {
              harness: 'test/e2e/pages/harness.html',
              render: 'test/e2e/pages/render.html',
              plots: 'test/e2e/pages/plots.html',
              widgets: 'test/e2e/pages/widgets.html',
              plotsCsp: 'test/e2e/pages/plots-csp.html',
              thebe: 'test/e2e/pages/thebe.html',
              thebeServer: 'test/e2e/pages/thebe-server.html',
              thebeCourse: 'test/e2e/pages/thebe-course.html',
              thebeJupyterBook: 'test/e2e/pages/thebe-jupyter-book.html',
              thebeDoctest: 'test/e2e/pages/thebe-doctest.html',
              thebeBroken: 'test/e2e/pages/thebe-broken.html',
              embedHostile: 'test/e2e/pages/embed-hostile.html',
              embedXss: 'test/e2e/pages/embed-xss.html',
              embedCrossOrigin: 'test/e2e/pages/embed-cross-origin.html',
              embedOptions: 'test/e2e/pages/embed-options.html',
              embedFiles: 'test/e2e/pages/embed-files.html',
              offline: 'test/e2e/pages/offline.html',
              legacyStore: 'test/e2e/pages/legacy-store.html',
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
    // Hang detectors, not performance bounds: a test that boots Pyodide twice takes ~10 s here and
    // over a minute on a 2-core machine busy with other work (npm run test:stress).
    testTimeout: 240_000,
    hookTimeout: 300_000,
    // The kernel test that crashes Pyodide on purpose (a null C function pointer called through
    // ctypes) leaves Pyodide's own rethrow from an event-loop callback; in a browser that is the
    // worker's error event, which the runtime handles. Only that exact error is let through.
    onUnhandledError: (error) =>
      !(
        error.message.includes("Cannot read properties of null (reading 'apply')") &&
        (error as { pyodide_fatal_error?: boolean }).pyodide_fatal_error === true
      ),
  },
}));
