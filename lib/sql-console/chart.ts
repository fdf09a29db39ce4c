import type { ResultColumn } from './sqlite-process';

/**
 * Whether a result can be drawn: its numeric columns (every non-NULL value a number, at least one
 * value) and a label column (the first non-numeric one, else the row number). The client turns the
 * rows into bars with these names; nothing here depends on the engine.
 */
export interface ChartShape {
  labelColumn: string | null;
  numericColumns: string[];
}

export function isNumericColumn(rows: readonly unknown[][], index: number): boolean {
  let seen = 0;
  for (const row of rows) {
    const value = row[index];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
    seen++;
  }
  return seen > 0;
}

export function chartShape(columns: readonly ResultColumn[], rows: readonly unknown[][]): ChartShape | null {
  if (rows.length === 0) return null;
  const numeric = columns.filter((_, i) => isNumericColumn(rows, i)).map((column) => column.name);
  if (numeric.length === 0) return null;
  const label = columns.find((column) => !numeric.includes(column.name));
  return { labelColumn: label?.name ?? null, numericColumns: numeric };
}
