// The stress runs serve the production build. Reuse it when it is newer than every source it depends
// on (the same rule as scripts/e2e.mjs, so after the e2e stage of `npm test` nothing is rebuilt),
// otherwise run `next build`. The build folder is FOUNDUPS_NEXT_DIST_DIR (as next.config.ts reads
// it) or `.next`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const SOURCE_DIRS = ['app', 'components', 'lib', 'db', 'public'];
const SOURCE_FILES = [
  'package.json',
  'package-lock.json',
  'next.config.ts',
  'tsconfig.json',
  'postcss.config.mjs',
  'proxy.ts',
  'instrumentation.ts',
  '.env',
  '.env.local',
  '.env.production',
  '.env.production.local',
];

function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

export function buildIsFresh(distDir = process.env.FOUNDUPS_NEXT_DIST_DIR || '.next') {
  let built;
  try {
    built = fs.statSync(path.join(root, distDir, 'BUILD_ID')).mtimeMs;
  } catch {
    return false;
  }
  const sources = [...SOURCE_DIRS, ...SOURCE_FILES].map((entry) => newestMtime(path.join(root, entry)));
  return Math.max(...sources) < built;
}

/** Builds unless the build is fresh; returns false (after printing why) when the build failed. */
export function ensureBuild() {
  const distDir = process.env.FOUNDUPS_NEXT_DIST_DIR || '.next';
  if (buildIsFresh(distDir)) {
    console.log(`next build: ${distDir} is newer than every source file, reusing it.`);
    return true;
  }
  console.log(`next build: ${distDir} is missing or older than the sources, building …`);
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) {
    console.error(`next build failed (exit ${result.status ?? result.signal}).`);
    return false;
  }
  return true;
}
