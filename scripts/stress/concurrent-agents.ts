// Concurrent agents: N Python processes (standard sqlite3, the contract's INSERTs, one transaction per
// row, connect(timeout=5) like the agents) write posts and telemetry into the database as fast as they
// can while the production console serves reviewers (sign in, queue, focus view, approve/reject through
// the server actions) and viewers (timeline pages and API) on the same file. Then it counts: every row
// a writer committed is in the file exactly once, no writer saw an error, no HTTP request failed,
// every acknowledged decision is in the posts table with its history row, history and posts agree,
// integrity_check is ok. Prints rates and p50/p95/p99 per path; exits non-zero on any loss or error.
//
// Usage: node --import tsx scripts/stress/concurrent-agents.ts [--seconds 30] [--writers 4]
//        [--reviewers 2] [--viewers 2] [--timeout 5] [--json report.json]
// Needs a production build (`npx next build`; FOUNDUPS_NEXT_DIST_DIR picks another build folder).
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConsoleClient, Outcomes, classifyDecision } from './lib/console-client';
import { findActionId, prepareWorld, requireBuild, startServer } from './lib/console-server';
import { type PathStats, formatStats } from './lib/latency';
import {
  type WriterCheck,
  type WriterReport,
  checkWriterRows,
  historyDisagreements,
  integrityCheck,
  openReadOnly,
} from './lib/verify';

export interface ConcurrentAgentsOptions {
  seconds: number;
  writers: number;
  reviewers: number;
  viewers: number;
  /** The writers' sqlite3.connect(timeout=…) and busy_timeout, in seconds. */
  busyTimeout: number;
  log?: (line: string) => void;
}

export interface ConcurrentAgentsReport {
  options: Omit<ConcurrentAgentsOptions, 'log'>;
  writers: WriterReport[];
  writerExitCodes: (number | null)[];
  rowsCommitted: number;
  /** Rows per second, all writers together, over the writers' own measured time. */
  insertRate: number;
  checks: WriterCheck[];
  http: { requests: number; failures: number; failureSamples: string[]; stats: PathStats[] };
  decisions: { acknowledged: number; stale: number; failed: number };
  /** The server's own SQLite lock counters (from /api/health?detail=1), when the build reports them. */
  consoleLock?: { statements: number; lockWaits: number; lockWaitMs: number; busyErrors: number };
  integrity: string;
  historyDisagreements: number;
  problems: string[];
}

const WRITER_SCRIPT = path.join(import.meta.dirname, 'agent_writer.py');
const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

interface PendingPost {
  post_id: string;
  version: number;
}

interface WriterRun {
  child: ChildProcess;
  done: Promise<{ report?: WriterReport; code: number | null; stderr: string }>;
}

function runWriter(dbPath: string, name: string, seconds: number, timeout: number): WriterRun {
  let child!: ChildProcess;
  const done = new Promise<{ report?: WriterReport; code: number | null; stderr: string }>((resolve) => {
    child = spawn(
      'python3',
      [
        WRITER_SCRIPT,
        '--db',
        dbPath,
        '--name',
        name,
        '--seconds',
        String(seconds),
        '--timeout',
        String(timeout),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      resolve({ code: null, stderr: `python3 could not start: ${error.message}` }),
    );
    child.on('close', (code) => {
      let report: WriterReport | undefined;
      try {
        report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as WriterReport;
      } catch {
        report = undefined;
      }
      resolve({ report, code, stderr });
    });
  });
  return { child, done };
}

/** The driver's busy counters from the detailed health report (any valid API token may read it). */
async function readLockCounters(
  baseURL: string,
  token: string,
): Promise<ConcurrentAgentsReport['consoleLock'] | undefined> {
  try {
    const response = await fetch(`${baseURL}/api/health?detail=1`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await response.json()) as { busy?: ConcurrentAgentsReport['consoleLock'] };
    if (!body.busy) return undefined;
    const { statements, lockWaits, lockWaitMs, busyErrors } = body.busy;
    return { statements, lockWaits, lockWaitMs: Math.round(lockWaitMs), busyErrors };
  } catch {
    return undefined; // a build without the detailed report
  }
}

export async function runConcurrentAgents(options: ConcurrentAgentsOptions): Promise<ConcurrentAgentsReport> {
  const log = options.log ?? (() => undefined);
  requireBuild();
  const world = prepareWorld({ seed: true, reviewers: options.reviewers, prefix: 'foundups-stress-agents-' });
  const server = await startServer(world);
  const outcomes = new Outcomes();
  const problems: string[] = [];
  const acknowledged = new Map<
    string,
    { status: 'approved' | 'rejected'; reviewer: string; version?: number }
  >();
  let stale = 0;
  let failedDecisions = 0;
  try {
    log(`server ${server.baseURL}, database ${world.dbPath}`);
    const loginId = findActionId('lib/auth/actions', 'login');
    const approveId = findActionId('lib/review/actions', 'approvePostAction');
    const rejectId = findActionId('lib/review/actions', 'rejectPostAction');

    const reviewers = world.reviewers.map((credentials) => ({
      credentials,
      client: new ConsoleClient(server.baseURL, outcomes),
    }));
    const viewers = Array.from(
      { length: options.viewers },
      () => new ConsoleClient(server.baseURL, outcomes),
    );
    const api = new ConsoleClient(server.baseURL, outcomes, world.readToken);
    for (const reviewer of reviewers)
      await reviewer.client.signIn(loginId, reviewer.credentials.username, reviewer.credentials.password);
    for (const viewer of viewers) await viewer.signIn(loginId, world.viewer.username, world.viewer.password);

    // Warm-up, outside the measured window: the first request to each route pays for loading it.
    const warmup = new Outcomes();
    for (const client of [reviewers[0]!.client, viewers[0]].filter(Boolean) as ConsoleClient[]) {
      const probe = new ConsoleClient(server.baseURL, warmup);
      probe.adopt(client);
      for (const page of ['/review', '/timeline', '/timeline?source=heartbeats&range=1h', '/'])
        await probe.get(page, page);
    }
    if (warmup.failures.length > 0)
      problems.push(...warmup.failures.map((f) => `warm-up ${f.path}: ${f.detail}`));

    log(
      `${options.writers} writers for ${options.seconds} s, ${reviewers.length} reviewers, ${viewers.length} viewers`,
    );
    let stop = false;
    // The writers run for the window, and on until every reviewer has decided at least one post and
    // every viewer has loaded its pages once (a loaded machine must not turn the run into a no-op),
    // but never longer than the cap.
    const capSeconds = options.seconds + 120;
    const runs = Array.from({ length: options.writers }, (_, i) =>
      runWriter(world.dbPath, `w${i + 1}`, capSeconds, options.busyTimeout),
    );
    const writers = Promise.all(runs.map((run) => run.done)).finally(() => {
      stop = true;
    });
    const decidedBy = new Map<number, number>();
    const roundsBy = new Map<number, number>();
    const windowEnd = Date.now() + options.seconds * 1000;
    const stopper = (async () => {
      while (!stop) {
        const enough =
          reviewers.every((_, i) => (decidedBy.get(i) ?? 0) > 0) &&
          viewers.every((_, i) => (roundsBy.get(i) ?? 0) > 0);
        if (Date.now() >= windowEnd && enough) {
          for (const run of runs) run.child.kill('SIGTERM');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const reviewerLoop = async (index: number) => {
      const { client, credentials } = reviewers[index]!;
      let round = 0;
      while (!stop) {
        await client.get('GET /review (queue)', '/review');
        const listed = await api.get(
          'GET /api/v1/posts (pending)',
          '/api/v1/posts?status=pending_review&limit=40',
        );
        if (listed.status !== 200) continue;
        const posts = (JSON.parse(listed.text) as { posts: PendingPost[] }).posts.filter(
          (_, i) => i % reviewers.length === index,
        );
        for (const [i, post] of posts.slice(0, 4).entries()) {
          if (stop) break;
          const page = `/review/${encodeURIComponent(post.post_id)}`;
          if (i === 0) await client.get('GET /review/[postId] (focus)', page);
          round += 1;
          const reject = round % 4 === 0;
          const result = reject
            ? await client.action(
                'POST reject (server action)',
                page,
                rejectId,
                JSON.stringify([{ postId: post.post_id, version: post.version, note: 'stress: off-topic' }]),
              )
            : await client.action(
                'POST approve (server action)',
                page,
                approveId,
                JSON.stringify([{ postId: post.post_id, version: post.version }]),
              );
          const outcome = classifyDecision(result);
          if (outcome.kind !== 'failed') decidedBy.set(index, (decidedBy.get(index) ?? 0) + 1);
          if (outcome.kind === 'acknowledged')
            acknowledged.set(post.post_id, {
              status: reject ? 'rejected' : 'approved',
              reviewer: credentials.username,
              version: outcome.version,
            });
          else if (outcome.kind === 'stale') stale += 1;
          else {
            failedDecisions += 1;
            if (result !== undefined)
              outcomes.fail(reject ? 'POST reject' : 'POST approve', JSON.stringify(result).slice(0, 300));
          }
        }
      }
    };

    const viewerLoop = async (index: number) => {
      const client = viewers[index]!;
      while (!stop) {
        await client.get('GET /timeline', '/timeline');
        await client.get('GET /timeline?source=heartbeats', '/timeline?source=heartbeats&range=1h');
        await client.get(
          'GET /api/timeline/new',
          `/api/timeline/new?at=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`,
        );
        await client.get('GET / (overview)', '/');
        roundsBy.set(index, (roundsBy.get(index) ?? 0) + 1);
      }
    };

    const [writerResults] = await Promise.all([
      writers,
      stopper,
      ...reviewers.map((_, i) => reviewerLoop(i)),
      ...viewers.map((_, i) => viewerLoop(i)),
    ]);
    const consoleLock = await readLockCounters(server.baseURL, world.readToken);
    await server.stop();

    const reports: WriterReport[] = [];
    for (const [i, result] of writerResults.entries()) {
      if (!result.report) {
        problems.push(
          `writer w${i + 1} gave no report (exit ${result.code}): ${result.stderr.slice(0, 500)}`,
        );
        continue;
      }
      reports.push(result.report);
      if (result.report.errors > 0)
        problems.push(
          `writer ${result.report.name}: ${result.report.errors} error(s), e.g. ${result.report.error_samples.join(' | ')}`,
        );
      if (result.code !== 0 && result.report.errors === 0)
        problems.push(`writer ${result.report.name} exited ${result.code}: ${result.stderr.slice(0, 500)}`);
    }

    const conn = openReadOnly(world.dbPath);
    let checks: WriterCheck[] = [];
    let integrity = '';
    let disagreements = 0;
    try {
      const rows = checkWriterRows(conn, reports, sha256);
      checks = rows.checks;
      problems.push(...rows.problems);
      integrity = integrityCheck(conn);
      if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`);
      const disagreeing = historyDisagreements(conn);
      disagreements = disagreeing.length;
      if (disagreements > 0)
        problems.push(
          `${disagreements} post(s) whose history disagrees, e.g. ${JSON.stringify(disagreeing[0])}`,
        );
      const decided = conn.prepare(
        `SELECT p.status, p.console_version,
                (SELECT COUNT(*) FROM modules_console_post_history h
                  WHERE h.post_id = p.post_id AND h.actor = ? AND h.actor_kind = 'operator' AND h.to_status = ?) AS history
           FROM agents_social_posts p WHERE p.post_id = ?`,
      );
      let missing = 0;
      for (const [postId, decision] of acknowledged) {
        const row = decided.get(decision.reviewer, decision.status, postId) as
          { status: string; console_version: number; history: number } | undefined;
        if (!row || row.status !== decision.status || row.history !== 1) {
          missing += 1;
          if (missing <= 3)
            problems.push(
              `acknowledged ${decision.status} of ${postId} by ${decision.reviewer}: found ${JSON.stringify(row)}`,
            );
        }
      }
      if (missing > 3) problems.push(`… ${missing} acknowledged decisions missing in total`);
    } finally {
      conn.close();
    }

    if (outcomes.failures.length > 0)
      problems.push(
        `${outcomes.failures.length} HTTP failure(s), e.g. ${outcomes.failures
          .slice(0, 3)
          .map((f) => `${f.path}: ${f.detail}`)
          .join(' | ')}`,
      );
    if (failedDecisions > 0 && outcomes.failures.length === 0)
      problems.push(`${failedDecisions} decision(s) failed without an HTTP error`);
    if (acknowledged.size === 0)
      problems.push('no decision was acknowledged: the reviewers did not get through');

    const rowsCommitted = reports.reduce(
      (sum, report) => sum + Object.values(report.committed).reduce((a, b) => a + b, 0),
      0,
    );
    const writerSeconds = Math.max(...reports.map((report) => report.seconds), options.seconds);
    return {
      options: {
        seconds: options.seconds,
        writers: options.writers,
        reviewers: options.reviewers,
        viewers: options.viewers,
        busyTimeout: options.busyTimeout,
      },
      writers: reports,
      writerExitCodes: writerResults.map((result) => result.code),
      rowsCommitted,
      insertRate: rowsCommitted / writerSeconds,
      checks,
      http: {
        requests: outcomes.requests,
        failures: outcomes.failures.length,
        failureSamples: outcomes.failures.slice(0, 10).map((f) => `${f.path}: ${f.detail}`),
        stats: outcomes.latency.stats(),
      },
      decisions: { acknowledged: acknowledged.size, stale, failed: failedDecisions },
      consoleLock,
      integrity,
      historyDisagreements: disagreements,
      problems,
    };
  } catch (error) {
    const detail = server.stderr().trim();
    if (detail) (error as Error).message += `\nserver stderr (tail):\n${detail.slice(-3000)}`;
    throw error;
  } finally {
    await server.stop();
    if (problems.length > 0 && process.env.FOUNDUPS_STRESS_KEEP !== '1')
      log(`(set FOUNDUPS_STRESS_KEEP=1 to keep the database for inspection)`);
    world.cleanup();
  }
}

export function formatConcurrentAgentsReport(report: ConcurrentAgentsReport): string {
  const lines: string[] = [];
  const { options } = report;
  lines.push(
    `Concurrent agents: ${options.writers} Python writers × ${options.seconds} s (sqlite3, timeout=${options.busyTimeout} s), ${options.reviewers} reviewers, ${options.viewers} viewers`,
  );
  for (const writer of report.writers) {
    const total = Object.values(writer.committed).reduce((a, b) => a + b, 0);
    lines.push(
      `  ${writer.name}: ${total} rows committed in ${writer.seconds} s (${Math.round(total / writer.seconds)}/s; ${Object.entries(
        writer.committed,
      )
        .map(([table, n]) => `${table} ${n}`)
        .join(
          ', ',
        )}), errors ${writer.errors}, commit p50/p95/p99/max ${writer.commit_ms.p50}/${writer.commit_ms.p95}/${writer.commit_ms.p99}/${writer.commit_ms.max} ms, commits > 1 s: ${writer.busy_waits_over_1s}`,
    );
  }
  const found = report.checks.reduce((sum, check) => sum + check.found, 0);
  lines.push(
    `  rows: ${report.rowsCommitted} committed, ${found} found, ${report.rowsCommitted - found} lost; insert rate ${Math.round(report.insertRate)} rows/s (all writers)`,
  );
  lines.push(
    `  decisions: ${report.decisions.acknowledged} acknowledged (all present with history), ${report.decisions.stale} stale (lost race, clean refusal), ${report.decisions.failed} failed`,
  );
  if (report.consoleLock) {
    const lock = report.consoleLock;
    lines.push(
      `  console's SQLite connection: ${lock.statements} statements, ${lock.lockWaits} write-lock waits (${lock.lockWaitMs} ms in total), ${lock.busyErrors} busy errors`,
    );
  }
  lines.push(
    `  HTTP: ${report.http.requests} requests, ${report.http.failures} failed; integrity_check ${report.integrity}; history/posts disagreements ${report.historyDisagreements}`,
  );
  lines.push(
    formatStats(report.http.stats)
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n'),
  );
  lines.push(
    report.problems.length === 0
      ? '  PASS: zero lost rows, zero errors'
      : `  FAIL:\n    ${report.problems.join('\n    ')}`,
  );
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '30' },
      writers: { type: 'string', default: '4' },
      reviewers: { type: 'string', default: '2' },
      viewers: { type: 'string', default: '2' },
      timeout: { type: 'string', default: '5' },
      json: { type: 'string' },
    },
  });
  const number = (name: string, text: string, min: number, max: number) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max)
      throw new Error(`--${name} must be a number from ${min} to ${max}.`);
    return value;
  };
  const report = await runConcurrentAgents({
    seconds: number('seconds', values.seconds, 1, 3600),
    writers: Math.round(number('writers', values.writers, 1, 32)),
    reviewers: Math.round(number('reviewers', values.reviewers, 1, 16)),
    viewers: Math.round(number('viewers', values.viewers, 0, 16)),
    busyTimeout: number('timeout', values.timeout, 0.1, 120),
    log: (line) => console.log(line),
  });
  console.log(formatConcurrentAgentsReport(report));
  if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  return report.problems.length === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
