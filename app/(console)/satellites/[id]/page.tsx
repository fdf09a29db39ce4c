import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { Badge } from '@/components/registry/badge';
import {
  SatelliteTablesPanel,
  SatelliteTablesSkeleton,
} from '@/components/satellites/satellite-tables-panel';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { formatBytes } from '@/lib/format/numbers';
import { getSatelliteFile } from '@/lib/satellites/queries';
import { formatDateTime } from '@/lib/time/format';

export const metadata: Metadata = { title: 'Satellite' };

export default async function SatelliteFilePage({ params }: { params: Promise<{ id: string }> }) {
  await requireOperator('viewer');
  const { id } = await params;
  const db = await getDb();
  const access = await getSatelliteFile(db, id);
  // Resolved before any Suspense boundary: an unknown file answers with a real 404 status.
  if (!access) notFound();
  const { file } = access;
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
        <Link href="/satellites" className="hover:underline">
          Satellites
        </Link>{' '}
        / <span className="font-mono">{file.relPath}</span>
      </nav>
      <h1 className="font-mono text-xl font-semibold [overflow-wrap:anywhere]">{file.relPath}</h1>
      <div className="flex flex-wrap gap-2 text-sm text-zinc-500">
        <span>{formatBytes(file.sizeBytes)}</span>·
        <span>modified {formatDateTime(new Date(file.modifiedAt))}</span>
        {file.journalMode && (
          <Badge tone="outline">{file.journalMode === 'wal' ? 'WAL mode' : 'rollback journal'}</Badge>
        )}
        {file.isChroma && <Badge tone="info">ChromaDB</Badge>}
        <Badge tone="neutral">read-only</Badge>
      </div>
      <Suspense fallback={<SatelliteTablesSkeleton />}>
        <SatelliteTablesPanel file={file} absolutePath={access.absolutePath} />
      </Suspense>
    </div>
  );
}
