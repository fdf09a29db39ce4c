import { type Database, sql } from '@/db/database';
import { storageInfo } from '@/db/file-info';

/** The database's vital signs: all read from pragmas / catalogue functions, nothing scans a table. */
export type DatabaseHealth =
  | {
      dialect: 'sqlite';
      file: string;
      fileBytes: number;
      walBytes: number;
      pageSize: number;
      pageCount: number;
      freelistPages: number;
      journalMode: string;
      /** The console's connection setting (SQLite keeps foreign_keys per connection). */
      foreignKeys: boolean;
      autoVacuum: 'none' | 'full' | 'incremental';
      encoding: string;
      sqliteVersion: string;
      /** sqlite_stat1 exists: ANALYZE has run at least once. */
      analyzed: boolean;
    }
  | {
      dialect: 'postgres';
      driver: 'pg' | 'pglite';
      database: string;
      schema: string;
      version: string;
      databaseBytes: number;
      schemaBytes: number;
      connections: number | null;
      lastAnalyzedAt: string | null;
    };

const AUTO_VACUUM = ['none', 'full', 'incremental'] as const;

export async function databaseHealth(db: Database): Promise<DatabaseHealth> {
  const storage = await storageInfo(db);
  if (db.dialect === 'sqlite') {
    const row = await db.get<{
      journal_mode: string;
      page_size: number;
      page_count: number;
      freelist_count: number;
      foreign_keys: number;
      auto_vacuum: number;
      encoding: string;
      version: string;
      analyzed: number;
    }>(
      sql`SELECT (SELECT journal_mode FROM pragma_journal_mode()) AS journal_mode, (SELECT page_size FROM pragma_page_size()) AS page_size,
                 (SELECT page_count FROM pragma_page_count()) AS page_count, (SELECT freelist_count FROM pragma_freelist_count()) AS freelist_count,
                 (SELECT foreign_keys FROM pragma_foreign_keys()) AS foreign_keys, (SELECT auto_vacuum FROM pragma_auto_vacuum()) AS auto_vacuum,
                 (SELECT encoding FROM pragma_encoding()) AS encoding, sqlite_version() AS version,
                 EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1') AS analyzed`,
    );
    if (!row) throw new Error('The SQLite pragmas returned nothing.');
    return {
      dialect: 'sqlite',
      file: storage.location,
      fileBytes: storage.databaseBytes,
      walBytes: storage.walBytes ?? 0,
      pageSize: Number(row.page_size),
      pageCount: Number(row.page_count),
      freelistPages: Number(row.freelist_count),
      journalMode: String(row.journal_mode),
      foreignKeys: Number(row.foreign_keys) === 1,
      autoVacuum: AUTO_VACUUM[Number(row.auto_vacuum)] ?? 'none',
      encoding: String(row.encoding),
      sqliteVersion: String(row.version),
      analyzed: Number(row.analyzed) === 1,
    };
  }
  const row = await db.get<{
    version: string;
    database: string;
    schema: string;
    schema_bytes: number;
    last_analyzed: string | null;
  }>(
    sql`SELECT version() AS version, current_database() AS database, current_schema() AS schema,
          (SELECT COALESCE(sum(pg_total_relation_size(oid)), 0) FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p', 'm')) AS schema_bytes,
          (SELECT to_char(max(greatest(last_analyze, last_autoanalyze)) AT TIME ZONE 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM pg_stat_user_tables WHERE schemaname = current_schema()) AS last_analyzed`,
  );
  if (!row) throw new Error('PostgreSQL returned no server information.');
  let connections: number | null = null;
  if (db.driver === 'pg') {
    const activity = await db.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()`,
    );
    connections = activity ? Number(activity.n) : null;
  }
  return {
    dialect: 'postgres',
    driver: db.driver === 'pglite' ? 'pglite' : 'pg',
    database: String(row.database),
    schema: String(row.schema),
    version: String(row.version),
    databaseBytes: storage.databaseBytes,
    schemaBytes: Number(row.schema_bytes),
    connections,
    lastAnalyzedAt: row.last_analyzed,
  };
}
