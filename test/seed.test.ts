import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, quoteIdentifier, sql } from '@/db/database';
import { classifyTable } from '@/db/namespaces';
import {
  DEMO_MARKER_KEY,
  DEMO_PENDING_COUNT,
  DEMO_ROOT_MANIFEST,
  DEMO_TABLES,
  SeedRefusedError,
  TELEMETRY_TABLES,
  createDemoRoot,
  readMarker,
  seedDemo,
  seedScale,
  splitEvents,
} from '@/db/seed';
import { listTables, markerStatement } from '@/db/seed/guard';
import { namespaceTableNames } from '@/db/seed/demo-namespaces';
import { pyFloat, pyJson, pythonIsoformat, sqliteTimestamp } from '@/db/seed/python-formats';
import { Prng } from '@/db/seed/random';
import { describeEachDatabase, openTestDatabase, tempDir } from './support/databases';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const HOUR = 3_600_000;

const SQLITE_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const NAIVE_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/;
const AWARE_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/;

/** The three forms the agents write, all UTC in the demo. */
function parseAgentTime(text: string): number {
  if (SQLITE_TIME.test(text)) return Date.parse(`${text.replace(' ', 'T')}Z`);
  if (AWARE_ISO.test(text) || NAIVE_ISO.test(text))
    return Date.parse(`${text.replace(/\+00:00$/, '').slice(0, 23)}Z`);
  throw new Error(`not an agent timestamp: ${text}`);
}

async function count(db: Database, table: string): Promise<number> {
  const row = await db.get<{ n: number | string }>(
    sql`SELECT COUNT(*) AS n FROM ${sql.raw(quoteIdentifier(table))}`,
  );
  return Number(row?.n ?? 0);
}

async function counts(db: Database, tables: readonly string[]): Promise<Record<string, number>> {
  const existing = await listTables(db);
  const out: Record<string, number> = {};
  for (const table of tables) out[table] = existing.has(table) ? await count(db, table) : -1;
  return out;
}

/** What the agents' record_post does (SCHEMA.md), with Python's UUID and json.dumps. */
async function recordPostLikePython(db: Database, postId: string) {
  await db.run(
    sql`INSERT INTO agents_social_posts (post_id, platform, post_type, content, identity, target_url, target_author, tone, trigger_context, status, metadata)
        VALUES (${postId}, 'linkedin', 'comment', 'Your VC model is dead...', 'UnDaoDu', NULL, NULL, 'pushback', NULL, 'pending_review', ${'{"n": 1}'})`,
  );
}

describe('Python value formats', () => {
  it('writes JSON exactly as json.dumps does', () => {
    // Expected strings printed by Python 3's json.dumps.
    expect(
      pyJson({
        a: 1,
        b: [1, 2.5, null, true],
        c: 'é"\\\n🚀\x7f<script>',
        d: {},
        e: [],
        f: pyFloat(45),
        g: 1e-7,
        h: 'مرحبا',
      }),
    ).toBe(
      '{"a": 1, "b": [1, 2.5, null, true], "c": "\\u00e9\\"\\\\\\n\\ud83d\\ude80\\u007f<script>", "d": {}, "e": [], "f": 45.0, "g": 1e-07, "h": "\\u0645\\u0631\\u062d\\u0628\\u0627"}',
    );
    expect(pyJson({ h: 'مرحبا 🚀', x: '\t' }, { ensureAscii: false })).toBe('{"h": "مرحبا 🚀", "x": "\\t"}');
  });

  it('writes times as SQLite and datetime.isoformat() do', () => {
    expect(sqliteTimestamp(NOW)).toBe('2026-11-20 12:00:00');
    expect(pythonIsoformat(NOW, 'naive')).toBe('2026-11-20T12:00:00');
    expect(pythonIsoformat(NOW, 'naive', 120)).toBe('2026-11-20T12:00:00.000120');
    expect(pythonIsoformat(new Date('2026-11-20T12:00:00.5Z'), 'aware', 7)).toBe(
      '2026-11-20T12:00:00.500007+00:00',
    );
  });

  it('gives different seeds different streams', () => {
    const firsts = new Set(Array.from({ length: 200 }, (_, seed) => new Prng(seed).next()));
    expect(firsts.size).toBe(200);
    expect(new Prng(5).fork('a').next()).toBe(new Prng(5).fork('a').next());
    expect(new Prng(5).fork('a').next()).not.toBe(new Prng(5).fork('b').next());
  });

  it('splits benchmark events exactly', () => {
    for (const n of [0, 1, 7, 2345, 999_999]) {
      const split = splitEvents(n);
      expect(Object.values(split).reduce((a, b) => a + b, 0)).toBe(n);
      expect(Object.keys(split).sort()).toEqual([...TELEMETRY_TABLES].sort());
    }
  });
});

describeEachDatabase('seedDemo', (use) => {
  let db: Database;
  let volume: number;
  beforeAll(async () => {
    db = use().db;
    // The full default volume on SQLite; a small one on PGlite, which inserts ~10k rows/s.
    volume = use().target === 'sqlite' ? 1 : 0.02;
    const report = await seedDemo(db, { now: NOW, seed: 7, volume });
    expect(report.rows).toBe(Object.values(report.tables).reduce((a, b) => a + b, 0));
    expect(report.skipped).toEqual([]);
  });

  it('puts posts in every status, with the newest 40 pending review', async () => {
    const rows = await db.all<{ status: string; n: number | string }>(
      sql`SELECT status, COUNT(*) AS n FROM agents_social_posts GROUP BY status`,
    );
    const byStatus = Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
    for (const status of ['draft', 'pending_review', 'approved', 'rejected', 'posted'])
      expect(byStatus[status], status).toBeGreaterThan(0);
    expect(byStatus.pending_review).toBe(DEMO_PENDING_COUNT);
    // A status the agents' code never writes, shown as it is.
    expect(byStatus.publish_failed).toBe(1);
    const newestDecided = await db.get<{ t: string }>(
      sql`SELECT MAX(created_at) AS t FROM agents_social_posts WHERE status <> 'pending_review'`,
    );
    const oldestPending = await db.get<{ t: string }>(
      sql`SELECT MIN(created_at) AS t FROM agents_social_posts WHERE status = 'pending_review'`,
    );
    expect(newestDecided!.t <= oldestPending!.t).toBe(true);
  });

  it("writes posts in the agents' formats", async () => {
    const posts = await db.all<{
      status: string;
      created_at: string;
      reviewed_at: string | null;
      posted_at: string | null;
      review_notes: string | null;
      metadata: string | null;
      post_id: string;
    }>(
      sql`SELECT post_id, status, created_at, reviewed_at, posted_at, review_notes, metadata FROM agents_social_posts`,
    );
    expect(posts.length).toBeGreaterThanOrEqual(290);
    for (const post of posts) {
      expect(post.created_at).toMatch(SQLITE_TIME);
      expect(post.post_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseAgentTime(post.created_at)).toBeLessThanOrEqual(NOW.getTime());
      if (post.reviewed_at) expect(post.reviewed_at).toMatch(NAIVE_ISO);
      if (post.posted_at) expect(post.posted_at).toMatch(NAIVE_ISO);
      if (post.metadata) expect(() => JSON.parse(post.metadata!)).not.toThrow();
      if (post.status === 'rejected') expect(post.review_notes && post.reviewed_at).toBeTruthy();
      if (post.status === 'posted') expect(post.posted_at).toBeTruthy();
      if (post.status === 'pending_review' || post.status === 'draft') expect(post.reviewed_at).toBeNull();
    }
    // json.dumps separators, not JSON.stringify's.
    expect(posts.some((post) => post.metadata?.includes('", "'))).toBe(true);
    // Python prints no fraction when microsecond == 0, and one review shows it.
    expect(posts.some((post) => post.reviewed_at && /T\d\d:\d\d:\d\d$/.test(post.reviewed_at))).toBe(true);
    // One post was published without review (the agents' code checks nothing).
    expect(posts.some((post) => post.status === 'posted' && post.reviewed_at === null)).toBe(true);
  });

  it('puts hostile and edge contents in the review queue', async () => {
    const pending = await db.all<{
      content: string;
      platform: string;
      target_url: string | null;
      identity: string | null;
    }>(
      sql`SELECT content, platform, target_url, identity FROM agents_social_posts WHERE status = 'pending_review'`,
    );
    const contents = pending.map((post) => post.content);
    expect(contents.some((text) => text.includes('<script>'))).toBe(true);
    expect(pending.some((post) => post.platform === 'x' && [...post.content].length > 280)).toBe(true);
    expect(contents.some((text) => /[\u0600-\u06ff]/.test(text))).toBe(true);
    expect(contents.some((text) => /[\u0590-\u05ff]/.test(text))).toBe(true);
    expect(contents.some((text) => /\p{Extended_Pictographic}\u200d/u.test(text))).toBe(true);
    expect(pending.some((post) => post.target_url?.startsWith('javascript:'))).toBe(true);
    expect(pending.some((post) => post.identity === null)).toBe(true);
  });

  it('fills every telemetry, agents and registry table and the namespace examples', async () => {
    const names = Object.values(namespaceTableNames(db));
    const filled = await counts(db, [...DEMO_TABLES, ...names]);
    for (const [table, n] of Object.entries(filled)) expect(n, table).toBeGreaterThan(0);
    const owners = names.map((name) => classifyTable(name, ['chat_rules', 'youtube_bot']));
    expect(owners.map((c) => `${c.namespace}:${c.owner}`)).toEqual([
      'modules:chat_rules',
      'modules:chat_rules',
      'foundups:youtube_bot',
      'foundups:youtube_bot',
    ]);
    if (volume === 1) {
      const total = Object.values(filled).reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(50_000);
      expect(total).toBeLessThan(110_000);
    }
  });

  it('shows heartbeats every 30–60 s with hours-long gaps, and a daemon that went quiet', async () => {
    const beats = await db.all<{ daemon_name: string; heartbeat_at: string }>(
      sql`SELECT daemon_name, heartbeat_at FROM daemon_health`,
    );
    const daemons = new Set(beats.map((beat) => beat.daemon_name));
    expect(daemons.size).toBeGreaterThanOrEqual(2);
    const youtube = beats
      .filter((beat) => beat.daemon_name === 'youtube_dae')
      .map((beat) => parseAgentTime(beat.heartbeat_at))
      .sort((a, b) => a - b);
    const gaps = youtube.slice(1).map((t, i) => t - youtube[i]!);
    const sorted = [...gaps].sort((a, b) => a - b);
    expect(sorted[sorted.length - 1]!).toBeGreaterThan(5 * HOUR);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    if (volume === 1) {
      expect(median).toBeGreaterThanOrEqual(30_000);
      expect(median).toBeLessThanOrEqual(61_000);
    }
    const social = beats
      .filter((beat) => beat.daemon_name === 'social_media_dae')
      .map((beat) => parseAgentTime(beat.heartbeat_at));
    expect(NOW.getTime() - Math.max(...social)).toBeGreaterThan(2 * HOUR);
    // Writers use different formats: naive isoformat, +00:00 and SQLite's.
    expect(beats.some((beat) => NAIVE_ISO.test(beat.heartbeat_at))).toBe(true);
    expect(beats.some((beat) => AWARE_ISO.test(beat.heartbeat_at))).toBe(true);
    expect(beats.some((beat) => SQLITE_TIME.test(beat.heartbeat_at))).toBe(true);
  });

  it('has an error burst, confidence trends and permission downgrades', async () => {
    const errors = await db.all<{ raised_at: string }>(
      sql`SELECT raised_at FROM error_events WHERE source_module = 'livechat'`,
    );
    const burstStart = NOW.getTime() - 9 * 24 * HOUR - 4 * HOUR;
    const inBurst = errors.filter((e) => {
      const t = parseAgentTime(e.raised_at);
      return t >= burstStart && t < burstStart + 20 * 60_000;
    });
    expect(inBurst.length).toBeGreaterThanOrEqual(12);
    const xAgent = await db.all<{ confidence_after: number; recorded_at: string }>(
      sql`SELECT confidence_after, recorded_at FROM confidence_events WHERE agent_id = 'x_agent'`,
    );
    const ordered = xAgent.sort((a, b) => parseAgentTime(a.recorded_at) - parseAgentTime(b.recorded_at));
    expect(Number(ordered[ordered.length - 1]!.confidence_after)).toBeLessThan(
      Number(ordered[0]!.confidence_after),
    );
    const types = await db.all<{ event_type: string }>(
      sql`SELECT DISTINCT event_type FROM permission_events`,
    );
    expect(types.map((t) => t.event_type)).toEqual(
      expect.arrayContaining(['PERMISSION_GRANTED', 'PERMISSION_DOWNGRADE', 'PERMISSION_REVOKED']),
    );
  });

  it('keeps identity sequences usable after explicit registry ids', async () => {
    // On PostgreSQL explicit ids do not move the identity; the seed must, or this insert collides.
    await db.run(
      sql`INSERT INTO modules (module_name, module_path, module_domain) VALUES ('added_later', 'modules/test/added_later', 'test')`,
    );
    const docs = await db.get<{ n: number | string }>(
      sql`SELECT COUNT(*) AS n FROM module_documents d LEFT JOIN modules m ON m.module_id = d.module_id WHERE m.module_id IS NULL`,
    );
    expect(Number(docs!.n)).toBe(0);
  });

  it('marks the database as demo data', async () => {
    const marker = await readMarker(db);
    expect(marker?.state).toBe('complete');
    expect(marker?.demo?.seed).toBe(7);
    expect(marker?.demo?.now).toBe(NOW.toISOString());
    const row = await db.get<{ key: string }>(
      sql`SELECT key FROM modules_console_meta WHERE key = ${DEMO_MARKER_KEY}`,
    );
    expect(row?.key).toBe('demo_database');
  });

  it('refuses to seed the same database twice and adds nothing', async () => {
    const before = await counts(db, DEMO_TABLES);
    const error = await seedDemo(db, { now: NOW, volume }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeedRefusedError);
    expect((error as SeedRefusedError).reason).toBe('already-seeded');
    expect((error as Error).message).toMatch(/already holds the demo data/);
    // Not even force duplicates the demo.
    await expect(seedDemo(db, { now: NOW, volume, force: true })).rejects.toMatchObject({
      reason: 'already-seeded',
    });
    expect(await counts(db, DEMO_TABLES)).toEqual(before);
  });
});

describeEachDatabase('seedDemo on a database that is not a demo', (use) => {
  const realPost = '0b6f3c1e-2f0a-4c55-9a4e-7d1f5b8e9a10';

  it('refuses a database holding a post the agents wrote, writing nothing', async () => {
    const { db } = use();
    await recordPostLikePython(db, realPost);
    const names = Object.values(namespaceTableNames(db));
    const before = await counts(db, [...DEMO_TABLES, ...names, 'modules_console_meta']);
    const error = await seedDemo(db, { now: NOW, volume: 0.02 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeedRefusedError);
    expect((error as SeedRefusedError).reason).toBe('real-data');
    expect((error as Error).message).toMatch(/agents_social_posts.*no demo marker.*nothing was changed/);
    expect(await counts(db, [...DEMO_TABLES, ...names, 'modules_console_meta'])).toEqual(before);
    expect(before[names[0]!]).toBe(-1); // the namespace tables were not even created
    await expect(seedScale(db, { events: 10, now: NOW })).rejects.toMatchObject({ reason: 'real-data' });
    expect(await readMarker(db)).toBeNull();
  });

  it('seeds next to the real rows with force, leaving them untouched', async () => {
    const { db } = use();
    const original = await db.get(sql`SELECT * FROM agents_social_posts WHERE post_id = ${realPost}`);
    const report = await seedDemo(db, { now: NOW, volume: 0.02, force: true });
    expect(report.forced).toBe(true);
    expect(await db.get(sql`SELECT * FROM agents_social_posts WHERE post_id = ${realPost}`)).toEqual(
      original,
    );
    expect(await count(db, 'agents_social_posts')).toBe(1 + report.tables.agents_social_posts!);
    expect(await count(db, 'daemon_health')).toBeGreaterThan(0);
    expect((await readMarker(db))?.demo?.forced).toBe(true);
  });
});

describeEachDatabase('seedDemo guards', (use) => {
  it('rejects bad options before touching the database', async () => {
    const { db } = use();
    await expect(seedDemo(db, { volume: 0 })).rejects.toThrow(/volume/);
    await expect(seedDemo(db, { seed: 1.5 })).rejects.toThrow(/seed/);
    await expect(seedDemo(db, { now: new Date('nope') })).rejects.toThrow(/now/);
    await expect(seedScale(db, { events: -1 })).rejects.toThrow(/events/);
    await expect(seedScale(db, { events: 10, posts: 5, pendingPosts: 6 })).rejects.toThrow(/pendingPosts/);
    expect(await readMarker(db)).toBeNull();
    expect(await count(db, 'daemon_health')).toBe(0);
  });

  it('refuses a row in any seeded table, not only posts', async () => {
    const { db } = use();
    await db.run(
      sql`INSERT INTO agents_memory (agent_id, pattern_type, pattern_data) VALUES ('gemma', 'error_fix', ${'{"p": 1}'})`,
    );
    await expect(seedDemo(db, { now: NOW, volume: 0.02 })).rejects.toMatchObject({ reason: 'real-data' });
    await expect(seedScale(db, { events: 10, now: NOW })).rejects.toMatchObject({ reason: 'real-data' });
    expect(await count(db, 'daemon_health')).toBe(0);
  });

  it('refuses a database whose earlier seed did not finish', async () => {
    const { db } = use();
    await db.run(markerStatement({ kind: 'foundups-demo', version: 1, state: 'seeding' }));
    await expect(seedDemo(db, { now: NOW, volume: 0.02 })).rejects.toMatchObject({ reason: 'incomplete' });
    await expect(seedScale(db, { events: 10, now: NOW })).rejects.toMatchObject({ reason: 'incomplete' });
    expect(await count(db, 'daemon_health')).toBe(0);
  });
});

describe('seedDemo on an unmigrated database', () => {
  it('refuses with a clear message', async () => {
    const target = await openTestDatabase('sqlite', { migrate: false });
    try {
      await expect(seedDemo(target.db, { now: NOW })).rejects.toMatchObject({
        reason: 'not-migrated',
        message: expect.stringMatching(/run the migrations/),
      });
    } finally {
      await target.cleanup();
    }
  });
});

describe('seedDemo failing part-way on SQLite', () => {
  it('rolls everything back and says so', async () => {
    const target = await openTestDatabase('sqlite');
    try {
      // A table late in the plan rejects its rows: posts and telemetry were already inserted by then.
      await target.db.run(
        sql.raw(
          "CREATE TRIGGER reject_docs BEFORE INSERT ON agents_transactions BEGIN SELECT RAISE(ABORT, 'disk says no'); END",
        ),
      );
      await expect(seedDemo(target.db, { now: NOW, volume: 0.02 })).rejects.toThrow(
        /failed and nothing was written.*disk says no/,
      );
      for (const [table, n] of Object.entries(await counts(target.db, DEMO_TABLES))) expect(n, table).toBe(0);
      expect(await readMarker(target.db)).toBeNull();
    } finally {
      await target.cleanup();
    }
  });
});

describe('seedDemo determinism', () => {
  it('gives the same rows for the same seed and different rows for another', async () => {
    const snapshot = async (seed: number) => {
      const target = await openTestDatabase('sqlite');
      try {
        await seedDemo(target.db, { now: NOW, seed, volume: 0.05 });
        const out: Record<string, unknown[]> = {};
        for (const table of DEMO_TABLES)
          out[table] = await target.db.all(sql`SELECT * FROM ${sql.raw(table)} ORDER BY 1`);
        return crypto.createHash('sha256').update(JSON.stringify(out)).digest('hex');
      } finally {
        await target.cleanup();
      }
    };
    const a = await snapshot(3);
    // A second apart, so a value taken from the wall clock (a DEFAULT datetime('now')) would show.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await snapshot(3)).toBe(a);
    expect(await snapshot(4)).not.toBe(a);
  });
});

describeEachDatabase('seedScale', (use) => {
  it('writes exactly N events, the posts asked for, in batches', async () => {
    const { db } = use();
    const progress: number[] = [];
    const report = await seedScale(db, {
      events: 2345,
      posts: 300,
      pendingPosts: 30,
      now: NOW,
      batchSize: 500,
      onProgress: (done) => progress.push(done),
    });
    const tables = await counts(db, TELEMETRY_TABLES);
    expect(Object.values(tables).reduce((a, b) => a + b, 0)).toBe(2345);
    expect(tables).toEqual(splitEvents(2345));
    expect(await count(db, 'agents_social_posts')).toBe(300);
    const pending = await db.get<{ n: number | string }>(
      sql`SELECT COUNT(*) AS n FROM agents_social_posts WHERE status = 'pending_review'`,
    );
    expect(Number(pending!.n)).toBe(30);
    expect(report.rows).toBe(2645);
    expect(progress[progress.length - 1]).toBe(2645);
    expect(report.batches).toBe(progress.length);
    expect(report.rowsPerSecond).toBeGreaterThan(0);
    expect((await readMarker(db))?.scale?.[0]?.events).toBe(2345);
    // Every time stays inside the span and in the agents' formats.
    const beats = await db.all<{ heartbeat_at: string }>(sql`SELECT heartbeat_at FROM daemon_health`);
    for (const beat of beats) {
      const t = parseAgentTime(beat.heartbeat_at);
      expect(t).toBeLessThan(NOW.getTime());
      expect(t).toBeGreaterThan(NOW.getTime() - 91 * 24 * HOUR);
    }
  });

  it('adds to an existing demo without colliding post ids', async () => {
    const { db } = use();
    await seedScale(db, { events: 100, posts: 50, now: NOW });
    expect(await count(db, 'agents_social_posts')).toBe(350);
    expect(Object.values(await counts(db, TELEMETRY_TABLES)).reduce((a, b) => a + b, 0)).toBe(2445);
    expect((await readMarker(db))?.scale).toHaveLength(2);
  });
});

describe('createDemoRoot', () => {
  let dir: string;
  let root: string;
  beforeAll(() => {
    dir = tempDir('foundups-demo-root-');
    root = path.join(dir, 'foundups');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function walk(base: string): string[] {
    return fs
      .readdirSync(base, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(base, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  }
  const skipped = (file: string) =>
    file.split('/').some((part) => part === 'node_modules' || part === '.git');
  const hashes = () =>
    Object.fromEntries(
      walk(root).map((file) => [
        file,
        crypto
          .createHash('sha256')
          .update(fs.readFileSync(path.join(root, file)))
          .digest('hex'),
      ]),
    );

  /** SCHEMA.md's documented satellite patterns, matched at any depth. */
  const DOCUMENTED = [
    'social_media_orchestrator/memory/orchestrator_posted_streams.db',
    'foundups_vision/data/training/*.db',
    'holo_index/violations.db',
    '**/chroma.sqlite3',
    'modules/foundups/simulator/memory/*/fam_audit.db',
    'modules/gamification/*/data/*.db',
  ];
  const matches = (pattern: string, file: string) =>
    new RegExp(
      `(^|/)${pattern
        .replace(/[.]/g, '\\.')
        .replace(/\*\*\//g, '(.*/)?')
        .replace(/\*(?!\))/g, '[^/]*')}$`,
    ).test(file);

  it('creates satellites for every documented pattern, undocumented ones and skipped folders', async () => {
    const report = await createDemoRoot(root, { now: NOW, seed: 5 });
    const files = walk(root);
    expect(report.created.length).toBe(report.files.length);
    const databases = files.filter((file) => /\.(db|sqlite|sqlite3)$/.test(file));
    const scanned = databases.filter((file) => !skipped(file));
    expect(databases.filter(skipped)).toHaveLength(2);
    for (const pattern of DOCUMENTED)
      expect(
        scanned.some((file) => matches(pattern, file)),
        pattern,
      ).toBe(true);
    const undocumented = scanned.filter((file) => !DOCUMENTED.some((pattern) => matches(pattern, file)));
    expect(undocumented).toEqual(expect.arrayContaining(['modules/communication/livechat/data/cache.db']));
    expect(scanned.length).toBeGreaterThanOrEqual(8);
    for (const file of scanned) {
      const full = path.join(root, file);
      if (fs.statSync(full).size === 0) continue; // what sqlite3.connect leaves on a mistyped path
      const conn = new BetterSqlite3(full, { readonly: true, fileMustExist: true });
      try {
        const tables = conn
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
          .all() as { name: string }[];
        expect(tables.length, file).toBeGreaterThan(0);
        const rows = tables.reduce(
          (sum, t) => sum + (conn.prepare(`SELECT COUNT(*) AS n FROM "${t.name}"`).get() as { n: number }).n,
          0,
        );
        expect(rows, file).toBeGreaterThan(0);
        if (file.endsWith('chroma.sqlite3'))
          expect(tables.map((t) => t.name)).toEqual(
            expect.arrayContaining(['collections', 'embeddings', 'segments', 'embedding_metadata']),
          );
      } finally {
        conn.close();
      }
    }
    expect(files.some((file) => file.endsWith('-journal') || file.includes('.tmp-'))).toBe(false);
  });

  it('writes at least 12 JSONL files in 6 domains, with the defects real files have', () => {
    const jsonl = walk(root).filter((file) => file.endsWith('.jsonl') && !skipped(file));
    expect(jsonl.length).toBeGreaterThanOrEqual(12);
    expect(walk(root).filter((file) => file.endsWith('.jsonl') && skipped(file))).toHaveLength(2);
    const read = (file: string) => fs.readFileSync(path.join(root, file));
    const text = (file: string) => read(file).toString('utf8');
    const lines = (file: string) =>
      text(file)
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/);
    const records = (file: string) =>
      lines(file).flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
    // Domains recognised by their fields (SCHEMA.md's shapes).
    const domain = (file: string) => {
      const sample = records(file).slice(0, 20);
      const has = (...keys: string[]) => sample.some((r) => keys.every((k) => k in r));
      if (has('event_id', 'event_type', 'agent_id')) return 'permission';
      if (has('confidence_before', 'confidence_after', 'recent_failures')) return 'confidence';
      if (has('status', 'uptime_seconds')) return 'heartbeat';
      if (has('event', 'url', 'payload', 'analysis')) return 'vision';
      if (has('stream_id', 'message', 'user_id')) return 'chat';
      if (has('level', 'error_type', 'message')) return 'error';
      if (has('metric', 'value', 'unit')) return 'metrics';
      return 'unknown';
    };
    const domains = new Set(jsonl.map(domain));
    expect([...domains].filter((d) => d !== 'unknown').length).toBeGreaterThanOrEqual(6);
    expect(domains.has('unknown')).toBe(true);
    for (const file of jsonl) expect(lines(file).filter(Boolean).length, file).toBeGreaterThanOrEqual(100);

    const heartbeat = 'logs/youtube_dae_heartbeat.jsonl';
    const beats = records(heartbeat);
    expect(beats.some((r) => 'memory_usage_mb' in r && 'automation_gates' in r && 'run_id' in r)).toBe(true);
    expect(
      beats.some((r) => 'chat_messages_per_min' in r && 'heartbeat_count' in r && 'memory_mb' in r),
    ).toBe(true);
    expect(beats.some((r) => 'event' in r && 'timestamp' in r && !('status' in r))).toBe(true);
    expect(beats.some((r) => typeof r.uptime_seconds === 'string')).toBe(true);
    const raw = text(heartbeat);
    expect(raw.endsWith('\n')).toBe(false);
    expect(() => JSON.parse(raw.slice(raw.lastIndexOf('\n') + 1))).toThrow();
    expect(raw).toMatch(/\n\n/);

    const all = jsonl.map((file) => ({ file, bytes: read(file), text: text(file) }));
    expect(all.some(({ bytes }) => bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)).toBe(true);
    expect(all.some(({ text: t }) => t.includes('\r\n') && !/[^\r]\n/.test(t))).toBe(true);
    const parses = (line: string) => {
      try {
        JSON.parse(line);
        return true;
      } catch {
        return false;
      }
    };
    // A broken JSON line in the middle of a file (not only a truncated tail).
    expect(
      all.some(({ file }) =>
        lines(file)
          .slice(0, -2)
          .some((line) => line.startsWith('{"') && !parses(line)),
      ),
    ).toBe(true);
    expect(all.some(({ text: t }) => t.includes("{'agent_id': "))).toBe(true);
    expect(all.some(({ file }) => records(file).some((r) => typeof r.value === 'string'))).toBe(true);
    expect(
      all.some(({ file }) => new Set(lines(file).filter(Boolean)).size < lines(file).filter(Boolean).length),
    ).toBe(true);
  });

  it('includes the Python writers, two of them for the heartbeat file', () => {
    const sources = walk(root).filter((file) => file.endsWith('.py'));
    const appending = (source: string) => /open\([^)]*,\s*(mode=)?['"]a['"]/.test(source);
    const writers = sources.filter((file) => {
      const source = fs.readFileSync(path.join(root, file), 'utf8');
      return appending(source) && source.includes('logs/youtube_dae_heartbeat.jsonl');
    });
    expect(writers).toHaveLength(2);
    expect(
      sources.filter((file) => appending(fs.readFileSync(path.join(root, file), 'utf8'))).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('is idempotent, and recreates a missing file identically', async () => {
    const before = hashes();
    const again = await createDemoRoot(root, { now: new Date('2030-01-01T00:00:00Z'), seed: 99 });
    expect(again.created).toEqual([]);
    expect(hashes()).toEqual(before);
    const victim = 'logs/youtube_dae_heartbeat.jsonl';
    fs.rmSync(path.join(root, victim));
    const repaired = await createDemoRoot(root);
    expect(repaired.created).toEqual([victim]);
    expect(hashes()).toEqual(before);
  });

  it('refuses a non-empty folder that is not a demo root, writing nothing', async () => {
    const real = path.join(dir, 'real-checkout');
    fs.mkdirSync(path.join(real, 'modules'), { recursive: true });
    fs.writeFileSync(path.join(real, 'main.py'), 'print("real")\n');
    await expect(createDemoRoot(real)).rejects.toMatchObject({ reason: 'not-a-demo-root' });
    expect(walk(real)).toEqual(['main.py']);
    expect(fs.existsSync(path.join(real, DEMO_ROOT_MANIFEST))).toBe(false);
  });

  it('is created by seedDemo when a root is given', async () => {
    const target = await openTestDatabase('sqlite');
    try {
      const demoRoot = path.join(dir, 'from-seed');
      const report = await seedDemo(target.db, { now: NOW, volume: 0.02, root: demoRoot, scale: 500 });
      expect(report.root?.created.length).toBeGreaterThan(20);
      expect(report.scale?.events).toBe(500);
      expect((await readMarker(target.db))?.demo?.root).toBe(demoRoot);
    } finally {
      await target.cleanup();
    }
  });
});
