'use client';

import type { Table } from '@tanstack/react-table';

const INTEGER = new Intl.NumberFormat('en-US');

const BUTTON =
  'inline-flex h-8 min-w-8 items-center justify-center rounded-md border border-zinc-300 bg-white px-2 text-sm text-zinc-700 hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800';

/** "26–50 of 1,204", a page-size menu and first/previous/next/last buttons. */
export function DataTablePagination<TData>({
  table,
  rowCount,
  pageSizeOptions = [10, 25, 50, 100],
}: {
  table: Table<TData>;
  rowCount: number;
  pageSizeOptions?: readonly number[];
}) {
  const { pageIndex, pageSize } = table.getState().pagination;
  const pageCount = Math.max(1, table.getPageCount());
  const first = rowCount === 0 ? 0 : pageIndex * pageSize + 1;
  const last = Math.min(rowCount, (pageIndex + 1) * pageSize);
  return (
    <nav
      aria-label="Pages"
      className="flex flex-wrap items-center justify-between gap-3 text-sm text-zinc-600 dark:text-zinc-400"
    >
      <p className="tabular-nums">
        {rowCount === 0
          ? 'No rows'
          : `${INTEGER.format(first)}–${INTEGER.format(last)} of ${INTEGER.format(rowCount)}`}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label className="flex items-center gap-2">
          <span>Rows per page</span>
          <select
            className="h-8 rounded-md border border-zinc-300 bg-white px-2 dark:border-zinc-700 dark:bg-zinc-900"
            value={pageSize}
            onChange={(event) => table.setPagination({ pageIndex: 0, pageSize: Number(event.target.value) })}
          >
            {pageSizeOptions.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <span className="tabular-nums" aria-live="polite">
          Page {INTEGER.format(pageIndex + 1)} of {INTEGER.format(pageCount)}
        </span>
        <div className="flex gap-1">
          <button
            type="button"
            className={BUTTON}
            onClick={() => table.firstPage()}
            disabled={!table.getCanPreviousPage()}
            aria-label="First page"
          >
            «
          </button>
          <button
            type="button"
            className={BUTTON}
            onClick={() => table.previousPage()}
            disabled={!table.getCanPreviousPage()}
            aria-label="Previous page"
          >
            ‹
          </button>
          <button
            type="button"
            className={BUTTON}
            onClick={() => table.nextPage()}
            disabled={!table.getCanNextPage()}
            aria-label="Next page"
          >
            ›
          </button>
          <button
            type="button"
            className={BUTTON}
            onClick={() => table.lastPage()}
            disabled={!table.getCanNextPage()}
            aria-label="Last page"
          >
            »
          </button>
        </div>
      </div>
    </nav>
  );
}
