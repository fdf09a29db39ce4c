import { formatBytes } from '@/lib/format/numbers';
import type { KnownDomain } from '@/lib/ingest/domains';
import { startIngestAction } from '@/lib/ingest/actions';
import { IngestActionButton } from './action-button';
import { type AuditFileRow, AuditFileTable } from './audit-file-table';
import { count, domainLabel } from './format';

/** One domain of the audit: its totals, the table it goes to, an Ingest button for all its files. */
export function DomainSection({
  domain,
  files,
  busyReason,
  showRoot,
}: {
  domain: string;
  files: AuditFileRow[];
  busyReason: string | null;
  showRoot: boolean;
}) {
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  const lines = files.reduce((sum, file) => sum + file.lines, 0);
  const malformed = files.reduce((sum, file) => sum + file.malformedLines, 0);
  const done = files.filter((file) => file.status.state === 'done').length;
  const table = files[0]?.targetTable ?? null;
  const headingId = `domain-${domain}`;
  return (
    <section
      aria-labelledby={headingId}
      data-domain={domain}
      className="space-y-3 rounded-xl border border-zinc-200 bg-white p-3 shadow-sm sm:p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-0.5">
          <h3 id={headingId} className="font-semibold">
            {domainLabel(domain)}{' '}
            {table ? (
              <span className="font-mono text-xs font-normal text-zinc-500">→ {table}</span>
            ) : (
              <span className="text-xs font-normal text-zinc-500">no table yet</span>
            )}
          </h3>
          <p className="text-xs text-zinc-500 tabular-nums">
            {count(files.length)} file{files.length === 1 ? '' : 's'} · {formatBytes(bytes)} · {count(lines)}{' '}
            lines
            {malformed ? ` · ${count(malformed)} malformed` : ''} · {count(done)} of {count(files.length)}{' '}
            ingested
          </p>
        </div>
        {domain === 'unknown' ? (
          <p className="max-w-sm text-xs text-zinc-500">
            No known field signature matched these files: choose a domain for each to ingest it.
          </p>
        ) : (
          <IngestActionButton
            action={startIngestAction.bind(null, { scope: 'domain', domain: domain as KnownDomain })}
            pendingLabel="Starting…"
            disabled={busyReason !== null}
            title={busyReason ?? `Ingest every ${domainLabel(domain).toLowerCase()} file`}
          >
            Ingest {domainLabel(domain).toLowerCase()}
          </IngestActionButton>
        )}
      </div>
      <AuditFileTable
        files={files}
        caption={`${domainLabel(domain)} files`}
        busyReason={busyReason}
        showRoot={showRoot}
      />
    </section>
  );
}
