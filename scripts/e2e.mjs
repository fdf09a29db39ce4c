#!/usr/bin/env node
// End-to-end tests: make sure Chromium is there, build the app when its sources changed, then run
// Playwright (playwright.config.ts starts `next start` on a fresh temporary database).
// Usage: node scripts/e2e.mjs [--rebuild] [playwright test arguments, e.g. e2e/auth.spec.ts --headed]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const isCI = process.env.CI === 'true' || process.env.CI === '1';
const args = process.argv.slice(2);
const rebuild = args.includes('--rebuild') || isCI;
const playwrightArgs = args.filter((arg) => arg !== '--rebuild');

// What `next build` depends on: a change to any of these makes the last build stale.
const SOURCE_DIRS = ['app', 'components', 'lib', 'db', 'public'];
const SOURCE_FILES = [
  'package.json',
  'package-lock.json',
  'next.config.ts',
  'tsconfig.json',
  'postcss.config.mjs',
  '.env',
  '.env.local',
  '.env.production',
  '.env.production.local',
];

function run(command, commandArgs, what) {
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.error) {
    console.error(`${what} could not start: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) {
    console.error(`${what} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
}

function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // catches deleted files too
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

function buildIsFresh() {
  let built;
  try {
    built = fs.statSync(path.join(root, '.next/BUILD_ID')).mtimeMs;
  } catch {
    return false;
  }
  const sources = [...SOURCE_DIRS, ...SOURCE_FILES].map((entry) => newestMtime(path.join(root, entry)));
  return Math.max(...sources) < built;
}

run('bash', [path.join(root, 'scripts/ensure-chromium.sh')], 'Checking for Chromium');

if (!rebuild && buildIsFresh()) {
  console.log('next build: .next is newer than every source file, reusing it (pass --rebuild to force).');
} else {
  run(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], 'next build');
}

const result = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/@playwright/test/cli.js'), 'test', ...playwrightArgs],
  { cwd: root, stdio: 'inherit', env: process.env },
);
if (result.error) {
  console.error(`Playwright could not start: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
