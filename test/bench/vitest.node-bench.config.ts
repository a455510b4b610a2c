// Node benchmarks (figures, not pass/fail) that need Node Pyodide rather than a browser:
// `npx vitest run -c test/bench/vitest.node-bench.config.ts`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/bench/**/*.node-bench.ts'],
    testTimeout: 30 * 60_000,
    fileParallelism: false,
  },
});
