import { customType } from 'drizzle-orm/sqlite-core';

// The agents declare DATETIME, JSON and BOOLEAN columns. SQLite keeps the declared type name in the
// catalogue (PRAGMA table_info), and the contract says the console must create these tables
// identically, so the schema declares the same names instead of drizzle's text/integer.

/**
 * DATETIME: text exactly as the writer stored it. Python writes created_at as `YYYY-MM-DD HH:MM:SS`
 * (UTC) but reviewed_at/posted_at as local `datetime.now().isoformat()`, so it is not parsed here.
 */
export const datetime = customType<{ data: string; driverData: string }>({
  dataType: () => 'DATETIME',
});

/** JSON: the text the agent wrote (possibly not valid JSON); readers parse it defensively. */
export const json = customType<{ data: string; driverData: string }>({
  dataType: () => 'JSON',
});

/** BOOLEAN: SQLite stores 0/1 (Python's True/False); raw `db.all` reads see the number. */
export const boolean = customType<{ data: boolean; driverData: number }>({
  dataType: () => 'BOOLEAN',
  toDriver: (value) => (value ? 1 : 0),
  fromDriver: (value) => Boolean(value),
});
