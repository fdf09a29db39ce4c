import fs from 'node:fs';
import { type Database, sql } from './database';
import type { SqliteDatabase } from './drivers/sqlite';

export interface StorageInfo {
  dialect: Database['dialect'];
  /** Main database size in bytes (SQLite file, or PostgreSQL database). */
  databaseBytes: number;
  /** SQLite's -wal file; null on PostgreSQL. */
  walBytes: number | null;
  location: string;
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export async function storageInfo(db: Database): Promise<StorageInfo> {
  if (db.driver === 'better-sqlite3') {
    const file = (db as SqliteDatabase).file;
    return {
      dialect: 'sqlite',
      databaseBytes: fileSize(file),
      walBytes: fileSize(`${file}-wal`),
      location: file,
    };
  }
  const row = await db.get<{ bytes: number; name: string }>(
    sql`SELECT pg_database_size(current_database()) AS bytes, current_database() AS name`,
  );
  return {
    dialect: 'postgres',
    databaseBytes: Number(row?.bytes ?? 0),
    walBytes: null,
    location: row?.name ?? '',
  };
}
