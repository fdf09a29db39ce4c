import { EmptyState } from '@/components/ui/panel';
import type { RouteLatency } from '@/lib/operations/metrics';

/** p50/p95/p99 per route over the last hour; rows above the p95 threshold are marked. */
export function LatencyTable({
  rows,
  label,
  thresholdMs,
  empty,
}: {
  rows: RouteLatency[];
  label: string;
  thresholdMs?: number;
  empty: string;
}) {
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0));
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm" aria-label={label}>
        <thead className="text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            <th className="py-2 pr-4 font-medium">Route</th>
            <th className="py-2 pr-4 text-right font-medium">Count</th>
            <th className="py-2 pr-4 text-right font-medium">p50 ms</th>
            <th className="py-2 pr-4 text-right font-medium">p95 ms</th>
            <th className="py-2 pr-4 text-right font-medium">p99 ms</th>
            <th className="py-2 text-right font-medium">max ms</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 tabular-nums dark:divide-zinc-800">
          {rows.map((row) => {
            const over = thresholdMs !== undefined && row.p95 > thresholdMs;
            return (
              <tr key={row.route} className={over ? 'bg-amber-50 dark:bg-amber-950/30' : undefined}>
                <td className="py-1.5 pr-4 font-mono text-xs [overflow-wrap:anywhere]">{row.route}</td>
                <td className="py-1.5 pr-4 text-right">{row.count}</td>
                <td className="py-1.5 pr-4 text-right">{ms(row.p50)}</td>
                <td
                  className={`py-1.5 pr-4 text-right ${over ? 'font-semibold text-amber-800 dark:text-amber-300' : ''}`}
                >
                  {ms(row.p95)}
                  {over && <span className="sr-only"> (above the threshold)</span>}
                </td>
                <td className="py-1.5 pr-4 text-right">{ms(row.p99)}</td>
                <td className="py-1.5 text-right">{ms(row.max)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
