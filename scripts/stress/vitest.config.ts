import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The tests that run against the production build (`next start`): crash safety (kill -9 mid-burst) and
// the short concurrent-agents run. They need a build and most of the machine, so they are a stage of
// their own (`node scripts/stress/run-tests.mjs`, after e2e in `npm test`), one file at a time.
const root = path.resolve(import.meta.dirname, '../..');

export default defineConfig({
  root,
  resolve: {
    alias: {
      '@': root,
      'server-only': path.join(root, 'test/support/server-only.ts'),
    },
  },
  test: {
    include: ['scripts/stress/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
