import Link from 'next/link';
import { Badge } from '@/components/registry/badge';
import { Panel } from '@/components/ui/panel';
import { formatCount } from '@/lib/format/numbers';
import { catalogueSourceFor } from '@/lib/registry/browser';
import { listRelations } from '@/lib/registry/catalogue';
import type { SatelliteFileAccess } from '@/lib/satellites/queries';

/** The tables of a satellite file, read from its own catalogue (opened read-only, time-boxed). */
export async function SatelliteTablesPanel({
  file,
  absolutePath,
}: {
  file: SatelliteFileAccess['file'];
  absolutePath: string;
}) {
  const relations = await listRelations(catalogueSourceFor({ kind: 'satellite', file: absolutePath }));
  const counted = new Map(file.tables.map((table) => [table.name, table]));
  return (
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
                    <span className="tabular-nums">· {formatCount(scanned.rows)} rows at the last scan</span>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}

export function SatelliteTablesSkeleton() {
  const bar = 'animate-pulse rounded bg-zinc-200 dark:bg-zinc-800';
  return (
    <div aria-busy="true" className="space-y-2 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
      <span className="sr-only" role="status">
        Reading the file&apos;s tables…
      </span>
      <div className={`h-5 w-32 ${bar}`} />
      {[0, 1, 2, 3].map((row) => (
        <div key={row} className={`h-5 w-full ${bar}`} />
      ))}
    </div>
  );
}
