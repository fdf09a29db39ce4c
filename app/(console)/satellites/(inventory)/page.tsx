import type { Metadata } from 'next';
import { ActionButton } from '@/components/registry/action-button';
import { JobPoller } from '@/components/registry/job-poller';
import { DeclaredTable } from '@/components/satellites/declared-table';
import { FilesTable } from '@/components/satellites/files-table';
import { ScanStatus } from '@/components/satellites/scan-status';
import { ViolationsPanel } from '@/components/satellites/violations-panel';
import { Panel } from '@/components/ui/panel';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { startScanAction } from '@/lib/satellites/actions';
import { getSatellitesPage } from '@/lib/satellites/queries';
import { FILE_TIME_LIMIT_MS } from '@/lib/satellites/scan';

export const metadata: Metadata = { title: 'Satellites' };

export default async function SatellitesPage() {
  const operator = await requireOperator('viewer');
  const db = await getDb();
  const now = new Date();
  const page = await getSatellitesPage(db);
  const isAdmin = roleAtLeast(operator.role, 'admin');
  const running = page.scan?.status === 'running';
  const scanComplete = page.shownScan?.status === 'done';
  return (
    <div className="space-y-6">
      <JobPoller active={running} intervalMs={1000} />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Satellites</h1>
          <p className="text-sm text-zinc-500">
            SQLite databases outside the main one: each needs an owner, a rationale and a consolidation plan.
          </p>
        </div>
        {isAdmin && (
          <ActionButton
            action={startScanAction.bind(null, {})}
            variant="primary"
            className="px-3 py-2 text-sm"
          >
            {running ? 'Scanning…' : 'Scan FOUNDUPS_ROOT'}
          </ActionButton>
        )}
      </div>
      <Panel title="Scan">
        <div className="space-y-3">
          {page.roots.problems.length > 0 ? (
            <div
              role="alert"
              className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
            >
              <p className="font-medium">A scan cannot run until FOUNDUPS_ROOT is fixed:</p>
              <ul className="mt-1 list-disc pl-5">
                {page.roots.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Scans {page.roots.roots.length === 1 ? 'the root' : `${page.roots.roots.length} roots`}{' '}
              {page.roots.roots.map((root, i) => (
                <span key={root.path}>
                  {i > 0 && ', '}
                  <code className="rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">
                    {root.path}
                  </code>
                </span>
              ))}{' '}
              for .db, .sqlite, .sqlite3 and SQLite-headed files (skipping node_modules and .git), opening
              each strictly read-only, at most {FILE_TIME_LIMIT_MS / 1000} s per file.
            </p>
          )}
          <ScanStatus scan={page.scan} now={now} />
          {page.scan && page.shownScan && page.shownScan.id !== page.scan.id && (
            <p className="text-xs text-zinc-500">The files below are from the last finished scan.</p>
          )}
        </div>
      </Panel>
      {page.shownScan && (
        <ViolationsPanel violations={page.inventory.violations} scanComplete={scanComplete} />
      )}
      <section className="space-y-3" aria-labelledby="found-heading">
        <h2 id="found-heading" className="text-lg font-semibold">
          Found{page.shownScan ? ` (${page.inventory.files.length})` : ''}
        </h2>
        {!page.shownScan ? (
          <p className="rounded-xl border border-dashed border-zinc-300 py-8 text-center text-sm text-zinc-500 dark:border-zinc-700">
            {isAdmin
              ? 'Run a scan to list the SQLite files under FOUNDUPS_ROOT.'
              : 'No scan has run yet; an admin can start one.'}
          </p>
        ) : page.inventory.files.length === 0 ? (
          <p className="rounded-xl border border-dashed border-zinc-300 py-8 text-center text-sm text-zinc-500 dark:border-zinc-700">
            {running ? 'Nothing found yet…' : 'The scan found no SQLite file.'}
          </p>
        ) : (
          <FilesTable files={page.inventory.files} rootCount={page.roots.roots.length} />
        )}
      </section>
      <section className="space-y-3" aria-labelledby="declared-heading">
        <h2 id="declared-heading" className="text-lg font-semibold">
          Declared ({page.inventory.declared.length})
        </h2>
        <DeclaredTable declared={page.inventory.declared} canEdit={isAdmin} />
      </section>
    </div>
  );
}
