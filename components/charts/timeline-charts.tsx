'use client';

import { useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { MouseHandlerDataParam } from 'recharts';
import { useRangeZoom } from './use-range-zoom';

// The timeline's charts: Recharts leaves fed plain arrays the server computed (components/timeline/
// timeline-charts-section.tsx). Every chart has time (ms) on its x axis; dragging across any of them
// selects a range and zooms the whole timeline to it. Imported only by the timeline pages, so the
// library loads only there.

export const PALETTE = [
  '#0ea5e9',
  '#6366f1',
  '#22c55e',
  '#f59e0b',
  '#ef4444',
  '#a855f7',
  '#14b8a6',
  '#ec4899',
  '#84cc16',
  '#64748b',
  '#f97316',
  '#06b6d4',
  '#8b5cf6',
];

/** One bucket: its start (ms) and one value per series key (keys are generated: Recharts reads dots as paths). */
export type ChartRow = { t: number } & Record<string, number | null>;
export interface ChartSeries {
  key: string;
  label: string;
  /** A fixed colour where the meaning calls for one (grants green, downgrades red). */
  color?: string;
}

export interface TimelineChartsData {
  bucketMs: number;
  volume: { series: ChartSeries[]; rows: ChartRow[] };
  errors: { series: ChartSeries[]; rows: ChartRow[] };
  confidence: { agents: { label: string; before: string; after: string }[]; rows: ChartRow[] };
  permissions: { rows: ChartRow[] };
  heartbeats: {
    exact: boolean;
    daemons: {
      key: string;
      daemon: string;
      uptime: number | null;
      gaps: number;
      heartbeats: number;
      medianIntervalMs: number | null;
    }[];
    rows: ChartRow[];
  };
  metrics: { series: ChartSeries[]; rows: ChartRow[] };
}

const pad = (value: number) => String(value).padStart(2, '0');

function tickFormatter(bucketMs: number) {
  return (value: number) => {
    const date = new Date(value);
    const day = `${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
    if (bucketMs >= 86_400_000) return day;
    const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
    return bucketMs >= 3_600_000 ? `${day} ${time}` : time;
  };
}

const labelFormatter = (value: unknown) =>
  typeof value === 'number'
    ? `${new Date(value).toISOString().slice(0, 16).replace('T', ' ')} UTC`
    : String(value);

/** Drag selection over a chart's x axis (bucket starts), applied as the timeline's range on release. */
function useDragZoom(bucketMs: number) {
  const zoom = useRangeZoom();
  const [selection, setSelection] = useState<{ a: number; b: number } | null>(null);
  const label = (state: MouseHandlerDataParam) =>
    typeof state.activeLabel === 'number' ? state.activeLabel : Number(state.activeLabel);
  return {
    area:
      selection && selection.a !== selection.b ? (
        <ReferenceArea x1={selection.a} x2={selection.b} fill="#0ea5e9" fillOpacity={0.2} stroke="#0ea5e9" />
      ) : null,
    handlers: {
      onMouseDown: (state: MouseHandlerDataParam) => {
        const t = label(state);
        if (Number.isFinite(t)) setSelection({ a: t, b: t });
      },
      onMouseMove: (state: MouseHandlerDataParam) => {
        const t = label(state);
        if (selection && Number.isFinite(t) && t !== selection.b) setSelection({ ...selection, b: t });
      },
      onMouseUp: () => {
        if (selection && selection.a !== selection.b)
          zoom(Math.min(selection.a, selection.b), Math.max(selection.a, selection.b) + bucketMs);
        setSelection(null);
      },
      onMouseLeave: () => setSelection(null),
    },
  };
}

function ChartCard({
  title,
  note,
  empty,
  children,
  testId,
}: {
  title: string;
  note?: React.ReactNode;
  empty: boolean;
  children: React.ReactElement;
  testId: string;
}) {
  return (
    <section
      aria-label={title}
      data-testid={testId}
      className="rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex items-baseline justify-between gap-2 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h3 className="text-sm font-semibold">{title}</h3>
        {note && <div className="text-xs text-zinc-500">{note}</div>}
      </div>
      <div className="h-64 p-2 select-none">
        {empty ? (
          <p className="flex h-full items-center justify-center text-sm text-zinc-500">
            Nothing in this range.
          </p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
        )}
      </div>
    </section>
  );
}

const hasValues = (rows: ChartRow[], keys: string[]) =>
  rows.some((row) => keys.some((key) => (row[key] ?? 0) !== 0 && row[key] !== null));

function StackedBars({
  title,
  testId,
  data,
  bucketMs,
  note,
}: {
  title: string;
  testId: string;
  data: { series: ChartSeries[]; rows: ChartRow[] };
  bucketMs: number;
  note?: string;
}) {
  const drag = useDragZoom(bucketMs);
  return (
    <ChartCard
      title={title}
      testId={testId}
      note={note}
      empty={
        !hasValues(
          data.rows,
          data.series.map((s) => s.key),
        )
      }
    >
      <BarChart data={data.rows} {...drag.handlers}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="t" tickFormatter={tickFormatter(bucketMs)} fontSize={11} minTickGap={24} />
        <YAxis allowDecimals={false} fontSize={11} width={40} />
        <Tooltip labelFormatter={labelFormatter} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {data.series.map((series, index) => (
          <Bar
            key={series.key}
            dataKey={series.key}
            name={series.label}
            stackId="a"
            fill={series.color ?? PALETTE[index % PALETTE.length]}
            isAnimationActive={false}
          />
        ))}
        {drag.area}
      </BarChart>
    </ChartCard>
  );
}

function Lines({
  title,
  testId,
  rows,
  lines,
  bucketMs,
  percent,
  note,
}: {
  title: string;
  testId: string;
  rows: ChartRow[];
  lines: { key: string; label: string; color: string; dashed?: boolean }[];
  bucketMs: number;
  percent?: boolean;
  note?: React.ReactNode;
}) {
  const drag = useDragZoom(bucketMs);
  const empty = !rows.some((row) =>
    lines.some((line) => row[line.key] !== null && row[line.key] !== undefined),
  );
  return (
    <ChartCard title={title} testId={testId} note={note} empty={empty}>
      <LineChart data={rows} {...drag.handlers}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="t" tickFormatter={tickFormatter(bucketMs)} fontSize={11} minTickGap={24} />
        <YAxis
          fontSize={11}
          width={44}
          domain={percent ? [0, 1] : ['auto', 'auto']}
          tickFormatter={percent ? (value: number) => `${Math.round(value * 100)}%` : undefined}
        />
        <Tooltip
          labelFormatter={labelFormatter}
          formatter={(value) =>
            typeof value === 'number'
              ? percent
                ? `${(value * 100).toFixed(1)}%`
                : value.toFixed(2)
              : String(value)
          }
        />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {lines.map((line) => (
          <Line
            key={line.key}
            dataKey={line.key}
            name={line.label}
            stroke={line.color}
            strokeDasharray={line.dashed ? '4 3' : undefined}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        ))}
        {drag.area}
      </LineChart>
    </ChartCard>
  );
}

export function TimelineCharts({ data }: { data: TimelineChartsData }) {
  const { bucketMs } = data;
  const bucketNote = `${bucketMs >= 86_400_000 ? '1 day' : bucketMs >= 3_600_000 ? '1 hour' : `${bucketMs / 60_000} min`} buckets`;
  return (
    <section aria-label="Charts" className="space-y-2">
      <div className="flex items-baseline justify-between">
        <h2 className="text-lg font-semibold">Charts</h2>
        <p className="text-xs text-zinc-500">{bucketNote} · drag across a chart to zoom to that range</p>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <StackedBars
          title="Events over time by source"
          testId="chart-volume"
          data={data.volume}
          bucketMs={bucketMs}
        />
        <StackedBars title="Errors by module" testId="chart-errors" data={data.errors} bucketMs={bucketMs} />
        <Lines
          title="Confidence before → after per agent"
          testId="chart-confidence"
          rows={data.confidence.rows}
          bucketMs={bucketMs}
          percent
          note="dashed: before · solid: after"
          lines={data.confidence.agents.flatMap((agent, index) => [
            {
              key: agent.before,
              label: `${agent.label} before`,
              color: PALETTE[index % PALETTE.length]!,
              dashed: true,
            },
            { key: agent.after, label: `${agent.label} after`, color: PALETTE[index % PALETTE.length]! },
          ])}
        />
        <StackedBars
          title="Permission grants vs downgrades"
          testId="chart-permissions"
          data={{
            series: [
              { key: 'grants', label: 'Grants', color: '#22c55e' },
              { key: 'downgrades', label: 'Downgrades / revocations', color: '#dc2626' },
              { key: 'other', label: 'Other', color: '#a1a1aa' },
            ],
            rows: data.permissions.rows,
          }}
          bucketMs={bucketMs}
        />
        <div className="space-y-2">
          <Lines
            title="Heartbeat uptime per daemon"
            testId="chart-heartbeats"
            rows={data.heartbeats.rows}
            bucketMs={bucketMs}
            percent
            note={data.heartbeats.exact ? 'gaps from every heartbeat' : 'gaps to the hour (rollups)'}
            lines={data.heartbeats.daemons.map((daemon, index) => ({
              key: daemon.key,
              label: daemon.daemon,
              color: PALETTE[index % PALETTE.length]!,
            }))}
          />
          {data.heartbeats.daemons.length > 0 && (
            <table className="w-full text-xs" aria-label="Heartbeat uptime and gaps per daemon">
              <thead className="text-left text-zinc-500">
                <tr>
                  <th className="px-2 py-1">Daemon</th>
                  <th className="px-2 py-1 text-right">Uptime</th>
                  <th className="px-2 py-1 text-right">Gaps</th>
                  <th className="px-2 py-1 text-right">Heartbeats</th>
                  <th className="px-2 py-1 text-right">Usual interval</th>
                </tr>
              </thead>
              <tbody>
                {data.heartbeats.daemons.map((daemon) => (
                  <tr key={daemon.daemon} className="border-t border-zinc-100 dark:border-zinc-800">
                    <td className="px-2 py-1 [overflow-wrap:anywhere]">{daemon.daemon}</td>
                    <td className="px-2 py-1 text-right">
                      {daemon.uptime === null ? '—' : `${(daemon.uptime * 100).toFixed(1)}%`}
                    </td>
                    <td className="px-2 py-1 text-right">{daemon.gaps}</td>
                    <td className="px-2 py-1 text-right">{daemon.heartbeats.toLocaleString('en')}</td>
                    <td className="px-2 py-1 text-right">
                      {daemon.medianIntervalMs === null
                        ? '—'
                        : `${Math.round(daemon.medianIntervalMs / 1000)} s`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <MetricsChart data={data.metrics} bucketMs={bucketMs} />
      </div>
    </section>
  );
}

/** Metric series differ in scale by orders of magnitude: one metric at a time, the busiest first. */
function MetricsChart({ data, bucketMs }: { data: TimelineChartsData['metrics']; bucketMs: number }) {
  const [chosen, setChosen] = useState<string>('');
  const selected = data.series.find((series) => series.key === chosen) ?? data.series[0];
  const index = selected ? data.series.indexOf(selected) : 0;
  return (
    <Lines
      title="Metrics (average per bucket)"
      testId="chart-metrics"
      rows={data.rows}
      bucketMs={bucketMs}
      note={
        data.series.length > 1 ? (
          <select
            aria-label="Metric"
            className="rounded border border-zinc-300 bg-white px-1 py-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-900"
            value={selected?.key ?? ''}
            onChange={(event) => setChosen(event.target.value)}
          >
            {data.series.map((series) => (
              <option key={series.key} value={series.key}>
                {series.label}
              </option>
            ))}
          </select>
        ) : undefined
      }
      lines={
        selected
          ? [{ key: selected.key, label: selected.label, color: PALETTE[index % PALETTE.length]! }]
          : []
      }
    />
  );
}
