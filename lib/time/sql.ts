import { type SQL, sql } from 'drizzle-orm';

/**
 * A moment as text bounds for each stored form, to the millisecond (trailing zeros dropped, so that
 * `…:00.5` and `…:00.500` both compare equal-or-above a bound of `…:00.500`).
 */
function textBounds(at: Date) {
  const iso = at.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const seconds = iso.slice(0, 19);
  const fraction = iso.slice(19, 23).replace(/\.?0+$/, '');
  const t = seconds + fraction;
  const space = t.replace('T', ' ');
  // 'Z' sorts above every digit, so a value whose fraction is a strict prefix of the bound's and then
  // ends in Z (`…:00Z`, `…:00.5Z` against `…:00.505`) compares as later although it is earlier.
  const zEdges: string[] = [];
  for (let length = 0; length < fraction.length; length += length === 0 ? 2 : 1) {
    const prefix = fraction.slice(0, length);
    zEdges.push(`${seconds}${prefix}Z`, `${seconds.replace('T', ' ')}${prefix}Z`);
  }
  return { t, space, zEdges, greatestEdge: `${seconds}Z` };
}

function valueList(values: readonly string[]): SQL {
  return sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );
}

/**
 * `column >= at` that is right for both text forms (`YYYY-MM-DD HH:MM:SS` and `YYYY-MM-DDTHH:MM:SS…`,
 * with or without fraction, `Z` or `+00:00`) and still uses an index on the column: ' ' sorts before
 * 'T', so the range scan starts at the space form and T-form values of the boundary day are re-checked
 * against the T form. Offsets other than UTC are compared as written. Works on SQLite and PostgreSQL
 * (with a C collation, which is what text comparison of these values needs).
 */
export function timeAtOrAfter(column: SQL, at: Date): SQL {
  const { t, space, zEdges } = textBounds(at);
  const edges = zEdges.length ? sql` AND ${column} NOT IN (${valueList(zEdges)})` : sql``;
  return sql`(${column} >= ${space} AND (substr(${column}, 11, 1) <> 'T' OR ${column} >= ${t})${edges})`;
}

/** `column < at`, the mirror image of timeAtOrAfter (an index range scan up to the bound). */
export function timeBefore(column: SQL, at: Date): SQL {
  const { t, space, zEdges, greatestEdge } = textBounds(at);
  const before = sql`(${column} < ${t} AND (substr(${column}, 11, 1) = 'T' OR ${column} < ${space}))`;
  if (zEdges.length === 0) return before;
  return sql`(${column} <= ${greatestEdge} AND (${column} IN (${valueList(zEdges)}) OR ${before}))`;
}
