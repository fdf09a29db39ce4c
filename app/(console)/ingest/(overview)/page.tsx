import fs from 'node:fs';
import type { Metadata } from 'next';
import { getRunView } from '@/app/api/ingest/_lib/run-view';
import { IngestActionButton } from '@/components/ingest/action-button';
import { IngestAdminOnly } from '@/components/ingest/admin-only';
import type { AuditFileRow } from '@/components/ingest/audit-file-table';
import { AuditSummary } from '@/components/ingest/audit-summary';
import { DomainSection } from '@/components/ingest/domain-section';
import { fileStatus } from '@/components/ingest/file-status';
import { count, formatDuration, formatWhen } from '@/components/ingest/format';
import { RootNotice } from '@/components/ingest/root-notice';
import { RunProgress } from '@/components/ingest/run-progress';
import { Panel } from '@/components/ui/panel';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { runAuditAction, startIngestAction } from '@/lib/ingest/actions';
import { INGEST_DOMAINS } from '@/lib/ingest/domains';
import { getAuditWithIngestStatus, listIngestRuns } from '@/lib/ingest/queries';
import { readScanRoots } from '@/lib/satellites/roots';
import { formatAge, parseDbTime } from '@/lib/time/format';

export const metadata: Metadata = { title: 'Audit' };

function sizeOnDisk(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

export default async function IngestAuditPage() {
  const operator = await requireOperator('viewer');
  if (operator.role !== 'admin') return <IngestAdminOnly role={operator.role} />;
  const db = await getDb();
  const now = new Date();
  const roots = readScanRoots();
  const [audited, runs] = await Promise.all([
    getAuditWithIngestStatus(db),
    listIngestRuns(db, { pageSize: 1 }),
  ]);
  const latest = runs.rows[0] ? await getRunView(db, runs.rows[0].id, now) : null;
  const busyReason =
    latest?.status === 'running' ? `Run #${latest.id} is running; wait for it to finish.` : null;
  const rootsUsable = roots.problems.length === 0;

  const rows: AuditFileRow[] =
    audited?.files.map((file) => ({
      ...file,
      status: fileStatus(sizeOnDisk(file.path), file.ingest),
      fileId: file.ingest?.id ?? null,
      rejected: file.ingest?.rejected ?? 0,
      needsDomain: file.domain === 'unknown' && !file.ingest,
    })) ?? [];
  const groups = INGEST_DOMAINS.map((domain) => ({
    domain,
    files: rows.filter((row) => row.domain === domain),
  })).filter((group) => group.files.length > 0);
  const report = audited?.audit.report;
  const createdAt = audited ? parseDbTime(audited.audit.createdAt) : null;
  const knownFiles = rows.filter((row) => row.domain !== 'unknown').length;

  return (
    <div className="space-y-6">
      {!rootsUsable && <RootNotice problems={roots.problems} />}
      <Panel
        title="Audit"
        actions={
          <IngestActionButton
            action={runAuditAction.bind(null, {})}
            variant="primary"
            pendingLabel="Auditing…"
            disabled={!rootsUsable}
            title={
              rootsUsable ? 'Find and read every JSONL file under FOUNDUPS_ROOT' : 'Set FOUNDUPS_ROOT first'
            }
          >
            {audited ? 'Run a new audit' : 'Run an audit'}
          </IngestActionButton>
        }
      >
        {audited && report ? (
          <div className="space-y-3 text-sm">
            <p className="text-zinc-600 dark:text-zinc-400" data-testid="audit-meta">
              Ran {createdAt ? `${formatAge(createdAt, now)} ago` : ''} ({formatWhen(audited.audit.createdAt)}
              ) by{' '}
              <span className="font-medium text-zinc-900 dark:text-zinc-100">{audited.audit.createdBy}</span>,
              in {formatDuration(report.durationMs)}, over{' '}
              {report.roots.map((root, i) => (
                <span key={root}>
                  {i > 0 && ', '}
                  <code className="rounded bg-zinc-100 px-1 font-mono text-xs [overflow-wrap:anywhere] dark:bg-zinc-800">
                    {root}
                  </code>
                </span>
              ))}
              ; {count(report.totals.sourcesSearched)} source files searched for writers.
            </p>
            {report.errors.length > 0 && (
              <div role="alert" className="text-red-700 dark:text-red-300">
                <p>Not everything could be read:</p>
                <ul className="list-disc pl-5">
                  {report.errors.map((error) => (
                    <li key={error.path} className="[overflow-wrap:anywhere]">
                      {error.path}: {error.error}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {knownFiles > 0 && (
              <IngestActionButton
                action={startIngestAction.bind(null, { scope: 'all' })}
                pendingLabel="Starting…"
                disabled={busyReason !== null}
                title={busyReason ?? 'Ingest every file of a known domain'}
              >
                Ingest all {count(knownFiles)} files
              </IngestActionButton>
            )}
          </div>
        ) : (
          <p className="py-4 text-center text-sm text-zinc-500">
            No audit has run yet.{' '}
            {rootsUsable
              ? 'Run one to list every JSONL file under FOUNDUPS_ROOT: its size, lines, malformed lines, time range, fields, domain, writers and risk.'
              : 'Set FOUNDUPS_ROOT (see above), or upload a file to ingest it directly.'}
          </p>
        )}
      </Panel>

      {latest && (
        <div id="latest-run" className="scroll-mt-4">
          <Panel title={latest.status === 'running' ? 'Run in progress' : 'Latest run'}>
            <RunProgress initial={latest} />
          </Panel>
        </div>
      )}

      {report && (
        <>
          <AuditSummary report={report} />
          <section aria-labelledby="files-heading" className="space-y-4">
            <h2 id="files-heading" className="text-lg font-semibold">
              Files by domain
            </h2>
            {groups.length === 0 ? (
              <p className="rounded-xl border border-dashed border-zinc-300 py-8 text-center text-sm text-zinc-500 dark:border-zinc-700">
                The audit found no JSONL file under FOUNDUPS_ROOT (node_modules, .git and build output are
                skipped).
              </p>
            ) : (
              groups.map((group) => (
                <DomainSection
                  key={group.domain}
                  domain={group.domain}
                  files={group.files}
                  busyReason={busyReason}
                  showRoot={report.roots.length > 1}
                />
              ))
            )}
          </section>
        </>
      )}
    </div>
  );
}
