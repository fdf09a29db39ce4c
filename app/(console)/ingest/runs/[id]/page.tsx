import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getRunView } from '@/app/api/ingest/_lib/run-view';
import { IngestAdminOnly } from '@/components/ingest/admin-only';
import { formatWhen } from '@/components/ingest/format';
import { RunProgress } from '@/components/ingest/run-progress';
import { RunReport } from '@/components/ingest/run-report';
import { Panel } from '@/components/ui/panel';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { getIngestRun } from '@/lib/ingest/queries';

type Params = Promise<{ id: string }>;

function runId(text: string): number | null {
  return /^\d{1,10}$/.test(text) && Number(text) > 0 ? Number(text) : null;
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id } = await params;
  return { title: runId(id) ? `Run #${id}` : 'Run' };
}

export default async function IngestRunPage({ params }: { params: Params }) {
  const operator = await requireOperator('viewer');
  if (operator.role !== 'admin') return <IngestAdminOnly role={operator.role} />;
  const id = runId((await params).id);
  if (id === null) notFound();
  const db = await getDb();
  const [view, detail] = await Promise.all([getRunView(db, id), getIngestRun(db, id)]);
  if (!view || !detail) notFound();
  const options = detail.options;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold">Run #{view.id}</h2>
        <Link href="/ingest/runs" className="text-sm text-sky-700 underline dark:text-sky-400">
          All runs
        </Link>
      </div>
      <Panel title={view.status === 'running' ? 'Progress' : 'Outcome'}>
        <RunProgress initial={view} maxFiles={view.status === 'running' ? 100 : 0} showTitle={false} />
      </Panel>
      {detail.report ? (
        <section aria-labelledby="report-heading" className="space-y-3">
          <h3 id="report-heading" className="font-semibold">
            Validation report
          </h3>
          <RunReport report={detail.report} />
        </section>
      ) : (
        view.status !== 'running' && (
          <p className="text-sm text-zinc-500">
            This run stopped before it could write its report; the counters above are those of its last
            committed batch.
          </p>
        )
      )}
      <Panel title="What was asked">
        <dl className="grid gap-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <dt className="text-xs text-zinc-500">Started</dt>
            <dd>
              {formatWhen(view.startedAt)} by {view.startedBy}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-500">Finished</dt>
            <dd>{view.finishedAt ? formatWhen(view.finishedAt) : '—'}</dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-500">Domain</dt>
            <dd>{view.domain ?? 'detected per file'}</dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-500">Options</dt>
            <dd>
              {[
                view.finalize ? 'finalize (an unterminated last line counts as complete)' : null,
                view.acceptRewrite ? 'accept rewrite (new generation)' : null,
                typeof options.batchLines === 'number'
                  ? `batches of ${options.batchLines.toLocaleString('en-US')} lines`
                  : null,
              ]
                .filter(Boolean)
                .join(' · ') || 'defaults'}
            </dd>
          </div>
        </dl>
      </Panel>
    </div>
  );
}
