// One closing line for both test tiers, from the JSON reports Vitest and Playwright write:
// "tests: N passed, N failed, N skipped" (skipped tests are never counted as passed), and each
// skip with its reason, so a missing resource is visible, never silent.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
const skips = [];

const unit = 'test-results/unit.json';
if (existsSync(unit)) {
  const report = JSON.parse(readFileSync(unit, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  for (const file of report.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      // Vitest's JSON report has no skip note: the reason is in the run's own output above.
      if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo')
        skips.push(`${file.name.replace(`${process.cwd()}/`, '')} › ${t.fullName}`);
    }
  }
} else missing.push(unit);

// The same name playwright.config.ts gives it: a run on its own port writes its own report.
const port = process.env['PYLOOM_E2E_PORT'];
const e2e = port ? `test-results/e2e-${port}.json` : 'test-results/e2e.json';
if (existsSync(e2e)) {
  const report = JSON.parse(readFileSync(e2e, 'utf8'));
  const { stats } = report;
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  skipped += stats.skipped;
  const visit = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'skipped') continue;
        const reason = t.annotations?.find((a) => a.type === 'skip')?.description;
        skips.push(`${spec.file} › ${spec.title}${reason ? ` (${reason})` : ''}`);
      }
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of report.suites ?? []) visit(suite);
} else missing.push(e2e);

if (missing.length) console.log(`(no report at ${missing.join(', ')}: that tier did not run)`);
for (const skip of skips) console.log(`skipped: ${skip}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
