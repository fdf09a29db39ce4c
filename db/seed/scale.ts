import { refreshRollups } from '@/lib/timeline/rollups';
import type { Database } from '../database';
import { renderQuery, sql } from '../database';
import type { SqliteDatabase } from '../drivers/sqlite';
import { type DemoMarker, SeedRefusedError, assertSeedable, markerStatement } from './guard';
import { POST_COLUMNS } from './demo-posts';
import { DEMO_TABLES, TELEMETRY_TABLES } from './tables';
import { Prng, YOUTUBE_ID_ALPHABET, hashSeed } from './random';
import { pyJson } from './python-formats';
import {
  AGENTS,
  CONFIDENCE_EVENT_TYPES,
  DAEMONS,
  IDENTITIES,
  MODULE_NAMES,
  PERMISSION_LEVELS,
  PLATFORMS,
  TONES,
} from './vocabulary';
import { type TableCounts, type TableRows, createSqliteWriter, writeWithBulkInsert } from './writers';

/**
 * Benchmark-scale data: `events` rows spread over the six telemetry tables (exactly `events` in all)
 * and optionally `posts` social posts of which the newest `pendingPosts` wait for review. Rows are
 * generated and committed in batches of `batchSize` (default 50,000), so memory stays flat whatever
 * the size; each batch is one transaction.
 *
 * Options:
 * - events (required): number of telemetry events, ≥ 0.
 * - posts: social posts to add (default 0); pendingPosts: how many of them are pending_review
 *   (default 10% of posts).
 * - now: end of the time span (default: the current time); days: length of the span (default 90).
 * - seed: PRNG seed (default 12); batchSize: rows per transaction (default 50,000).
 * - force: seed even though the database holds rows and no demo marker (never do this on a real one).
 * - onProgress(rowsWritten, rowsTotal): called after each batch.
 *
 * Runs on a demo database (or an empty one, which it marks as demo); refuses a real one like seedDemo.
 * Rerunning adds another `events` rows (benchmarks grow the data step by step).
 */

export interface SeedScaleOptions {
  events: number;
  posts?: number;
  pendingPosts?: number;
  now?: Date;
  days?: number;
  seed?: number;
  batchSize?: number;
  force?: boolean;
  onProgress?: (rowsWritten: number, rowsTotal: number) => void;
}

export interface ScaleReport {
  events: number;
  posts: number;
  pendingPosts: number;
  rows: number;
  batches: number;
  tables: TableCounts;
  seconds: number;
  rowsPerSecond: number;
}

/** How events are shared between the telemetry tables (fractions of `events`). */
export const SCALE_SHARES = [
  ['daemon_health', 0.3],
  ['chat_messages', 0.3],
  ['metrics_events', 0.2],
  ['confidence_events', 0.08],
  ['error_events', 0.07],
  ['permission_events', 0.05],
] as const;

const DEFAULT_BATCH = 50_000;
const DAY = 86_400_000;

function assertCount(name: string, value: number | undefined, max = 1e9): number {
  const n = value ?? 0;
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new RangeError(`${name} must be a whole number from 0 to ${max}, got ${String(value)}.`);
  return n;
}

/** Exact split of `events` over the tables: floors, then the remainder to the largest shares. */
export function splitEvents(events: number): Record<(typeof TELEMETRY_TABLES)[number], number> {
  const counts = Object.fromEntries(
    SCALE_SHARES.map(([table, share]) => [table, Math.floor(events * share)]),
  ) as Record<(typeof TELEMETRY_TABLES)[number], number>;
  let rest = events - Object.values(counts).reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % SCALE_SHARES.length, rest--) counts[SCALE_SHARES[i]![0]]++;
  return counts;
}

/** Fast time text in the agents' formats (python-formats.ts), one Date per value. */
class TimeText {
  naive(ms: number, micro: number): string {
    const iso = new Date(ms).toISOString();
    // Python drops the fraction when it is exactly zero.
    return micro === 0 && ms % 1000 === 0
      ? iso.slice(0, 19)
      : `${iso.slice(0, 23)}${String(micro).padStart(3, '0')}`;
  }
  aware(ms: number, micro: number): string {
    return `${this.naive(ms, micro)}+00:00`;
  }
  sqlite(ms: number): string {
    const iso = new Date(ms).toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
}

interface TableSpec {
  table: string;
  columns: readonly string[];
  count: number;
  row: (i: number, ms: number) => unknown[];
}

function pool<T>(rng: Prng, size: number, make: (rng: Prng, i: number) => T): T[] {
  return Array.from({ length: size }, (_, i) => make(rng, i));
}

function eventSpecs(rng: Prng, counts: ReturnType<typeof splitEvents>, time: TimeText): TableSpec[] {
  const micro = () => (rng.next() * 1000) | 0;
  const metricsJson = pool(rng, 256, (r) =>
    pyJson({
      stream_active: r.chance(0.4),
      memory_usage_mb: r.int(150, 420) + 0.5,
      cpu_usage_percent: r.int(1, 60) + 0.25,
      run_id: `run_${r.hex(8)}`,
    }),
  );
  const videos = pool(rng, 64, (r) => r.chars(YOUTUBE_ID_ALPHABET, 11));
  const users = pool(rng, 4096, (r) => `UC${r.chars(YOUTUBE_ID_ALPHABET, 22)}`);
  const chatJson = pool(rng, 256, (r) =>
    pyJson({
      author_name: `viewer_${r.int(1, 99999)}`,
      is_moderator: r.chance(0.03),
      is_member: r.chance(0.1),
    }),
  );
  const messages = [
    'hello!',
    'lol',
    'W',
    'こんにちは',
    '🔥🔥',
    'how do I join?',
    'great stream',
    '0102 ✊✋🖐',
    'first',
    'is this live?',
  ];
  const metricNames = pool(
    rng,
    32,
    (r) =>
      [
        r.pick([
          'messages_processed',
          'api_quota_used',
          'search_latency_ms',
          'tokens_used',
          'post_latency_s',
        ]),
        r.pick(MODULE_NAMES),
      ] as const,
  );
  const tagsJson = pool(rng, 64, (r) => pyJson({ env: 'prod', host: `worker-${r.int(1, 8)}` }));
  const confJson = pool(rng, 256, (r) =>
    pyJson({
      recent_failures: r.int(0, 4),
      failure_multiplier: 1.5,
      details: { task: r.pick(['fix_test', 'draft_post', 'refactor']) },
    }),
  );
  const validations = [
    'pytest: 142 passed',
    'pytest: 3 failed',
    '012 approved',
    '012 rejected',
    'error rate normal',
  ];
  const errorTypes = [
    ['HttpError', 'ERROR', 'quotaExceeded'],
    ['TimeoutException', 'ERROR', 'Timed out receiving message from renderer'],
    ['KeyError', 'WARNING', "KeyError: 'authorDetails'"],
    ['sqlite3.OperationalError', 'ERROR', 'database is locked'],
    ['RuntimeError', 'CRITICAL', 'stream resolver returned nothing'],
  ] as const;
  const errorJson = pool(rng, 64, (r) => pyJson({ pid: r.int(1000, 65000), attempt: r.int(1, 3) }));
  const signatures = pool(rng, 256, (r) => `sha256:${r.hex(64)}`);
  const permJson = pool(rng, 64, (r) =>
    pyJson({ event_id: `perm_${r.hex(12)}`, requires_reapproval: r.chance(0.2) }),
  );
  const agents = AGENTS;
  const statuses = ['healthy', 'healthy', 'healthy', 'healthy', 'running', 'degraded'];
  return [
    {
      table: 'daemon_health',
      columns: [
        'daemon_name',
        'heartbeat_at',
        'status',
        'video_id',
        'errors_detected',
        'uptime_seconds',
        'metrics_json',
      ],
      count: counts.daemon_health,
      row: (i, ms) => [
        DAEMONS[i % 3],
        time.naive(ms, micro()),
        statuses[i % 6],
        i % 5 === 0 ? null : videos[i & 63],
        i % 7,
        i,
        metricsJson[i & 255],
      ],
    },
    {
      table: 'chat_messages',
      columns: ['user_id', 'stream_id', 'sent_at', 'message', 'message_type', 'metadata_json'],
      count: counts.chat_messages,
      row: (i, ms) => [
        users[(rng.next() * 4096) | 0],
        videos[(i >> 10) & 63],
        time.aware(ms, micro()),
        messages[i % 10],
        i % 40 === 0 ? 'bot_response' : 'chat',
        chatJson[i & 255],
      ],
    },
    {
      table: 'metrics_events',
      columns: ['metric_name', 'value', 'unit', 'source_module', 'agent_id', 'tags_json', 'recorded_at'],
      count: counts.metrics_events,
      row: (i, ms) => {
        const [name, module] = metricNames[i & 31]!;
        return [
          name,
          Math.round(rng.next() * 100_000) / 100,
          'count',
          module,
          agents[i % 20],
          tagsJson[i & 63],
          i % 3 === 0 ? time.sqlite(ms) : time.naive(ms, micro()),
        ];
      },
    },
    {
      table: 'confidence_events',
      columns: [
        'agent_id',
        'confidence_before',
        'confidence_after',
        'event_type',
        'success',
        'validation',
        'recorded_at',
        'metadata_json',
      ],
      count: counts.confidence_events,
      row: (i, ms) => {
        const before = 0.4 + rng.next() * 0.55;
        const success = i % 4 !== 0;
        return [
          agents[i % 20],
          before,
          success ? before + 0.02 : before - 0.05,
          CONFIDENCE_EVENT_TYPES[i % 7],
          success,
          validations[i % 5],
          time.naive(ms, micro()),
          confJson[i & 255],
        ];
      },
    },
    {
      table: 'error_events',
      columns: [
        'source_module',
        'raised_at',
        'severity',
        'error_type',
        'message',
        'stack_trace',
        'payload_json',
      ],
      count: counts.error_events,
      row: (i, ms) => {
        const [type, severity, message] = errorTypes[i % 5]!;
        return [
          MODULE_NAMES[i % 8],
          time.naive(ms, micro()),
          severity,
          type,
          message,
          null,
          errorJson[i & 63],
        ];
      },
    },
    {
      table: 'permission_events',
      columns: [
        'agent_id',
        'event_type',
        'permission_level',
        'granted_at',
        'granted_by',
        'confidence',
        'justification',
        'approval_signature',
        'metadata_json',
      ],
      count: counts.permission_events,
      row: (i, ms) => [
        agents[i % 20],
        i % 6 === 0 ? 'PERMISSION_DOWNGRADE' : 'PERMISSION_GRANTED',
        PERMISSION_LEVELS[i % 7],
        time.aware(ms, micro()),
        i % 2 ? '012' : 'system_automatic',
        0.5 + rng.next() * 0.45,
        'confidence threshold',
        signatures[i & 255],
        permJson[i & 63],
      ],
    },
  ];
}

function postSpec(rng: Prng, posts: number, pending: number, time: TimeText, idPrefix: string): TableSpec {
  const contents = pool(
    rng,
    128,
    (r, i) =>
      `${r.pick(['Your VC model is dead.', 'Community ownership wins.', 'Agents build, people own.', 'New FoundUp launched!'])} (${i}) #FoundUps`,
  );
  const metadata = pool(rng, 64, (r) =>
    pyJson({ generator: r.pick(['qwen-1.5b', 'gemma-3-270m']), confidence: 0.5 + r.int(0, 49) / 100 }),
  );
  const decided = ['posted', 'posted', 'posted', 'posted', 'rejected', 'approved', 'draft', 'posted'];
  const firstPending = posts - pending;
  return {
    table: 'agents_social_posts',
    columns: POST_COLUMNS,
    count: posts,
    row: (i, ms) => {
      const status = i >= firstPending ? 'pending_review' : decided[i & 7]!;
      const reviewed =
        status === 'pending_review' || status === 'draft'
          ? null
          : time.naive(ms + 3_600_000, (rng.next() * 1000) | 0);
      return [
        `${idPrefix}${i.toString(16).padStart(12, '0')}`,
        PLATFORMS[i % 6],
        i % 3 === 0 ? 'post' : 'comment',
        IDENTITIES[i % 6],
        i % 3 === 0 ? null : `https://www.youtube.com/watch?v=${i.toString(36).padStart(11, '0')}`,
        i % 3 === 0 ? null : `@viewer_${i % 9973}`,
        contents[i & 127],
        TONES[i % 7],
        'scale benchmark',
        status,
        status === 'rejected' ? 'off-topic' : null,
        reviewed,
        status === 'posted' ? time.naive(ms + 7_200_000, (rng.next() * 1000) | 0) : null,
        time.sqlite(ms),
        i % 5 === 0 ? null : metadata[i & 63],
      ];
    },
  };
}

/** Batches of at most `batchSize` rows, table by table, each table's rows in time order. */
function* batches(
  specs: TableSpec[],
  start: number,
  span: number,
  batchSize: number,
  rng: Prng,
): Generator<TableRows> {
  for (const spec of specs) {
    const step = spec.count > 0 ? span / spec.count : 0;
    for (let from = 0; from < spec.count; from += batchSize) {
      const to = Math.min(spec.count, from + batchSize);
      const rows = new Array<unknown[]>(to - from);
      for (let i = from; i < to; i++)
        rows[i - from] = spec.row(i, Math.floor(start + i * step + rng.next() * step));
      yield { table: spec.table, columns: spec.columns, rows };
    }
  }
}

export async function seedScale(db: Database, options: SeedScaleOptions): Promise<ScaleReport> {
  const events = assertCount('events', options.events);
  const posts = assertCount('posts', options.posts);
  const pendingPosts = assertCount('pendingPosts', options.pendingPosts ?? Math.round(posts / 10));
  if (pendingPosts > posts)
    throw new RangeError(`pendingPosts (${pendingPosts}) cannot exceed posts (${posts}).`);
  const batchSize = assertCount('batchSize', options.batchSize ?? DEFAULT_BATCH, 1_000_000) || DEFAULT_BATCH;
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new RangeError('now must be a valid date.');
  const days = options.days ?? 90;
  if (!(days > 0 && days <= 3650)) throw new RangeError(`days must be between 0 and 3650, got ${days}.`);
  const seed = options.seed ?? 12;

  const { marker } = await assertSeedable(db, DEMO_TABLES, options.force ?? false);
  if (marker?.state === 'seeding') {
    throw new SeedRefusedError(
      'incomplete',
      'Refusing to add benchmark data: a previous demo seed of this database did not finish; seed a fresh database instead.',
    );
  }

  const started = performance.now();
  // Post ids must not collide with an earlier run on the same database: derive them from what is there.
  const existing = await db.allPrimary<{ n: number | string | null }>(
    sql`SELECT MAX(id) AS n FROM agents_social_posts`,
  );
  const runKey = `${now.toISOString()}:${String(existing[0]?.n ?? 0)}:${events}:${posts}`;
  const rng = new Prng(hashSeed(seed, runKey));
  const prefix = rng.uuid4().slice(0, 24);
  const time = new TimeText();
  const specs = [...eventSpecs(rng.fork('events'), splitEvents(events), time)];
  if (posts > 0) specs.push(postSpec(rng.fork('posts'), posts, pendingPosts, time, prefix));
  const total = events + posts;
  const counts: TableCounts = {};
  let written = 0;
  let batchCount = 0;

  const nextMarker: DemoMarker = {
    kind: 'foundups-demo',
    version: 1,
    state: marker?.state ?? 'complete',
    demo: marker?.demo,
    scale: [
      ...(marker?.scale ?? []),
      { events, posts, now: now.toISOString(), seededAt: new Date().toISOString(), rows: total },
    ],
  };
  const end = now.getTime() - 1000;
  const span = days * DAY;
  const source = batches(specs, end - span, span, batchSize, rng.fork('times'));

  if (db.driver === 'better-sqlite3') {
    const sqlite = db as SqliteDatabase;
    const write = createSqliteWriter(sqlite.connection);
    const marked = renderQuery('sqlite', markerStatement(nextMarker));
    sqlite.writeSync(() => sqlite.connection.prepare(marked.sql).run(marked.params));
    for (const batch of source) {
      sqlite.writeSync(() => write(batch, counts));
      written += batch.rows.length;
      batchCount++;
      options.onProgress?.(written, total);
    }
  } else {
    await db.run(markerStatement(nextMarker));
    for (const batch of source) {
      await writeWithBulkInsert(db, batch, counts);
      written += batch.rows.length;
      batchCount++;
      options.onProgress?.(written, total);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  // Inserts fire no rollup work on SQLite: fold the new rows now, so the first chart reads rollups only.
  await refreshRollups(db);
  return {
    events,
    posts,
    pendingPosts,
    rows: written,
    batches: batchCount,
    tables: counts,
    seconds,
    rowsPerSecond: seconds > 0 ? Math.round(written / seconds) : written,
  };
}
