import { type DbConfig, describeDbConfig, readDbConfig } from './config';
import type { Database } from './database';
import { openSqliteDatabase } from './drivers/sqlite';
import { openPgliteDatabase, openPostgresDatabase } from './drivers/postgres';
import { migrate } from './migrate';

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

const globalForDb = globalThis as typeof globalThis & { __foundupsDb?: ProcessDb };

/**
 * The process-wide database: one instance, kept on globalThis so dev hot reloads reuse it. Opening
 * migrates once. A failed open is not cached, so fixing the configuration and retrying works.
 */
export function getDb(): Promise<Database> {
  const config = readDbConfig();
  const key = describeDbConfig(config);
  const current = globalForDb.__foundupsDb;
  if (current && current.key === key) return current.promise;
  const promise = openDatabase(config);
  globalForDb.__foundupsDb = { key, promise };
  promise.catch(() => {
    if (globalForDb.__foundupsDb?.promise === promise) globalForDb.__foundupsDb = undefined;
  });
  return promise;
}

/** Closes the process-wide database (tests, CLI shutdown). */
export async function closeDb(): Promise<void> {
  const current = globalForDb.__foundupsDb;
  globalForDb.__foundupsDb = undefined;
  if (current) await (await current.promise.catch(() => undefined))?.close();
}
