import { type Database, quoteIdentifier, sql } from '@/db/database';
import { parseDbTime } from '@/lib/time/format';
import {
  limitSql,
  type Bounds,
  type SourcePlan,
  type TimelineContext,
  type TimelineFilters,
  planBranches,
  planSources,
  raw,
  unionAll,
  withSources,
} from './branches';
import { readRollups, rollupsCanFilter, rollupsComplete } from './rollups';
import { SEVERITIES, type TimelineSource, dimensionSql, timeColumnSql } from './sources';
import {
  type BucketMs,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  bucketLabelToDate,
  ceilToBucket,
  chooseBucket,
  dateToKey,
  floorToBucket,
  keyToDate,
} from './time';

// Chart data: plain arrays computed on the server for the Recharts leaves. Every chart takes the
// timeline's filters with a required range. Buckets follow the range (1 min ≤ 1 h, 5 min ≤ 6 h,
// 1 h ≤ 3 days, 1 day beyond) and cover whole buckets, so the first and last may reach past the range.
//
// Counting: whole UTC hours come from the rollups when the bucket is an hour or a day, the source's
// rollups are complete and keep the filtered dimensions (on SQLite readRollups adds the rows not folded
// yet, so the counts are exact between refreshes); the partial hours at the edges, short ranges,
// free-text filters and sources without rollups are counted from the rows (index range scans).

export type ChartFilters = TimelineFilters & { from: Date; to: Date };

interface Aggregate {
  count: number;
  aSum: number;
  aN: number;
  bSum: number;
  bN: number;
}

type GroupDimension = 'module' | 'actor' | 'type' | 'severity';

interface AggregateRow {
  source: string;
  /** Bucket label ('YYYY-MM-DD HH:MM' … 'YYYY-MM-DD'). */
  label: string;
  groups: Partial<Record<GroupDimension, string | null>>;
  value: Aggregate;
}

/** Most buckets one chart returns (ten years of days). */
export const MAX_BUCKETS = 3700;

function checkRange(filters: ChartFilters): void {
  const { from, to } = filters;
  if (
    !(from instanceof Date) ||
    !(to instanceof Date) ||
    Number.isNaN(from.getTime()) ||
    Number.isNaN(to.getTime())
  )
    throw new RangeError('A chart needs a valid time range.');
  if (to.getTime() <= from.getTime()) throw new RangeError('The end of the range must be after its start.');
}

function labelLength(bucket: BucketMs): 16 | 13 | 10 {
  return bucket === DAY_MS ? 10 : bucket === HOUR_MS ? 13 : 16;
}

/** SQL text: the bucket label of a key. */
function bucketLabel(key: string, bucket: BucketMs): string {
  if (bucket === 5 * MINUTE_MS)
    return `(substr(${key}, 1, 15) || CASE WHEN substr(${key}, 16, 1) < '5' THEN '0' ELSE '5' END)`;
  return `substr(${key}, 1, ${labelLength(bucket)})`;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** Start (ms) of a bucket label 'YYYY-MM-DD[ HH[:MM]]', or null: a fast path for thousands of rollup rows. */
function labelStart(label: string): number | null {
  const ms = Date.UTC(
    +label.slice(0, 4),
    +label.slice(5, 7) - 1,
    +label.slice(8, 10),
    +(label.slice(11, 13) || 0),
    +(label.slice(14, 16) || 0),
  );
  if (Number.isNaN(ms)) return bucketLabelToDate(label)?.getTime() ?? null;
  return ms;
}

/** The label of the bucket starting at `date`. */
function labelOf(date: Date, bucket: BucketMs): string {
  const day = `${String(date.getUTCFullYear()).padStart(4, '0')}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  if (bucket === DAY_MS) return day;
  if (bucket === HOUR_MS) return `${day} ${pad(date.getUTCHours())}`;
  return `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

/** Every bucket start of the range (whole buckets). */
function bucketStarts(filters: ChartFilters, bucket: BucketMs): Date[] {
  const starts: Date[] = [];
  const end = ceilToBucket(filters.to, bucket).getTime();
  for (let t = floorToBucket(filters.from, bucket).getTime(); t < end; t += bucket) starts.push(new Date(t));
  if (starts.length > MAX_BUCKETS)
    throw new RangeError(
      `The range is too long for one chart (${starts.length} buckets; at most ${MAX_BUCKETS}).`,
    );
  return starts;
}

function emptyAggregate(): Aggregate {
  return { count: 0, aSum: 0, aN: 0, bSum: 0, bN: 0 };
}

function addInto(target: Aggregate, value: Aggregate): void {
  target.count += value.count;
  target.aSum += value.aSum;
  target.aN += value.aN;
  target.bSum += value.bSum;
  target.bN += value.bN;
}

interface RawAggregateRow {
  label: string;
  module?: string | null;
  actor?: string | null;
  type?: string | null;
  severity?: string | null;
  count: number;
  a_sum: number | null;
  a_n: number;
  b_sum: number | null;
  b_n: number;
}

/** Counts from the rows themselves for keys in [from, to). */
async function rawAggregate(
  db: Database,
  plan: SourcePlan,
  from: Date,
  to: Date,
  bucket: BucketMs,
  groupBy: readonly GroupDimension[],
  values: { a?: string; b?: string },
): Promise<RawAggregateRow[]> {
  const bounds: Bounds = { lower: dateToKey(from), upper: dateToKey(to) };
  const columns = (source: TimelineSource, key: string) =>
    [
      `${bucketLabel(key, bucket)} AS label`,
      ...groupBy.map((dimension) => `CAST(${dimensionSql(source[dimension])} AS TEXT) AS ${dimension}`),
      values.a ? `${quoteIdentifier(values.a)} AS a` : 'CAST(NULL AS DOUBLE PRECISION) AS a',
      values.b ? `${quoteIdentifier(values.b)} AS b` : 'CAST(NULL AS DOUBLE PRECISION) AS b',
    ].join(', ');
  const branches = planBranches(plan, bounds, { kind: 'select', columns });
  if (branches.length === 0) return [];
  const ordinals = raw(Array.from({ length: groupBy.length + 1 }, (_, i) => String(i + 1)).join(', '));
  const groups = groupBy.map((dimension) => raw(`, ${dimension}`));
  return db.all<RawAggregateRow>(
    sql`SELECT label${sql.join(groups, sql``)}, COUNT(*) AS count, SUM(a) AS a_sum, COUNT(a) AS a_n, SUM(b) AS b_sum, COUNT(b) AS b_n FROM (${unionAll(branches)}) AS rows GROUP BY ${ordinals}`,
  );
}

function toAggregateRows(
  source: string,
  rows: RawAggregateRow[],
  groupBy: readonly GroupDimension[],
): AggregateRow[] {
  return rows.map((row) => ({
    source,
    label: String(row.label),
    groups: Object.fromEntries(
      groupBy.map((dimension) => [
        dimension,
        row[dimension] === '' || row[dimension] === undefined ? null : row[dimension],
      ]),
    ),
    value: {
      count: Number(row.count),
      aSum: Number(row.a_sum ?? 0),
      aN: Number(row.a_n),
      bSum: Number(row.b_sum ?? 0),
      bN: Number(row.b_n),
    },
  }));
}

/** One source's aggregates per bucket label and group, from rollups where they can answer. */
async function aggregateSource(
  db: Database,
  plan: SourcePlan,
  filters: ChartFilters,
  bucket: BucketMs,
  groupBy: readonly GroupDimension[],
  values: { a?: string; b?: string },
): Promise<AggregateRow[]> {
  const { source } = plan;
  const canUseRollups =
    (bucket === HOUR_MS || bucket === DAY_MS) &&
    !filters.q &&
    rollupsCanFilter(source, filters) &&
    groupBy.every((dimension) => dimension !== 'actor' || source.maintained?.actor) &&
    groupBy.every((dimension) => dimension !== 'type' || source.maintained?.type) &&
    (!values.a || values.a === source.maintained?.valueA) &&
    (!values.b || values.b === source.maintained?.valueB) &&
    (await rollupsComplete(db, source.id));
  const firstHour = ceilToBucket(filters.from, HOUR_MS);
  const lastHour = floorToBucket(filters.to, HOUR_MS);
  if (!canUseRollups || firstHour.getTime() >= lastHour.getTime()) {
    return toAggregateRows(
      source.id,
      await rawAggregate(db, plan, filters.from, filters.to, bucket, groupBy, values),
      groupBy,
    );
  }
  // Rows for the partial hours at the edges, hourly rollups for the partial days, daily ones between.
  const firstDay = ceilToBucket(firstHour, DAY_MS);
  const lastDay = floorToBucket(lastHour, DAY_MS);
  const useDays = bucket === DAY_MS && firstDay.getTime() < lastDay.getTime();
  const pieces: AggregateRow[] = [];
  const rawPiece = async (from: Date, to: Date) => {
    if (from.getTime() < to.getTime())
      pieces.push(
        ...toAggregateRows(
          source.id,
          await rawAggregate(db, plan, from, to, bucket, groupBy, values),
          groupBy,
        ),
      );
  };
  const rolledPiece = async (granularity: 'hour' | 'day', from: Date, to: Date) => {
    if (from.getTime() >= to.getTime()) return;
    const rolled = await readRollups(
      db,
      source,
      granularity,
      dateToKey(from),
      dateToKey(to),
      bucket === DAY_MS ? 10 : 13,
      groupBy,
      filters,
    );
    pieces.push(...toAggregateRows(source.id, rolled as unknown as RawAggregateRow[], groupBy));
  };
  await rawPiece(filters.from, firstHour);
  if (useDays) {
    await rolledPiece('hour', firstHour, firstDay);
    await rolledPiece('day', firstDay, lastDay);
    await rolledPiece('hour', lastDay, lastHour);
  } else await rolledPiece('hour', firstHour, lastHour);
  await rawPiece(lastHour, filters.to);
  return pieces;
}

async function aggregate(
  db: Database,
  resolved: TimelineContext,
  filters: ChartFilters,
  bucket: BucketMs,
  groupBy: readonly GroupDimension[],
  values: { a?: string; b?: string } = {},
): Promise<AggregateRow[]> {
  const plans = planSources(resolved, filters, db.dialect);
  const rows: AggregateRow[] = [];
  for (const plan of plans) rows.push(...(await aggregateSource(db, plan, filters, bucket, groupBy, values)));
  return rows;
}

/** Rows merged by bucket label and a group key. */
function merge(
  rows: AggregateRow[],
  groupKey: (row: AggregateRow) => string,
): Map<string, Map<string, Aggregate>> {
  const byLabel = new Map<string, Map<string, Aggregate>>();
  for (const row of rows) {
    const groups = byLabel.get(row.label) ?? new Map<string, Aggregate>();
    const key = groupKey(row);
    const target = groups.get(key) ?? emptyAggregate();
    addInto(target, row.value);
    groups.set(key, target);
    byLabel.set(row.label, groups);
  }
  return byLabel;
}

function restrictTo(filters: ChartFilters, sourceId: string): ChartFilters {
  if (filters.sources && filters.sources.length > 0 && !filters.sources.includes(sourceId))
    return { ...filters, sources: ['\u0000none'] };
  return { ...filters, sources: [sourceId] };
}

// ---------------------------------------------------------------------------------------------
// Events over time, stacked by source

export interface StackedBuckets {
  bucketMs: BucketMs;
  /** The stack's series in a stable order. */
  series: { id: string; label: string }[];
  /** One entry per bucket: its start (ISO-8601 UTC), the total and each series' count. */
  buckets: { start: string; total: number; counts: Record<string, number> }[];
}

function stacked(
  filters: ChartFilters,
  bucket: BucketMs,
  series: { id: string; label: string }[],
  byLabel: Map<string, Map<string, Aggregate>>,
): StackedBuckets {
  return {
    bucketMs: bucket,
    series,
    buckets: bucketStarts(filters, bucket).map((start) => {
      const groups = byLabel.get(labelOf(start, bucket));
      const counts = Object.fromEntries(series.map((s) => [s.id, groups?.get(s.id)?.count ?? 0]));
      return { start: start.toISOString(), total: Object.values(counts).reduce((a, b) => a + b, 0), counts };
    }),
  };
}

/** Events per bucket, stacked by source. */
export async function getEventVolume(db: Database, filters: ChartFilters): Promise<StackedBuckets> {
  checkRange(filters);
  const bucket = chooseBucket(filters.from, filters.to);
  return withSources(db, async (resolved) => {
    const rows = await aggregate(db, resolved, filters, bucket, []);
    const plans = planSources(resolved, filters, db.dialect);
    return stacked(
      filters,
      bucket,
      plans.map((plan) => ({ id: plan.source.id, label: plan.source.label })),
      merge(rows, (row) => row.source),
    );
  });
}

/** Error events per bucket, stacked by module. */
export async function getErrorsByModule(db: Database, filters: ChartFilters): Promise<StackedBuckets> {
  checkRange(filters);
  const bucket = chooseBucket(filters.from, filters.to);
  return withSources(db, async (resolved) => {
    const rows = await aggregate(db, resolved, restrictTo(filters, 'errors'), bucket, ['module']);
    const totals = new Map<string, number>();
    for (const row of rows)
      totals.set(
        row.groups.module ?? '(none)',
        (totals.get(row.groups.module ?? '(none)') ?? 0) + row.value.count,
      );
    const modules = [...totals]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([module]) => ({ id: module, label: module }));
    return stacked(
      filters,
      bucket,
      modules,
      merge(rows, (row) => row.groups.module ?? '(none)'),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Confidence, permissions, metrics

export interface SeriesPoint {
  start: string;
  series: string;
  events: number;
}

export interface ConfidencePoint extends SeriesPoint {
  /** Average confidence before and after the events of the bucket (0..1), null without values. */
  before: number | null;
  after: number | null;
}

/** Average confidence before/after per agent and bucket. */
export async function getConfidenceTrend(
  db: Database,
  filters: ChartFilters,
): Promise<{ bucketMs: BucketMs; agents: string[]; points: ConfidencePoint[] }> {
  checkRange(filters);
  const bucket = chooseBucket(filters.from, filters.to);
  return withSources(db, async (resolved) => {
    const rows = await aggregate(db, resolved, restrictTo(filters, 'confidence'), bucket, ['actor'], {
      a: 'confidence_before',
      b: 'confidence_after',
    });
    const points = pointsOf(
      merge(rows, (row) => row.groups.actor ?? '(unknown)'),
      bucket,
      (value) => ({
        before: value.aN > 0 ? value.aSum / value.aN : null,
        after: value.bN > 0 ? value.bSum / value.bN : null,
      }),
    );
    return { bucketMs: bucket, agents: [...new Set(points.map((point) => point.series))].sort(), points };
  });
}

function pointsOf<T>(
  byLabel: Map<string, Map<string, Aggregate>>,
  bucket: BucketMs,
  extra: (value: Aggregate) => T,
): (SeriesPoint & T)[] {
  const points: (SeriesPoint & T)[] = [];
  for (const [label, groups] of byLabel) {
    const start = bucketLabelToDate(label);
    if (!start) continue;
    for (const [series, value] of groups)
      points.push({
        start: floorToBucket(start, bucket).toISOString(),
        series,
        events: value.count,
        ...extra(value),
      });
  }
  return points.sort((a, b) =>
    a.start < b.start ? -1 : a.start > b.start ? 1 : a.series < b.series ? -1 : 1,
  );
}

/** How a permission event type counts: grants raise a level, downgrades and revocations lower it. */
export function permissionChangeKind(type: string | null): 'grant' | 'downgrade' | 'other' {
  const upper = (type ?? '').toUpperCase();
  if (upper.includes('DOWNGRADE') || upper.includes('REVOK')) return 'downgrade';
  if (upper.includes('GRANT')) return 'grant';
  return 'other';
}

/** Permission grants and downgrades per bucket. */
export async function getPermissionChanges(
  db: Database,
  filters: ChartFilters,
): Promise<{
  bucketMs: BucketMs;
  buckets: { start: string; grants: number; downgrades: number; other: number }[];
}> {
  checkRange(filters);
  const bucket = chooseBucket(filters.from, filters.to);
  return withSources(db, async (resolved) => {
    const rows = await aggregate(db, resolved, restrictTo(filters, 'permissions'), bucket, ['type']);
    const byLabel = merge(rows, (row) => permissionChangeKind(row.groups.type ?? null));
    return {
      bucketMs: bucket,
      buckets: bucketStarts(filters, bucket).map((start) => {
        const groups = byLabel.get(labelOf(start, bucket));
        return {
          start: start.toISOString(),
          grants: groups?.get('grant')?.count ?? 0,
          downgrades: groups?.get('downgrade')?.count ?? 0,
          other: groups?.get('other')?.count ?? 0,
        };
      }),
    };
  });
}

export interface MetricPoint extends SeriesPoint {
  /** Average value of the metric in the bucket. */
  average: number | null;
}

/** Average value per metric name and bucket (filter metric names with `types`). */
export async function getMetricSeries(
  db: Database,
  filters: ChartFilters,
): Promise<{ bucketMs: BucketMs; metrics: string[]; points: MetricPoint[] }> {
  checkRange(filters);
  const bucket = chooseBucket(filters.from, filters.to);
  return withSources(db, async (resolved) => {
    const rows = await aggregate(db, resolved, restrictTo(filters, 'metrics'), bucket, ['type'], {
      a: 'value',
    });
    const points = pointsOf(
      merge(rows, (row) => row.groups.type ?? '(unnamed)'),
      bucket,
      (value) => ({ average: value.aN > 0 ? value.aSum / value.aN : null }),
    );
    return { bucketMs: bucket, metrics: [...new Set(points.map((point) => point.series))].sort(), points };
  });
}

// ---------------------------------------------------------------------------------------------
// Heartbeats: uptime and gaps per daemon

export interface HeartbeatGap {
  start: string;
  end: string;
  /** The daemon has been silent until the end of the range (now). */
  ongoing: boolean;
}

export interface HeartbeatDaemon {
  daemon: string;
  heartbeats: number;
  /** Median time between consecutive heartbeats; a gap is a silence longer than three of these. */
  medianIntervalMs: number | null;
  /** Share of the range (up to now) not inside a gap, 0..1. */
  uptime: number | null;
  gaps: HeartbeatGap[];
  buckets: { start: string; heartbeats: number; uptime: number | null }[];
  /** Runs of the same reported status, for the lanes' state strip. */
  states: { start: string; end: string; status: string }[];
}

export interface HeartbeatHealth {
  bucketMs: BucketMs;
  /** True when gaps come from every heartbeat time; false when from hourly rollups (gaps to the hour). */
  exact: boolean;
  daemons: HeartbeatDaemon[];
}

/**
 * Up to this range (the ranges drawn in 1- and 5-minute buckets), gaps are computed from every
 * heartbeat time; beyond it from hourly rollups, matching the charts' hourly and daily buckets.
 */
export const EXACT_HEARTBEAT_RANGE_MS = 6 * HOUR_MS;
const GAP_FACTOR = 3;
const SAMPLE_FOR_MEDIAN = 500;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function overlap(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  return Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart));
}

interface Silence {
  start: number;
  end: number;
  ongoing: boolean;
}

function uptimeBuckets(
  filters: ChartFilters,
  bucket: BucketMs,
  end: number,
  silences: Silence[],
  counts: Map<string, number>,
) {
  return bucketStarts(filters, bucket).map((start) => {
    const from = Math.max(start.getTime(), filters.from.getTime());
    const to = Math.min(start.getTime() + bucket, end);
    const span = to - from;
    const silent = silences.reduce((sum, gap) => sum + overlap(gap.start, gap.end, from, to), 0);
    return {
      start: start.toISOString(),
      heartbeats: counts.get(labelOf(start, bucket)) ?? 0,
      uptime: span > 0 ? Math.max(0, 1 - silent / span) : null,
    };
  });
}

function overallUptime(filters: ChartFilters, end: number, silences: Silence[]): number | null {
  const span = end - filters.from.getTime();
  if (span <= 0) return null;
  return Math.max(
    0,
    1 -
      silences.reduce((sum, gap) => sum + overlap(gap.start, gap.end, filters.from.getTime(), end), 0) / span,
  );
}

/** Exact: every heartbeat time of the range, in key order. */
async function exactDaemons(
  db: Database,
  plan: SourcePlan,
  filters: ChartFilters,
  bucket: BucketMs,
  end: number,
): Promise<HeartbeatDaemon[]> {
  const columns = (source: TimelineSource, key: string) =>
    `CAST(${dimensionSql(source.actor)} AS TEXT) AS daemon, ${key} AS k, CAST(${dimensionSql(source.type)} AS TEXT) AS status`;
  const branches = planBranches(
    plan,
    { lower: dateToKey(filters.from), upper: dateToKey(filters.to) },
    { kind: 'select', columns },
  );
  if (branches.length === 0) return [];
  const rows = await db.all<{ daemon: string | null; k: string; status: string | null }>(
    sql`SELECT daemon, k, status FROM (${unionAll(branches)}) AS h ORDER BY daemon, k`,
  );
  const byDaemon = new Map<string, { t: number; status: string }[]>();
  for (const row of rows) {
    const at = keyToDate(row.k);
    if (!at) continue;
    const daemon = row.daemon ?? '(unnamed)';
    const list = byDaemon.get(daemon) ?? [];
    list.push({ t: at.getTime(), status: row.status ?? '' });
    byDaemon.set(daemon, list);
  }
  for (const actor of filters.actors ?? []) if (!byDaemon.has(actor)) byDaemon.set(actor, []);
  return [...byDaemon].map(([daemon, beats]) => {
    const intervals = beats.slice(1).map((beat, i) => beat.t - beats[i]!.t);
    const medianInterval = median(intervals.filter((interval) => interval > 0));
    const threshold = medianInterval === null ? null : medianInterval * GAP_FACTOR;
    const silences: Silence[] = [];
    if (beats.length === 0) silences.push({ start: filters.from.getTime(), end, ongoing: true });
    else if (threshold !== null) {
      if (beats[0]!.t - filters.from.getTime() > threshold)
        silences.push({ start: filters.from.getTime(), end: beats[0]!.t, ongoing: false });
      for (let i = 1; i < beats.length; i++)
        if (beats[i]!.t - beats[i - 1]!.t > threshold)
          silences.push({ start: beats[i - 1]!.t, end: beats[i]!.t, ongoing: false });
      if (end - beats.at(-1)!.t > threshold) silences.push({ start: beats.at(-1)!.t, end, ongoing: true });
    }
    const states: HeartbeatDaemon['states'] = [];
    for (let i = 0; i < beats.length; i++) {
      const beat = beats[i]!;
      const last = states.at(-1);
      const previous = beats[i - 1];
      const brokenByGap = previous !== undefined && threshold !== null && beat.t - previous.t > threshold;
      if (last && last.status === beat.status && !brokenByGap) last.end = new Date(beat.t).toISOString();
      else
        states.push({
          start: new Date(beat.t).toISOString(),
          end: new Date(beat.t).toISOString(),
          status: beat.status,
        });
    }
    const counts = new Map<string, number>();
    for (const beat of beats) {
      const label = labelOf(floorToBucket(new Date(beat.t), bucket), bucket);
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    return {
      daemon,
      heartbeats: beats.length,
      medianIntervalMs: medianInterval,
      uptime: overallUptime(filters, end, silences),
      gaps: silences.map((gap) => ({
        start: new Date(gap.start).toISOString(),
        end: new Date(gap.end).toISOString(),
        ongoing: gap.ongoing,
      })),
      buckets: uptimeBuckets(filters, bucket, end, silences, counts),
      states,
    };
  });
}

/** Coarse: hourly heartbeat counts (rollups), the median interval from the newest heartbeats of each daemon. */
async function hourlyDaemons(
  db: Database,
  plan: SourcePlan,
  filters: ChartFilters,
  bucket: BucketMs,
  end: number,
): Promise<HeartbeatDaemon[]> {
  const rows = await aggregateSource(db, plan, filters, HOUR_MS, ['actor', 'type'], {});
  const byDaemon = new Map<string, Map<number, Map<string, number>>>();
  for (const row of rows) {
    const hourMs = labelStart(row.label);
    if (hourMs === null) continue;
    const daemon = row.groups.actor ?? '(unnamed)';
    const hours = byDaemon.get(daemon) ?? new Map<number, Map<string, number>>();
    const statuses = hours.get(hourMs) ?? new Map<string, number>();
    statuses.set(row.groups.type ?? '', (statuses.get(row.groups.type ?? '') ?? 0) + row.value.count);
    hours.set(hourMs, statuses);
    byDaemon.set(daemon, hours);
  }
  for (const actor of filters.actors ?? []) if (!byDaemon.has(actor)) byDaemon.set(actor, new Map());
  const source = plan.source;
  const result: HeartbeatDaemon[] = [];
  for (const [daemon, hours] of byDaemon) {
    // The newest heartbeats of the range give the usual interval.
    const sample = await db.all<{ t: string }>(
      sql`SELECT ${raw(timeColumnSql(source))} AS t FROM ${raw(quoteIdentifier(source.table))} WHERE ${raw(dimensionSql(source.actor))} = ${daemon} AND ${raw(
        timeColumnSql(source),
      )} < ${dateToKey(filters.to).slice(0, 10) + 'U'} ORDER BY ${raw(timeColumnSql(source))} DESC LIMIT ${limitSql(SAMPLE_FOR_MEDIAN)}`,
    );
    const times = sample
      .map((row) => parseDbTime(row.t)?.getTime())
      .filter((t): t is number => t !== undefined)
      .sort((a, b) => a - b);
    const medianInterval = median(
      times
        .slice(1)
        .map((t, i) => t - times[i]!)
        .filter((interval) => interval > 0),
    );
    const silences: Silence[] = [];
    const states: HeartbeatDaemon['states'] = [];
    const counts = new Map<string, number>();
    for (let t = floorToBucket(filters.from, HOUR_MS).getTime(); t < end; t += HOUR_MS) {
      const statuses = hours.get(t);
      const beats = statuses ? [...statuses.values()].reduce((a, b) => a + b, 0) : 0;
      const label = labelOf(floorToBucket(new Date(t), bucket), bucket);
      counts.set(label, (counts.get(label) ?? 0) + beats);
      const hourEnd = Math.min(t + HOUR_MS, end);
      if (beats === 0) {
        const last = silences.at(-1);
        if (last && last.end === t) last.end = hourEnd;
        else silences.push({ start: Math.max(t, filters.from.getTime()), end: hourEnd, ongoing: false });
        continue;
      }
      const status = [...statuses!].sort((a, b) => b[1] - a[1])[0]![0];
      const last = states.at(-1);
      if (last && last.status === status && new Date(last.end).getTime() === t)
        last.end = new Date(hourEnd).toISOString();
      else states.push({ start: new Date(t).toISOString(), end: new Date(hourEnd).toISOString(), status });
    }
    const lastSilence = silences.at(-1);
    if (lastSilence && lastSilence.end === end) lastSilence.ongoing = true;
    result.push({
      daemon,
      heartbeats: [...counts.values()].reduce((a, b) => a + b, 0),
      medianIntervalMs: medianInterval,
      uptime: overallUptime(filters, end, silences),
      gaps: silences.map((gap) => ({
        start: new Date(gap.start).toISOString(),
        end: new Date(gap.end).toISOString(),
        ongoing: gap.ongoing,
      })),
      buckets: uptimeBuckets(filters, bucket, end, silences, counts),
      states,
    });
  }
  return result.sort((a, b) => (a.daemon < b.daemon ? -1 : 1));
}

/**
 * Uptime and gaps per daemon. A gap is a silence longer than 3× the daemon's median heartbeat interval;
 * up to 6 hours of range it is computed from every heartbeat time, beyond that from hourly rollups
 * (gaps then start and end on whole hours). Time after `now` does not count.
 */
export async function getHeartbeatHealth(
  db: Database,
  filters: ChartFilters,
  now: Date = new Date(),
): Promise<HeartbeatHealth> {
  checkRange(filters);
  const bucket = chooseBucket(filters.from, filters.to);
  const end = Math.max(filters.from.getTime(), Math.min(filters.to.getTime(), now.getTime()));
  return withSources(db, async (resolved) => {
    const plan = planSources(resolved, restrictTo(filters, 'heartbeats'), db.dialect)[0];
    if (!plan) return { bucketMs: bucket, exact: true, daemons: [] };
    const coarse =
      filters.to.getTime() - filters.from.getTime() > EXACT_HEARTBEAT_RANGE_MS &&
      !filters.q &&
      (await rollupsComplete(db, plan.source.id));
    const daemons = coarse
      ? await hourlyDaemons(db, plan, filters, bucket, end)
      : await exactDaemons(db, plan, filters, bucket, end);
    return {
      bucketMs: bucket,
      exact: !coarse,
      daemons: daemons.sort((a, b) => (a.daemon < b.daemon ? -1 : 1)),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Lanes

export interface Lane {
  source: string;
  label: string;
  kind: 'points' | 'spans' | 'state';
  /** Events per bucket and the worst severity among them. */
  buckets: { start: string; count: number; severity: string | null }[];
  /** Browser sessions and other spans (ranges up to MAX_SPAN_RANGE_MS). */
  spans?: { start: string; end: string | null; events: number }[];
  /** Heartbeat state strips per daemon, with their gaps. */
  states?: { actor: string; segments: HeartbeatDaemon['states']; gaps: HeartbeatGap[] }[];
}

export const MAX_SPAN_RANGE_MS = 7 * DAY_MS;
const MAX_SPAN_ROWS = 5000;

const severityRank = (severity: string | null | undefined) =>
  severity ? SEVERITIES.indexOf(severity as (typeof SEVERITIES)[number]) : -1;

async function spansOf(db: Database, plan: SourcePlan, filters: ChartFilters): Promise<Lane['spans']> {
  const span = plan.source.span;
  if (!span || span.kind !== 'span') return undefined;
  const end = 'end' in span ? `CAST(${quoteIdentifier(span.end)} AS TEXT)` : 'CAST(NULL AS TEXT)';
  const branches = planBranches(
    plan,
    { lower: dateToKey(filters.from), upper: dateToKey(filters.to) },
    { kind: 'select', columns: (_source, key) => `${key} AS k, ${end} AS e` },
  );
  if (branches.length === 0) return [];
  const rows = await db.all<{ k: string; e: string | null }>(
    sql`SELECT k, e FROM (${unionAll(branches)}) AS s ORDER BY k LIMIT ${limitSql(MAX_SPAN_ROWS)}`,
  );
  const spans: NonNullable<Lane['spans']> = [];
  for (const row of rows) {
    const start = keyToDate(row.k);
    if (!start) continue;
    if ('end' in span) {
      spans.push({ start: start.toISOString(), end: parseDbTime(row.e)?.toISOString() ?? null, events: 1 });
      continue;
    }
    const last = spans.at(-1);
    if (last && last.end && start.getTime() - new Date(last.end).getTime() <= span.gapMs) {
      last.end = start.toISOString();
      last.events++;
    } else spans.push({ start: start.toISOString(), end: start.toISOString(), events: 1 });
  }
  return spans;
}

/**
 * The lanes above the list: per source, events per bucket with their worst severity; spans (browser
 * sessions, contracts) for ranges up to a week; the heartbeat state strip with its gaps.
 */
export async function getTimelineLanes(
  db: Database,
  filters: ChartFilters,
  now: Date = new Date(),
): Promise<{ bucketMs: BucketMs; lanes: Lane[] }> {
  checkRange(filters);
  const bucket = chooseBucket(filters.from, filters.to);
  const heartbeats = await getHeartbeatHealth(db, filters, now);
  return withSources(db, async (resolved) => {
    const plans = planSources(resolved, filters, db.dialect);
    const lanes: Lane[] = [];
    for (const plan of plans) {
      const rows = await aggregateSource(db, plan, filters, bucket, ['severity'], {});
      const byLabel = new Map<string, { count: number; severity: string | null }>();
      for (const row of rows) {
        const entry = byLabel.get(row.label) ?? { count: 0, severity: null };
        entry.count += row.value.count;
        if (severityRank(row.groups.severity) > severityRank(entry.severity))
          entry.severity = row.groups.severity ?? null;
        byLabel.set(row.label, entry);
      }
      const span = plan.source.span;
      const lane: Lane = {
        source: plan.source.id,
        label: plan.source.label,
        kind: span?.kind === 'state' ? 'state' : span?.kind === 'span' ? 'spans' : 'points',
        buckets: bucketStarts(filters, bucket).map((start) => {
          const entry = byLabel.get(labelOf(start, bucket));
          return { start: start.toISOString(), count: entry?.count ?? 0, severity: entry?.severity ?? null };
        }),
      };
      if (span?.kind === 'span' && filters.to.getTime() - filters.from.getTime() <= MAX_SPAN_RANGE_MS)
        lane.spans = await spansOf(db, plan, filters);
      if (span?.kind === 'state' && plan.source.id === 'heartbeats')
        lane.states = heartbeats.daemons.map((daemon) => ({
          actor: daemon.daemon,
          segments: daemon.states,
          gaps: daemon.gaps,
        }));
      lanes.push(lane);
    }
    return { bucketMs: bucket, lanes };
  });
}
