import Link from 'next/link';
import type { FileIngestReport, IngestRunReport } from '@/lib/ingest/ingest';
import { count } from './format';
import { reconciliationText } from './reconciliation';
import { rejectsHref } from './search-params';
import { RunFileBadge } from './status-badges';

const TH = 'border-b border-zinc-200 px-2 py-2 font-medium whitespace-nowrap sm:px-3 dark:border-zinc-800';
const NUM = 'px-2 py-2 text-right tabular-nums whitespace-nowrap sm:px-3';

function check(file: FileIngestReport): 'ok' | 'mismatch' | null {
  if (
    file.status === 'skipped' ||
    file.status === 'changed' ||
    (file.status === 'failed' && !file.databaseCheck)
  )
    return null;
  return file.reconciled && file.databaseCheck?.ok !== false ? 'ok' : 'mismatch';
}

/**
 * The validation report: per file, the lines read and where each went — inserted, already present
 * (earlier runs), rejected, blank, or a pending partial last line — and whether that adds up, both by
 * the run's own count and by the database's (ledger rows + rejects + blank = lines committed).
 */
export function RunReport({ report }: { report: IngestRunReport }) {
  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Validation report of run #{report.runId}, per file</caption>
          <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500 dark:bg-zinc-950/40">
            <tr>
              <th scope="col" className={TH}>
                File
              </th>
              <th scope="col" className={TH}>
                Status
              </th>
              <th scope="col" className={`${TH} text-right`}>
                Read
              </th>
              <th scope="col" className={`${TH} text-right`}>
                = Present
              </th>
              <th scope="col" className={`${TH} text-right`}>
                + Inserted
              </th>
              <th scope="col" className={`${TH} text-right`}>
                + Rejected
              </th>
              <th scope="col" className={`${TH} text-right`}>
                + Blank
              </th>
              <th scope="col" className={`${TH} text-right`}>
                + Pending
              </th>
              <th scope="col" className={TH}>
                Check
              </th>
            </tr>
          </thead>
          <tbody>
            {report.files.map((file) => {
              const verdict = check(file);
              return (
                <tr
                  key={file.path}
                  className="border-t border-zinc-100 align-top dark:border-zinc-800"
                  data-file={file.relativePath}
                >
                  <td className="min-w-48 px-2 py-2 sm:px-3">
                    <span className="block font-mono text-xs [overflow-wrap:anywhere]" title={file.path}>
                      {file.relativePath}
                    </span>
                    <span className="block text-xs text-zinc-500">
                      {file.targetTable ? `→ ${file.targetTable}` : (file.domain ?? '')}
                      {file.generation && file.generation > 1 ? ` · generation ${file.generation}` : ''}
                    </span>
                    {file.message && (
                      <span className="mt-1 block text-xs text-amber-800 [overflow-wrap:anywhere] dark:text-amber-300">
                        {file.message}
                      </span>
                    )}
                  </td>
                  <td className="px-2 py-2 sm:px-3">
                    <RunFileBadge state={file.status} />
                  </td>
                  <td className={NUM}>{count(file.linesRead)}</td>
                  <td className={NUM}>{count(file.alreadyPresent)}</td>
                  <td className={NUM}>{count(file.inserted)}</td>
                  <td className={NUM}>
                    {file.rejected > 0 && file.fileId !== null ? (
                      <Link
                        href={rejectsHref({ runId: report.runId, fileId: file.fileId })}
                        className="text-sky-700 underline dark:text-sky-400"
                        aria-label={`${count(file.rejected)} rejected line${file.rejected === 1 ? '' : 's'} of ${file.relativePath}`}
                      >
                        {count(file.rejected)}
                      </Link>
                    ) : (
                      count(file.rejected)
                    )}
                  </td>
                  <td className={NUM}>{count(file.blank)}</td>
                  <td className={NUM}>{count(file.pendingPartial)}</td>
                  <td className="px-2 py-2 whitespace-nowrap sm:px-3">
                    {verdict === 'ok' ? (
                      <span
                        className="text-emerald-700 dark:text-emerald-400"
                        title={
                          file.databaseCheck
                            ? `ledger ${file.databaseCheck.ledgerRows} + rejects ${file.databaseCheck.rejectRows} + blank ${file.databaseCheck.blank} = ${file.databaseCheck.linesCommitted} committed`
                            : undefined
                        }
                      >
                        ✓ ok
                      </span>
                    ) : verdict === 'mismatch' ? (
                      <span className="font-medium text-red-700 dark:text-red-400">✗ mismatch</span>
                    ) : (
                      <span className="text-zinc-400">—</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
          <tfoot className="border-t-2 border-zinc-200 font-medium dark:border-zinc-700">
            <tr>
              <th scope="row" colSpan={2} className="px-2 py-2 text-left sm:px-3">
                Total ({count(report.files.length)} files)
              </th>
              <td className={NUM}>{count(report.totals.linesRead)}</td>
              <td className={NUM}>{count(report.totals.alreadyPresent)}</td>
              <td className={NUM}>{count(report.totals.inserted)}</td>
              <td className={NUM}>{count(report.totals.rejected)}</td>
              <td className={NUM}>{count(report.totals.blank)}</td>
              <td className={NUM}>{count(report.totals.pendingPartial)}</td>
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="text-sm tabular-nums text-zinc-600 dark:text-zinc-400">
        {reconciliationText(report.totals)}.
      </p>
    </div>
  );
}
