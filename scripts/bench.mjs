#!/usr/bin/env node
// `npm run bench [-- --quick] [-- NAME…]`: runs the benchmarks in bench/ one after another. Each one
// generates its own data in a temporary folder and reports its figures as ratios against raw SQL (or
// Debian's sqlite-utils) measured in the same run on the same file, because this machine is shared.
import { spawnSync } from 'node:child_process';

const quick = process.argv.includes('--quick');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));

const BENCHES = [
  { name: 'review', args: quick ? ['--posts', '20000'] : ['--posts', '200000'] },
  { name: 'timeline', args: quick ? ['--events', '100000'] : ['--events', '1000000'] },
  { name: 'registry', args: quick ? ['--gb', '0.2'] : [] },
  { name: 'ingest', args: quick ? ['--lines', '100000'] : ['--lines', '1000000'] },
  { name: 'rollups', args: quick ? ['--rows', '100000'] : ['--rows', '400000'] },
];

let failed = 0;
for (const bench of BENCHES) {
  if (only.length && !only.includes(bench.name)) continue;
  console.log(`\n=== bench/${bench.name}.bench.ts ${bench.args.join(' ')}`);
  // react-server: query modules import 'server-only', which is empty under that condition.
  const result = spawnSync(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', `bench/${bench.name}.bench.ts`, ...bench.args],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) {
    failed += 1;
    console.error(`bench/${bench.name}.bench.ts failed (exit ${result.status ?? result.signal}).`);
  }
}
process.exitCode = failed ? 1 : 0;
