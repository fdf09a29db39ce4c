import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { Badge } from '@/components/registry/badge';
import { TablePageBody } from '@/components/registry/table-page-body';
import { TableRowsSkeleton } from '@/components/registry/table-rows-skeleton';
import { getDb } from '@/db/client';
import { classifyTable } from '@/db/namespaces';
import { requireOperator } from '@/lib/auth/current';
import { parseBrowserSearchParams } from '@/lib/registry/browser-params';
import { openRelation, stateMatchesRelation } from '@/lib/registry/queries';

type Props = {
  params: Promise<{ table: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { table } = await params;
  let name = table;
  try {
    name = decodeURIComponent(table);
  } catch {
    // A malformed escape: the page itself answers 404.
  }
  return { title: name.slice(0, 80) };
}

export default async function RegistryTablePage({ params, searchParams }: Props) {
  await requireOperator('viewer');
  let name: string;
  try {
    name = decodeURIComponent((await params).table);
  } catch {
    notFound();
  }
  const parsed = parseBrowserSearchParams(await searchParams);
  const db = await getDb();
  const target = { kind: 'main' as const, db };
  // The name is looked up in the catalogue (a bound parameter), never put into SQL as it came. This
  // check runs before any Suspense boundary (the registry's loading.tsx covers only the list), so an
  // unknown table or column answers with a real 404 status rather than a streamed 200.
  const relation = await openRelation(target, name);
  if (!relation || !parsed.ok || !stateMatchesRelation(relation, parsed.state)) notFound();
  const namespace = classifyTable(relation.name).namespace;
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
        <Link href="/registry" className="hover:underline">
          Registry
        </Link>{' '}
        / <span className="font-mono">{relation.name}</span>
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-2xl font-semibold [overflow-wrap:anywhere]">{relation.name}</h1>
        <Badge tone={namespace === 'unprefixed' ? 'danger' : 'neutral'}>{namespace}</Badge>
      </div>
      <Suspense fallback={<TableRowsSkeleton />}>
        <TablePageBody
          target={target}
          relation={relation}
          state={parsed.state}
          exportHref={`/api/export/table?table=${encodeURIComponent(relation.name)}`}
        />
      </Suspense>
    </div>
  );
}
