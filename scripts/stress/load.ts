// Load: autocannon with 50 concurrent connections (loopback only) against the production console, one
// path at a time for --seconds each: the review queue page, the timeline page, the timeline's list API,
// and the approve server action with every request on a distinct pending post. Zero errors allowed
// (connection errors, timeouts, HTTP status outside 2xx, an approval answering anything but ok); an
// approval that finds its post already decided would be a clean "stale" refusal and is counted apart.
// Afterwards every acknowledged approval must be in the database with its history row, history and
// posts must agree, and integrity_check must be ok. Prints requests/s and p50/p95/p99 per path.
//
// Usage: node --import tsx scripts/stress/load.ts [--seconds 30] [--connections 50] [--posts 5000]
//        [--paths queue,timeline,timeline-api,approve] [--json report.json]
// Needs a production build (`npx next build`; FOUNDUPS_NEXT_DIST_DIR picks another build folder).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import { ConsoleClient, Outcomes, classifyDecision, parseActionResult } from './lib/console-client';
import { findActionId, prepareWorld, requireBuild, startServer } from './lib/console-server';
import { LatencyRecorder, type PathStats, formatStats } from './lib/latency';
import { historyDisagreements, integrityCheck, openReadOnly } from './lib/verify';

export const LOAD_PATHS = ['queue', 'timeline', 'timeline-api', 'approve'] as const;
export type LoadPath = (typeof LOAD_PATHS)[number];

export interface LoadOptions {
  seconds: number;
  connections: number;
  /** Pending posts generated for the approve path (each approval takes a distinct one). */
  posts: number;
  paths: LoadPath[];
  log?: (line: string) => void;
}

export interface LoadPathResult extends PathStats {
  label: string;
  seconds: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** How long the server took to become idle again after the path's deadline. */
  drainMs: number;
  /** Approve path only. */
  acknowledged?: number;
  stale?: number;
  failedResults?: number;
}

export interface LoadReport {
  options: Omit<LoadOptions, 'log'>;
  results: LoadPathResult[];
  /** Approve path: posts approved in the file afterwards, and approvals sent. */
  approvedInDatabase?: number;
  approvalsSent?: number;
  integrity: string;
  historyDisagreements: number;
  problems: string[];
}

/** Pending posts written the way the agents write them (record_post's INSERT), in one transaction. */
function generatePendingPosts(dbPath: string, count: number): void {
  const conn = new BetterSqlite3(dbPath, { timeout: 10_000 });
  try {
    const insert = conn.prepare(
      `INSERT INTO agents_social_posts (post_id, platform, post_type, content, identity, target_url, target_author, tone, trigger_context, status, metadata)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending_review', ?)`,
    );
    conn.transaction(() => {
      for (let i = 0; i < count; i++) {
        insert.run(
          `load-${String(i).padStart(7, '0')}`,
          ['linkedin', 'x', 'youtube'][i % 3],
          i % 2 ? 'comment' : 'post',
          `Load-test post ${i}: a reply the agents drafted about decentralised startups.`,
          `persona_${i % 4}`,
          `https://example.org/thread/${i}`,
          `author_${i % 9}`,
          i % 2 ? 'warm' : 'pushback',
          'load test',
          JSON.stringify({ load: i }),
        );
      }
    })();
  } finally {
    conn.close();
  }
}

interface Target {
  label: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  requests?: autocannon.Request[];
}

function runAutocannon(
  baseURL: string,
  target: Target,
  options: { seconds: number; connections: number },
): Promise<{ result: autocannon.Result; latency: PathStats }> {
  const recorder = new LatencyRecorder();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${baseURL}${target.path}`,
        method: target.method,
        headers: target.headers,
        connections: options.connections,
        duration: options.seconds,
        timeout: 60,
        requests: target.requests,
      },
      (error, result) => {
        if (error) reject(error);
        else resolve({ result, latency: recorder.stats()[0] ?? emptyStats(target.label) });
      },
    );
    // autocannon's typings omit the client argument that comes first.
    (instance as unknown as NodeJS.EventEmitter).on(
      'response',
      (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
        recorder.record(target.label, responseTime),
    );
  });
}

/** Waits until /api/health answers within a second (the server has worked off its backlog). */
async function drain(baseURL: string): Promise<number> {
  const started = performance.now();
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const t0 = performance.now();
    try {
      const response = await fetch(`${baseURL}/api/health`, { signal: AbortSignal.timeout(300_000) });
      await response.text();
      if (performance.now() - t0 < 1000) break;
    } catch {
      // keep waiting until the deadline
    }
  }
  return performance.now() - started;
}

/** Row counts of the tables the load paths read, for the report. */
function describeData(dbPath: string): string {
  const conn = openReadOnly(dbPath);
  try {
    const count = (table: string) =>
      (conn.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    const events = [
      'daemon_health',
      'error_events',
      'agents_breadcrumbs',
      'permission_events',
      'chat_messages',
    ]
      .map(count)
      .reduce((a, b) => a + b, 0);
    return `${count('agents_social_posts')} posts, ${events} telemetry events`;
  } finally {
    conn.close();
  }
}

function emptyStats(path: string): PathStats {
  return { path, count: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN };
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => undefined);
  requireBuild();
  const world = prepareWorld({
    seed: true,
    reviewers: 1,
    viewer: false,
    token: false,
    prefix: 'foundups-stress-load-',
  });
  const problems: string[] = [];
  const results: LoadPathResult[] = [];
  const wantsApprove = options.paths.includes('approve');
  const server = await startServer(world);
  try {
    log(`server ${server.baseURL}, database ${world.dbPath} (demo data: ${describeData(world.dbPath)})`);
    const outcomes = new Outcomes();
    const reviewer = new ConsoleClient(server.baseURL, outcomes);
    const { username, password } = world.reviewers[0]!;
    await reviewer.signIn(findActionId('lib/auth/actions', 'login'), username, password);
    const cookie = reviewer.cookieHeader;
    const approveId = findActionId('lib/review/actions', 'approvePostAction');

    // The approve path's posts arrive just before it runs (as agents would add them), so the queue
    // and timeline phases measure the demo data set the e2e tests and the demo use.
    const pending: { post_id: string; version: number }[] = [];
    const loadPending = () => {
      generatePendingPosts(world.dbPath, options.posts);
      pending.push(
        ...(() => {
          const conn = openReadOnly(world.dbPath);
          try {
            return conn
              .prepare(
                `SELECT post_id, console_version AS version FROM agents_social_posts WHERE post_id LIKE 'load-%' ORDER BY post_id`,
              )
              .all() as { post_id: string; version: number }[];
          } finally {
            conn.close();
          }
        })(),
      );
    };
    let next = 0;
    let acknowledged = 0;
    let stale = 0;
    let failedResults = 0;
    const failedSamples: string[] = [];
    const acknowledgedIds: string[] = [];

    const targets: Record<LoadPath, Target> = {
      queue: { label: 'GET /review (queue page)', method: 'GET', path: '/review', headers: { cookie } },
      timeline: { label: 'GET /timeline (list page)', method: 'GET', path: '/timeline', headers: { cookie } },
      'timeline-api': {
        label: 'GET /api/timeline/new (list API)',
        method: 'GET',
        path: `/api/timeline/new?at=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`,
        headers: { cookie },
      },
      approve: {
        label: 'POST approve (server action)',
        method: 'POST',
        path: '/review',
        headers: {
          cookie,
          'next-action': approveId,
          'content-type': 'text/plain;charset=UTF-8',
          accept: 'text/x-component',
          origin: server.baseURL,
        },
        requests: [
          {
            method: 'POST',
            setupRequest: (request, context) => {
              // A distinct pending post per request; past the end, posts come round again and those
              // approvals must come back as clean "stale" refusals.
              const post = pending[next % pending.length]!;
              next += 1;
              (context as { postId?: string }).postId = post.post_id;
              return {
                ...request,
                path: `/review/${encodeURIComponent(post.post_id)}`,
                body: JSON.stringify([{ postId: post.post_id, version: post.version }]),
              };
            },
            onResponse: (status, body, context) => {
              if (status !== 200) return; // counted by autocannon as non-2xx
              let outcome: ReturnType<typeof classifyDecision>;
              try {
                outcome = classifyDecision(parseActionResult(body));
              } catch (error) {
                outcome = { kind: 'failed' };
                if (failedSamples.length < 3) failedSamples.push((error as Error).message);
              }
              if (outcome.kind === 'acknowledged') {
                acknowledged += 1;
                acknowledgedIds.push((context as { postId: string }).postId);
              } else if (outcome.kind === 'stale') stale += 1;
              else {
                failedResults += 1;
                if (failedSamples.length < 3) failedSamples.push(body.slice(0, 300));
              }
            },
          },
        ],
      },
    };

    for (const name of options.paths) {
      const target = targets[name];
      if (name === 'approve') {
        loadPending();
        log(`${options.posts} pending posts written for the approve path (${describeData(world.dbPath)})`);
      }
      log(`${target.label}: ${options.connections} connections × ${options.seconds} s …`);
      const { result, latency } = await runAutocannon(server.baseURL, target, options);
      // autocannon stops sending at the deadline; requests still queued in the server finish first, so
      // the next path starts on an idle server.
      const drainMs = await drain(server.baseURL);
      const entry: LoadPathResult = {
        ...latency,
        label: target.label,
        seconds: options.seconds,
        requestsPerSecond: latency.count / options.seconds,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        drainMs,
      };
      if (name === 'approve') Object.assign(entry, { acknowledged, stale, failedResults });
      results.push(entry);
      if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
        problems.push(
          `${target.label}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts (status classes ${JSON.stringify({ '1xx': result['1xx'], '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] })})`,
        );
      if (latency.count === 0) problems.push(`${target.label}: no request completed`);
      if (name === 'approve') {
        if (failedResults > 0)
          problems.push(
            `${target.label}: ${failedResults} approvals failed, e.g. ${failedSamples.join(' | ')}`,
          );
        if (acknowledged === 0) problems.push(`${target.label}: no approval was acknowledged`);
      }
    }
    // The server's own view of a sample page must still be sound after the load.
    await reviewer.get('GET /review (after)', '/review');
    if (outcomes.failures.length > 0)
      problems.push(...outcomes.failures.map((failure) => `${failure.path}: ${failure.detail}`));
    await server.stop();

    const conn = openReadOnly(world.dbPath);
    let integrity = '';
    let disagreements = 0;
    let approvedInDatabase: number | undefined;
    try {
      integrity = integrityCheck(conn);
      if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`);
      const disagreeing = historyDisagreements(conn);
      disagreements = disagreeing.length;
      if (disagreements > 0)
        problems.push(
          `${disagreements} post(s) whose history disagrees, e.g. ${JSON.stringify(disagreeing[0])}`,
        );
      if (wantsApprove) {
        const check = conn.prepare(
          `SELECT p.status, (SELECT COUNT(*) FROM modules_console_post_history h WHERE h.post_id = p.post_id AND h.action = 'approve' AND h.actor = ?) AS history
             FROM agents_social_posts p WHERE p.post_id = ?`,
        );
        let missing = 0;
        for (const postId of acknowledgedIds) {
          const row = check.get(username, postId) as { status: string; history: number } | undefined;
          if (!row || row.status !== 'approved' || row.history !== 1) missing += 1;
        }
        const approvedTotal = (
          conn
            .prepare(
              `SELECT COUNT(*) AS n FROM agents_social_posts WHERE post_id LIKE 'load-%' AND status = 'approved'`,
            )
            .get() as { n: number }
        ).n;
        if (missing > 0)
          problems.push(`${missing} acknowledged approvals are not in the database with their history row`);
        // autocannon stops at the deadline without waiting for the requests on the wire (at most one
        // per connection); the server still completes those, so they may be approved unacknowledged.
        if (
          approvedTotal < acknowledgedIds.length ||
          approvedTotal > Math.min(next, acknowledgedIds.length + options.connections)
        )
          problems.push(
            `${approvedTotal} posts approved in the database for ${acknowledgedIds.length} approvals acknowledged and ${next} sent`,
          );
        approvedInDatabase = approvedTotal;
      }
    } finally {
      conn.close();
    }
    return {
      options: {
        seconds: options.seconds,
        connections: options.connections,
        posts: options.posts,
        paths: options.paths,
      },
      results,
      approvedInDatabase,
      approvalsSent: wantsApprove ? next : undefined,
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
    world.cleanup();
  }
}

export function formatLoadReport(report: LoadReport): string {
  const lines = [
    `Load: ${report.options.connections} connections × ${report.options.seconds} s per path (autocannon, loopback)`,
  ];
  const table = formatStats(report.results.map((r) => ({ ...r, path: r.label }))).split('\n');
  lines.push(`  ${table[0]}  req/s  non-2xx  errors  drain s`);
  report.results.forEach((r, i) =>
    lines.push(
      `  ${table[i + 1]}  ${r.requestsPerSecond.toFixed(1).padStart(5)}  ${String(r.non2xx).padStart(7)}  ${String(r.errors + r.timeouts).padStart(6)}  ${(r.drainMs / 1000).toFixed(1).padStart(7)}`,
    ),
  );
  const approve = report.results.find((r) => r.acknowledged !== undefined);
  if (approve)
    lines.push(
      `  approvals: ${report.approvalsSent} sent, ${approve.acknowledged} acknowledged (all in the database with history), ${approve.stale} stale, ${approve.failedResults} failed; ${report.approvedInDatabase} approved in the file (the rest were on the wire at the deadline)`,
    );
  lines.push(
    `  integrity_check ${report.integrity}; history/posts disagreements ${report.historyDisagreements}`,
  );
  lines.push(
    report.problems.length === 0 ? '  PASS: zero errors' : `  FAIL:\n    ${report.problems.join('\n    ')}`,
  );
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '30' },
      connections: { type: 'string', default: '50' },
      posts: { type: 'string', default: '5000' },
      paths: { type: 'string', default: LOAD_PATHS.join(',') },
      json: { type: 'string' },
    },
  });
  const paths = values.paths.split(',').map((p) => p.trim()) as LoadPath[];
  const unknown = paths.filter((p) => !(LOAD_PATHS as readonly string[]).includes(p));
  if (unknown.length)
    throw new Error(`Unknown path(s) ${unknown.join(', ')}: the paths are ${LOAD_PATHS.join(', ')}.`);
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const posts = Number(values.posts);
  if (!(seconds >= 1 && seconds <= 600)) throw new Error('--seconds must be from 1 to 600.');
  if (!(Number.isInteger(connections) && connections >= 1 && connections <= 500))
    throw new Error('--connections must be a whole number from 1 to 500.');
  if (!(Number.isInteger(posts) && posts >= 1 && posts <= 2_000_000))
    throw new Error('--posts must be a whole number from 1 to 2,000,000.');
  const report = await runLoad({ seconds, connections, posts, paths, log: (line) => console.log(line) });
  console.log(formatLoadReport(report));
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
