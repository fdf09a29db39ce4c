import { EmptyState, Panel } from '@/components/ui/panel';
import { StatCard } from '@/components/ui/stat-card';
import { formatBytes, formatCount } from '@/lib/format/numbers';
import type { HealthReport } from '@/lib/operations/health';
import { LatencyTable } from './latency-table';

const when = (iso: string | null) => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : 'not seen');

/** The whole health report: warnings first, then the database, WAL, locks, disk, latency and slow queries. */
export function HealthReportView({ report }: { report: HealthReport }) {
  const { database, wal, busy, disk, thresholds } = report;
  const warn = (kind: string) => report.warnings.some((w) => w.kind === kind);
  return (
    <div className="space-y-4">
      {report.warnings.length > 0 ? (
        <div
          role="alert"
          className="space-y-1 rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-800 dark:bg-amber-950/40"
        >
          <h2 className="font-semibold text-amber-900 dark:text-amber-200">
            {report.warnings.length} warning{report.warnings.length === 1 ? '' : 's'}
          </h2>
          <ul className="list-disc space-y-1 pl-5 text-amber-900 [overflow-wrap:anywhere] dark:text-amber-200">
            {report.warnings.map((w) => (
              <li key={w.message}>{w.message}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p
          role="status"
          className="rounded-xl border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-200"
        >
          No warnings: every threshold is met.
        </p>
      )}
      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard
          label="Database"
          value={database.reachable ? 'Reachable' : 'Unreachable'}
          tone={database.reachable ? 'default' : 'danger'}
          detail={`${database.driver}, ${database.journalMode ? `journal ${database.journalMode}, ` : ''}${formatBytes(database.sizeBytes)}, ping ${database.pingMs} ms`}
        />
        <StatCard
          label="WAL"
          value={wal ? formatBytes(wal.bytes) : 'n/a'}
          tone={warn('wal') ? 'warning' : 'default'}
          detail={
            wal ? (
              <>
                {wal.frames ?? '?'} frames, {wal.backfilled ?? '?'} checkpointed · sequence{' '}
                {wal.checkpointSequence ?? '—'}
                <br />
                last checkpoint seen {when(wal.lastCheckpointSeenAt)} · last write {when(wal.lastWriteAt)}
              </>
            ) : (
              'PostgreSQL manages its own WAL'
            )
          }
        />
        <StatCard
          label="Lock waits / busy"
          value={`${formatCount(busy.lockWaits)} / ${formatCount(busy.busyErrors)}`}
          tone={busy.busyErrors > 0 ? 'warning' : 'default'}
          detail={`${Math.round(busy.lockWaitMs)} ms waited for other writers; last busy timeout ${when(busy.lastBusyAt)} · ${formatCount(busy.statements)} statements since start`}
        />
        <StatCard
          label="Disk free"
          value={disk ? `${disk.freePercent}%` : 'n/a'}
          tone={warn('disk') ? 'warning' : 'default'}
          detail={
            disk
              ? `${formatBytes(disk.freeBytes)} of ${formatBytes(disk.totalBytes)}`
              : 'on the database server'
          }
        />
      </div>
      <Panel title="Query latency per route, last hour">
        <LatencyTable
          rows={report.latency}
          label="Query latency per route"
          thresholdMs={thresholds.p95Ms}
          empty="No queries measured in the last hour."
        />
      </Panel>
      <Panel title="Request duration per route, last hour">
        <LatencyTable
          rows={report.requests}
          label="Request duration per route"
          empty="No requests timed yet (the HTTP hook runs under next start / next dev)."
        />
      </Panel>
      <Panel title="Slowest queries, last hour">
        {report.slowQueries.length === 0 ? (
          <EmptyState>No query took 5 ms or more in the last hour.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[40rem] text-left text-sm" aria-label="Slowest queries">
              <thead className="text-xs uppercase tracking-wide text-zinc-500">
                <tr>
                  <th className="py-2 pr-4 text-right font-medium">ms</th>
                  <th className="py-2 pr-4 font-medium">Route</th>
                  <th className="py-2 pr-4 font-medium">When</th>
                  <th className="py-2 font-medium">SQL (normalized)</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 align-top dark:divide-zinc-800">
                {report.slowQueries.map((q) => (
                  <tr key={`${q.at}-${q.sql}`}>
                    <td className="py-1.5 pr-4 text-right tabular-nums">{q.ms.toFixed(1)}</td>
                    <td className="py-1.5 pr-4 font-mono text-xs">{q.route}</td>
                    <td className="py-1.5 pr-4 whitespace-nowrap text-xs">
                      {when(new Date(q.at).toISOString())}
                    </td>
                    <td className="py-1.5 font-mono text-xs [overflow-wrap:anywhere]">{q.sql}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <p className="text-xs text-zinc-500">
        Thresholds: p95 above {thresholds.p95Ms} ms (FOUNDUPS_HEALTH_P95_MS), WAL above{' '}
        {formatBytes(thresholds.walBytes)} (FOUNDUPS_HEALTH_WAL_BYTES), disk free below{' '}
        {thresholds.diskFreePercent}% (FOUNDUPS_HEALTH_DISK_FREE_PERCENT). Measured in this server process
        since it started; checked {when(report.checkedAt)}. Probes:{' '}
        <code className="font-mono">/api/health</code>; this report as JSON:{' '}
        <code className="font-mono">/api/health?detail=1</code>.
      </p>
    </div>
  );
}
