#!/usr/bin/env node
// `npm run stress [-- --seconds N] [-- NAME…]`: the full-length stress runs against the production
// build, one after another — concurrent agents (4 Python writers × 30 s while reviewers and viewers
// use the console) and load (autocannon, 50 connections × 30 s per path). Each prints its figures
// and fails on any lost row or error; the exit status is non-zero when one failed.
// NAME: agents, load. --seconds applies to both (default 30).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureBuild } from './ensure-build.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const secondsIndex = args.indexOf('--seconds');
const seconds = secondsIndex >= 0 ? args[secondsIndex + 1] : '30';
if (!seconds || !(Number(seconds) >= 1)) {
  console.error('--seconds needs a number of seconds (at least 1).');
  process.exit(2);
}
const only = args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--seconds');

const RUNS = [
  { name: 'agents', script: 'scripts/stress/concurrent-agents.ts' },
  { name: 'load', script: 'scripts/stress/load.ts' },
];
const unknown = only.filter((name) => !RUNS.some((run) => run.name === name));
if (unknown.length) {
  console.error(
    `Unknown stress run ${unknown.join(', ')}: the runs are ${RUNS.map((run) => run.name).join(', ')}.`,
  );
  process.exit(2);
}

if (!ensureBuild()) process.exit(1);
let failed = 0;
for (const run of RUNS) {
  if (only.length && !only.includes(run.name)) continue;
  console.log(`\n=== ${run.script} --seconds ${seconds}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', run.script, '--seconds', seconds], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: '', DATABASE_READ_URL: '' },
  });
  if (result.status !== 0) {
    failed += 1;
    console.error(`${run.script} failed (exit ${result.status ?? result.signal}).`);
  }
}
process.exitCode = failed ? 1 : 0;
