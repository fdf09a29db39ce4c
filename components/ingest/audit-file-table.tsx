'use client';

import Link from 'next/link';
import { Fragment, useState } from 'react';
import type { AuditFileReport } from '@/lib/ingest/audit';
import { formatBytes } from '@/lib/format/numbers';
import { FileIngestControl } from './file-ingest-control';
import type { FileStatusView } from './file-status';
import { count, formatWhen } from './format';
import { ProgressBar } from './progress-bar';
import { rejectsHref } from './search-params';
import { FileStateBadge, RiskBadge } from './status-badges';

export interface AuditFileRow extends AuditFileReport {
  status: FileStatusView;
  /** The file's ingest record, once a run has recorded it. */
  fileId: number | null;
  rejected: number;
  /** Unknown domain and no earlier run chose one. */
  needsDomain: boolean;
}

const TH = 'border-b border-zinc-200 px-2 py-2 font-medium whitespace-nowrap sm:px-3 dark:border-zinc-800';
const TD = 'px-2 py-2 align-top sm:px-3';

/** One domain's files: the audit's figures, ingest status and an Ingest button each, details on demand. */
export function AuditFileTable({
  files,
  caption,
  busyReason,
  showRoot,
}: {
  files: AuditFileRow[];
  caption: string;
  busyReason: string | null;
  showRoot: boolean;
}) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500 dark:bg-zinc-950/40">
          <tr>
            <th scope="col" className={TH}>
              File
            </th>
            <th scope="col" className={`${TH} hidden text-right sm:table-cell`}>
              Size
            </th>
            <th scope="col" className={`${TH} text-right`}>
              Lines
            </th>
            <th scope="col" className={`${TH} hidden xl:table-cell`}>
              First → last record
            </th>
            <th scope="col" className={`${TH} hidden md:table-cell`}>
              Writers · risk
            </th>
            <th scope="col" className={`${TH} hidden sm:table-cell`}>
              Status
            </th>
            <th scope="col" className={`${TH} hidden lg:table-cell`}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {files.map((file) => {
            const expanded = open.has(file.path);
            const detailsId = `audit-details-${file.path.replace(/[^A-Za-z0-9]/g, '-')}`;
            return (
              <Fragment key={file.path}>
                <tr
                  className="border-t border-zinc-100 dark:border-zinc-800"
                  data-file={file.relativePath}
                  data-status={file.status.state}
                >
                  <td className={`${TD} min-w-40 sm:min-w-48`}>
                    <button
                      type="button"
                      onClick={() => toggle(file.path)}
                      aria-expanded={expanded}
                      aria-controls={detailsId}
                      aria-label={`Details of ${file.relativePath}`}
                      className="group flex items-start gap-1.5 text-left"
                    >
                      <span
                        aria-hidden
                        className="mt-0.5 text-[10px] text-zinc-400 transition-transform group-aria-expanded:rotate-90"
                      >
                        ▶
                      </span>
                      <span className="font-mono text-xs [overflow-wrap:anywhere] group-hover:underline">
                        {file.relativePath}
                      </span>
                    </button>
                    {showRoot && (
                      <p className="mt-0.5 pl-4 text-[11px] text-zinc-500 [overflow-wrap:anywhere]">
                        {file.root}
                      </p>
                    )}
                    <div className="mt-1.5 pl-4 sm:hidden">
                      <FileStatus file={file} />
                    </div>
                    <div className="mt-1.5 pl-4 lg:hidden">
                      <FileIngestControl
                        target={{ scope: 'file', path: file.path }}
                        name={file.relativePath}
                        state={file.status.state}
                        domainChoice={file.needsDomain ? 'required' : 'none'}
                        busyReason={busyReason}
                      />
                    </div>
                  </td>
                  <td className={`${TD} hidden text-right tabular-nums whitespace-nowrap sm:table-cell`}>
                    {formatBytes(file.size)}
                  </td>
                  <td className={`${TD} text-right tabular-nums whitespace-nowrap`}>
                    {count(file.lines)}
                    {file.malformedLines > 0 && (
                      <span className="block text-xs text-red-700 dark:text-red-400">
                        {count(file.malformedLines)} malformed
                      </span>
                    )}
                  </td>
                  <td
                    className={`${TD} hidden text-xs whitespace-nowrap text-zinc-600 xl:table-cell dark:text-zinc-400`}
                  >
                    {file.firstTimestamp ? (
                      <>
                        <span className="block">{formatWhen(file.firstTimestamp.iso)}</span>
                        <span className="block">→ {formatWhen(file.lastTimestamp?.iso ?? null)}</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className={`${TD} hidden md:table-cell`}>
                    <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                      {file.writers.length === 0
                        ? 'no writer found'
                        : `${file.writers.length} writer${file.writers.length === 1 ? '' : 's'}`}
                    </span>
                    <RiskBadge risk={file.concurrencyRisk} title={file.riskReasons.join('; ')} />
                  </td>
                  {/* Below sm the status sits under the file name: a phone has no room for a third column. */}
                  <td className={`${TD} hidden min-w-28 sm:table-cell`}>
                    <FileStatus file={file} />
                  </td>
                  <td className={`${TD} hidden lg:table-cell`}>
                    <FileIngestControl
                      target={{ scope: 'file', path: file.path }}
                      name={file.relativePath}
                      state={file.status.state}
                      domainChoice={file.needsDomain ? 'required' : 'none'}
                      busyReason={busyReason}
                    />
                  </td>
                </tr>
                <tr id={detailsId} hidden={!expanded} className="bg-zinc-50/60 dark:bg-zinc-950/30">
                  <td colSpan={7} className="px-3 py-3 sm:px-6">
                    {expanded && <FileDetails file={file} />}
                  </td>
                </tr>
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function FileStatus({ file }: { file: AuditFileRow }) {
  return (
    <>
      <FileStateBadge state={file.status.state} label={file.status.label} title={file.status.detail} />
      {file.status.fraction !== null && file.status.state !== 'not_ingested' && (
        <ProgressBar
          fraction={file.status.fraction}
          className="mt-1.5 h-1 w-24"
          tone={file.status.state === 'done' ? 'emerald' : 'sky'}
        />
      )}
    </>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className="text-sm [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

function FileDetails({ file }: { file: AuditFileRow }) {
  const notes = [
    file.blankLines ? `${count(file.blankLines)} blank lines` : null,
    file.partialLastLine ? 'the last line has no newline yet' : null,
    file.bom ? 'starts with a byte-order mark' : null,
    file.crlfLines ? `${count(file.crlfLines)} lines end in CRLF` : null,
    file.outOfOrder ? `${count(file.outOfOrder)} records out of time order` : null,
  ].filter((note): note is string => note !== null);
  const malformed = Object.entries(file.malformedByReason);
  return (
    <div className="space-y-4">
      <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Fact label="Domain">
          {file.domain} → <span className="font-mono text-xs">{file.targetTable ?? 'no table'}</span>
        </Fact>
        <Fact label="Status">{file.status.detail}</Fact>
        <Fact label="Records">
          {count(file.records)} of {count(file.lines)} lines
          {notes.length > 0 && <span className="block text-xs text-zinc-500">{notes.join(' · ')}</span>}
        </Fact>
        <Fact label="Time range">
          {file.firstTimestamp
            ? `${formatWhen(file.firstTimestamp.iso)} → ${formatWhen(file.lastTimestamp?.iso ?? null)}`
            : 'no timestamps'}
          <span className="block text-xs text-zinc-500">
            peak {count(file.peakAppendsPerMinute)} appends/min
            {file.averageAppendsPerHour !== null ? ` · about ${count(file.averageAppendsPerHour)}/h` : ''} ·
            modified {formatWhen(file.modifiedAt)}
          </span>
        </Fact>
      </dl>
      <Fact label="Why this domain">{file.domainReason || '—'}</Fact>
      <Fact label={`Concurrency risk: ${file.concurrencyRisk}`}>
        <ul className="list-disc pl-5">
          {file.riskReasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      </Fact>
      <Fact label={`Writers (${file.writers.length})`}>
        {file.writers.length === 0 ? (
          <span className="text-zinc-500">No source file under the root appends to it.</span>
        ) : (
          <ul className="space-y-1">
            {file.writers.map((writer) => (
              <li key={`${writer.path}:${writer.line}`}>
                <span className="font-mono text-xs">
                  {writer.path}:{writer.line}
                </span>
                <span className="block font-mono text-[11px] text-zinc-500 [overflow-wrap:anywhere]">
                  {writer.evidence}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Fact>
      <Fact label={`Field sets (${count(file.distinctFieldSets)} distinct)`}>
        {file.fieldSets.length === 0 ? (
          <span className="text-zinc-500">No record parsed.</span>
        ) : (
          <ul className="space-y-1">
            {file.fieldSets.map((set) => (
              <li key={set.fields.join(',')} className="flex gap-2">
                <span className="w-20 shrink-0 text-right text-xs tabular-nums text-zinc-500">
                  {count(set.count)}
                  {file.records > 0 ? ` (${Math.round((set.count / file.records) * 100)}%)` : ''}
                </span>
                <span className="font-mono text-xs [overflow-wrap:anywhere]">
                  {set.fields.join(', ') || '(no fields)'}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Fact>
      {malformed.length > 0 && (
        <Fact label="Malformed lines">
          {malformed.map(([reason, n]) => `${reason.replaceAll('_', ' ')}: ${count(n)}`).join(' · ')}
          {file.fileId !== null && file.rejected > 0 && (
            <Link
              className="ml-2 text-sky-700 underline dark:text-sky-400"
              href={rejectsHref({ fileId: file.fileId })}
            >
              See the quarantined lines
            </Link>
          )}
        </Fact>
      )}
      {file.fileId !== null && file.rejected > 0 && malformed.length === 0 && (
        <p className="text-sm">
          <Link
            className="text-sky-700 underline dark:text-sky-400"
            href={rejectsHref({ fileId: file.fileId })}
          >
            {count(file.rejected)} quarantined lines
          </Link>
        </p>
      )}
      {file.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          Could not be read completely: {file.error}
        </p>
      )}
    </div>
  );
}
