'use client';

import {
  type ColumnDef,
  type PaginationState,
  type RowSelectionState,
  type SortingState,
  type Updater,
  flexRender,
  getCoreRowModel,
  useReactTable,
} from '@tanstack/react-table';
import { type ReactNode, useEffect, useRef } from 'react';
import './column-meta';
import { DataTablePagination } from './data-table-pagination';

// A server-mode TanStack table: the server pages and sorts, this renders one page and reports what the
// user asked for (a page, a page size, a sort, a selection) to the caller, which puts it in the URL.

export interface DataTableProps<TData> {
  /** What the table lists, for screen readers (rendered as the caption). */
  caption: string;
  // TanStack's own ColumnDef<TData, any>: columns hold values of different types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<TData, any>[];
  data: TData[];
  getRowId: (row: TData) => string;
  /** Rows across all pages (for the page count and the "x–y of n" line). */
  rowCount: number;
  /** pageIndex is zero-based. */
  pagination: PaginationState;
  onPaginationChange: (next: PaginationState) => void;
  pageSizeOptions?: readonly number[];
  sorting: SortingState;
  onSortingChange: (next: SortingState) => void;
  rowSelection?: RowSelectionState;
  onRowSelectionChange?: (next: RowSelectionState) => void;
  enableRowSelection?: boolean | ((row: TData) => boolean);
  /** The keyboard cursor's row: highlighted and scrolled into view. */
  activeRowId?: string | null;
  /** Shown instead of the body when there are no rows. */
  emptyState?: ReactNode;
  /** The server is loading the next state (dims the rows). */
  pending?: boolean;
}

function apply<T>(updater: Updater<T>, current: T): T {
  return typeof updater === 'function' ? (updater as (old: T) => T)(current) : updater;
}

export function DataTable<TData>({
  caption,
  columns,
  data,
  getRowId,
  rowCount,
  pagination,
  onPaginationChange,
  pageSizeOptions,
  sorting,
  onSortingChange,
  rowSelection,
  onRowSelectionChange,
  enableRowSelection = false,
  activeRowId,
  emptyState,
  pending = false,
}: DataTableProps<TData>) {
  const selection = rowSelection ?? {};
  // TanStack returns new functions every render by design; the React Compiler leaves this component alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data,
    columns,
    getRowId: (row) => getRowId(row),
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    rowCount,
    enableMultiSort: false,
    enableSortingRemoval: false,
    enableRowSelection:
      typeof enableRowSelection === 'function'
        ? (row) => enableRowSelection(row.original)
        : enableRowSelection,
    state: { pagination, sorting, rowSelection: selection },
    onPaginationChange: (updater) => onPaginationChange(apply(updater, pagination)),
    onSortingChange: (updater) => onSortingChange(apply(updater, sorting)),
    onRowSelectionChange: (updater) => onRowSelectionChange?.(apply(updater, selection)),
  });

  const activeRef = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    activeRef.current?.scrollIntoView({ block: 'nearest' });
  }, [activeRowId]);

  const rows = table.getRowModel().rows;
  return (
    <div className="space-y-3">
      <div
        className={`overflow-x-auto rounded-xl border border-zinc-200 bg-white shadow-sm transition-opacity dark:border-zinc-800 dark:bg-zinc-900 ${
          pending ? 'opacity-60' : ''
        }`}
        aria-busy={pending || undefined}
      >
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500 dark:bg-zinc-950/40">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const meta = header.column.columnDef.meta;
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  const content = header.isPlaceholder
                    ? null
                    : flexRender(header.column.columnDef.header, header.getContext());
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={
                        sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                      }
                      className={`border-b border-zinc-200 px-2 py-2 font-medium whitespace-nowrap sm:px-3 dark:border-zinc-800 ${meta?.className ?? ''} ${meta?.headerClassName ?? ''}`}
                    >
                      {canSort ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className="-mx-1 inline-flex items-center gap-1 rounded px-1 uppercase hover:text-zinc-900 dark:hover:text-zinc-100"
                          title="Sort by this column"
                        >
                          {content}
                          <span aria-hidden className="text-[10px]">
                            {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                          </span>
                        </button>
                      ) : (
                        content
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="px-3 py-10 text-center text-sm text-zinc-500">
                  {emptyState ?? 'Nothing to show.'}
                </td>
              </tr>
            ) : (
              rows.map((row) => {
                const active = row.id === activeRowId;
                return (
                  <tr
                    key={row.id}
                    ref={active ? activeRef : undefined}
                    data-row-id={row.id}
                    data-active={active || undefined}
                    data-selected={row.getIsSelected() || undefined}
                    aria-current={active ? 'true' : undefined}
                    className={`border-t border-zinc-100 align-top dark:border-zinc-800 ${
                      row.getIsSelected() ? 'bg-sky-50 dark:bg-sky-950/30' : ''
                    } ${active ? 'outline-2 -outline-offset-2 outline-sky-500' : ''}`}
                  >
                    {row.getVisibleCells().map((cell) => (
                      <td
                        key={cell.id}
                        className={`px-2 py-2 sm:px-3 ${cell.column.columnDef.meta?.className ?? ''}`}
                      >
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </td>
                    ))}
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      <DataTablePagination table={table} rowCount={rowCount} pageSizeOptions={pageSizeOptions} />
    </div>
  );
}
