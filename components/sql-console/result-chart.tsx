'use client';

import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartShape } from '@/lib/sql-console/chart';
import type { ResultColumn } from '@/lib/sql-console/sqlite-process';

/** Charts at most this many rows (a bar per row). */
const MAX_BARS = 50;

/** A bar chart of one numeric column against the label column (or the row number). */
export function ResultChart({
  columns,
  rows,
  shape,
}: {
  columns: ResultColumn[];
  rows: unknown[][];
  shape: ChartShape;
}) {
  const [metric, setMetric] = useState(shape.numericColumns[0]!);
  const labelIndex =
    shape.labelColumn === null ? -1 : columns.findIndex((column) => column.name === shape.labelColumn);
  const valueIndex = columns.findIndex((column) => column.name === metric);
  const data = rows.slice(0, MAX_BARS).map((row, i) => ({
    label: labelIndex >= 0 ? String(row[labelIndex] ?? 'NULL') : String(i + 1),
    value: typeof row[valueIndex] === 'number' ? (row[valueIndex] as number) : null,
  }));
  return (
    <figure
      className="space-y-2 rounded-xl border border-zinc-200 bg-white p-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      aria-label="Chart of the result"
    >
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <label className="flex items-center gap-2">
          <span className="text-zinc-500">Value</span>
          <select
            className="h-8 rounded-md border border-zinc-300 bg-white px-2 dark:border-zinc-700 dark:bg-zinc-900"
            value={metric}
            onChange={(event) => setMetric(event.target.value)}
          >
            {shape.numericColumns.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <span className="text-zinc-500">by {shape.labelColumn ?? 'row number'}</span>
        {rows.length > MAX_BARS && <span className="text-xs text-zinc-400">(first {MAX_BARS} rows)</span>}
      </div>
      <div className="h-72 w-full text-zinc-500">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 40, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
            <XAxis
              dataKey="label"
              tick={{ fontSize: 11, fill: 'currentColor' }}
              angle={-35}
              textAnchor="end"
              interval={0}
              height={60}
            />
            <YAxis tick={{ fontSize: 11, fill: 'currentColor' }} width={60} />
            <Tooltip contentStyle={{ fontSize: 12 }} />
            <Bar
              dataKey="value"
              name={metric}
              fill="#0ea5e9"
              radius={[3, 3, 0, 0]}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">
        {metric} by {shape.labelColumn ?? 'row number'}
      </figcaption>
    </figure>
  );
}
