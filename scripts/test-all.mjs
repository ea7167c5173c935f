#!/usr/bin/env node
// Runs every check and test suite of the project and ends with one line
// `N passed, N failed[, N skipped]` summing all of them. Exit code 0 only when nothing failed.
// Suites: typecheck, lint, format and build (one check each), vitest (unit + integration), and the
// Playwright browser suite (needs the build and /usr/bin/chromium).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function check(name, command, args) {
  console.log(`\n=== ${name} ===`);
  const ok = run(command, args) === 0;
  totals[ok ? 'passed' : 'failed'] += 1;
  lines.push(`${name}: ${ok ? 'passed' : 'FAILED'}`);
}

function jsonReportSuite(name, command, args, file) {
  console.log(`\n=== ${name} ===`);
  rmSync(file, { force: true });
  const status = run(command, args);
  if (!existsSync(file)) {
    totals.failed += 1;
    lines.push(`${name}: runner crashed (exit ${status}), no results`);
    return;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const passed = report.numPassedTests ?? 0;
  // A file that fails to load has no test results of its own; count it as one failure.
  const brokenFiles = (report.testResults ?? []).filter((file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0).length;
  const failed = (report.numFailedTests ?? 0) + brokenFiles;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  if (status !== 0 && failed === 0) {
    totals.failed += 1;
    lines.push(`${name}: runner exited ${status} with no failed test (counted as one failure)`);
  }
  lines.push(`${name}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

check('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
check('typecheck renderer', bin('tsc'), ['-p', 'renderer/tsconfig.json', '--noEmit']);
check('typecheck e2e', bin('tsc'), ['-p', 'test/e2e/tsconfig.json', '--noEmit']);
check('lint', bin('eslint'), ['.']);
check('format (prettier --check; `npm run format` fixes)', bin('prettier'), ['--check', '.']);
check('build (renderer, preload, Electron main)', process.execPath, [path.join(root, 'scripts/build.mjs')]);
const vitestJson = path.join(resultsDir, 'vitest.json');
jsonReportSuite('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], vitestJson);

// Browser tests: Playwright in Debian's Chromium against serve mode and the simulator.
const playwrightJson = path.join(resultsDir, 'playwright.json');
if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  totals.failed += 1;
  lines.push('e2e: FAILED — Chromium not found at /usr/bin/chromium (apt-get install -y chromium)');
} else {
  console.log('\n=== e2e (Playwright, Chromium) ===');
  rmSync(playwrightJson, { force: true });
  const status = run(bin('playwright'), ['test']);
  if (!existsSync(playwrightJson)) {
    totals.failed += 1;
    lines.push(`e2e: runner crashed (exit ${status}), no results`);
  } else {
    const { stats } = JSON.parse(readFileSync(playwrightJson, 'utf8'));
    const passed = (stats.expected ?? 0) + (stats.flaky ?? 0);
    const failed = stats.unexpected ?? 0;
    const skipped = stats.skipped ?? 0;
    totals.passed += passed;
    totals.failed += failed;
    totals.skipped += skipped;
    if (status !== 0 && failed === 0) {
      totals.failed += 1;
      lines.push(`e2e: runner exited ${status} with no failed test (counted as one failure)`);
    }
    lines.push(`e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}

console.log('\n=== summary ===');
for (const line of lines) console.log(line);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped > 0 ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed === 0 ? 0 : 1);
