import { is } from 'drizzle-orm';
import { SQLiteTable, getTableConfig } from 'drizzle-orm/sqlite-core';
import * as sqliteSchema from '@/db/schema/sqlite';

/**
 * Columns the agents' contract declares JSON, per table, read from the SQLite drizzle schema (the
 * source of truth). On PostgreSQL those columns are TEXT, so the registry needs this list to know
 * which text columns should hold JSON.
 */
let cache: Map<string, Set<string>> | undefined;

export function declaredJsonColumns(): Map<string, Set<string>> {
  if (cache) return cache;
  const map = new Map<string, Set<string>>();
  for (const value of Object.values(sqliteSchema)) {
    if (!is(value, SQLiteTable)) continue;
    const config = getTableConfig(value);
    const columns = config.columns
      .filter((column) => column.getSQLType().toUpperCase() === 'JSON')
      .map((column) => column.name);
    if (columns.length) map.set(config.name, new Set(columns));
  }
  cache = map;
  return map;
}
