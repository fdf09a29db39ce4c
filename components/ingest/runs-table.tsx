'use client';

import type { ColumnDef } from '@tanstack/react-table';
import Link from 'next/link';
import { DataTable } from '@/components/data-table/data-table';
import { useUrlReplace } from '@/components/data-table/use-url-replace';
import type { IngestRunSummary, Page } from '@/lib/ingest/queries';
import { count, formatDuration, formatWhen } from './format';
import { RUN_PAGE_SIZES, rejectsHref, runsSearch } from './search-params';
import { RunStatusBadge } from './status-badges';

const NUM = 'text-right tabular-nums whitespace-nowrap';

function duration(run: IngestRunSummary): string {
  if (!run.finishedAt) return run.status === 'running' ? 'running' : '—';
  return formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt));
}

const COLUMNS: ColumnDef<IngestRunSummary>[] = [
  {
    id: 'id',
    header: 'Run',
    enableSorting: false,
    cell: ({ row }) => (
      <Link
        href={`/ingest/runs/${row.original.id}`}
        className="font-medium text-sky-700 underline dark:text-sky-400"
      >
        #{row.original.id}
      </Link>
    ),
  },
  {
    id: 'status',
    header: 'Status',
    enableSorting: false,
    cell: ({ row }) => <RunStatusBadge status={row.original.status} />,
  },
  {
    id: 'startedBy',
    header: 'Started by',
    enableSorting: false,
    meta: { className: 'hidden sm:table-cell' },
    cell: ({ row }) => <span className="font-mono text-xs whitespace-nowrap">{row.original.startedBy}</span>,
  },
  {
    id: 'startedAt',
    header: 'When',
    enableSorting: false,
    meta: { className: 'hidden md:table-cell whitespace-nowrap' },
    cell: ({ row }) => <span title={row.original.startedAt}>{formatWhen(row.original.startedAt)}</span>,
  },
  {
    id: 'files',
    header: 'Files',
    enableSorting: false,
    meta: { className: `${NUM} hidden 2xl:table-cell` },
    cell: ({ row }) => count(row.original.files),
  },
  {
    id: 'read',
    header: 'Read',
    enableSorting: false,
    meta: { className: NUM },
    cell: ({ row }) => count(row.original.linesRead),
  },
  {
    id: 'inserted',
    header: 'Inserted',
    enableSorting: false,
    meta: { className: NUM },
    cell: ({ row }) => count(row.original.inserted),
  },
  {
    id: 'present',
    header: 'Already present',
    enableSorting: false,
    meta: { className: `${NUM} hidden md:table-cell` },
    cell: ({ row }) => count(row.original.alreadyPresent),
  },
  {
    id: 'rejected',
    header: 'Rejected',
    enableSorting: false,
    meta: { className: NUM },
    cell: ({ row }) =>
      row.original.rejected > 0 ? (
        <Link
          href={rejectsHref({ runId: row.original.id })}
          className="text-sky-700 underline dark:text-sky-400"
        >
          {count(row.original.rejected)}
        </Link>
      ) : (
        '0'
      ),
  },
  {
    id: 'blank',
    header: 'Blank',
    enableSorting: false,
    meta: { className: `${NUM} hidden 2xl:table-cell` },
    cell: ({ row }) => count(row.original.blank),
  },
  {
    id: 'pending',
    header: 'Pending',
    enableSorting: false,
    meta: { className: `${NUM} hidden xl:table-cell` },
    cell: ({ row }) => count(row.original.pendingPartial),
  },
  {
    id: 'duration',
    header: 'Duration',
    enableSorting: false,
    meta: { className: `${NUM} hidden sm:table-cell` },
    cell: ({ row }) => duration(row.original),
  },
];

/** Every ingest run, newest first, paged on the server with the page in the URL. */
export function RunsTable({ page }: { page: Page<IngestRunSummary> }) {
  const { replace, pending } = useUrlReplace();
  return (
    <DataTable
      caption="Ingest runs, newest first"
      columns={COLUMNS}
      data={page.rows}
      getRowId={(run) => String(run.id)}
      rowCount={page.total}
      pagination={{ pageIndex: page.page - 1, pageSize: page.pageSize }}
      onPaginationChange={(next) =>
        replace(new URLSearchParams(runsSearch({ page: next.pageIndex + 1, pageSize: next.pageSize })))
      }
      pageSizeOptions={RUN_PAGE_SIZES}
      sorting={[]}
      onSortingChange={() => undefined}
      emptyState="No ingest run yet. Start one from the audit, an upload, or `npx foundups ingest`."
      pending={pending}
    />
  );
}
