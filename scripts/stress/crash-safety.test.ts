import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, Outcomes, classifyDecision } from './lib/console-client';
import {
  ROOT,
  type RunningServer,
  type StressWorld,
  findActionId,
  prepareWorld,
  startServer,
} from './lib/console-server';
import { historyDisagreements, integrityCheck, openReadOnly } from './lib/verify';

// Crash safety of the production server and the ingest CLI: kill -9 in the middle of a burst of
// approvals and in the middle of an ingest, then restart. The file must be sound, every decision the
// server acknowledged must be there with its history row, nothing half-applied, and the ingest must
// resume without duplicates. (test/ingest-kill.test.ts kills the ingest command in-process and resumes
// through the engine; here it is the real `foundups ingest` binary twice, with the console serving the
// same file.)

const PENDING = 2_000;
const CONCURRENCY = 12;
/** Kill once this many approvals were acknowledged (the burst is then well under way). */
const KILL_AFTER_ACKS = 40;

function insertPendingPosts(dbPath: string, count: number): void {
  const conn = new BetterSqlite3(dbPath, { timeout: 10_000 });
  const insert = conn.prepare(
    `INSERT INTO agents_social_posts (post_id, platform, post_type, content, identity, status, metadata)
     VALUES (?, 'linkedin', 'comment', ?, 'persona', 'pending_review', ?)`,
  );
  conn.transaction(() => {
    for (let i = 0; i < count; i++)
      insert.run(`crash-${String(i).padStart(5, '0')}`, `Crash-test post ${i}`, JSON.stringify({ i }));
  })();
  conn.close();
}

describe('kill -9 of the console during a burst of approvals', () => {
  let world: StressWorld;
  let server: RunningServer | undefined;

  beforeAll(() => {
    world = prepareWorld({
      seed: false,
      reviewers: 1,
      viewer: false,
      token: false,
      prefix: 'foundups-crash-',
    });
    insertPendingPosts(world.dbPath, PENDING);
  });

  afterAll(async () => {
    await server?.kill9();
    world?.cleanup();
  });

  it('keeps every acknowledged decision, with its history, and nothing half-applied', async () => {
    server = await startServer(world);
    const outcomes = new Outcomes();
    const reviewer = new ConsoleClient(server.baseURL, outcomes);
    const { username, password } = world.reviewers[0]!;
    await reviewer.signIn(findActionId('lib/auth/actions', 'login'), username, password);
    const approveId = findActionId('lib/review/actions', 'approvePostAction');

    const acknowledged = new Set<string>();
    const sent = new Set<string>();
    let inFlight = 0;
    let inFlightAtKill = -1;
    let next = 0;
    let killed = false;
    const first = server;
    const burst = async () => {
      while (!killed && next < PENDING) {
        const postId = `crash-${String(next++).padStart(5, '0')}`;
        sent.add(postId);
        inFlight += 1;
        const result = await reviewer.action(
          'POST approve',
          `/review/${postId}`,
          approveId,
          JSON.stringify([{ postId, version: 0 }]),
        );
        inFlight -= 1;
        // Only what came back as ok before the kill counts as acknowledged.
        if (!killed && classifyDecision(result).kind === 'acknowledged') acknowledged.add(postId);
        if (!killed && acknowledged.size >= KILL_AFTER_ACKS) {
          killed = true;
          inFlightAtKill = inFlight;
          await first.kill9();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, burst));
    expect(killed, 'the burst reached the kill point').toBe(true);
    expect(first.child.signalCode).toBe('SIGKILL');
    // Killed mid-burst: other approvals were on the wire.
    expect(inFlightAtKill).toBeGreaterThan(0);
    // Before the kill nothing failed; after it, the requests in flight failed to connect or were cut.
    const failuresBeforeKill = outcomes.failures.length - inFlightAtKill;
    expect(failuresBeforeKill).toBeLessThanOrEqual(0);

    // What the kill left, read before anything opens the file for writing.
    const raw = openReadOnly(world.dbPath);
    try {
      expect(integrityCheck(raw)).toBe('ok');
    } finally {
      raw.close();
    }

    server = await startServer(world);
    const conn = openReadOnly(world.dbPath);
    try {
      expect(integrityCheck(conn)).toBe('ok');
      const decision = conn.prepare(
        `SELECT p.status, p.console_version,
                (SELECT COUNT(*) FROM modules_console_post_history h
                  WHERE h.post_id = p.post_id AND h.action = 'approve' AND h.actor = ? AND h.to_status = 'approved') AS approvals
           FROM agents_social_posts p WHERE p.post_id = ?`,
      );
      for (const postId of acknowledged)
        expect({ postId, ...(decision.get(username, postId) as object) }).toEqual({
          postId,
          status: 'approved',
          console_version: 1,
          approvals: 1,
        });
      expect(historyDisagreements(conn)).toEqual([]);
      // Every approved post has exactly one approval in its history and the other way round; only
      // posts an approval was sent for changed, and no more of them than were sent.
      const counts = conn
        .prepare(
          `SELECT
             (SELECT COUNT(*) FROM agents_social_posts WHERE post_id LIKE 'crash-%' AND status = 'approved') AS approved,
             (SELECT COUNT(*) FROM agents_social_posts WHERE post_id LIKE 'crash-%' AND status = 'pending_review') AS pending,
             (SELECT COUNT(*) FROM modules_console_post_history WHERE post_id LIKE 'crash-%' AND action = 'approve') AS approve_rows,
             (SELECT COUNT(DISTINCT post_id) FROM modules_console_post_history WHERE post_id LIKE 'crash-%' AND action = 'approve') AS approved_posts`,
        )
        .get() as { approved: number; pending: number; approve_rows: number; approved_posts: number };
      expect(counts.approve_rows).toBe(counts.approved);
      expect(counts.approved_posts).toBe(counts.approved);
      expect(counts.approved + counts.pending).toBe(PENDING);
      expect(counts.approved).toBeGreaterThanOrEqual(acknowledged.size);
      expect(counts.approved).toBeLessThanOrEqual(sent.size);
      const approvedNotSent = conn
        .prepare(
          `SELECT post_id FROM agents_social_posts WHERE post_id LIKE 'crash-%' AND status = 'approved'`,
        )
        .all()
        .map((row) => (row as { post_id: string }).post_id)
        .filter((postId) => !sent.has(postId));
      expect(approvedNotSent).toEqual([]);
      console.log(
        `crash during approvals: ${sent.size} sent, ${acknowledged.size} acknowledged before the kill, ${inFlightAtKill} in flight at the kill; after restart ${counts.approved} approved (each with one history row), ${counts.pending} pending, integrity ok`,
      );
    } finally {
      conn.close();
    }

    // The restarted server carries on: the old session still works, a new approval succeeds, and
    // approving an acknowledged post again is a clean refusal, not an error.
    const after = new Outcomes();
    const again = new ConsoleClient(server.baseURL, after);
    await again.signIn(findActionId('lib/auth/actions', 'login'), username, password);
    const fresh = `crash-${String(PENDING - 1).padStart(5, '0')}`;
    expect(sent.has(fresh)).toBe(false);
    const ok = classifyDecision(
      await again.action(
        'POST approve',
        `/review/${fresh}`,
        approveId,
        JSON.stringify([{ postId: fresh, version: 0 }]),
      ),
    );
    expect(ok.kind).toBe('acknowledged');
    const [repeat] = [...acknowledged];
    const stale = classifyDecision(
      await again.action(
        'POST approve',
        `/review/${repeat}`,
        approveId,
        JSON.stringify([{ postId: repeat, version: 0 }]),
      ),
    );
    expect(stale.kind).toBe('stale');
    expect(after.failures).toEqual([]);
    await server.stop();
    server = undefined;
  });
});

// ---------------------------------------------------------------------------------------------

const LINES = 80_000;
const BATCH = 2_000;

function line(i: number): string {
  return JSON.stringify({
    timestamp: new Date(Date.UTC(2025, 10, 1) + i * 1000).toISOString(),
    metric: i % 2 ? 'search_latency_ms' : 'results_returned',
    value: i,
    unit: 'ms',
    module: 'holo_index',
    agent_id: `agent_${i % 13}`,
    tags: { seq: i },
  });
}

function runIngest(
  world: StressWorld,
  file: string,
): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
} {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin/foundups.mjs'), 'ingest', file, '--batch', String(BATCH), '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, FOUNDUPS_DB_PATH: world.dbPath, FOUNDUPS_ROOT: world.rootDir, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

describe('kill -9 of `foundups ingest` while the console serves the same file', () => {
  let world: StressWorld;
  let server: RunningServer | undefined;

  beforeAll(() => {
    world = prepareWorld({
      seed: false,
      reviewers: 0,
      viewer: false,
      token: false,
      prefix: 'foundups-crash-ingest-',
    });
    const file = path.join(world.rootDir, 'holo_index', 'logs', 'search_metrics.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${Array.from({ length: LINES }, (_, i) => line(i)).join('\n')}\n`);
  });

  afterAll(async () => {
    await server?.kill9();
    world?.cleanup();
  });

  it('re-running the command resumes: every line exactly once, counts reconcile, integrity ok', async () => {
    const file = path.join(world.rootDir, 'holo_index', 'logs', 'search_metrics.jsonl');
    server = await startServer(world);
    const killed = runIngest(world, file);
    const conn = openReadOnly(world.dbPath);
    let committedAtKill = 0;
    try {
      const checkpoint = conn.prepare('SELECT lines_committed FROM modules_console_ingest_files');
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline && killed.child.exitCode === null) {
        const row = checkpoint.get() as { lines_committed: number } | undefined;
        if (row && row.lines_committed >= 8_000) {
          killed.child.kill('SIGKILL');
          committedAtKill = row.lines_committed;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      conn.close();
    }
    const first = await killed.done;
    expect(first.signal, first.stderr).toBe('SIGKILL');
    expect(committedAtKill).toBeGreaterThan(0);

    const left = openReadOnly(world.dbPath);
    let linesLeft = 0;
    try {
      expect(integrityCheck(left)).toBe('ok');
      const row = left
        .prepare(
          `SELECT (SELECT COUNT(*) FROM metrics_events) AS rows, (SELECT lines_committed FROM modules_console_ingest_files) AS lines`,
        )
        .get() as { rows: number; lines: number };
      // Whole batches only, and the checkpoint says exactly what is in the table.
      expect(row.rows).toBe(row.lines);
      expect(row.lines % BATCH).toBe(0);
      expect(row.lines).toBeLessThan(LINES);
      linesLeft = row.lines;
    } finally {
      left.close();
    }

    console.log(
      `crash during ingest: killed at ${committedAtKill} lines committed; the file held ${linesLeft} rows = checkpoint`,
    );
    const rerun = await runIngest(world, file).done;
    expect(rerun.code, rerun.stderr).toBe(0);
    const report = JSON.parse(rerun.stdout) as {
      status: string;
      files: {
        alreadyPresent: number;
        inserted: number;
        rejected: number;
        linesRead: number;
        reconciled: boolean;
      }[];
    };
    expect(report.status).toBe('succeeded');
    expect(report.files).toHaveLength(1);
    expect(report.files[0]).toMatchObject({
      alreadyPresent: linesLeft,
      inserted: LINES - linesLeft,
      rejected: 0,
      linesRead: LINES,
      reconciled: true,
    });

    const end = openReadOnly(world.dbPath);
    try {
      expect(integrityCheck(end)).toBe('ok');
      expect(
        end
          .prepare(
            `SELECT COUNT(*) AS n, COUNT(DISTINCT json_extract(tags_json, '$.tags.seq')) AS distinct_lines,
                    MIN(json_extract(tags_json, '$.tags.seq')) AS lo, MAX(json_extract(tags_json, '$.tags.seq')) AS hi,
                    (SELECT COUNT(*) FROM modules_console_ingest_lines) AS ledger FROM metrics_events`,
          )
          .get(),
      ).toEqual({ n: LINES, distinct_lines: LINES, lo: 0, hi: LINES - 1, ledger: LINES });
    } finally {
      end.close();
    }
    // The console served the file throughout and still does.
    const health = await fetch(`${server.baseURL}/api/health`);
    expect(health.status).toBe(200);
    await server.stop();
    server = undefined;
  });
});
