import type { Metadata } from 'next';
import { HeartbeatTable } from '@/components/overview/heartbeat-table';
import { ModuleBars } from '@/components/overview/module-bars';
import { EmptyState, Panel } from '@/components/ui/panel';
import { StatCard } from '@/components/ui/stat-card';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { formatBytes, formatCount } from '@/lib/format/numbers';
import { getOverview } from '@/lib/overview/queries';
import { formatAge } from '@/lib/time/format';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  await requireOperator('viewer');
  const now = new Date();
  const overview = await getOverview(await getDb(), now);
  const walWarning = overview.storage.walBytes !== null && overview.storage.walBytes > 1024 ** 3;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Overview</h1>
        <p className="text-sm text-zinc-500">
          The last 24 hours across every module, as of {now.toISOString().slice(11, 16)} UTC.
        </p>
      </div>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard
          label="Posts waiting for review"
          value={formatCount(overview.pendingPosts)}
          tone={overview.pendingPosts > 0 ? 'warning' : 'default'}
          detail={
            overview.oldestPendingAt
              ? `oldest waiting ${formatAge(overview.oldestPendingAt, now)}`
              : 'nothing waiting'
          }
        />
        <StatCard
          label="Events, last 24 h"
          value={formatCount(overview.eventsLast24h)}
          detail={`${overview.eventsByModule.length} modules`}
        />
        <StatCard
          label="Errors, last 24 h"
          value={formatCount(overview.errorsLast24h)}
          tone={overview.errorsLast24h > 0 ? 'danger' : 'default'}
          detail={
            overview.errorsBySeverity.map((row) => `${row.severity} ${formatCount(row.count)}`).join(' · ') ||
            'no errors'
          }
        />
        <StatCard
          label={overview.storage.dialect === 'sqlite' ? 'Database file' : 'Database size'}
          value={formatBytes(overview.storage.databaseBytes)}
          tone={walWarning ? 'warning' : 'default'}
          detail={
            overview.storage.walBytes === null
              ? 'PostgreSQL'
              : `WAL ${formatBytes(overview.storage.walBytes)}`
          }
        />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Panel title="Events in the last 24 h by module">
          {overview.eventsByModule.length ? (
            <ModuleBars modules={overview.eventsByModule} />
          ) : (
            <EmptyState>No events were recorded in the last 24 hours.</EmptyState>
          )}
        </Panel>
        <Panel title="Last heartbeat per daemon">
          {overview.heartbeats.length ? (
            <HeartbeatTable heartbeats={overview.heartbeats} now={now} />
          ) : (
            <EmptyState>No daemon has sent a heartbeat yet (table daemon_health is empty).</EmptyState>
          )}
        </Panel>
      </div>
    </div>
  );
}
