import { sql } from 'drizzle-orm';

/**
 * PostgreSQL's stand-in for SQLite's CURRENT_TIMESTAMP / datetime('now'): the same UTC
 * `YYYY-MM-DD HH:MM:SS` text, so readers see one format whichever database wrote the row.
 * (DATETIME and JSON columns are TEXT in PostgreSQL, keeping the exact text the agents wrote.)
 */
export const utcNowText = sql`to_char((now() AT TIME ZONE 'utc'), 'YYYY-MM-DD HH24:MI:SS')`;
