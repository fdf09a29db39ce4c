import type { Metadata } from 'next';
import { IngestAdminOnly } from '@/components/ingest/admin-only';
import { formatWhen } from '@/components/ingest/format';
import { RejectsFilters } from '@/components/ingest/rejects-filters';
import { type RejectRow, RejectsTable } from '@/components/ingest/rejects-table';
import { parseRejectsSearchParams } from '@/components/ingest/search-params';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import {
  countIngestRejectsByReason,
  listIngestFiles,
  listIngestRejects,
  listIngestRuns,
} from '@/lib/ingest/queries';

export const metadata: Metadata = { title: 'Rejects' };

/** Characters of a line sent to the page (a line can be megabytes; the download has every byte). */
const DISPLAY_CHARS = 4000;
const RUNS_LISTED = 200;

export default async function IngestRejectsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const operator = await requireOperator('viewer');
  if (operator.role !== 'admin') return <IngestAdminOnly role={operator.role} />;
  const query = parseRejectsSearchParams(await searchParams);
  const db = await getDb();
  const filter = { runId: query.runId, fileId: query.fileId, reasonCode: query.reasonCode };
  const [firstPage, reasons, files, runs] = await Promise.all([
    listIngestRejects(db, { ...filter, page: query.page, pageSize: query.pageSize }),
    countIngestRejectsByReason(db, { runId: query.runId, fileId: query.fileId }),
    listIngestFiles(db, { includeSuperseded: true }),
    listIngestRuns(db, { pageSize: RUNS_LISTED }),
  ]);
  let page = firstPage;
  const last = Math.max(1, Math.ceil(page.total / page.pageSize));
  if (page.rows.length === 0 && page.page > last)
    page = await listIngestRejects(db, { ...filter, page: last, pageSize: query.pageSize });
  const shownQuery = { ...query, page: page.page };
  const rows: RejectRow[] = page.rows.map((reject) => ({
    id: reject.id,
    fileId: reject.fileId,
    relativePath: reject.relativePath,
    path: reject.path,
    lineNo: reject.lineNo,
    byteOffset: reject.byteOffset,
    byteLength: reject.byteLength,
    rawText: reject.rawText.slice(0, DISPLAY_CHARS),
    rawLength: reject.rawText.length,
    binary: reject.rawBase64 !== null,
    reasonCode: reject.reasonCode,
    reason: reject.reason,
    runId: reject.runId,
  }));
  const rejectedFiles = files.filter((file) => file.rejected > 0 || file.id === query.fileId);
  const runOptions = runs.rows
    .filter((run) => run.rejected > 0 || run.id === query.runId)
    .map((run) => ({
      id: run.id,
      label: `#${run.id} · ${formatWhen(run.startedAt)} · ${run.rejected} rejected`,
    }));
  if (query.runId !== undefined && !runOptions.some((run) => run.id === query.runId))
    runOptions.unshift({ id: query.runId, label: `#${query.runId}` });
  const fileOptions = rejectedFiles.map((file) => ({
    id: file.id,
    label: `${file.relativePath}${file.generation > 1 ? ` (generation ${file.generation})` : ''} · ${file.rejected} rejected`,
  }));
  const oneFile = query.fileId !== undefined;
  return (
    <section aria-labelledby="rejects-heading" className="space-y-4">
      <div>
        <h2 id="rejects-heading" className="text-lg font-semibold">
          Rejected lines
        </h2>
        <p className="text-sm text-zinc-500">
          Lines that could not become rows — malformed JSON, wrong types, missing fields, invalid UTF-8,
          over-long — kept here with their file, line number, reason and raw text, never dropped. Fix the
          source and ingest again, or download them.
        </p>
      </div>
      <RejectsFilters
        query={shownQuery}
        runs={runOptions}
        files={fileOptions}
        reasons={reasons}
        total={page.total}
      />
      <RejectsTable rows={rows} total={page.total} query={shownQuery} showFile={!oneFile} />
    </section>
  );
}
