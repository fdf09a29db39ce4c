import type { RowData } from '@tanstack/react-table';

// Per-column presentation hints read by DataTable (TanStack's documented extension point).
declare module '@tanstack/react-table' {
  // The type parameters must match TanStack's declaration to merge with it.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Classes for the column's cells and header (e.g. `hidden md:table-cell` to drop it on phones). */
    className?: string;
    /** Extra classes for the header cell only. */
    headerClassName?: string;
    /** The column's name for screen readers when the header is not text (e.g. a checkbox). */
    label?: string;
  }
}

export {};
