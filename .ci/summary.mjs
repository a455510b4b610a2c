// One closing line for both test tiers, from the JSON reports Vitest and Playwright write:
// "tests: N passed, N failed, N skipped" (skipped tests are never counted as passed).
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

const unit = 'test-results/unit.json';
if (existsSync(unit)) {
  const report = JSON.parse(readFileSync(unit, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
} else missing.push(unit);

const e2e = 'test-results/e2e.json';
if (existsSync(e2e)) {
  const { stats } = JSON.parse(readFileSync(e2e, 'utf8'));
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  skipped += stats.skipped;
} else missing.push(e2e);

if (missing.length) console.log(`(no report at ${missing.join(', ')}: that tier did not run)`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
