import type { Dialect } from '@/db/database';

// How the timeline orders and compares the time texts the agents write. Pure SQL-text builders (no
// bound parameters), so the same text goes into queries, triggers and the migration.
//
// Forms found in the database (see lib/time/format.ts):
//   'YYYY-MM-DD HH:MM:SS[.f…]'              SQLite CURRENT_TIMESTAMP / Python str(datetime), UTC
//   'YYYY-MM-DDTHH:MM:SS[.f…]'              Python isoformat(), naive (read as UTC)
//   '…+00:00', '…Z'                          UTC-designated (the agents' aware isoformat, the console)
//   '…±HH:MM' with another offset            rare
//   'YYYY-MM-DD', 'YYYY-MM-DDTHH:MM'         read as midnight / :00
//
// The ordering KEY of a value is 'YYYY-MM-DD HH:MM:SS.ffffff' (26 characters): the separator made a
// space, the fraction padded or cut to six digits, 'Z' and '+00:00' dropped. For naive and UTC values
// that is the UTC instant.
//
// Time zones, what is supported: naive values are UTC; 'Z', '+00:00' and '-00:00' are UTC. A value
// with any other '±HH:MM' offset is shown at its true instant everywhere (parseDbTime). For the
// zone-aware sources (every built-in source with an integer key, sources.ts) it is also ordered,
// filtered and counted at that instant: triggers keep such rows, keyed by their UTC instant, in a side
// table the queries read alongside the index. The others (agent tables keyed by text, which the agents
// fill with CURRENT_TIMESTAMP, and registered sources) place such a value by the clock time it shows. Values that do not start with 'YYYY-MM-DD' (NULL, epoch numbers, prose) are not events.
//
// Raw text order and key order agree except inside one calendar day, where the index lists all
// space-form values before all T-form values. So every time window is turned into a few RAW RANGES
// (rawRanges below), each a plain range scan on the column's index, and the exact key decides.
// Comparisons are byte-wise: SQLite's default, and PostgreSQL's with the C collation (the console's
// databases use C / C.UTF-8; lib/time/sql.ts relies on the same).

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The key of a JS Date (UTC, milliseconds, three more zero digits). */
export function dateToKey(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid date.');
  const iso = date.toISOString();
  if (!/^\d{4}-/.test(iso)) throw new RangeError(`Date out of range: ${iso}`);
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

const KEY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?/;

/** The instant a key stands for (milliseconds; a date-only key is its midnight), or null. */
export function keyToDate(key: string): Date | null {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(d)) return null;
  return date;
}

// ---------------------------------------------------------------------------------------------
// SQL text of the key (portable: substr, ||, CASE, BETWEEN on single characters — byte order, which
// SQLite always uses and PostgreSQL uses with the C collation the console's databases are created with)

/**
 * The fraction as '.ffffff' of a value whose zone suffix is already gone: '.5' → '.500000',
 * '.123456789' → '.123456', none → '.000000'.
 */
export function fractionSql(bare: string): string {
  return `CASE WHEN substr(${bare}, 20, 1) = '.' THEN substr(${bare} || '00000', 20, 7) ELSE '.000000' END`;
}

/**
 * The key of a value as written (no zone conversion). The UTC suffixes 'Z' and '+00:00' are dropped
 * before the fraction is read; minute-only values get ':00', date-only ones midnight.
 */
export function wallKeySql(column: string): string {
  const bare = `replace(replace(${column}, '+00:00', ''), 'Z', '')`;
  return `(substr(${column}, 1, 10) || ' ' || CASE WHEN length(${column}) >= 19 THEN substr(${column}, 12, 8) WHEN length(${column}) >= 16 THEN substr(${column}, 12, 5) || ':00' ELSE '00:00:00' END || ${fractionSql(bare)})`;
}

/** The first 13 characters of the wall key ('YYYY-MM-DD HH'), without computing the fraction. */
function wallHourSql(column: string): string {
  return `(substr(${column}, 1, 10) || ' ' || CASE WHEN length(${column}) >= 16 THEN substr(${column}, 12, 2) ELSE '00' END)`;
}

/** True when the value ends in a '±HH:MM' offset other than +00:00. */
export function hasZoneOffsetSql(column: string): string {
  return `(length(${column}) >= 22 AND substr(${column}, length(${column}) - 5, 1) IN ('+', '-') AND substr(${column}, length(${column}) - 2, 1) = ':' AND substr(${column}, length(${column}) - 5, 6) <> '+00:00')`;
}

/** Name of the PostgreSQL function (migration 0002) converting an offset value to its UTC key. */
export const PG_UTC_KEY_FUNCTION = 'modules_console_timeline_utc_key';

/** The UTC key of a value with an offset, or NULL when it cannot be read. */
export function utcKeySql(dialect: Dialect, column: string): string {
  if (dialect === 'postgres') return `${PG_UTC_KEY_FUNCTION}(${column})`;
  // SQLite's date functions apply a trailing ±HH:MM and return NULL for text they cannot read.
  return `(strftime('%Y-%m-%d %H:%M:%S', ${column}) || ${fractionSql(`substr(${column}, 1, length(${column}) - 6)`)})`;
}

/** The key of a value with a non-zero offset: its UTC key, or the wall key when the text cannot be read. */
export function zonedKeySql(dialect: Dialect, column: string): string {
  return `COALESCE(${utcKeySql(dialect, column)}, ${wallKeySql(column)})`;
}

/** The hour bucket of a value by its written clock time, 'YYYY-MM-DD HH:00:00'. */
export function wallHourBucketSql(column: string): string {
  return `(${wallHourSql(column)} || ':00:00')`;
}

/** The rollup bucket of a value: the UTC hour of its event key, 'YYYY-MM-DD HH:00:00'. */
export function eventHourBucketSql(dialect: Dialect, column: string): string {
  const utcHour =
    dialect === 'postgres'
      ? `substr(${PG_UTC_KEY_FUNCTION}(${column}), 1, 13)`
      : `strftime('%Y-%m-%d %H', ${column})`;
  return `((CASE WHEN ${hasZoneOffsetSql(column)} THEN COALESCE(${utcHour}, ${wallHourSql(column)}) ELSE ${wallHourSql(column)} END) || ':00:00')`;
}

/** The value looks like a date (YYYY-MM-DD…): only those are events; NULLs, epoch numbers and prose are not. */
export function isoLikeSql(column: string): string {
  return `(substr(${column}, 5, 1) = '-' AND substr(${column}, 8, 1) = '-')`;
}

/** Body of the PostgreSQL UTC-key function: unreadable text gives NULL instead of an error. */
export function pgUtcKeyFunctionDdl(): string {
  return `CREATE OR REPLACE FUNCTION ${PG_UTC_KEY_FUNCTION}(value text) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN to_char(replace(substr(value, 1, length(value) - 6), 'T', ' ')::timestamp - substr(value, length(value) - 5)::interval, 'YYYY-MM-DD HH24:MI:SS') || ${fractionSql('substr(value, 1, length(value) - 6)')};
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$`;
}

// ---------------------------------------------------------------------------------------------
// Raw ranges

/** A half-open range of raw text values: gte ≤ value < lt (either side open when undefined). */
export interface RawRange {
  gte?: string;
  lt?: string;
}

interface Bound {
  day: string;
  /** 'HH:MM', or '' for the start of the day (date-only values included). */
  minute: string;
}

/** The minute a key falls in (floor), as raw-text pieces; a date-only or odd key floors to its day. */
function floorBound(key: string): Bound | null {
  const match = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2}))?/.exec(key);
  if (!match) return null;
  // From midnight on, date-only values (whose key is midnight) belong in the range too.
  const minute = match[2] === '00:00' ? '' : (match[2] ?? '');
  return { day: match[1]!, minute };
}

/**
 * The first minute strictly after the minute a key falls in. A key whose clock is not 'HH:MM' (the key
 * of a stored 'D ab:cd') sorts anywhere within its day: then the start of the next day.
 */
function nextMinuteBound(key: string): Bound | null {
  const date = keyToDate(key.slice(0, 16));
  if (!date) return null;
  const wholeDay = key.length > 10 && !/^ \d{2}:\d{2}/.test(key.slice(10, 16));
  const next = new Date(
    Date.UTC(
      date.getUTCFullYear(),
      date.getUTCMonth(),
      date.getUTCDate() + (wholeDay ? 1 : 0),
      wholeDay ? 0 : date.getUTCHours(),
      wholeDay ? 0 : date.getUTCMinutes() + 1,
    ),
  );
  if (date.getUTCFullYear() < 1000) next.setUTCFullYear(date.getUTCFullYear());
  if (next.getUTCFullYear() > 9999) return null;
  const iso = `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
  return { day: iso, minute: `${pad(next.getUTCHours())}:${pad(next.getUTCMinutes())}` };
}

const spaceForm = (b: Bound) => (b.minute ? `${b.day} ${b.minute}` : b.day);
const tForm = (b: Bound) => `${b.day}T${b.minute}`;

/**
 * Raw ranges covering every value whose key is ≥ loKey and < hiKey (or ≤ hiKey: the bounds are whole
 * minutes, so both are covered); a superset, the caller applies the exact key condition. Disjoint and
 * in ascending order. Each is a plain range scan of the time index:
 *   lo day: space forms from lo's minute   [ 'D HH:MM', 'D!' )
 *   lo day T forms … hi day space forms    [ 'DTHH:MM', 'E HH:MM' )  (all days in between, all forms)
 *   hi day: T forms before hi's minute     [ 'ET', 'ETHH:MM' )
 */
export function rawRanges(loKey: string | null, hiKey: string | null): RawRange[] {
  const lo = loKey ? floorBound(loKey) : null;
  const hi = hiKey ? nextMinuteBound(hiKey) : null;
  let ranges: RawRange[];
  if (!lo && !hi) ranges = [{}];
  else if (!lo) ranges = [{ lt: spaceForm(hi!) }, { gte: `${hi!.day}T`, lt: tForm(hi!) }];
  else if (!hi) ranges = [{ gte: spaceForm(lo), lt: `${lo.day}!` }, { gte: tForm(lo) }];
  else if (lo.day === hi.day)
    ranges = [
      { gte: spaceForm(lo), lt: spaceForm(hi) },
      { gte: tForm(lo), lt: tForm(hi) },
    ];
  else
    ranges = [
      { gte: spaceForm(lo), lt: `${lo.day}!` },
      { gte: tForm(lo), lt: spaceForm(hi) },
      { gte: `${hi.day}T`, lt: tForm(hi) },
    ];
  return ranges.filter((range) => range.gte === undefined || range.lt === undefined || range.gte < range.lt);
}

// ---------------------------------------------------------------------------------------------
// Buckets

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Chart bucket sizes the console uses: 1 min, 5 min, 1 h, 1 day. */
export const BUCKET_SIZES = [MINUTE_MS, 5 * MINUTE_MS, HOUR_MS, DAY_MS] as const;
export type BucketMs = (typeof BUCKET_SIZES)[number];

/** Bucket size for a range: 1 min up to 1 h, 5 min up to 6 h, 1 h up to 3 days, 1 day beyond. */
export function chooseBucket(from: Date, to: Date): BucketMs {
  const span = to.getTime() - from.getTime();
  if (span <= HOUR_MS) return MINUTE_MS;
  if (span <= 6 * HOUR_MS) return 5 * MINUTE_MS;
  if (span <= 3 * DAY_MS) return HOUR_MS;
  return DAY_MS;
}

/** The start of a bucket label, or null for a label that is not a date. */
export function bucketLabelToDate(label: string): Date | null {
  return keyToDate(label.length === 13 ? `${label}:00` : label);
}

export function floorToBucket(date: Date, bucket: BucketMs): Date {
  return new Date(Math.floor(date.getTime() / bucket) * bucket);
}

export function ceilToBucket(date: Date, bucket: BucketMs): Date {
  return new Date(Math.ceil(date.getTime() / bucket) * bucket);
}
