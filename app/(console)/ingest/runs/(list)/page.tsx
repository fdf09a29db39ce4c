import type { Metadata } from 'next';
import { IngestAdminOnly } from '@/components/ingest/admin-only';
import { RunsTable } from '@/components/ingest/runs-table';
import { parseRunsSearchParams } from '@/components/ingest/search-params';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { listIngestRuns } from '@/lib/ingest/queries';

export const metadata: Metadata = { title: 'Runs' };

export default async function IngestRunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const operator = await requireOperator('viewer');
  if (operator.role !== 'admin') return <IngestAdminOnly role={operator.role} />;
  const query = parseRunsSearchParams(await searchParams);
  const db = await getDb();
  let page = await listIngestRuns(db, query);
  // A page past the end shows the last one instead of an empty table.
  const last = Math.max(1, Math.ceil(page.total / page.pageSize));
  if (page.rows.length === 0 && page.page > last) page = await listIngestRuns(db, { ...query, page: last });
  return (
    <section aria-labelledby="runs-heading" className="space-y-3">
      <div>
        <h2 id="runs-heading" className="text-lg font-semibold">
          Runs
        </h2>
        <p className="text-sm text-zinc-500">
          Every ingest, from this screen or the command line: who started it, and where each line went. Lines
          read = already present + inserted + rejected + blank + pending partial.
        </p>
      </div>
      <RunsTable page={page} />
    </section>
  );
}
