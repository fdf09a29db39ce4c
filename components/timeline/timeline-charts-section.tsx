import {
  type ChartRow,
  type ChartSeries,
  TimelineCharts,
  type TimelineChartsData,
} from '@/components/charts/timeline-charts';
import type { Database } from '@/db/database';
import {
  type ChartFilters,
  type StackedBuckets,
  getConfidenceTrend,
  getErrorsByModule,
  getEventVolume,
  getHeartbeatHealth,
  getMetricSeries,
  getPermissionChanges,
} from '@/lib/timeline/queries';

/** Most lines one chart draws (the busiest series); more would be unreadable. */
const MAX_LINES = 8;

function stackedRows(data: StackedBuckets): { series: ChartSeries[]; rows: ChartRow[] } {
  const series = data.series.map((entry, index) => ({ id: entry.id, key: `s${index}`, label: entry.label }));
  return {
    series: series.map(({ key, label }) => ({ key, label })),
    rows: data.buckets.map((bucket) => {
      const row: ChartRow = { t: new Date(bucket.start).getTime() };
      for (const entry of series) row[entry.key] = bucket.counts[entry.id] ?? 0;
      return row;
    }),
  };
}

/** Rows keyed by bucket start (every bucket of the range, so gaps show as gaps). */
function timeRows(starts: readonly string[]): Map<string, ChartRow> {
  return new Map(starts.map((start) => [start, { t: new Date(start).getTime() } as ChartRow]));
}

function busiest(points: { series: string; events: number }[]): string[] {
  const totals = new Map<string, number>();
  for (const point of points) totals.set(point.series, (totals.get(point.series) ?? 0) + point.events);
  return [...totals]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_LINES)
    .map(([series]) => series);
}

/** Server part of the charts: every aggregate for the range, as plain arrays for the Recharts leaves. */
export async function TimelineChartsSection({
  db,
  filters,
  now,
}: {
  db: Database;
  filters: ChartFilters;
  now: Date;
}) {
  let volume, errors, confidence, permissions, heartbeats, metrics;
  try {
    volume = await getEventVolume(db, filters);
    errors = await getErrorsByModule(db, filters);
    confidence = await getConfidenceTrend(db, filters);
    permissions = await getPermissionChanges(db, filters);
    heartbeats = await getHeartbeatHealth(db, filters, now);
    metrics = await getMetricSeries(db, filters);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return (
      <p
        role="note"
        className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
      >
        The charts cannot be drawn: {error.message}
      </p>
    );
  }
  const starts = volume.buckets.map((bucket) => bucket.start);

  const confidenceRows = timeRows(starts);
  const agents = busiest(confidence.points).map((label, index) => ({
    label,
    before: `c${index}b`,
    after: `c${index}a`,
  }));
  const agentKeys = new Map(agents.map((agent) => [agent.label, agent]));
  for (const point of confidence.points) {
    const keys = agentKeys.get(point.series);
    const row = confidenceRows.get(point.start);
    if (!keys || !row) continue;
    row[keys.before] = point.before;
    row[keys.after] = point.after;
  }

  const metricRows = timeRows(starts);
  const metricSeries = busiest(metrics.points).map((label, index) => ({ key: `m${index}`, label }));
  const metricKeys = new Map(metricSeries.map((series) => [series.label, series.key]));
  for (const point of metrics.points) {
    const key = metricKeys.get(point.series);
    const row = metricRows.get(point.start);
    if (key && row) row[key] = point.average;
  }

  const daemons = heartbeats.daemons
    .slice(0, MAX_LINES * 2)
    .map((daemon, index) => ({ ...daemon, key: `h${index}` }));
  const heartbeatRows = timeRows(starts);
  for (const daemon of daemons)
    for (const bucket of daemon.buckets) {
      const row = heartbeatRows.get(bucket.start);
      if (row) row[daemon.key] = bucket.uptime;
    }

  const data: TimelineChartsData = {
    bucketMs: volume.bucketMs,
    volume: stackedRows(volume),
    errors: stackedRows(errors),
    confidence: { agents, rows: [...confidenceRows.values()] },
    permissions: {
      rows: permissions.buckets.map((bucket) => ({
        t: new Date(bucket.start).getTime(),
        grants: bucket.grants,
        downgrades: bucket.downgrades,
        other: bucket.other,
      })),
    },
    heartbeats: {
      exact: heartbeats.exact,
      daemons: daemons.map((daemon) => ({
        key: daemon.key,
        daemon: daemon.daemon,
        uptime: daemon.uptime,
        gaps: daemon.gaps.length,
        heartbeats: daemon.heartbeats,
        medianIntervalMs: daemon.medianIntervalMs,
      })),
      rows: daemons.length > 0 ? [...heartbeatRows.values()] : [],
    },
    metrics: { series: metricSeries, rows: [...metricRows.values()] },
  };
  return <TimelineCharts data={data} />;
}
