// `npm run test:stress`: the whole `npm test` while child processes keep cores busy, as on a loaded
// CI machine. The burners are stopped at the end whatever happens (failure, Ctrl-C, a crash of
// this script: each burner also exits when its parent is gone); the exit code is npm test's.
// STRESS_BURNERS sets how many cores to occupy (default 1).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const BURNERS = Math.max(1, Number(process.env['STRESS_BURNERS'] ?? 1));
// Spins, and every half second checks that the parent still exists (orphans get a new ppid).
const BURN = `
const parent = process.ppid;
for (;;) {
  const until = Date.now() + 500;
  while (Date.now() < until) {}
  if (process.ppid !== parent) process.exit(0);
}`;

// The closing summary reads these: a tier that does not run this time must not report an old run.
const port = process.env['PYLOOM_E2E_PORT'];
for (const report of ['test-results/unit.json', port ? `test-results/e2e-${port}.json` : 'test-results/e2e.json'])
  rmSync(report, { force: true });

const burners = Array.from({ length: BURNERS }, () => spawn(process.execPath, ['-e', BURN], { stdio: 'ignore' }));
const stopBurners = () => {
  for (const burner of burners) if (burner.exitCode === null && burner.signalCode === null) burner.kill('SIGKILL');
};
process.on('exit', stopBurners);

const started = Date.now();
console.log(`test:stress: ${BURNERS} CPU burner(s) running (pid ${burners.map((b) => b.pid).join(', ')}); running npm test`);
// Its own process group, so that a stop reaches npm's grandchildren (Vitest, Playwright, the
// preview servers) too, not only npm.
const detached = process.platform !== 'win32';
const run = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['test'], { stdio: 'inherit', detached });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    try {
      if (detached && run.pid) process.kill(-run.pid, signal);
      else run.kill(signal);
    } catch {
      // already gone
    }
    stopBurners();
    process.exit(130);
  });
}
const code = await new Promise((resolve) => {
  run.on('error', (error) => {
    console.error(`test:stress: could not start npm test: ${error.message}`);
    resolve(1);
  });
  run.on('close', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
});
stopBurners();
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`test:stress: npm test exited with ${code} after ${minutes} min under ${BURNERS} CPU burner(s); burners stopped`);
const summary = spawn(process.execPath, ['.ci/summary.mjs'], { stdio: 'inherit' });
await new Promise((resolve) => summary.on('close', resolve));
process.exit(code);
