import { sql } from 'drizzle-orm';
import type { CatalogueSource } from './catalogue';

/**
 * Size on disk per table, its indexes included. SQLite: the dbstat virtual table (compiled into
 * better-sqlite3's SQLite; ENABLE_DBSTAT_VTAB) — it reads every page, so on a large file it runs as a
 * background job and the page shows the last measurement with its time. PostgreSQL:
 * pg_total_relation_size / pg_indexes_size, which read the catalogue only.
 */

export interface TableSize {
  totalBytes: number;
  indexBytes: number;
}

/** Files up to this size are measured while the page renders (dbstat reads them in a few ms). */
export const INLINE_DBSTAT_MAX_BYTES = 32 * 1024 * 1024;

export class DbstatUnavailableError extends Error {
  override name = 'DbstatUnavailableError';
  constructor(cause: unknown) {
    super(
      'This SQLite build has no dbstat table, so sizes per table cannot be measured; the file and WAL sizes in the health panel still are.',
      { cause },
    );
  }
}

export async function sqliteSizes(source: CatalogueSource): Promise<Map<string, TableSize>> {
  let rows: { name: string; pgsize: number; tbl_name: string | null; type: string | null }[];
  try {
    rows = await source.all(
      sql`SELECT s.name, s.pgsize, m.tbl_name, m.type FROM dbstat AS s LEFT JOIN sqlite_schema AS m ON m.name = s.name WHERE s.aggregate = TRUE`,
    );
  } catch (error) {
    if (/no such table: dbstat/i.test((error as Error).message)) throw new DbstatUnavailableError(error);
    throw error;
  }
  const sizes = new Map<string, TableSize>();
  for (const row of rows) {
    const table = row.type === 'index' && row.tbl_name ? row.tbl_name : row.name;
    const size = sizes.get(table) ?? { totalBytes: 0, indexBytes: 0 };
    size.totalBytes += Number(row.pgsize);
    if (row.type === 'index') size.indexBytes += Number(row.pgsize);
    sizes.set(table, size);
  }
  return sizes;
}

export async function postgresSizes(source: CatalogueSource): Promise<Map<string, TableSize>> {
  const rows = await source.all<{ name: string; total: number; indexes: number }>(
    sql`SELECT relname AS name, pg_total_relation_size(oid) AS total, pg_indexes_size(oid) AS indexes
        FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p', 'm')`,
  );
  return new Map(
    rows.map((row) => [row.name, { totalBytes: Number(row.total), indexBytes: Number(row.indexes) }]),
  );
}
