'use client';

import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useRef } from 'react';

function Checkbox({
  checked,
  indeterminate = false,
  disabled,
  onChange,
  label,
}: {
  checked: boolean;
  indeterminate?: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
  label: string;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className="size-4 cursor-pointer accent-sky-600 disabled:cursor-not-allowed"
      checked={checked}
      disabled={disabled}
      aria-label={label}
      onChange={(event) => onChange(event.target.checked)}
      onClick={(event) => event.stopPropagation()}
    />
  );
}

/** A leading checkbox column: the header selects the page, each row itself. */
export function selectionColumn<TData>(options: { rowLabel: (row: TData) => string }): ColumnDef<TData> {
  return {
    id: 'select',
    enableSorting: false,
    meta: { label: 'Select', className: 'w-10' },
    header: ({ table }) => (
      <Checkbox
        label="Select every row on this page"
        checked={table.getIsAllPageRowsSelected()}
        indeterminate={table.getIsSomePageRowsSelected()}
        onChange={(checked) => table.toggleAllPageRowsSelected(checked)}
      />
    ),
    cell: ({ row }) => (
      <Checkbox
        label={`Select ${options.rowLabel(row.original)}`}
        checked={row.getIsSelected()}
        disabled={!row.getCanSelect()}
        onChange={(checked) => row.toggleSelected(checked)}
      />
    ),
  };
}
