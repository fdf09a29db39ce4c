import { type DbConfig, describeDbConfig, readDbConfig } from './config';
import type { Database } from './database';
import { openSqliteDatabase } from './drivers/sqlite';
import { openPgliteDatabase, openPostgresDatabase } from './drivers/postgres';
import { migrate } from './migrate';
import { configuredDatabases, currentDatabase } from './multi-database';

export interface OpenOptions {
  /** Create a missing SQLite file (CLI migrate/seed); the web app refuses to invent an empty database. */
  create?: boolean;
  /** Apply pending migrations right after opening (default true). */
  migrate?: boolean;
}

/** Opens a database from a configuration; the caller owns (and closes) it. */
export async function openDatabase(
  config: DbConfig = readDbConfig(),
  options: OpenOptions = {},
): Promise<Database> {
  let db: Database;
  switch (config.dialect) {
    case 'sqlite':
      db = openSqliteDatabase(config.path, { create: options.create ?? true });
      break;
    case 'postgres':
      db = await openPostgresDatabase({ url: config.url, readUrl: config.readUrl, schema: config.schema });
      break;
    case 'pglite':
      db = await openPgliteDatabase(config.dataDir);
      break;
  }
  if (options.migrate ?? true) {
    try {
      await migrate(db);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
  }
  return db;
}

interface ProcessDb {
  key: string;
  promise: Promise<Database>;
}

const globalForDb = globalThis as typeof globalThis & { __foundupsDbs?: Map<string, ProcessDb> };

function processDbs(): Map<string, ProcessDb> {
  return (globalForDb.__foundupsDbs ??= new Map());
}

/**
 * The process-wide instance of one configured database: opened (and migrated) once, kept on
 * globalThis so dev hot reloads reuse it. A failed open is not cached, so fixing the configuration and
 * retrying works; a changed configuration for the name opens the new database.
 */
export function getNamedDb(name: string, config: DbConfig): Promise<Database> {
  const key = describeDbConfig(config);
  const dbs = processDbs();
  const current = dbs.get(name);
  if (current && current.key === key) return current.promise;
  if (current) void current.promise.then((db) => db.close()).catch(() => undefined);
  const promise = openDatabase(config);
  dbs.set(name, { key, promise });
  promise.catch(() => {
    if (dbs.get(name)?.promise === promise) dbs.delete(name);
  });
  return promise;
}

/**
 * The database of the current work: with one configured database, that one; with several, the one
 * this request chose with the header switcher (or withDatabase / the default outside requests; see
 * db/multi-database.ts).
 */
export async function getDb(): Promise<Database> {
  const config = configuredDatabases();
  const chosen = await currentDatabase(config);
  return getNamedDb(chosen.name, chosen.config);
}

/** Closes the process-wide databases (tests, CLI shutdown). */
export async function closeDb(): Promise<void> {
  const dbs = [...processDbs().values()];
  processDbs().clear();
  await Promise.all(dbs.map(async (entry) => (await entry.promise.catch(() => undefined))?.close()));
}
