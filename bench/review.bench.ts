/**
 * Review-queue benchmark: `node --conditions=react-server --import tsx bench/review.bench.ts [--posts N]`
 * (or `npm run bench`). Generates N posts (default 200,000, 10% pending) in a fresh SQLite file with
 * the seed's scale generator, then measures the server time of the default queue page (pending,
 * newest first, 25 rows), the status-tab counts and the approve action, each next to raw
 * better-sqlite3 SQL for the same rows on the same file. Prints p50/p95 and the ratios.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '@/db/client';
import { sql } from '@/db/database';
import type { SqliteDatabase } from '@/db/drivers/sqlite';
import { seedScale } from '@/db/seed';
import { getQueuePage, getStatusCounts } from '@/lib/review/queries';
import { approvePost } from '@/lib/review/transitions';
import { DEFAULT_QUEUE_QUERY } from '@/lib/review/validations';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const POSTS = Number(argument('posts') ?? 200_000);
const RUNS = Number(argument('runs') ?? 200);
if (!Number.isInteger(POSTS) || POSTS < 1000) throw new Error('--posts must be a whole number ≥ 1000.');

function percentile(samples: number[], p: number): number {
  const sorted = samples.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(fn: () => unknown, runs = RUNS): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await fn(); // warm the statement cache and the page cache
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foundups-bench-review-'));
const file = path.join(dir, 'bench.db');
try {
  const db = (await openDatabase({ dialect: 'sqlite', path: file })) as SqliteDatabase;
  const started = performance.now();
  const report = await seedScale(db, { events: 0, posts: POSTS, pendingPosts: Math.round(POSTS / 10) });
  console.log(
    `Generated ${report.posts} posts (${report.pendingPosts} pending) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const raw = db.connection;
  db.connection.exec('ANALYZE');

  const rawPage = raw.prepare(
    "SELECT * FROM agents_social_posts WHERE status = 'pending_review' ORDER BY created_at DESC, id DESC LIMIT 25",
  );
  const rawCounts = raw.prepare('SELECT status, COUNT(*) AS n FROM agents_social_posts GROUP BY status');
  const pending = raw
    .prepare(
      "SELECT post_id, console_version FROM agents_social_posts WHERE status = 'pending_review' LIMIT ?",
    )
    .all(RUNS * 2 + 10) as { post_id: string; console_version: number }[];
  const rawApprove = raw.prepare(
    "UPDATE agents_social_posts SET status = 'approved', reviewed_at = ?, console_version = console_version + 1 WHERE post_id = ? AND status = 'pending_review' AND console_version = ?",
  );

  const rows: [string, { p50: number; p95: number }, { p50: number; p95: number }][] = [];
  rows.push([
    'queue page (pending, newest, 25)',
    await measure(() => getQueuePage(db, DEFAULT_QUEUE_QUERY)),
    await measure(() => rawPage.all()),
  ]);
  rows.push([
    'status tab counts',
    await measure(() => getStatusCounts(db)),
    await measure(() => rawCounts.all()),
  ]);
  let next = 0;
  const consoleApprove = await measure(async () => {
    const post = pending[next++]!;
    const result = await approvePost(
      db,
      { kind: 'operator', name: 'bench' },
      { postId: post.post_id, version: post.console_version },
    );
    if (!result.ok) throw new Error(`approve failed: ${result.message}`);
  }, RUNS);
  const rawApproveTime = await measure(() => {
    const post = pending[next++]!;
    rawApprove.run(new Date().toISOString(), post.post_id, post.console_version);
  }, RUNS);
  rows.push(['approve (guarded write + history)', consoleApprove, rawApproveTime]);
  const check = await db.get<{ n: number }>(
    sql`SELECT COUNT(*) AS n FROM modules_console_post_history WHERE actor = 'bench'`,
  );

  console.log(`\nReview queue, SQLite, ${POSTS.toLocaleString('en-US')} posts, ${RUNS} runs each (ms)`);
  console.log('| measurement | console p50 | console p95 | raw SQL p50 | raw SQL p95 | ratio p50 |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, ours, baseline] of rows) {
    console.log(
      `| ${name} | ${ours.p50.toFixed(2)} | ${ours.p95.toFixed(2)} | ${baseline.p50.toFixed(3)} | ${baseline.p95.toFixed(3)} | ${(ours.p50 / Math.max(baseline.p50, 0.001)).toFixed(1)}× |`,
    );
  }
  console.log(
    `\nHistory rows written by the console's approvals: ${Number(check?.n ?? 0)} (expected ${RUNS + 5})`,
  );
  const target = rows.every(([, ours]) => ours.p95 <= 50);
  console.log(`Target p95 ≤ 50 ms for the queue page and approve: ${target ? 'met' : 'NOT met'}`);
  await db.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
