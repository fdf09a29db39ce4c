import type BetterSqlite3 from 'better-sqlite3';
import { type Database, quoteIdentifier } from '../database';

/**
 * Rows for one table, in column order. The demo and scale generators produce only these; the two thin
 * writers below put them into a database, so there is one code path for the data and one per driver.
 */
export interface TableRows {
  table: string;
  columns: readonly string[];
  rows: unknown[][];
}

export interface WriteOptions {
  /** Skip rows whose key already exists (used when seeding with `force` next to existing rows). */
  ignoreConflicts?: boolean;
}

/** Counts of inserted rows per table, added up across batches. */
export type TableCounts = Record<string, number>;

export function addCount(counts: TableCounts, table: string, inserted: number): void {
  counts[table] = (counts[table] ?? 0) + inserted;
}

function sqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/**
 * SQLite: one prepared statement per table, run row by row. The caller wraps this in
 * `SqliteDatabase#writeSync` so a batch is one BEGIN IMMEDIATE transaction and never spans an await.
 */
export function createSqliteWriter(conn: BetterSqlite3.Database, options: WriteOptions = {}) {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const verb = options.ignoreConflicts ? 'INSERT OR IGNORE' : 'INSERT';
  return (batch: TableRows, counts: TableCounts): void => {
    const key = `${batch.table}(${batch.columns.join(',')})`;
    let statement = statements.get(key);
    if (!statement) {
      statement = conn.prepare(
        `${verb} INTO ${quoteIdentifier(batch.table)} (${batch.columns.map(quoteIdentifier).join(', ')}) VALUES (${batch.columns
          .map(() => '?')
          .join(', ')})`,
      );
      statements.set(key, statement);
    }
    const width = batch.columns.length;
    const bound = new Array<unknown>(width);
    let inserted = 0;
    for (const row of batch.rows) {
      for (let i = 0; i < width; i++) bound[i] = sqliteValue(row[i]);
      inserted += statement.run(bound).changes;
    }
    addCount(counts, batch.table, inserted);
  };
}

/** PostgreSQL / PGlite: `Database#bulkInsert` (multi-row INSERTs, one transaction per batch). */
export async function writeWithBulkInsert(
  db: Database,
  batch: TableRows,
  counts: TableCounts,
  options: WriteOptions = {},
): Promise<void> {
  const inserted = await db.bulkInsert(batch.table, batch.columns, batch.rows, {
    ignoreConflicts: options.ignoreConflicts,
  });
  addCount(counts, batch.table, inserted);
}
