import path from 'node:path';
import type { Metadata } from 'next';
import { getRunView } from '@/app/api/ingest/_lib/run-view';
import { UPLOAD_CHUNK_BYTES, listUploads, maxUploadBytes, uploadDir } from '@/app/api/ingest/_lib/uploads';
import { IngestAdminOnly } from '@/components/ingest/admin-only';
import { fileStatus } from '@/components/ingest/file-status';
import { RunProgress } from '@/components/ingest/run-progress';
import { UploadForm } from '@/components/ingest/upload-form';
import { type UploadRow, UploadsTable } from '@/components/ingest/uploads-table';
import { EmptyState, Panel } from '@/components/ui/panel';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { listIngestFiles, listIngestRuns } from '@/lib/ingest/queries';

export const metadata: Metadata = { title: 'Upload' };

export default async function IngestUploadPage() {
  const operator = await requireOperator('viewer');
  if (operator.role !== 'admin') return <IngestAdminOnly role={operator.role} />;
  const db = await getDb();
  const dir = uploadDir();
  const [files, runs] = await Promise.all([listIngestFiles(db), listIngestRuns(db, { pageSize: 1 })]);
  const latest = runs.rows[0] ? await getRunView(db, runs.rows[0].id) : null;
  const busyReason =
    latest?.status === 'running' ? `Run #${latest.id} is running; wait for it to finish.` : null;
  // The latest run is followed here while it runs, and afterwards when it was an upload's.
  const showRun =
    latest !== null &&
    (latest.status === 'running' || latest.files.some((file) => path.dirname(file.path) === dir));
  const byPath = new Map(files.map((file) => [file.path, file]));
  const uploads: UploadRow[] = listUploads(dir).map((upload) => {
    const ingest = byPath.get(upload.path) ?? null;
    return {
      name: upload.name,
      size: upload.size,
      modifiedAt: upload.modifiedAt,
      status: fileStatus(upload.size, ingest),
      targetTable: ingest?.targetTable ?? null,
      fileId: ingest?.id ?? null,
      rejected: ingest?.rejected ?? 0,
    };
  });
  return (
    <div className="space-y-6">
      <Panel title="Upload a JSONL file">
        <div className="space-y-4">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            For files that are not under FOUNDUPS_ROOT. The file is stored in{' '}
            <code className="rounded bg-zinc-100 px-1 font-mono text-xs [overflow-wrap:anywhere] dark:bg-zinc-800">
              {dir}
            </code>{' '}
            under a name of the console’s own (never replacing another file), then ingested like any other:
            every line inserted or quarantined with its reason.
          </p>
          <UploadForm maxBytes={maxUploadBytes()} chunkBytes={UPLOAD_CHUNK_BYTES} />
        </div>
      </Panel>
      {showRun && latest && (
        <div id="latest-run" className="scroll-mt-4">
          <Panel title={latest.status === 'running' ? 'Run in progress' : 'Latest run'}>
            <RunProgress initial={latest} />
          </Panel>
        </div>
      )}
      <Panel title={`Uploads (${uploads.length})`}>
        {uploads.length === 0 ? (
          <EmptyState>Nothing has been uploaded yet.</EmptyState>
        ) : (
          <UploadsTable uploads={uploads} busyReason={busyReason} />
        )}
      </Panel>
    </div>
  );
}
