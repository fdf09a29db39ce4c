import type { BrowserPage } from '@/lib/registry/browser';
import type { BrowserState } from '@/lib/registry/browser-params';
import type { RelationInfo } from '@/lib/registry/catalogue';
import { Badge } from './badge';
import { TableBrowser } from './table-browser';

/** The body of a table page (main database or satellite): what the relation is, then its rows. */
export function TableView({
  relation,
  page,
  state,
  exportHref,
  context,
}: {
  relation: RelationInfo;
  page: BrowserPage;
  state: BrowserState;
  exportHref: string;
  context?: React.ReactNode;
}) {
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2 text-sm text-zinc-500">
        {relation.kind !== 'table' && <Badge tone="info">{relation.kind}</Badge>}
        <span>
          {relation.columns.length} columns
          {relation.primaryKey.length
            ? ` · primary key (${relation.primaryKey.join(', ')})`
            : relation.kind === 'table'
              ? ' · no primary key'
              : ''}
          {relation.kind === 'table'
            ? ` · ${relation.indexes.length} index${relation.indexes.length === 1 ? '' : 'es'}`
            : ''}
        </span>
        {context}
      </div>
      <TableBrowser
        table={relation.name}
        columns={page.columns}
        rows={page.rows}
        state={state}
        total={page.total}
        exportHref={exportHref}
        readMs={page.readMs}
      />
    </div>
  );
}
