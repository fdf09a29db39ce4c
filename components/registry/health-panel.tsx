import { Panel } from '@/components/ui/panel';
import { formatBytes, formatCount } from '@/lib/format/numbers';
import type { DatabaseHealth } from '@/lib/registry/health';
import type { JobRecord } from '@/lib/registry/jobs';
import { type MaintenanceKind, MAINTENANCE_LABELS, type IntegrityResult } from '@/lib/registry/maintenance';
import { formatDateTime } from '@/lib/time/format';
import { JobStatus } from './job-status';
import { MaintenanceButtons } from './maintenance-buttons';

function Fact({ label, value, tone }: { label: string; value: React.ReactNode; tone?: 'warning' }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] font-medium tracking-wide text-zinc-500 uppercase">{label}</dt>
      <dd
        className={`truncate font-mono text-sm ${tone === 'warning' ? 'text-amber-700 dark:text-amber-400' : ''}`}
      >
        {value}
      </dd>
    </div>
  );
}

/** File, WAL and page facts (SQLite) or server facts (PostgreSQL), with the admin's maintenance tasks. */
export function HealthPanel({
  health,
  jobs,
  kinds,
  canRun,
  now,
}: {
  health: DatabaseHealth;
  jobs: JobRecord[];
  kinds: MaintenanceKind[];
  canRun: boolean;
  now: Date;
}) {
  const latest = new Map<MaintenanceKind, JobRecord>();
  for (const job of jobs)
    if ((kinds as string[]).includes(job.kind) && !latest.has(job.kind as MaintenanceKind))
      latest.set(job.kind as MaintenanceKind, job);
  return (
    <Panel title="Database health">
      {health.dialect === 'sqlite' ? (
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4 lg:grid-cols-8">
          <Fact label="File" value={formatBytes(health.fileBytes)} />
          <Fact
            label="WAL"
            value={formatBytes(health.walBytes)}
            tone={health.walBytes > 1024 ** 3 ? 'warning' : undefined}
          />
          <Fact label="Page size" value={formatBytes(health.pageSize)} />
          <Fact label="Pages" value={formatCount(health.pageCount)} />
          <Fact
            label="Free pages"
            value={`${formatCount(health.freelistPages)} (${health.pageCount ? ((health.freelistPages / health.pageCount) * 100).toFixed(1) : '0'}%)`}
          />
          <Fact
            label="Journal mode"
            value={health.journalMode}
            tone={health.journalMode !== 'wal' ? 'warning' : undefined}
          />
          <Fact
            label="Foreign keys"
            value={health.foreignKeys ? 'on' : 'off'}
            tone={health.foreignKeys ? undefined : 'warning'}
          />
          <Fact label="SQLite" value={health.sqliteVersion} />
        </dl>
      ) : (
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
          <Fact
            label="Server"
            value={<span title={health.version}>{health.version.split(' on ')[0]}</span>}
          />
          <Fact label="Database" value={`${health.database} / ${health.schema}`} />
          <Fact label="Database size" value={formatBytes(health.databaseBytes)} />
          <Fact label="This schema" value={formatBytes(health.schemaBytes)} />
          <Fact
            label="Connections"
            value={health.connections === null ? '—' : formatCount(health.connections)}
          />
          <Fact
            label="Last ANALYZE"
            value={health.lastAnalyzedAt ? formatDateTime(new Date(health.lastAnalyzedAt)) : 'never'}
          />
        </dl>
      )}
      {health.dialect === 'sqlite' && !health.analyzed && (
        <p className="mt-3 text-xs text-zinc-500">
          ANALYZE has never run on this file: row estimates fall back to the highest rowid.
        </p>
      )}
      <div className="mt-4 space-y-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
        {canRun ? (
          <MaintenanceButtons
            kinds={kinds}
            labels={MAINTENANCE_LABELS}
            running={[...latest.values()].filter((job) => job.status === 'running').map((job) => job.kind)}
          />
        ) : (
          <p className="text-xs text-zinc-500">
            Integrity checks, ANALYZE and WAL checkpoints are run by an admin.
          </p>
        )}
        <ul className="space-y-1">
          {kinds.flatMap((kind) => {
            const job = latest.get(kind);
            if (!job) return [];
            const integrity = job.result as IntegrityResult | null;
            return [
              <li key={kind} className="text-xs">
                <span className="mr-2 font-medium">{MAINTENANCE_LABELS[kind]}:</span>
                <JobStatus job={job} now={now} />
                {integrity && Array.isArray(integrity.messages) && integrity.messages.length > 0 && (
                  <ul className="mt-1 ml-4 list-disc font-mono text-[11px] text-red-700 dark:text-red-300">
                    {integrity.messages.slice(0, 20).map((message, i) => (
                      <li key={i}>{message}</li>
                    ))}
                  </ul>
                )}
              </li>,
            ];
          })}
        </ul>
      </div>
    </Panel>
  );
}
