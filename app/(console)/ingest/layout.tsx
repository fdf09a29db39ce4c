import type { Metadata } from 'next';
import { IngestAdminOnly } from '@/components/ingest/admin-only';
import { IngestTabs } from '@/components/ingest/ingest-tabs';
import { requireOperator } from '@/lib/auth/current';

export const metadata: Metadata = { title: { template: '%s · Ingest', default: 'Ingest' } };

/** Admins get the Ingest sections; anyone else a plain refusal (every page, action and route checks again). */
export default async function IngestLayout({ children }: { children: React.ReactNode }) {
  const operator = await requireOperator('viewer');
  const admin = operator.role === 'admin';
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Ingest</h1>
        <p className="text-sm text-zinc-500">
          Find the JSONL telemetry scattered across the system and move it into the database: every line
          inserted, already present, or quarantined with its reason. The files themselves are never changed.
        </p>
      </div>
      {admin ? (
        <>
          <IngestTabs />
          {children}
        </>
      ) : (
        <IngestAdminOnly role={operator.role} />
      )}
    </div>
  );
}
