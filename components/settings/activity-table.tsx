'use client';

import type { ColumnDef } from '@tanstack/react-table';
import { DataTable } from '@/components/data-table/data-table';
import { useUrlReplace } from '@/components/data-table/use-url-replace';
import { ACTIVITY_PAGE_SIZES, activitySearch } from '@/lib/settings/activity-params';
import type { ActivityEntry, ActivityPage } from '@/lib/settings/queries';
import { formatDateTime, parseDbTime } from '@/lib/time/format';

const MUTED = 'text-zinc-400 dark:text-zinc-600';

const COLUMNS: ColumnDef<ActivityEntry>[] = [
  {
    id: 'at',
    header: 'When',
    enableSorting: false,
    meta: { className: 'whitespace-nowrap' },
    cell: ({ row }) => <span title={row.original.at}>{formatDateTime(parseDbTime(row.original.at))}</span>,
  },
  {
    id: 'actor',
    header: 'Who',
    enableSorting: false,
    cell: ({ row }) => <span className="font-mono text-xs whitespace-nowrap">{row.original.actor}</span>,
  },
  {
    id: 'action',
    header: 'What',
    enableSorting: false,
    cell: ({ row }) => <span className="font-mono text-xs whitespace-nowrap">{row.original.action}</span>,
  },
  {
    id: 'target',
    header: 'On',
    enableSorting: false,
    cell: ({ row }) =>
      row.original.target ? (
        <span className="block min-w-40 [overflow-wrap:anywhere]" dir="auto">
          {row.original.target}
        </span>
      ) : (
        <span className={MUTED}>—</span>
      ),
  },
  {
    id: 'detail',
    header: 'Detail',
    enableSorting: false,
    meta: { className: 'hidden md:table-cell' },
    cell: ({ row }) =>
      row.original.detail ? (
        <code
          className="block max-w-xs truncate font-mono text-xs text-zinc-600 dark:text-zinc-400"
          title={row.original.detail}
        >
          {row.original.detail}
        </code>
      ) : (
        <span className={MUTED}>—</span>
      ),
  },
];

/** The console's activity log, newest first, paged on the server with the page in the URL. */
export function ActivityTable({ page }: { page: ActivityPage }) {
  const { replace, pending } = useUrlReplace();
  return (
    <DataTable
      caption="Console activity, newest first"
      columns={COLUMNS}
      data={page.entries}
      getRowId={(entry) => String(entry.id)}
      rowCount={page.total}
      pagination={{ pageIndex: page.page - 1, pageSize: page.pageSize }}
      onPaginationChange={(next) =>
        replace(new URLSearchParams(activitySearch({ page: next.pageIndex + 1, pageSize: next.pageSize })))
      }
      pageSizeOptions={ACTIVITY_PAGE_SIZES}
      sorting={[]}
      onSortingChange={() => undefined}
      emptyState="Nothing has been recorded yet: sign-ins and changes to operators and tokens appear here."
      pending={pending}
    />
  );
}
