import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { TablePageBody } from '@/components/registry/table-page-body';
import { TableRowsSkeleton } from '@/components/registry/table-rows-skeleton';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { parseBrowserSearchParams } from '@/lib/registry/browser-params';
import { openRelation, stateMatchesRelation } from '@/lib/registry/queries';
import { getSatelliteFile } from '@/lib/satellites/queries';

export const metadata: Metadata = { title: 'Satellite table' };

type Props = {
  params: Promise<{ id: string; table: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function SatelliteTablePage({ params, searchParams }: Props) {
  await requireOperator('viewer');
  const { id, table } = await params;
  const parsed = parseBrowserSearchParams(await searchParams);
  const db = await getDb();
  const access = await getSatelliteFile(db, id);
  if (!access || !parsed.ok) notFound();
  const target = { kind: 'satellite' as const, file: access.absolutePath };
  let name: string;
  try {
    name = decodeURIComponent(table);
  } catch {
    notFound();
  }
  // Checked before any Suspense boundary, so an unknown file, table or column is a real 404.
  const relation = await openRelation(target, name);
  if (!relation || !stateMatchesRelation(relation, parsed.state)) notFound();
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
        <Link href="/satellites" className="hover:underline">
          Satellites
        </Link>{' '}
        /{' '}
        <Link href={`/satellites/${access.file.fileKey}`} className="font-mono hover:underline">
          {access.file.relPath}
        </Link>{' '}
        / <span className="font-mono">{relation.name}</span>
      </nav>
      <h1 className="font-mono text-2xl font-semibold [overflow-wrap:anywhere]">{relation.name}</h1>
      <Suspense fallback={<TableRowsSkeleton />}>
        <TablePageBody
          target={target}
          relation={relation}
          state={parsed.state}
          exportHref={`/api/export/table?satellite=${access.file.fileKey}&table=${encodeURIComponent(relation.name)}`}
          context={<span className="text-xs">· satellite file, opened read-only</span>}
        />
      </Suspense>
    </div>
  );
}
