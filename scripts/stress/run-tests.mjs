#!/usr/bin/env node
// The `stress` stage of `npm test`: the tests that need the production build — crash safety (kill -9
// mid-burst of approvals and mid-ingest) and the 5-second concurrent-agents run — one file at a time.
// Usage: node scripts/stress/run-tests.mjs [vitest arguments, e.g. --reporter=json --outputFile.json=…]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureBuild } from './ensure-build.mjs';

const root = path.resolve(import.meta.dirname, '../..');

if (!ensureBuild()) process.exit(1);
const result = spawnSync(
  process.execPath,
  [
    path.join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--config',
    path.join(root, 'scripts/stress/vitest.config.ts'),
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, DATABASE_URL: '', DATABASE_READ_URL: '' } },
);
if (result.error) {
  console.error(`Vitest could not start: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
