/**
 * Timeline benchmark: `npx tsx bench/timeline.bench.ts [--events N] [--keep] [--file path]`.
 * With --file, an existing file from an earlier run is measured again without regenerating it.
 *
 * Generates N events (default 1,000,000; 10,000,000 works: rows are written as they are made, in
 * 50,000-row transactions, so memory stays flat) over 90 days across the timeline's sources in a fresh
 * SQLite file with raw prepared statements, as any writer would (then folds the rollups as the server
 * does), and measures p50/p95 of the list (first page, page 1,000 by following cursors, per-agent view,
 * live count) and of each chart, each next to hand-written raw SQL for the same rows on the same file,
 * and prints a table with the ratios. The file is deleted afterwards unless --keep.
 *
 * The raw SQL is what an expert would write by hand for the same page: per table ORDER BY time DESC
 * LIMIT 50 over the time (or actor, time) index, merged with UNION ALL, prepared once outside the timed
 * loop (the console's statements are prepared once and cached too). It orders by the raw text, so it
 * is only nearly the same order where a day mixes text forms; the console's list is exact.
 *
 * Times are wall-clock p50/p95, plus the p50 of the process's CPU time (user + system) per run: on a
 * shared machine wall time includes waiting for a core, CPU time does not, so "ratio cpu" is the
 * steadier comparison when the machine is busy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '@/db/client';
import type { SqliteDatabase } from '@/db/drivers/sqlite';
import {
  getConfidenceTrend,
  getErrorsByModule,
  getEventVolume,
  getHeartbeatHealth,
  getMetricSeries,
  getPermissionChanges,
  getTimelineLanes,
} from '@/lib/timeline/charts';
import { countNewerEvents, getActorTimeline, getFilterValues, getTimelinePage } from '@/lib/timeline/list';
import { refreshRollups, verifyRollups } from '@/lib/timeline/rollups';

// ---------------------------------------------------------------------------------------------
// Arguments

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const EVENTS = Number(argument('events') ?? 1_000_000);
if (!Number.isInteger(EVENTS) || EVENTS < 10_000)
  throw new Error('--events must be a whole number of at least 10000.');
const KEEP = process.argv.includes('--keep');
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'foundups-timeline-bench-'));
const FILE = argument('file') ?? path.join(DIR, 'foundups.db');

const NOW = Date.UTC(2025, 5, 1);
const SPAN = 90 * 86_400_000;
const PAGE = 50;

// ---------------------------------------------------------------------------------------------
// Data

let seed = 12;
function random(): number {
  // mulberry32: fast and the same on every machine.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;

const AGENTS = [
  '0102',
  'gemma',
  'qwen',
  'grok',
  'claude_code',
  'gpt5_codex',
  'holo_index',
  'ai_overseer',
  'wre_orchestrator',
  'youtube_dae',
  'social_media_dae',
  'linkedin_agent',
  'x_agent',
  'vision_dae',
  'idle_automation',
  'pqn_researcher',
  'gemma_validator',
  'qwen_advisor',
  'doc_dae',
  'git_push_dae',
];
const MODULES = [
  'livechat',
  'youtube_dae',
  'social_media_orchestrator',
  'holo_index',
  'wre_core',
  'foundups_vision',
  'linkedin_agent',
  'stream_resolver',
];
const DAEMONS = ['youtube_dae', 'social_media_dae', 'holo_dae'];
const USERS = Array.from({ length: 4096 }, (_, i) => `UC${i.toString(36).padStart(6, '0')}`);

const iso = (ms: number) => new Date(ms).toISOString();
/** The forms writers use: SQLite's, Python's naive isoformat, UTC-designated, and now and then a +02:00 offset. */
const forms = {
  sqlite: (ms: number) => `${iso(ms).slice(0, 10)} ${iso(ms).slice(11, 19)}`,
  naive: (ms: number) => `${iso(ms).slice(0, 23)}${String(Math.floor(random() * 1000)).padStart(3, '0')}`,
  aware: (ms: number) =>
    random() < 0.001 ? `${iso(ms + 7_200_000).slice(0, 19)}+02:00` : `${iso(ms).slice(0, 23)}000+00:00`,
  z: (ms: number) => iso(ms),
};

interface TableSpec {
  table: string;
  share: number;
  insert: string;
  row: (ms: number, i: number) => unknown[];
}

const TABLES: TableSpec[] = [
  {
    table: 'daemon_health',
    share: 0.28,
    insert:
      'INSERT INTO daemon_health (daemon_name, heartbeat_at, status, video_id, errors_detected, uptime_seconds) VALUES (?, ?, ?, ?, ?, ?)',
    row: (ms, i) => [
      DAEMONS[i % 3],
      forms.naive(ms),
      i % 50 === 0 ? 'degraded' : 'healthy',
      'dQw4w9WgXcQ',
      i % 50 === 0 ? 2 : 0,
      i,
    ],
  },
  {
    table: 'chat_messages',
    share: 0.28,
    insert:
      'INSERT INTO chat_messages (user_id, stream_id, sent_at, message, message_type) VALUES (?, ?, ?, ?, ?)',
    row: (ms, i) => [
      i % 97 === 0 ? pick(AGENTS) : pick(USERS),
      'stream-1',
      forms.aware(ms),
      pick(['hello!', 'lol', 'great stream', 'is this live?']),
      i % 40 === 0 ? 'bot_response' : 'chat',
    ],
  },
  {
    table: 'metrics_events',
    share: 0.18,
    insert:
      'INSERT INTO metrics_events (metric_name, value, unit, source_module, agent_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
    row: (ms, i) => [
      pick(['messages_processed', 'api_quota_used', 'search_latency_ms', 'tokens_used']),
      Math.round(random() * 10_000) / 100,
      'count',
      pick(MODULES),
      AGENTS[i % 20],
      i % 3 === 0 ? forms.sqlite(ms) : forms.naive(ms),
    ],
  },
  {
    table: 'confidence_events',
    share: 0.08,
    insert:
      'INSERT INTO confidence_events (agent_id, confidence_before, confidence_after, event_type, success, validation, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    row: (ms, i) => {
      const before = 0.4 + random() * 0.55;
      const success = i % 4 !== 0;
      return [
        AGENTS[i % 20],
        before,
        success ? before + 0.02 : before - 0.05,
        pick(['TESTS_PASSED', 'TESTS_FAILED', 'HUMAN_APPROVAL']),
        success ? 1 : 0,
        'pytest',
        forms.naive(ms),
      ];
    },
  },
  {
    table: 'error_events',
    share: 0.07,
    insert:
      'INSERT INTO error_events (source_module, raised_at, severity, error_type, message) VALUES (?, ?, ?, ?, ?)',
    row: (ms, i) => [
      MODULES[i % 8],
      forms.naive(ms),
      pick(['ERROR', 'ERROR', 'WARNING', 'CRITICAL']),
      pick(['HttpError', 'TimeoutException', 'KeyError']),
      'quotaExceeded',
    ],
  },
  {
    table: 'permission_events',
    share: 0.05,
    insert:
      'INSERT INTO permission_events (agent_id, event_type, permission_level, granted_at, granted_by, confidence) VALUES (?, ?, ?, ?, ?, ?)',
    row: (ms, i) => [
      AGENTS[i % 20],
      i % 6 === 0 ? 'PERMISSION_DOWNGRADE' : 'PERMISSION_GRANTED',
      'edit_access_tests',
      forms.aware(ms),
      '012',
      0.9,
    ],
  },
  {
    table: 'agents_breadcrumbs',
    share: 0.03,
    insert:
      'INSERT INTO agents_breadcrumbs (session_id, timestamp, action, agent_id, query) VALUES (?, ?, ?, ?, ?)',
    row: (ms, i) => [
      `s${i % 500}`,
      forms.sqlite(ms),
      pick(['search', 'read', 'edit']),
      AGENTS[i % 20],
      'holo search',
    ],
  },
  {
    table: 'agents_memory',
    share: 0.02,
    insert:
      'INSERT INTO agents_memory (agent_id, pattern_type, pattern_data, learned_at) VALUES (?, ?, ?, ?)',
    row: (ms, i) => [AGENTS[i % 20], pick(['fix', 'idea', 'warning']), '{"n": 1}', forms.sqlite(ms)],
  },
  {
    table: 'selenium_sessions',
    share: 0.01,
    insert: 'INSERT INTO selenium_sessions (timestamp, url, analysis_json) VALUES (?, ?, ?)',
    row: (ms) => [forms.aware(ms), 'https://www.youtube.com/live', '{"ok": true}'],
  },
];

function generate(db: SqliteDatabase): { seconds: number } {
  const started = performance.now();
  const conn = db.connection;
  let written = 0;
  for (const spec of TABLES) {
    const count = Math.round(EVENTS * spec.share);
    const statement = conn.prepare(spec.insert);
    for (let from = 0; from < count; from += 50_000) {
      db.writeSync(() => {
        for (let i = from; i < Math.min(count, from + 50_000); i++) {
          // Evenly spread over the span with jitter, oldest first (ids grow with time, as in real tables).
          const ms = NOW - SPAN + Math.floor(((i + random()) / count) * SPAN);
          statement.run(...spec.row(ms, i));
        }
      });
      written += Math.min(50_000, count - from);
      process.stdout.write(
        `\r  generating: ${written.toLocaleString('en')} / ${EVENTS.toLocaleString('en')} rows`,
      );
    }
  }
  process.stdout.write('\n');
  return { seconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Measure {
  p50: number;
  p95: number;
  /** p50 of CPU time (user + system) per run. */
  cpu: number;
}

/** Up to `iterations` timed runs after a warm-up, fewer (at least 3) when they add up to over 20 s. */
async function measure(run: () => unknown, iterations: number): Promise<Measure> {
  await run();
  const times: number[] = [];
  const cpu: number[] = [];
  const started = performance.now();
  for (let i = 0; i < iterations && (i < 3 || performance.now() - started < 20_000); i++) {
    const wall = performance.now();
    const usage = process.cpuUsage();
    await run();
    const used = process.cpuUsage(usage);
    times.push(performance.now() - wall);
    cpu.push((used.user + used.system) / 1000);
  }
  const p = (values: number[], q: number) =>
    [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * q)]!;
  return { p50: p(times, 0.5), p95: p(times, 0.95), cpu: p(cpu, 0.5) };
}

interface Row {
  name: string;
  ours: Measure;
  raw?: Measure;
  rawName?: string;
  note?: string;
}

const rows: Row[] = [];

function print(): void {
  const fmt = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
  const header = [
    'measurement',
    'p50 ms',
    'p95 ms',
    'cpu ms',
    'raw SQL p50',
    'raw p95',
    'raw cpu',
    'ratio p50',
    'ratio cpu',
    'raw SQL',
  ];
  const lines = rows.map((row) => [
    row.name,
    fmt(row.ours.p50),
    fmt(row.ours.p95),
    fmt(row.ours.cpu),
    row.raw ? fmt(row.raw.p50) : '',
    row.raw ? fmt(row.raw.p95) : '',
    row.raw ? fmt(row.raw.cpu) : '',
    row.raw ? `${(row.ours.p50 / row.raw.p50).toFixed(1)}×` : (row.note ?? ''),
    row.raw && row.raw.cpu > 0 ? `${(row.ours.cpu / row.raw.cpu).toFixed(1)}×` : '',
    row.rawName ?? '',
  ]);
  const last = header.length - 1;
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 || i === last ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  console.log(render(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(render(line));
}

/** A raw statement prepared once, timed on its own (as the best hand-written query would run). */
function prepared(text: string): () => unknown {
  const statement = currentConnection!.prepare(text);
  return () => statement.all();
}
let currentConnection: SqliteDatabase['connection'] | null = null;

// Hand-written SQL an expert would write for the same rows, straight on better-sqlite3 (no key
// normalisation: it orders by the raw text, so across forms it is only nearly the same order).
const LIST_TABLES = [
  ['permission_events', 'granted_at', 'agent_id'],
  ['confidence_events', 'recorded_at', 'agent_id'],
  ['chat_messages', 'sent_at', 'user_id'],
  ['daemon_health', 'heartbeat_at', 'daemon_name'],
  ['error_events', 'raised_at', null],
  ['metrics_events', 'recorded_at', 'agent_id'],
  ['selenium_sessions', '"timestamp"', null],
  ['agents_breadcrumbs', '"timestamp"', 'agent_id'],
  ['agents_memory', 'learned_at', 'agent_id'],
] as const;

function rawUnion(where: (time: string, actor: string | null) => string | null): string {
  const branches = LIST_TABLES.map(([table, time, actor]) => {
    const condition = where(time, actor);
    if (condition === null) return null;
    return `SELECT * FROM (SELECT '${table}' AS src, id, ${time} AS t FROM ${table}${condition ? ` WHERE ${condition}` : ''} ORDER BY ${time} DESC LIMIT ${PAGE})`;
  }).filter(Boolean);
  return `SELECT src, id, t FROM (${branches.join(' UNION ALL ')}) ORDER BY t DESC LIMIT ${PAGE}`;
}

async function main(): Promise<void> {
  console.log(`Timeline benchmark: ${EVENTS.toLocaleString('en')} events over 90 days in ${FILE}`);
  const reuse = fs.existsSync(FILE);
  const db = (await openDatabase({ dialect: 'sqlite', path: FILE })) as SqliteDatabase;
  const conn = db.connection;
  currentConnection = conn;
  try {
    const generation = reuse ? null : generate(db);
    // Fold the new rows into the rollups as the server does a few seconds after any write (SQLite
    // sources keyed by rowid; elsewhere triggers did it while writing).
    const foldStarted = performance.now();
    const folded = (await refreshRollups(db)).length;
    const foldSeconds = (performance.now() - foldStarted) / 1000;
    if (folded > 0) console.log(`  rollups folded in ${foldSeconds.toFixed(1)} s`);
    const size = fs.statSync(FILE).size;
    const rollupRows = (
      conn.prepare('SELECT COUNT(*) AS n FROM modules_console_event_rollups').get() as { n: number }
    ).n;
    console.log(
      `  ${generation ? `${(EVENTS / generation.seconds).toFixed(0)} rows/s written (${generation.seconds.toFixed(1)} s)` : 'existing file reused'}; ${(size / 1e6).toFixed(0)} MB; ${rollupRows.toLocaleString('en')} hourly rollup rows`,
    );

    const day = { from: new Date(NOW - 86_400_000) };
    const iterations = 15;

    // List: first page, all time and last 24 hours.
    rows.push({
      name: 'list: first page (all time)',
      ours: await measure(() => getTimelinePage(db, {}, { limit: PAGE }), iterations),
      raw: await measure(prepared(rawUnion(() => '')), iterations),
      rawName: '9 × (ORDER BY time DESC LIMIT 50) UNION ALL',
    });
    rows.push({
      name: 'list: first page (all time)',
      ours: rows[0]!.ours,
      raw: await measure(
        prepared(`SELECT id, sent_at FROM chat_messages ORDER BY sent_at DESC LIMIT ${PAGE}`),
        iterations,
      ),
      rawName: 'chat_messages ORDER BY sent_at DESC LIMIT 50',
    });
    const since = new Date(day.from).toISOString().slice(0, 19).replace('T', ' ');
    rows.push({
      name: 'list: first page (last 24 h)',
      ours: await measure(() => getTimelinePage(db, day, { limit: PAGE }), iterations),
      raw: await measure(prepared(rawUnion((time) => `${time} >= '${since}'`)), iterations),
      rawName: 'same with time >= since',
    });

    // Page 1,000 by following cursors from the top.
    let cursor: string | null = null;
    const walkStarted = performance.now();
    const walkUsage = process.cpuUsage();
    for (let page = 1; page < 1000; page++)
      cursor = (await getTimelinePage(db, {}, { cursor, limit: PAGE })).nextCursor;
    const walkMs = performance.now() - walkStarted;
    const walkUsed = process.cpuUsage(walkUsage);
    const walkCpu = (walkUsed.user + walkUsed.system) / 1000;
    const deep = await getTimelinePage(db, {}, { cursor, limit: PAGE });
    const deepKey = deep.events[0]!.key;
    const deepRaw = `${deepKey.slice(0, 10)}T${deepKey.slice(11, 19)}`;
    rows.push({
      name: 'list: page 1,000 (cursor)',
      ours: await measure(() => getTimelinePage(db, {}, { cursor, limit: PAGE }), iterations),
      raw: await measure(prepared(rawUnion((time) => `${time} < '${deepRaw}'`)), iterations),
      rawName: 'same with time < position',
      note: '',
    });
    rows.push({
      name: '  (walking pages 1–999)',
      ours: { p50: walkMs / 999, p95: walkMs / 999, cpu: walkCpu / 999 },
      note: 'ms per page',
    });

    // Per-agent view.
    rows.push({
      name: 'per-agent view: gemma, first page',
      ours: await measure(() => getActorTimeline(db, 'gemma', {}, { limit: PAGE }), iterations),
      raw: await measure(
        prepared(rawUnion((_time, actor) => (actor ? `${actor} = 'gemma'` : null))),
        iterations,
      ),
      rawName: 'per table WHERE actor = ? ORDER BY time DESC LIMIT 50',
    });
    rows.push({
      name: 'live count (newer than an event 1 h old)',
      ours: await measure(async () => {
        const reference = (await getTimelinePage(db, { to: new Date(NOW - 3_600_000) }, { limit: 1 }))
          .events[0]!;
        return countNewerEvents(db, {}, { cursor: reference.cursor });
      }, iterations),
    });
    rows.push({
      name: 'filter picker: actors',
      ours: await measure(() => getFilterValues(db, 'actor', { limit: 200 }), 5),
    });

    // Charts.
    const chartRanges: [string, number][] = [
      ['1 h', 3_600_000],
      ['24 h', 86_400_000],
      ['7 d', 7 * 86_400_000],
      ['90 d', 90 * 86_400_000],
    ];
    for (const [label, span] of chartRanges) {
      const range = { from: new Date(NOW - span - 17 * 60_000), to: new Date(NOW - 17 * 60_000) };
      const lo = iso(range.from.getTime()).slice(0, 19).replace('T', ' ');
      const hi = iso(range.to.getTime()).slice(0, 19);
      const len = span <= 3 * 86_400_000 ? 13 : 10;
      const n = label === '90 d' || label === '7 d' ? 5 : 10;
      const rawGroup = (table: string, time: string, extra = '') =>
        `SELECT substr(${time}, 1, ${len}) AS b${extra ? `, ${extra}` : ''}, COUNT(*) FROM ${table} WHERE ${time} >= '${lo}' AND ${time} < '${hi}' GROUP BY 1${extra ? ', 2' : ''}`;
      const charts: [string, () => Promise<unknown>, string, string][] = [
        [
          'events by source',
          () => getEventVolume(db, range),
          LIST_TABLES.map(([table, time]) => rawGroup(table, time)).join(' UNION ALL '),
          'GROUP BY bucket per table',
        ],
        [
          'errors by module',
          () => getErrorsByModule(db, range),
          rawGroup('error_events', 'raised_at', 'source_module'),
          'error_events GROUP BY bucket, module',
        ],
        [
          'confidence trend',
          () => getConfidenceTrend(db, range),
          `SELECT substr(recorded_at, 1, ${len}), agent_id, AVG(confidence_before), AVG(confidence_after) FROM confidence_events WHERE recorded_at >= '${lo}' AND recorded_at < '${hi}' GROUP BY 1, 2`,
          'confidence_events GROUP BY bucket, agent',
        ],
        [
          'permission changes',
          () => getPermissionChanges(db, range),
          rawGroup('permission_events', 'granted_at', 'event_type'),
          'permission_events GROUP BY bucket, type',
        ],
        [
          'heartbeat health',
          () => getHeartbeatHealth(db, range, new Date(NOW)),
          `SELECT daemon_name, heartbeat_at FROM daemon_health WHERE heartbeat_at >= '${lo}' AND heartbeat_at < '${hi}' ORDER BY daemon_name, heartbeat_at`,
          'daemon_health rows in range, ordered',
        ],
        [
          'metrics series',
          () => getMetricSeries(db, range),
          `SELECT substr(recorded_at, 1, ${len}), metric_name, AVG(value) FROM metrics_events WHERE recorded_at >= '${lo}' AND recorded_at < '${hi}' GROUP BY 1, 2`,
          'metrics_events GROUP BY bucket, name',
        ],
        ['lanes', () => getTimelineLanes(db, range, new Date(NOW)), '', ''],
      ];
      for (const [name, run, rawSql, rawName] of charts) {
        rows.push({
          name: `chart ${label}: ${name}`,
          ours: await measure(run, n),
          raw: rawSql ? await measure(prepared(rawSql), n) : undefined,
          rawName,
        });
      }
    }
    print();
    const check = await verifyRollups(db, { from: new Date(NOW - 7 * 86_400_000), to: new Date(NOW) });
    console.log(
      `\nverifyRollups over the last 7 days: ${check.differences.length} differences, ${check.zoned.length} zone differences.`,
    );
  } finally {
    await db.close();
    if (!KEEP && !argument('file')) fs.rmSync(DIR, { recursive: true, force: true });
    else console.log(`kept ${FILE}`);
  }
}

await main();
