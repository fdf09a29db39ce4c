import type { Metadata } from 'next';
import { HealthPanel } from '@/components/registry/health-panel';
import { JobPoller } from '@/components/registry/job-poller';
import { JobStatus } from '@/components/registry/job-status';
import { RegistryTables } from '@/components/registry/registry-tables';
import { ActionButton } from '@/components/registry/action-button';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { measureSizesAction } from '@/lib/registry/actions';
import { maintenanceKinds, startSizeMeasurement } from '@/lib/registry/maintenance';
import { getRegistry, latestJobs } from '@/lib/registry/queries';
import { formatAge } from '@/lib/time/format';

export const metadata: Metadata = { title: 'Registry' };

export default async function RegistryPage() {
  const operator = await requireOperator('viewer');
  const db = await getDb();
  const now = new Date();
  const [registry, jobs] = await Promise.all([
    getRegistry(db),
    latestJobs(db, ['count', 'sizes', 'quick_check', 'integrity_check', 'analyze', 'checkpoint'], 200),
  ]);
  let sizeJob = jobs.find((job) => job.kind === 'sizes') ?? null;
  // A large file is measured in the background the first time nobody has measured it (the result is kept).
  if (registry.sizes.mode === 'not-measured' && !sizeJob)
    sizeJob = (await startSizeMeasurement(db, operator.username)).job;
  const counting = jobs
    .filter((job) => job.kind === 'count' && job.status === 'running' && job.target)
    .map((job) => job.target!);
  const running = jobs.some((job) => job.status === 'running');
  const isAdmin = roleAtLeast(operator.role, 'admin');
  const dialect = registry.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  return (
    <div className="space-y-6">
      <JobPoller active={running} />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Registry</h1>
          <p className="text-sm text-zinc-500">
            {registry.totals.tables} tables and {registry.totals.views} views in the main {dialect} database,
            by namespace ·{' '}
            <span className={registry.totals.flagged ? 'text-amber-700 dark:text-amber-400' : ''}>
              {registry.totals.flagged} with flags
            </span>
            {registry.totals.estimated > 0 && (
              <>
                {' '}
                ·{' '}
                {registry.totals.estimated === 1
                  ? '1 row count is an estimate'
                  : `${registry.totals.estimated} row counts are estimates`}
              </>
            )}{' '}
            · read in {registry.readMs} ms
          </p>
        </div>
        <a
          href="/api/export/registry"
          download
          className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
        >
          Export as Markdown
        </a>
      </div>
      <HealthPanel
        health={registry.health}
        jobs={jobs}
        kinds={maintenanceKinds(registry.dialect)}
        canRun={isAdmin}
        now={now}
      />
      <div className="flex flex-wrap items-center gap-3 text-xs text-zinc-500" aria-label="Table sizes">
        {registry.sizes.mode === 'live' && (
          <span>Sizes are live from PostgreSQL (tables with their indexes and TOAST).</span>
        )}
        {registry.sizes.mode === 'measured-now' && (
          <span>Sizes measured with dbstat while this page rendered (the file is small).</span>
        )}
        {registry.sizes.mode === 'stored' && registry.sizes.measuredAt && (
          <span>
            Sizes measured with dbstat {formatAge(new Date(registry.sizes.measuredAt), now)} ago (a background
            job: dbstat reads every page).
          </span>
        )}
        {registry.sizes.mode === 'not-measured' && <span>{registry.sizes.note}</span>}
        {registry.sizes.mode === 'unavailable' && (
          <span className="text-amber-700 dark:text-amber-400">{registry.sizes.note}</span>
        )}
        {sizeJob && registry.sizes.mode !== 'measured-now' && registry.sizes.mode !== 'live' && (
          <JobStatus job={sizeJob} now={now} />
        )}
        {(registry.sizes.mode === 'stored' || registry.sizes.mode === 'not-measured') &&
          sizeJob?.status !== 'running' && (
            <ActionButton action={measureSizesAction.bind(null, {})}>Measure sizes again</ActionButton>
          )}
      </div>
      {registry.tables.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 py-10 text-center text-sm text-zinc-500 dark:border-zinc-700">
          The database has no tables yet.
        </p>
      ) : (
        <RegistryTables
          groups={registry.groups}
          countingTables={counting}
          canEdit={isAdmin}
          now={now.toISOString()}
        />
      )}
    </div>
  );
}
