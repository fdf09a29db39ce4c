// Chart data against counts computed in the test from the generated rows: whole-hour rollups plus
// raw edges give the same numbers as counting rows, whatever the time form; heartbeat gaps, confidence
// and metric averages, permission grants vs downgrades, browser-session spans.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Database, sql } from '@/db/database';
import {
  getConfidenceTrend,
  getErrorsByModule,
  getEventVolume,
  getHeartbeatHealth,
  getMetricSeries,
  getPermissionChanges,
  getTimelineLanes,
  permissionChangeKind,
} from '@/lib/timeline/charts';
import { ROLLUPS_COMPLETE_KEY_PREFIX, rebuildRollups, verifyRollups } from '@/lib/timeline/rollups';
import { DAY_MS, HOUR_MS, MINUTE_MS, chooseBucket } from '@/lib/timeline/time';
import { describeEachDatabase } from './support/databases';

const BASE = Date.UTC(2025, 1, 1); // 2025-02-01T00:00:00Z
const NOW = new Date(BASE + 10 * DAY_MS);

/** The same instant in one of the forms writers use (the fifth carries a +02:00 offset). */
function written(ms: number, i: number): string {
  const iso = new Date(ms).toISOString();
  switch (i % 5) {
    case 0:
      return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
    case 1:
      return `${iso.slice(0, 19)}.${iso.slice(20, 23)}456`;
    case 2:
      return `${iso.slice(0, 23)}000+00:00`;
    case 3:
      return iso;
    default: {
      const local = new Date(ms + 2 * HOUR_MS).toISOString();
      return `${local.slice(0, 19)}+02:00`;
    }
  }
}

interface Generated {
  errors: { t: number; module: string }[];
  permissions: { t: number; type: string }[];
  confidence: { t: number; agent: string; before: number; after: number }[];
  metrics: { t: number; name: string; value: number }[];
  heartbeats: { t: number; daemon: string }[];
  browser: number[];
}

const A_GAP = [BASE + 2 * DAY_MS + 10 * HOUR_MS, BASE + 2 * DAY_MS + 12 * HOUR_MS];
const B_STOP = BASE + 4 * DAY_MS + 12 * HOUR_MS;

function generate(): Generated {
  const g: Generated = {
    errors: [],
    permissions: [],
    confidence: [],
    metrics: [],
    heartbeats: [],
    browser: [],
  };
  for (let i = 0; i < 500; i++)
    g.errors.push({ t: BASE + i * 863_000, module: ['livechat', 'holo_index', 'wre_core'][i % 3]! });
  for (let i = 0; i < 200; i++)
    g.permissions.push({
      t: BASE + i * 2_111_000,
      type: i % 4 === 0 ? 'PERMISSION_DOWNGRADE' : 'PERMISSION_GRANTED',
    });
  for (let i = 0; i < 300; i++)
    g.confidence.push({
      t: BASE + i * 1_400_000,
      agent: i % 2 ? 'a1' : 'a2',
      before: 0.5 + (i % 10) / 100,
      after: 0.51 + (i % 10) / 100,
    });
  for (let i = 0; i < 300; i++)
    g.metrics.push({ t: BASE + i * 1_400_000 + 30_000, name: i % 3 ? 'm1' : 'm2', value: i % 7 });
  for (let t = BASE; t < BASE + 5 * DAY_MS; t += 2 * MINUTE_MS) {
    if (t < A_GAP[0]! || t >= A_GAP[1]!) g.heartbeats.push({ t, daemon: 'daemon_a' });
    if (t < B_STOP) g.heartbeats.push({ t: t + 30_000, daemon: 'daemon_b' });
  }
  const session = BASE + DAY_MS;
  g.browser.push(
    session,
    session + MINUTE_MS,
    session + 3 * MINUTE_MS,
    session + 30 * MINUTE_MS,
    session + 31 * MINUTE_MS,
  );
  return g;
}

async function load(db: Database, g: Generated): Promise<void> {
  await db.bulkInsert(
    'error_events',
    ['source_module', 'raised_at', 'severity', 'error_type', 'message'],
    g.errors.map((e, i) => [e.module, written(e.t, i), i % 4 ? 'ERROR' : 'WARNING', 'HttpError', `e${i}`]),
  );
  await db.bulkInsert(
    'permission_events',
    ['agent_id', 'event_type', 'granted_at'],
    g.permissions.map((p, i) => ['gemma', p.type, written(p.t, i)]),
  );
  await db.bulkInsert(
    'confidence_events',
    ['agent_id', 'confidence_before', 'confidence_after', 'event_type', 'success', 'recorded_at'],
    g.confidence.map((c, i) => [c.agent, c.before, c.after, 'TESTS_PASSED', true, written(c.t, i)]),
  );
  await db.bulkInsert(
    'metrics_events',
    ['metric_name', 'value', 'source_module', 'recorded_at'],
    g.metrics.map((m, i) => [m.name, m.value, 'holo_index', written(m.t, i)]),
  );
  await db.bulkInsert(
    'daemon_health',
    ['daemon_name', 'heartbeat_at', 'status'],
    g.heartbeats.map((h, i) => [h.daemon, written(h.t, i), 'healthy']),
  );
  await db.bulkInsert(
    'selenium_sessions',
    ['timestamp', 'url'],
    g.browser.map((t) => [new Date(t).toISOString().replace('Z', '+00:00'), 'https://example.com']),
  );
}

const floor = (t: number, bucket: number) => Math.floor(t / bucket) * bucket;

/** Counts per bucket start (ISO) of the instants in [from, to). */
function countByBucket(times: number[], from: number, to: number, bucket: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of times)
    if (t >= from && t < to)
      counts[new Date(floor(t, bucket)).toISOString()] =
        (counts[new Date(floor(t, bucket)).toISOString()] ?? 0) + 1;
  return counts;
}

function nonZero(
  buckets: { start: string; counts: Record<string, number> }[],
  series: string,
): Record<string, number> {
  return Object.fromEntries(
    buckets.filter((b) => (b.counts[series] ?? 0) > 0).map((b) => [b.start, b.counts[series]!]),
  );
}

describeEachDatabase('timeline charts', (use) => {
  const g = generate();
  beforeAll(async () => {
    await load(use().db, g);
  });

  it('the generated data went through the triggers: rollups are consistent', async () => {
    expect(await verifyRollups(use().db)).toEqual({ differences: [], zoned: [] });
  });

  it.each([
    ['5 days, daily buckets from rollups', BASE, BASE + 5 * DAY_MS],
    [
      '29 hours off the hour: rollups plus raw edges',
      BASE + DAY_MS + 7 * MINUTE_MS + 13_000,
      BASE + 2 * DAY_MS + 5 * HOUR_MS + 3 * MINUTE_MS,
    ],
    [
      '2 hours, 5-minute buckets from rows',
      BASE + 3 * DAY_MS + 30 * MINUTE_MS,
      BASE + 3 * DAY_MS + 150 * MINUTE_MS,
    ],
    [
      '40 minutes, 1-minute buckets from rows',
      BASE + 4 * DAY_MS + 11 * MINUTE_MS,
      BASE + 4 * DAY_MS + 51 * MINUTE_MS,
    ],
  ])('events over time by source (%s) equal a count of the rows', async (_name, from, to) => {
    const { db } = use();
    const volume = await getEventVolume(db, { from: new Date(from), to: new Date(to) });
    const bucket = chooseBucket(new Date(from), new Date(to));
    expect(volume.bucketMs).toBe(bucket);
    expect(volume.series.map((s) => s.id)).toEqual([
      'permissions',
      'confidence',
      'chat',
      'heartbeats',
      'errors',
      'metrics',
      'browser',
      'coordination',
      'breadcrumbs',
      'memory',
      'contracts',
      'tasks',
      'posts',
      'reviews',
    ]);
    expect(nonZero(volume.buckets, 'errors')).toEqual(
      countByBucket(
        g.errors.map((e) => e.t),
        from,
        to,
        bucket,
      ),
    );
    expect(nonZero(volume.buckets, 'heartbeats')).toEqual(
      countByBucket(
        g.heartbeats.map((h) => h.t),
        from,
        to,
        bucket,
      ),
    );
    expect(nonZero(volume.buckets, 'permissions')).toEqual(
      countByBucket(
        g.permissions.map((p) => p.t),
        from,
        to,
        bucket,
      ),
    );
    expect(volume.buckets[0]!.start).toBe(new Date(floor(from, bucket)).toISOString());
    for (const b of volume.buckets) expect(b.total).toBe(Object.values(b.counts).reduce((x, y) => x + y, 0));
  });

  it('gives the same numbers without rollups (raw scans), and honours filters', async () => {
    const { db } = use();
    const filters = { from: new Date(BASE + 7 * HOUR_MS + 5 * MINUTE_MS), to: new Date(BASE + 4 * DAY_MS) };
    const withRollups = await getEventVolume(db, filters);
    await db.run(sql`DELETE FROM modules_console_meta WHERE key LIKE ${`${ROLLUPS_COMPLETE_KEY_PREFIX}%`}`);
    expect(await getEventVolume(db, filters)).toEqual(withRollups);
    await rebuildRollups(db);
    const livechat = await getEventVolume(db, { ...filters, sources: ['errors'], modules: ['livechat'] });
    const want = countByBucket(
      g.errors.filter((e) => e.module === 'livechat').map((e) => e.t),
      filters.from.getTime(),
      filters.to.getTime(),
      DAY_MS,
    );
    expect(nonZero(livechat.buckets, 'errors')).toEqual(want);
    const warnings = await getEventVolume(db, { ...filters, severities: ['warning'] });
    const warned = g.errors.filter((_, i) => i % 4 === 0).map((e) => e.t);
    expect(nonZero(warnings.buckets, 'errors')).toEqual(
      countByBucket(warned, filters.from.getTime(), filters.to.getTime(), DAY_MS),
    );
    expect(nonZero(warnings.buckets, 'permissions')).toEqual(
      countByBucket(
        g.permissions.filter((p) => p.type.includes('DOWNGRADE')).map((p) => p.t),
        filters.from.getTime(),
        filters.to.getTime(),
        DAY_MS,
      ),
    );
  });

  it('errors by module', async () => {
    const { db } = use();
    const from = BASE + 12 * HOUR_MS;
    const to = BASE + 36 * HOUR_MS;
    const chart = await getErrorsByModule(db, { from: new Date(from), to: new Date(to) });
    expect(chart.series.map((s) => s.id).sort()).toEqual(['holo_index', 'livechat', 'wre_core']);
    for (const name of ['holo_index', 'livechat', 'wre_core'])
      expect(nonZero(chart.buckets, name)).toEqual(
        countByBucket(
          g.errors.filter((e) => e.module === name).map((e) => e.t),
          from,
          to,
          HOUR_MS,
        ),
      );
  });

  it('permission grants vs downgrades', async () => {
    const { db } = use();
    const chart = await getPermissionChanges(db, { from: new Date(BASE), to: new Date(BASE + 5 * DAY_MS) });
    expect(chart.buckets.reduce((sum, b) => sum + b.grants, 0)).toBe(150);
    expect(chart.buckets.reduce((sum, b) => sum + b.downgrades, 0)).toBe(50);
    expect(chart.buckets.every((b) => b.other === 0)).toBe(true);
    expect(permissionChangeKind('PERMISSION_REVOKED')).toBe('downgrade');
    expect(permissionChangeKind('PERMISSION_GRANTED')).toBe('grant');
    expect(permissionChangeKind(null)).toBe('other');
  });

  it('confidence before/after per agent and metric averages', async () => {
    const { db } = use();
    for (const [from, to] of [
      [BASE, BASE + 5 * DAY_MS],
      [BASE + HOUR_MS, BASE + 3 * HOUR_MS],
    ] as const) {
      const bucket = chooseBucket(new Date(from), new Date(to));
      const trend = await getConfidenceTrend(db, { from: new Date(from), to: new Date(to) });
      expect(trend.agents).toEqual(['a1', 'a2']);
      for (const point of trend.points) {
        const rows = g.confidence.filter(
          (c) =>
            c.agent === point.series &&
            c.t >= from &&
            c.t < to &&
            floor(c.t, bucket) === Date.parse(point.start),
        );
        expect(point.events).toBe(rows.length);
        expect(point.before).toBeCloseTo(rows.reduce((s, c) => s + c.before, 0) / rows.length, 9);
        expect(point.after).toBeCloseTo(rows.reduce((s, c) => s + c.after, 0) / rows.length, 9);
      }
      expect(trend.points.reduce((s, p) => s + p.events, 0)).toBe(
        g.confidence.filter((c) => c.t >= from && c.t < to).length,
      );
      const metrics = await getMetricSeries(db, { from: new Date(from), to: new Date(to), types: ['m2'] });
      expect(metrics.metrics).toEqual(['m2']);
      for (const point of metrics.points) {
        const rows = g.metrics.filter(
          (m) => m.name === 'm2' && m.t >= from && m.t < to && floor(m.t, bucket) === Date.parse(point.start),
        );
        expect(point.average).toBeCloseTo(rows.reduce((s, m) => s + m.value, 0) / rows.length, 9);
      }
    }
  });

  it('heartbeats: exact gaps (every heartbeat) for short ranges', async () => {
    const { db } = use();
    const from = A_GAP[0]! - 2 * HOUR_MS;
    const to = A_GAP[1]! + 2 * HOUR_MS;
    const around = await getHeartbeatHealth(db, { from: new Date(from), to: new Date(to) }, NOW);
    expect(around.exact).toBe(true);
    const a = around.daemons.find((d) => d.daemon === 'daemon_a')!;
    expect(a.medianIntervalMs).toBe(2 * MINUTE_MS);
    expect(a.gaps).toEqual([
      {
        start: new Date(A_GAP[0]! - 2 * MINUTE_MS).toISOString(),
        end: new Date(A_GAP[1]!).toISOString(),
        ongoing: false,
      },
    ]);
    expect(a.uptime).toBeCloseTo(1 - (2 * HOUR_MS + 2 * MINUTE_MS) / (to - from), 9);
    expect(a.buckets.find((b) => b.start === new Date(A_GAP[0]! + HOUR_MS).toISOString())).toMatchObject({
      heartbeats: 0,
      uptime: 0,
    });
    expect(a.states).toEqual([
      {
        start: new Date(from).toISOString(),
        end: new Date(A_GAP[0]! - 2 * MINUTE_MS).toISOString(),
        status: 'healthy',
      },
      {
        start: new Date(A_GAP[1]!).toISOString(),
        end: new Date(to - 2 * MINUTE_MS).toISOString(),
        status: 'healthy',
      },
    ]);
    const stop = await getHeartbeatHealth(
      db,
      { from: new Date(B_STOP - 3 * HOUR_MS), to: new Date(B_STOP + 3 * HOUR_MS) },
      NOW,
    );
    const b = stop.daemons.find((d) => d.daemon === 'daemon_b')!;
    expect(b.gaps).toEqual([
      {
        start: new Date(B_STOP - 2 * MINUTE_MS + 30_000).toISOString(),
        end: new Date(B_STOP + 3 * HOUR_MS).toISOString(),
        ongoing: true,
      },
    ]);
  });

  it('heartbeats: hourly gaps from rollups for long ranges; the future does not count', async () => {
    const { db } = use();
    const week = await getHeartbeatHealth(db, { from: new Date(BASE), to: new Date(BASE + 5 * DAY_MS) }, NOW);
    expect(week.exact).toBe(false);
    const a = week.daemons.find((d) => d.daemon === 'daemon_a')!;
    expect(a.gaps).toEqual([
      { start: new Date(A_GAP[0]!).toISOString(), end: new Date(A_GAP[1]!).toISOString(), ongoing: false },
    ]);
    expect(a.uptime).toBeCloseTo(1 - 2 / 120, 9);
    expect(a.medianIntervalMs).toBe(2 * MINUTE_MS);
    const b = week.daemons.find((d) => d.daemon === 'daemon_b')!;
    expect(b.gaps).toEqual([
      {
        start: new Date(B_STOP).toISOString(),
        end: new Date(BASE + 5 * DAY_MS).toISOString(),
        ongoing: true,
      },
    ]);
    expect(b.uptime).toBeCloseTo(1 - 12 / 120, 9);
    const early = await getHeartbeatHealth(
      db,
      { from: new Date(BASE), to: new Date(BASE + 5 * DAY_MS) },
      new Date(BASE + DAY_MS),
    );
    expect(early.daemons.find((d) => d.daemon === 'daemon_a')!.uptime).toBe(1);
    expect(early.daemons.find((d) => d.daemon === 'daemon_a')!.buckets.at(-1)!.uptime).toBeNull();
  });

  it('lanes: buckets with their worst severity, browser sessions as spans, heartbeats as state strips', async () => {
    const { db } = use();
    const lanes = await getTimelineLanes(
      db,
      { from: new Date(BASE + DAY_MS - HOUR_MS), to: new Date(BASE + DAY_MS + 2 * HOUR_MS) },
      NOW,
    );
    const browser = lanes.lanes.find((lane) => lane.source === 'browser')!;
    expect(browser.kind).toBe('spans');
    expect(browser.spans).toEqual([
      {
        start: new Date(BASE + DAY_MS).toISOString(),
        end: new Date(BASE + DAY_MS + 3 * MINUTE_MS).toISOString(),
        events: 3,
      },
      {
        start: new Date(BASE + DAY_MS + 30 * MINUTE_MS).toISOString(),
        end: new Date(BASE + DAY_MS + 31 * MINUTE_MS).toISOString(),
        events: 2,
      },
    ]);
    const errors = lanes.lanes.find((lane) => lane.source === 'errors')!;
    expect(errors.kind).toBe('points');
    expect(new Set(errors.buckets.filter((b) => b.count > 0).map((b) => b.severity))).toEqual(
      new Set(['warning', 'error']),
    );
    const heartbeats = lanes.lanes.find((lane) => lane.source === 'heartbeats')!;
    expect(heartbeats.states?.map((s) => s.actor)).toEqual(['daemon_a', 'daemon_b']);
  });

  it('refuses a range that is empty, backwards or too long', async () => {
    const { db } = use();
    await expect(getEventVolume(db, { from: new Date(BASE), to: new Date(BASE) })).rejects.toThrow(
      /after its start/,
    );
    await expect(getEventVolume(db, { from: new Date(Number.NaN), to: new Date(BASE) })).rejects.toThrow(
      /valid time range/,
    );
    await expect(
      getEventVolume(db, { from: new Date(0), to: new Date(BASE + 20 * 365 * DAY_MS) }),
    ).rejects.toThrow(/too long/);
  });
});

describe('bucket size follows the range', () => {
  it('1 min up to 1 h, 5 min up to 6 h, 1 h up to 3 days, 1 day beyond', () => {
    const at = (ms: number) => chooseBucket(new Date(0), new Date(ms));
    expect(at(HOUR_MS)).toBe(MINUTE_MS);
    expect(at(HOUR_MS + 1)).toBe(5 * MINUTE_MS);
    expect(at(6 * HOUR_MS)).toBe(5 * MINUTE_MS);
    expect(at(3 * DAY_MS)).toBe(HOUR_MS);
    expect(at(3 * DAY_MS + 1)).toBe(DAY_MS);
  });
});
