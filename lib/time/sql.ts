import { type SQL, sql } from 'drizzle-orm';
import { toSqliteTimestamp } from './format';

/**
 * `column >= at` that is right for both text forms (`YYYY-MM-DD HH:MM:SS` and `YYYY-MM-DDTHH:MM:SS…`)
 * and still uses an index on the column: ' ' sorts before 'T', so the range scan starts at the space
 * form and T-form values of the boundary day are re-checked against the T form.
 * Works on SQLite and PostgreSQL.
 */
export function timeAtOrAfter(column: SQL, at: Date): SQL {
  const space = toSqliteTimestamp(at);
  const t = space.replace(' ', 'T');
  return sql`(${column} >= ${space} AND (substr(${column}, 11, 1) <> 'T' OR ${column} >= ${t}))`;
}

/** `column < at`, the mirror image of timeAtOrAfter. */
export function timeBefore(column: SQL, at: Date): SQL {
  const space = toSqliteTimestamp(at);
  const t = space.replace(' ', 'T');
  return sql`(${column} < ${t} AND (substr(${column}, 11, 1) = 'T' OR ${column} < ${space}))`;
}
