'use client';

import { CellValue } from '@/components/registry/cell-value';
import type { ResultColumn } from '@/lib/sql-console/sqlite-process';

/** A query result (at most the row cap), scrollable with a sticky header; NULLs and BLOBs as in the browser. */
export function ResultTable({
  columns,
  rows,
  numericColumns = [],
}: {
  columns: ResultColumn[];
  rows: unknown[][];
  numericColumns?: string[];
}) {
  const numeric = columns.map((column) => numericColumns.includes(column.name));
  return (
    <div className="max-h-[60vh] overflow-auto rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-left text-sm" data-testid="sql-result">
        <caption className="sr-only">Query result</caption>
        <thead className="sticky top-0 bg-zinc-50 dark:bg-zinc-950">
          <tr>
            <th scope="col" className="px-3 py-2 text-right text-xs font-medium text-zinc-400">
              #
            </th>
            {columns.map((column, i) => (
              <th
                key={`${column.name}-${i}`}
                scope="col"
                className={`px-3 py-2 font-mono text-xs font-semibold whitespace-nowrap text-zinc-700 dark:text-zinc-200 ${numeric[i] ? 'text-right' : ''}`}
              >
                {column.name}
                {column.type && <span className="ml-1 font-normal text-zinc-400">{column.type}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r} className="border-t border-zinc-100 align-top dark:border-zinc-800">
              <td className="px-3 py-1.5 text-right text-xs text-zinc-400 tabular-nums">{r + 1}</td>
              {row.map((value, c) => (
                <td key={c} className={`px-3 py-1.5 ${numeric[c] ? 'text-right' : ''}`}>
                  <CellValue value={value} column={columns[c]?.name ?? ''} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
