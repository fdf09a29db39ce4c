'use client';

import type { ColumnDef, SortingState } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { DataTable } from '@/components/data-table/data-table';
import { useUrlReplace } from '@/components/data-table/use-url-replace';
import { Button } from '@/components/ui/button';
import type { BrowserColumn, PageTotal } from '@/lib/registry/browser';
import {
  BROWSER_PAGE_SIZES,
  type BrowserState,
  FILTER_OPS,
  FILTER_OP_LABELS,
  type FilterOp,
  MAX_FILTER_VALUE,
  serializeBrowserState,
} from '@/lib/registry/browser-params';
import { CellValue } from './cell-value';

const INTEGER = new Intl.NumberFormat('en-US');

const ESTIMATE_SOURCES: Record<string, string> = {
  sqlite_stat1: 'from ANALYZE statistics',
  max_rowid: 'from the highest rowid',
  reltuples: 'from PostgreSQL statistics',
};

function totalText(total: PageTotal): string {
  switch (total.kind) {
    case 'exact':
      return `${INTEGER.format(total.value)} row${total.value === 1 ? '' : 's'}`;
    case 'counted':
      return `${INTEGER.format(total.value)} rows (counted exactly at ${total.countedAt.slice(0, 16).replace('T', ' ')} UTC)`;
    case 'estimate':
      return `about ${INTEGER.format(total.value)} rows — an estimate ${ESTIMATE_SOURCES[total.source] ?? ''}`;
    case 'at-least':
      return `at least ${INTEGER.format(total.value)} rows (${total.reason})`;
  }
}

export interface TableBrowserProps {
  table: string;
  columns: BrowserColumn[];
  rows: unknown[][];
  state: BrowserState;
  total: PageTotal;
  /** The export route with the table (and satellite) already in its query string. */
  exportHref: string;
  readMs: number;
}

type Row = unknown[];

/** Adds, shows and removes the URL's column filters. */
function FilterBar({
  columns,
  state,
  onChange,
}: {
  columns: BrowserColumn[];
  state: BrowserState;
  onChange: (next: BrowserState) => void;
}) {
  const [column, setColumn] = useState(columns[0]?.name ?? '');
  const [op, setOp] = useState<FilterOp>('eq');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const needsValue = op === 'eq' || op === 'has';
  const input =
    'h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900';
  return (
    <div className="space-y-2">
      <form
        className="flex flex-wrap items-end gap-2"
        aria-label="Filter the rows"
        onSubmit={(event) => {
          event.preventDefault();
          if (needsValue && !value) {
            setError('Type the value to compare with.');
            return;
          }
          setError(null);
          const filters = [
            ...state.filters.filter((filter) => filter.column !== column),
            { column, op, value: needsValue ? value : '' },
          ];
          onChange({ ...state, page: 1, filters });
          setValue('');
        }}
      >
        <label className="flex flex-col gap-1 text-xs text-zinc-500">
          Column
          <select className={input} value={column} onChange={(event) => setColumn(event.target.value)}>
            {columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs text-zinc-500">
          Condition
          <select className={input} value={op} onChange={(event) => setOp(event.target.value as FilterOp)}>
            {FILTER_OPS.map((o) => (
              <option key={o} value={o}>
                {FILTER_OP_LABELS[o]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs text-zinc-500">
          Value
          <input
            className={`${input} w-56 disabled:opacity-40`}
            value={value}
            maxLength={MAX_FILTER_VALUE}
            disabled={!needsValue}
            onChange={(event) => setValue(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'filter-error' : undefined}
            placeholder={needsValue ? (op === 'has' ? 'text to find' : 'exact value') : 'no value needed'}
          />
        </label>
        <Button type="submit" variant="secondary" className="h-8 py-0">
          Add filter
        </Button>
        {error && (
          <p id="filter-error" className="w-full text-xs text-red-600 dark:text-red-400" role="alert">
            {error}
          </p>
        )}
      </form>
      {state.filters.length > 0 && (
        <ul className="flex flex-wrap items-center gap-2" aria-label="Active filters">
          {state.filters.map((filter) => (
            <li
              key={filter.column}
              className="inline-flex items-center gap-1 rounded-full border border-sky-300 bg-sky-50 py-0.5 pr-1 pl-2 text-xs text-sky-900 dark:border-sky-800 dark:bg-sky-950/40 dark:text-sky-200"
            >
              <span className="font-mono">{filter.column}</span> {FILTER_OP_LABELS[filter.op]}{' '}
              {filter.value && <span className="font-mono">“{filter.value}”</span>}
              <button
                type="button"
                className="ml-1 rounded-full px-1 hover:bg-sky-200 dark:hover:bg-sky-900"
                aria-label={`Remove the filter on ${filter.column}`}
                onClick={() =>
                  onChange({
                    ...state,
                    page: 1,
                    filters: state.filters.filter((f) => f.column !== filter.column),
                  })
                }
              >
                ×
              </button>
            </li>
          ))}
          <li>
            <button
              type="button"
              className="text-xs text-zinc-500 underline"
              onClick={() => onChange({ ...state, page: 1, filters: [] })}
            >
              Clear filters
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}

/** One table or view, a page at a time, with the page, sort and filters in the URL. */
export function TableBrowser({ table, columns, rows, state, total, exportHref, readMs }: TableBrowserProps) {
  const { replace, pending } = useUrlReplace();
  const go = (next: BrowserState) => replace(serializeBrowserState(next));
  const columnDefs = useMemo<ColumnDef<Row>[]>(
    () =>
      columns.map((column, index) => ({
        id: column.name,
        accessorFn: (row: Row) => row[index],
        header: () => (
          <span className="inline-flex flex-col items-start normal-case">
            <span className="font-mono text-xs font-semibold text-zinc-700 dark:text-zinc-200">
              {column.name}
              {column.primaryKey && (
                <span className="ml-1 text-[10px] text-amber-600" title="Primary key">
                  PK
                </span>
              )}
            </span>
            <span className="text-[10px] font-normal text-zinc-400">{column.type || 'no declared type'}</span>
          </span>
        ),
        cell: (context) => <CellValue value={context.getValue()} column={column.name} />,
        enableSorting: true,
      })),
    [columns],
  );
  const sorting: SortingState = state.sort
    ? [{ id: state.sort.column, desc: state.sort.dir === 'desc' }]
    : [];
  const query = serializeBrowserState({ ...state, page: 1, pageSize: 50 }).toString();
  const offset = (state.page - 1) * state.pageSize;
  return (
    <div className="space-y-4">
      <FilterBar columns={columns} state={state} onChange={go} />
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <p className="text-zinc-600 dark:text-zinc-300" data-testid="row-total">
          {state.filters.length ? 'Matching: ' : ''}
          {totalText(total)} <span className="text-xs text-zinc-400">· read in {readMs} ms</span>
        </p>
        <div className="flex items-center gap-2">
          <span className="text-xs text-zinc-500">Export this view (all rows):</span>
          <a
            className="rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            href={`${exportHref}&format=csv${query ? `&${query}` : ''}`}
            download
          >
            CSV
          </a>
          <a
            className="rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            href={`${exportHref}&format=json${query ? `&${query}` : ''}`}
            download
          >
            JSON
          </a>
        </div>
      </div>
      <DataTable<Row>
        caption={`Rows of ${table}`}
        columns={columnDefs}
        data={rows}
        getRowId={(row) => String(offset + rows.indexOf(row))}
        rowCount={total.value}
        pagination={{ pageIndex: state.page - 1, pageSize: state.pageSize }}
        onPaginationChange={(next) => go({ ...state, page: next.pageIndex + 1, pageSize: next.pageSize })}
        pageSizeOptions={BROWSER_PAGE_SIZES}
        sorting={sorting}
        onSortingChange={(next) => {
          const first = next[0];
          go({
            ...state,
            page: 1,
            sort: first ? { column: first.id, dir: first.desc ? 'desc' : 'asc' } : null,
          });
        }}
        emptyState={state.filters.length ? 'No row matches these filters.' : 'This table is empty.'}
        pending={pending}
      />
    </div>
  );
}
