#!/usr/bin/env node
// The whole suite, in order: lint, typecheck, format check, unit + data-access tests (Vitest),
// end-to-end tests (Playwright) and the crash/concurrency tests against the production build
// (stress). Every stage runs even when an earlier one failed, so one run shows everything that is
// wrong; a summary table follows, and the last line is always `tests: N passed, M failed[, K
// skipped]`. Exits non-zero when any stage failed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const isCI = process.env.CI === 'true' || process.env.CI === '1';
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'foundups-test-all-'));
const vitestJson = path.join(reportDir, 'vitest.json');
const playwrightJson = path.join(reportDir, 'playwright.json');
const stressJson = path.join(reportDir, 'stress.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** @typedef {{ passed: number, failed: number, skipped: number, note?: string }} Counts */
/** @typedef {{ name: string, command: string, args: string[], env?: NodeJS.ProcessEnv, counts?: () => Counts | undefined }} Stage */

/** @type {Stage[]} */
const stages = [
  { name: 'lint', command: npm, args: ['run', '--silent', 'lint'] },
  { name: 'typecheck', command: npm, args: ['run', '--silent', 'typecheck'] },
  { name: 'format', command: npm, args: ['run', '--silent', 'format:check'] },
  {
    name: 'unit',
    command: process.execPath,
    args: [
      path.join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${vitestJson}`,
    ],
    // CI must exercise the real PostgreSQL server too, not only SQLite and PGlite.
    env:
      isCI && !process.env.TEST_DATABASE_URL
        ? { TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }
        : {},
    counts: () => vitestCounts(vitestJson),
  },
  {
    name: 'e2e',
    command: process.execPath,
    args: [path.join(root, 'scripts/e2e.mjs'), '--reporter=list,json'],
    env: { PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightJson },
    counts: () => playwrightCounts(playwrightJson),
  },
  {
    // Against the production build e2e just made: kill -9 mid-burst of approvals and mid-ingest, and
    // 5 s of four Python agents writing while reviewers work (scripts/stress/; full runs: npm run stress).
    name: 'stress',
    command: process.execPath,
    args: [
      path.join(root, 'scripts/stress/run-tests.mjs'),
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${stressJson}`,
    ],
    counts: () => vitestCounts(stressJson),
  },
];

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** @returns {Counts | undefined} */
function vitestCounts(file) {
  const report = readJson(file);
  if (!report) return undefined;
  // A file that fails to import has no failed assertions but is a failure all the same.
  const brokenFiles = (report.testResults ?? []).filter(
    (result) =>
      result.status === 'failed' && !(result.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + brokenFiles,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    note: brokenFiles ? `${brokenFiles} file(s) failed to load` : undefined,
  };
}

/** @returns {Counts | undefined} */
function playwrightCounts(file) {
  const report = readJson(file);
  if (!report?.stats) return undefined;
  const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats;
  const errors = (report.errors ?? []).length;
  return {
    passed: expected + flaky,
    failed: unexpected,
    skipped,
    note:
      [flaky ? `${flaky} flaky` : '', errors ? `${errors} run error(s)` : ''].filter(Boolean).join(', ') ||
      undefined,
  };
}

/** @returns {Promise<number>} the exit code (signals count as failures) */
function run(stage) {
  return new Promise((resolve) => {
    const child = spawn(stage.command, stage.args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...stage.env },
    });
    child.on('error', (error) => {
      console.error(`Could not start ${stage.name}: ${error.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(signal ? 128 : (code ?? 1)));
  });
}

function formatDuration(ms) {
  const seconds = ms / 1000;
  return seconds < 60
    ? `${seconds.toFixed(1)} s`
    : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

const results = [];
let interrupted = false;
process.on('SIGINT', () => {
  // The child gets the same SIGINT; stop after it instead of starting the next stage.
  interrupted = true;
});

for (const stage of stages) {
  if (interrupted) {
    results.push({ name: stage.name, result: 'not run', duration: 0, counts: undefined, ok: false });
    continue;
  }
  console.log(`\n━━ ${stage.name} ━━`);
  const started = Date.now();
  const code = await run(stage);
  const duration = Date.now() - started;
  let counts = stage.counts?.();
  const ok = code === 0;
  if (!ok && counts && counts.failed === 0) {
    // The runner failed without a failing test (setup error, build failure, crash): count the
    // stage itself as one failure so the last line never reads "0 failed" for a broken run.
    counts = {
      ...counts,
      failed: 1,
      note: [counts.note, 'stage failed outside tests'].filter(Boolean).join(', '),
    };
  } else if (!ok && stage.counts && !counts) {
    counts = { passed: 0, failed: 1, skipped: 0, note: 'no test report (stage failed before tests ran)' };
  }
  results.push({ name: stage.name, result: ok ? 'passed' : `failed (exit ${code})`, duration, counts, ok });
}

fs.rmSync(reportDir, { recursive: true, force: true });

const rows = results.map((r) => [
  r.name,
  r.result,
  formatDuration(r.duration),
  r.counts
    ? `${r.counts.passed} passed, ${r.counts.failed} failed${r.counts.skipped ? `, ${r.counts.skipped} skipped` : ''}${r.counts.note ? ` (${r.counts.note})` : ''}`
    : '',
]);
const header = ['stage', 'result', 'duration', 'tests'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) =>
  cells
    .map((cell, i) => cell.padEnd(widths[i]))
    .join('  ')
    .trimEnd();

const total = results.reduce(
  (sum, r) => ({
    passed: sum.passed + (r.counts?.passed ?? 0),
    failed: sum.failed + (r.counts?.failed ?? 0),
    skipped: sum.skipped + (r.counts?.skipped ?? 0),
  }),
  { passed: 0, failed: 0, skipped: 0 },
);

console.log('\n━━ summary ━━');
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));
console.log(
  `\ntests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`,
);

process.exitCode = results.every((r) => r.ok) ? 0 : 1;
