import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Badge } from '@/components/registry/badge';
import { Panel } from '@/components/ui/panel';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { formatBytes, formatCount } from '@/lib/format/numbers';
import { catalogueSourceFor } from '@/lib/registry/browser';
import { listRelations } from '@/lib/registry/catalogue';
import { getSatelliteFile } from '@/lib/satellites/queries';
import { formatDateTime } from '@/lib/time/format';

export const metadata: Metadata = { title: 'Satellite' };

export default async function SatelliteFilePage({ params }: { params: Promise<{ id: string }> }) {
  await requireOperator('viewer');
  const { id } = await params;
  const db = await getDb();
  const access = await getSatelliteFile(db, id);
  if (!access) notFound();
  const { file } = access;
  const relations = await listRelations(catalogueSourceFor({ kind: 'satellite', file: access.absolutePath }));
  const counted = new Map(file.tables.map((table) => [table.name, table]));
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
      <Panel title={`Tables (${relations.length})`}>
        {relations.length === 0 ? (
          <p className="text-sm text-zinc-500">The file has no tables.</p>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {relations.map((relation) => {
              const scanned = counted.get(relation.name);
              return (
                <li key={relation.name} className="flex items-center justify-between gap-3 py-2 text-sm">
                  <Link
                    href={`/satellites/${file.fileKey}/${encodeURIComponent(relation.name)}`}
                    className="font-mono text-sky-700 hover:underline dark:text-sky-400"
                  >
                    {relation.name}
                  </Link>
                  <span className="flex items-center gap-2 text-xs text-zinc-500">
                    {relation.kind !== 'table' && <Badge tone="info">{relation.kind}</Badge>}
                    {relation.columns.length} columns
                    {scanned?.rows !== null && scanned?.rows !== undefined && (
                      <span className="tabular-nums">
                        · {formatCount(scanned.rows)} rows at the last scan
                      </span>
                    )}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </Panel>
    </div>
  );
}
