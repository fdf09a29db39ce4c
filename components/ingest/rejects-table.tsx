'use client';

import type { ColumnDef } from '@tanstack/react-table';
import Link from 'next/link';
import { useState } from 'react';
import { DataTable } from '@/components/data-table/data-table';
import { useUrlReplace } from '@/components/data-table/use-url-replace';
import { count } from './format';
import { REJECT_PAGE_SIZES, REJECT_REASONS, type RejectsQuery, rejectsParams } from './search-params';

export interface RejectRow {
  id: number;
  fileId: number;
  relativePath: string;
  path: string;
  lineNo: number;
  byteOffset: number;
  byteLength: number;
  /** At most DISPLAY_CHARS of the line (the download has all of it). */
  rawText: string;
  rawLength: number;
  binary: boolean;
  reasonCode: string;
  reason: string;
  runId: number;
}

const reasonLabel = (code: string) => REJECT_REASONS[code as keyof typeof REJECT_REASONS] ?? code;

/** Characters of a rejected line shown before "Show all". */
const PREVIEW_CHARS = 160;

function RawText({ row }: { row: RejectRow }) {
  const [expanded, setExpanded] = useState(false);
  const long = row.rawText.length > PREVIEW_CHARS;
  const shown = expanded || !long ? row.rawText : `${row.rawText.slice(0, PREVIEW_CHARS)}…`;
  const cut = row.rawLength - row.rawText.length;
  return (
    <div className="min-w-48 space-y-1">
      <p className="text-xs sm:hidden">
        <span className="font-medium">{reasonLabel(row.reasonCode)}</span>{' '}
        <span className="text-zinc-500 [overflow-wrap:anywhere]">{row.reason}</span>
      </p>
      {/* Untrusted text: rendered as text (React escapes it), never as HTML. */}
      <pre className="max-h-96 overflow-auto rounded bg-zinc-100 px-2 py-1 font-mono text-xs whitespace-pre-wrap [overflow-wrap:anywhere] dark:bg-zinc-950">
        {shown === '' ? <span className="text-zinc-400">(empty)</span> : shown}
      </pre>
      <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-500">
        {long && (
          <button
            type="button"
            onClick={() => setExpanded((value) => !value)}
            aria-expanded={expanded}
            className="text-sky-700 underline dark:text-sky-400"
          >
            {expanded ? 'Show less' : `Show all ${count(row.rawText.length)} characters`}
          </button>
        )}
        {expanded && cut > 0 && <span>{count(cut)} more characters are in the download.</span>}
        {row.binary && (
          <span>Invalid UTF-8 shown as �; the exact bytes are in the download (raw_base64).</span>
        )}
      </div>
    </div>
  );
}

function columns(showFile: boolean): ColumnDef<RejectRow>[] {
  return [
    {
      id: 'line',
      header: 'Line',
      enableSorting: false,
      meta: { className: 'text-right tabular-nums whitespace-nowrap' },
      cell: ({ row }) => (
        <span title={`byte ${row.original.byteOffset}, ${row.original.byteLength} bytes`}>
          {count(row.original.lineNo)}
        </span>
      ),
    },
    ...(showFile
      ? [
          {
            id: 'file',
            header: 'File',
            enableSorting: false,
            meta: { className: 'hidden md:table-cell' },
            cell: ({ row }) => (
              <span
                className="block max-w-56 font-mono text-xs [overflow-wrap:anywhere]"
                title={row.original.path}
              >
                {row.original.relativePath}
              </span>
            ),
          } satisfies ColumnDef<RejectRow>,
        ]
      : []),
    {
      id: 'reason',
      header: 'Reason',
      enableSorting: false,
      // On a phone the reason is shown above the raw line instead.
      meta: { className: 'hidden sm:table-cell' },
      cell: ({ row }) => (
        <div className="min-w-32 max-w-64 space-y-0.5">
          <span className="block text-xs font-medium">
            {REJECT_REASONS[row.original.reasonCode as keyof typeof REJECT_REASONS] ??
              row.original.reasonCode}
          </span>
          <span className="block text-xs text-zinc-500 [overflow-wrap:anywhere]">{row.original.reason}</span>
        </div>
      ),
    },
    {
      id: 'raw',
      header: 'Raw line',
      enableSorting: false,
      cell: ({ row }) => <RawText row={row.original} />,
    },
    {
      id: 'run',
      header: 'Run',
      enableSorting: false,
      meta: { className: 'hidden sm:table-cell whitespace-nowrap' },
      cell: ({ row }) => (
        <Link
          href={`/ingest/runs/${row.original.runId}`}
          className="text-sky-700 underline dark:text-sky-400"
        >
          #{row.original.runId}
        </Link>
      ),
    },
  ];
}

/** Quarantined lines, paged on the server; filters and page live in the URL. */
export function RejectsTable({
  rows,
  total,
  query,
  showFile,
}: {
  rows: RejectRow[];
  total: number;
  query: RejectsQuery;
  showFile: boolean;
}) {
  const { replace, pending } = useUrlReplace();
  return (
    <DataTable
      caption="Rejected lines, in file order"
      columns={columns(showFile)}
      data={rows}
      getRowId={(row) => String(row.id)}
      rowCount={total}
      pagination={{ pageIndex: query.page - 1, pageSize: query.pageSize }}
      onPaginationChange={(next) =>
        replace(rejectsParams({ ...query, page: next.pageIndex + 1, pageSize: next.pageSize }))
      }
      pageSizeOptions={REJECT_PAGE_SIZES}
      sorting={[]}
      onSortingChange={() => undefined}
      emptyState="No line matches these filters: nothing was quarantined here."
      pending={pending}
    />
  );
}
