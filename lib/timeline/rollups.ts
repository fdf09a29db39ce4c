import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { type Database, type Dialect, type SQL, type TxStep, quoteIdentifier, sql } from '@/db/database';
import * as sqliteSchema from '@/db/schema/sqlite';
import { nowIso } from '@/lib/time/format';
import {
  BUILT_IN_SOURCES,
  type TimelineSource,
  ZONED_ROWS_TABLE,
  dimensionSql,
  primaryKeySql,
  readCatalogue,
  timeColumnSql,
  zoneAware,
} from './sources';
import {
  DAY_MS,
  type RawRange,
  dateToKey,
  hasZoneOffsetSql,
  eventHourBucketSql,
  wallHourBucketSql,
  isoLikeSql,
  keyToDate,
  pgUtcKeyFunctionDdl,
  rawRanges,
  wallKeySql as wallKey,
  zonedKeySql,
} from './time';

// Rollups: per source, UTC hour, module, actor, type and severity, how many events there are (and sums
// of the numeric columns charts average). Charts over long ranges read these instead of scanning
// millions of rows.
//
// They stay current whoever writes: AFTER INSERT/UPDATE/DELETE triggers on every `maintained` source
// table (SQLite: per row; PostgreSQL: per statement with transition tables, so a 50,000-row insert
// costs one grouped upsert) add, move and subtract counts, and keep the zone side table — rows whose
// time carries a non-zero offset, by UTC key — in step. The Python agents' inserts fire the same
// triggers. rebuildRollups backfills (in one short transaction per day, so writers are never held up
// for long) and verifyRollups compares the rollups with a direct GROUP BY.
//
// The trigger DDL is generated here from the registry and committed as migration 0002;
// test/timeline-rollups.test.ts fails when the two drift apart.

export const ROLLUPS_TABLE = 'modules_console_event_rollups';
/** The same counts per UTC day ('YYYY-MM-DD'): long ranges read 24 times fewer rows. */
export const DAILY_ROLLUPS_TABLE = 'modules_console_event_rollups_daily';
export type Granularity = 'hour' | 'day';
const GRANULARITIES: readonly Granularity[] = ['hour', 'day'];
const tableOf = (granularity: Granularity) => (granularity === 'hour' ? ROLLUPS_TABLE : DAILY_ROLLUPS_TABLE);
const DIMENSIONS = ['source', 'bucket_start', 'module', 'actor', 'type', 'severity'] as const;
const MEASURES = ['count', 'a_sum', 'a_n', 'b_sum', 'b_n'] as const;
/** modules_console_meta key saying a source's rollups hold all of its rows (set by rebuild or by 0002 on an empty table). */
export const ROLLUPS_COMPLETE_KEY_PREFIX = 'timeline.rollups.';

export function maintainedSources(): TimelineSource[] {
  return BUILT_IN_SOURCES.filter((source) => source.maintained !== undefined);
}

/** The columns of a built-in table, from the drizzle schema (the derived NEW/OLD rows of SQLite triggers list them all). */
function tableColumns(table: string): string[] {
  for (const value of Object.values(sqliteSchema)) {
    if (is(value, SQLiteTable) && getTableName(value) === table)
      return Object.values(getTableColumns(value)).map((column) => column.name);
  }
  throw new Error(`No drizzle table ${table} in db/schema/sqlite.`);
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The hour a row counts in: its UTC hour for zone-aware sources, its written clock hour for the others (as their list does). */
function hourBucket(source: TimelineSource, dialect: Dialect): string {
  return zoneAware(source)
    ? eventHourBucketSql(dialect, timeColumnSql(source))
    : wallHourBucketSql(timeColumnSql(source));
}

/** SQL text: the rollup dimensions of a row of the source (unqualified columns), in DIMENSIONS order. */
function dimensionList(source: TimelineSource, dialect: Dialect, granularity: Granularity): string[] {
  const maintained = source.maintained!;
  const text = (expression: string, empty: string) => `COALESCE(CAST(${expression} AS TEXT), ${empty})`;
  return [
    literal(source.id),
    granularity === 'hour' ? hourBucket(source, dialect) : `substr(${hourBucket(source, dialect)}, 1, 10)`,
    text(dimensionSql(source.module), "''"),
    maintained.actor ? text(dimensionSql(source.actor), "''") : "''",
    maintained.type ? text(dimensionSql(source.type), "''") : "''",
    text(dimensionSql(source.severity), "'info'"),
  ];
}

/** SQL text: the rollup rows of the rows in `relation` (whose columns are the source table's). */
function groupedSelect(
  source: TimelineSource,
  dialect: Dialect,
  relation: string,
  granularity: Granularity,
): string {
  const maintained = source.maintained!;
  const measure = (column: string | undefined, name: 'a' | 'b') =>
    column
      ? `COALESCE(SUM(${quoteIdentifier(column)}), 0) AS ${name}_sum, COUNT(${quoteIdentifier(column)}) AS ${name}_n`
      : `0 AS ${name}_sum, 0 AS ${name}_n`;
  const dimensions = dimensionList(source, dialect, granularity).map(
    (expression, i) => `${expression} AS ${DIMENSIONS[i]}`,
  );
  return `SELECT ${dimensions.join(', ')}, COUNT(*) AS count, ${measure(maintained.valueA, 'a')}, ${measure(maintained.valueB, 'b')} FROM ${relation} WHERE ${isoLikeSql(
    timeColumnSql(source),
  )} GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`;
}

function upsertSql(
  source: TimelineSource,
  dialect: Dialect,
  relation: string,
  granularity: Granularity,
): string {
  const t = tableOf(granularity);
  const sets = MEASURES.map((m) => `${m} = ${t}.${m} + excluded.${m}`).join(', ');
  return `INSERT INTO ${t} (${[...DIMENSIONS, ...MEASURES].join(', ')}) ${groupedSelect(source, dialect, relation, granularity)} ON CONFLICT (${DIMENSIONS.join(', ')}) DO UPDATE SET ${sets}`;
}

function decrementSql(
  source: TimelineSource,
  dialect: Dialect,
  relation: string,
  granularity: Granularity,
): string {
  const t = tableOf(granularity);
  const sets = MEASURES.map((m) => `${m} = ${t}.${m} - d.${m}`).join(', ');
  const match = DIMENSIONS.map((d) => `${t}.${d} = d.${d}`).join(' AND ');
  return `UPDATE ${t} SET ${sets} FROM (${groupedSelect(source, dialect, relation, granularity)}) AS d WHERE ${match}`;
}

function cleanupSql(
  source: TimelineSource,
  dialect: Dialect,
  relation: string,
  granularity: Granularity,
): string {
  const time = timeColumnSql(source);
  const bucket = dimensionList(source, dialect, granularity)[1];
  return `DELETE FROM ${tableOf(granularity)} WHERE source = ${literal(source.id)} AND count <= 0 AND bucket_start IN (SELECT ${bucket} FROM ${relation} WHERE ${isoLikeSql(time)})`;
}

function zonedInsertSql(source: TimelineSource, dialect: Dialect, relation: string): string {
  const time = timeColumnSql(source);
  return `INSERT INTO ${ZONED_ROWS_TABLE} (tl_source, tl_pk, tl_key) SELECT ${literal(source.id)}, ${primaryKeySql(source)}, ${zonedKeySql(dialect, time)} FROM ${relation} WHERE ${isoLikeSql(time)} AND ${hasZoneOffsetSql(time)} ON CONFLICT (tl_source, tl_pk) DO UPDATE SET tl_key = excluded.tl_key`;
}

function zonedDeleteSql(source: TimelineSource, relation: string): string {
  return `DELETE FROM ${ZONED_ROWS_TABLE} WHERE tl_source = ${literal(source.id)} AND tl_pk IN (SELECT ${primaryKeySql(source)} FROM ${relation})`;
}

/**
 * SQLite: the trigger's NEW/OLD row as a one-row table named like the source table's columns. Only the
 * columns the trigger's expressions read are listed, so columns added to the table later leave the
 * committed trigger text (and this generator's output) unchanged.
 */
function rowRelation(source: TimelineSource, which: 'NEW' | 'OLD'): string {
  const expressions = [
    ...dimensionList(source, 'sqlite', 'hour'),
    primaryKeySql(source),
    source.maintained?.valueA ?? '',
    source.maintained?.valueB ?? '',
  ].join(' ');
  const columns = tableColumns(source.table).filter((column) =>
    new RegExp(`(^|[^A-Za-z0-9_])${column}($|[^A-Za-z0-9_])`).test(expressions),
  );
  return `(SELECT ${columns.map((column) => `${which}.${quoteIdentifier(column)} AS ${quoteIdentifier(column)}`).join(', ')}) AS r`;
}

/**
 * SQLite triggers, per row. Only syntax old SQLite libraries know (row values, 3.15) — no UPSERT or
 * UPDATE … FROM — because every program that opens the file, the agents' Python included, parses them.
 */
function sqliteTriggers(source: TimelineSource): string[] {
  const table = source.table;
  const time = timeColumnSql(source);
  const dimensions = DIMENSIONS.join(', ');
  const match = (rel: string, granularity: Granularity) =>
    `(${dimensions}) = (SELECT ${dimensionList(source, 'sqlite', granularity).join(', ')} FROM ${rel} WHERE ${isoLikeSql(time)})`;
  const value = (column: string | undefined, rel: string, sign: '+' | '-') =>
    column
      ? [
          `(SELECT COALESCE(${quoteIdentifier(column)}, 0) FROM ${rel})`,
          `(SELECT CASE WHEN ${quoteIdentifier(column)} IS NULL THEN 0 ELSE 1 END FROM ${rel})`,
        ].map((expression) => ` ${sign} ${expression}`)
      : ['', ''];
  const change = (rel: string, sign: '+' | '-', granularity: Granularity) => {
    const [aSum, aN] = value(source.maintained!.valueA, rel, sign);
    const [bSum, bN] = value(source.maintained!.valueB, rel, sign);
    return `UPDATE ${tableOf(granularity)} SET count = count ${sign} 1${aSum ? `, a_sum = a_sum${aSum}, a_n = a_n${aN}` : ''}${bSum ? `, b_sum = b_sum${bSum}, b_n = b_n${bN}` : ''} WHERE ${match(rel, granularity)}`;
  };
  const added = (rel: string) => [
    ...GRANULARITIES.flatMap((granularity) => [
      `INSERT OR IGNORE INTO ${tableOf(granularity)} (${dimensions}, ${MEASURES.join(', ')}) SELECT ${dimensionList(source, 'sqlite', granularity).join(', ')}, 0, 0, 0, 0, 0 FROM ${rel} WHERE ${isoLikeSql(time)}`,
      change(rel, '+', granularity),
    ]),
    ...(zoneAware(source)
      ? [
          `INSERT OR REPLACE INTO ${ZONED_ROWS_TABLE} (tl_source, tl_pk, tl_key) SELECT ${literal(source.id)}, ${primaryKeySql(source)}, ${zonedKeySql('sqlite', time)} FROM ${rel} WHERE ${isoLikeSql(time)} AND ${hasZoneOffsetSql(time)}`,
        ]
      : []),
  ];
  const removed = (rel: string) => [
    ...GRANULARITIES.flatMap((granularity) => [
      change(rel, '-', granularity),
      `DELETE FROM ${tableOf(granularity)} WHERE ${match(rel, granularity)} AND count <= 0`,
    ]),
    ...(zoneAware(source)
      ? [
          `DELETE FROM ${ZONED_ROWS_TABLE} WHERE tl_source = ${literal(source.id)} AND tl_pk = (SELECT ${primaryKeySql(source)} FROM ${rel})`,
        ]
      : []),
  ];
  const trigger = (event: 'INSERT' | 'UPDATE' | 'DELETE', statements: string[]) =>
    `CREATE TRIGGER IF NOT EXISTS trg_timeline_${table}_${event.toLowerCase()} AFTER ${event} ON ${table} BEGIN ${statements.join('; ')}; END`;
  return [
    trigger('INSERT', added(rowRelation(source, 'NEW'))),
    trigger('UPDATE', [...removed(rowRelation(source, 'OLD')), ...added(rowRelation(source, 'NEW'))]),
    trigger('DELETE', removed(rowRelation(source, 'OLD'))),
  ];
}

function postgresTriggers(source: TimelineSource): string[] {
  const table = source.table;
  const fn = `modules_console_timeline_rollup_${table}`;
  const zoned = zoneAware(source);
  const removed = [
    ...GRANULARITIES.flatMap((granularity) => [
      decrementSql(source, 'postgres', 'old_rows', granularity),
      cleanupSql(source, 'postgres', 'old_rows', granularity),
    ]),
    ...(zoned ? [zonedDeleteSql(source, 'old_rows')] : []),
  ];
  const added = [
    ...GRANULARITIES.map((granularity) => upsertSql(source, 'postgres', 'new_rows', granularity)),
    ...(zoned ? [zonedInsertSql(source, 'postgres', 'new_rows')] : []),
  ];
  const body = `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
${removed.map((statement) => `    ${statement};`).join('\n')}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
${added.map((statement) => `    ${statement};`).join('\n')}
  END IF;
  RETURN NULL;
END
$$`;
  // Transition tables allow one event per trigger, so three triggers share the function.
  const trigger = (event: 'INSERT' | 'UPDATE' | 'DELETE', referencing: string) =>
    `CREATE OR REPLACE TRIGGER trg_timeline_${table}_${event.toLowerCase()} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`;
  return [
    body,
    trigger('INSERT', 'NEW TABLE AS new_rows'),
    trigger('UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'),
    trigger('DELETE', 'OLD TABLE AS old_rows'),
  ];
}

/** Indexes on the time columns of agent-owned sources that had none (the timeline's range scans need them). */
export const AGENT_TIME_INDEXES = [
  ['idx_agents_memory_time', 'agents_memory', 'learned_at'],
  ['idx_agents_breadcrumbs_time', 'agents_breadcrumbs', 'timestamp'],
  ['idx_agents_coordination_events_time', 'agents_coordination_events', 'timestamp'],
  ['idx_agents_contracts_time', 'agents_contracts', 'created_at'],
  ['idx_agents_autonomous_tasks_time', 'agents_autonomous_tasks', 'discovered_at'],
] as const;

/** Every statement of migration 0002_timeline for a dialect (the committed .sql files are this, verbatim). */
export function timelineMigrationStatements(dialect: Dialect): string[] {
  const pg = dialect === 'postgres';
  const real = pg ? 'DOUBLE PRECISION' : 'REAL';
  const count = pg ? 'BIGINT' : 'INTEGER';
  const withoutRowid = pg ? '' : ' WITHOUT ROWID';
  const idColumn = pg
    ? 'id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY'
    : 'id INTEGER PRIMARY KEY AUTOINCREMENT';
  const now = pg
    ? `to_char(clock_timestamp() AT TIME ZONE 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;
  const statements = [
    ...[ROLLUPS_TABLE, DAILY_ROLLUPS_TABLE].map(
      (table) =>
        `CREATE TABLE IF NOT EXISTS ${table} (source TEXT NOT NULL, bucket_start TEXT NOT NULL, module TEXT NOT NULL, actor TEXT NOT NULL, type TEXT NOT NULL, severity TEXT NOT NULL, count ${count} NOT NULL, a_sum ${real} NOT NULL DEFAULT 0, a_n ${count} NOT NULL DEFAULT 0, b_sum ${real} NOT NULL DEFAULT 0, b_n ${count} NOT NULL DEFAULT 0, PRIMARY KEY (source, bucket_start, module, actor, type, severity))${withoutRowid}`,
    ),
    `CREATE TABLE IF NOT EXISTS ${ZONED_ROWS_TABLE} (tl_source TEXT NOT NULL, tl_pk ${count} NOT NULL, tl_key TEXT NOT NULL, PRIMARY KEY (tl_source, tl_pk))${withoutRowid}`,
    `CREATE INDEX IF NOT EXISTS idx_console_timeline_zoned_key ON ${ZONED_ROWS_TABLE}(tl_source, tl_key)`,
    `CREATE TABLE IF NOT EXISTS modules_console_timeline_sources (${idColumn}, table_name TEXT NOT NULL UNIQUE, label TEXT NOT NULL, time_column TEXT NOT NULL, actor_column TEXT, type_column TEXT, summary_column TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL)`,
    ...AGENT_TIME_INDEXES.map(
      ([name, table, column]) => `CREATE INDEX IF NOT EXISTS ${name} ON ${table}(${quoteIdentifier(column)})`,
    ),
    ...(pg ? [pgUtcKeyFunctionDdl()] : []),
  ];
  for (const source of maintainedSources()) {
    statements.push(...(pg ? postgresTriggers(source) : sqliteTriggers(source)));
    // An empty table's rollups are trivially complete; a filled one needs rebuildRollups once.
    statements.push(
      `INSERT INTO modules_console_meta (key, value, updated_at) SELECT ${literal(ROLLUPS_COMPLETE_KEY_PREFIX + source.id)}, 'complete', ${now} WHERE NOT EXISTS (SELECT 1 FROM ${source.table}) ON CONFLICT (key) DO NOTHING`,
    );
  }
  return statements;
}

// ---------------------------------------------------------------------------------------------
// State

export async function rollupsComplete(db: Database, sourceId: string): Promise<boolean> {
  const row = await db.get<{ value: string }>(
    sql`SELECT value FROM modules_console_meta WHERE key = ${ROLLUPS_COMPLETE_KEY_PREFIX + sourceId}`,
  );
  return row?.value === 'complete';
}

async function markComplete(db: Database, sourceId: string, complete: boolean): Promise<void> {
  const key = ROLLUPS_COMPLETE_KEY_PREFIX + sourceId;
  await db.run(
    complete
      ? sql`INSERT INTO modules_console_meta (key, value, updated_at) VALUES (${key}, 'complete', ${nowIso()}) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`
      : sql`DELETE FROM modules_console_meta WHERE key = ${key}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Rebuild

export interface RebuildReport {
  source: string;
  days: number;
  zonedRows: number;
  rollupRows: number;
  seconds: number;
}

const raw = (text: string) => sql.raw(text);

function rangeSql(column: string, range: RawRange): string {
  const parts: string[] = [];
  if (range.gte !== undefined) parts.push(`${column} >= ${literal(range.gte)}`);
  if (range.lt !== undefined) parts.push(`${column} < ${literal(range.lt)}`);
  return parts.length > 0 ? parts.join(' AND ') : '1 = 1';
}

/**
 * SQL text: the source's rows whose key lies in [lo, hi) — by raw ranges, and for a zone-aware source
 * its rows with an offset by their UTC key from the side table instead.
 */
function rowsWithEventKeyIn(source: TimelineSource, loKey: string, hiKey: string): string {
  const time = timeColumnSql(source);
  const table = quoteIdentifier(source.table);
  const aware = zoneAware(source);
  const plain = rawRanges(loKey, hiKey).map(
    (range) =>
      `SELECT * FROM ${table} WHERE ${rangeSql(time, range)} AND ${wallKey(time)} >= ${literal(loKey)} AND ${wallKey(time)} < ${literal(hiKey)}${aware ? ` AND NOT ${hasZoneOffsetSql(time)}` : ''}`,
  );
  const zoned = aware
    ? [
        `SELECT t.* FROM ${ZONED_ROWS_TABLE} z JOIN ${table} t ON t.${primaryKeySql(source)} = z.tl_pk WHERE z.tl_source = ${literal(source.id)} AND z.tl_key >= ${literal(loKey)} AND z.tl_key < ${literal(hiKey)}`,
      ]
    : [];
  return `(${[...plain, ...zoned].join(' UNION ALL ')}) AS r`;
}

function lockSteps(db: Database, source: TimelineSource): TxStep[] {
  // SQLite's BEGIN IMMEDIATE already holds off every writer; PostgreSQL needs the table locked against
  // writes so no trigger adds a row the chunk's GROUP BY also counts.
  return db.dialect === 'postgres' ? [raw(`LOCK TABLE ${quoteIdentifier(source.table)} IN SHARE MODE`)] : [];
}

const dayKey = (date: Date) => dateToKey(date).slice(0, 10) + ' 00:00:00.000000';

async function rebuildZoned(db: Database, source: TimelineSource): Promise<number> {
  const table = quoteIdentifier(source.table);
  const pk = primaryKeySql(source);
  const time = timeColumnSql(source);
  const span = await db.get<{ lo: number | null; hi: number | null }>(
    sql`SELECT MIN(${raw(pk)}) AS lo, MAX(${raw(pk)}) AS hi FROM ${raw(table)}`,
  );
  await db.run(
    sql`DELETE FROM ${raw(ZONED_ROWS_TABLE)} WHERE tl_source = ${source.id} AND (tl_pk < ${span?.lo ?? 0} OR tl_pk > ${span?.hi ?? 0})`,
  );
  if (span?.lo === null || span?.lo === undefined || span.hi === null) return 0;
  let rows = 0;
  const step = 100_000;
  for (let lo = Number(span.lo); lo <= Number(span.hi); lo += step) {
    const hi = lo + step - 1;
    const results = await db.transaction([
      ...lockSteps(db, source),
      sql`DELETE FROM ${raw(ZONED_ROWS_TABLE)} WHERE tl_source = ${source.id} AND tl_pk BETWEEN ${lo} AND ${hi}`,
      raw(
        `INSERT INTO ${ZONED_ROWS_TABLE} (tl_source, tl_pk, tl_key) SELECT ${literal(source.id)}, ${pk}, ${zonedKeySql(db.dialect, time)} FROM ${table} WHERE ${pk} BETWEEN ${lo} AND ${hi} AND ${isoLikeSql(time)} AND ${hasZoneOffsetSql(time)}`,
      ),
    ]);
    rows += results.at(-1)?.changes ?? 0;
  }
  return rows;
}

/** The first day at or after `fromKey` holding a row of the source (by raw text or zone key), or null. */
async function nextDayWithRows(
  db: Database,
  source: TimelineSource,
  fromKey: string,
): Promise<string | null> {
  const time = raw(timeColumnSql(source));
  const day = fromKey.slice(0, 10);
  const row = await db.get<{ plain: string | null; zoned: string | null }>(
    sql`SELECT (SELECT MIN(${time}) FROM ${raw(quoteIdentifier(source.table))} WHERE ${time} >= ${day} AND ${time} < ${'9999-12-31~'}) AS plain,
               (SELECT MIN(tl_key) FROM ${raw(ZONED_ROWS_TABLE)} WHERE tl_source = ${source.id} AND tl_key >= ${day}) AS zoned`,
  );
  const days = [row?.plain, row?.zoned]
    .filter((value): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value))
    .map((value) => value.slice(0, 10));
  return days.length > 0 ? days.sort()[0]! : null;
}

async function rebuildSource(db: Database, source: TimelineSource): Promise<RebuildReport> {
  const started = Date.now();
  await markComplete(db, source.id, false);
  const zonedRows = zoneAware(source) ? await rebuildZoned(db, source) : 0;
  let days = 0;
  let rollupRows = 0;
  let clearedUpTo = '0000-01-01 00:00:00';
  let day = await nextDayWithRows(db, source, '0000-01-01');
  while (day) {
    const start = keyToDate(day);
    if (!start) break;
    const loKey = dayKey(start);
    const hiKey = dayKey(new Date(start.getTime() + DAY_MS));
    const bucketHi = hiKey.slice(0, 19);
    // One transaction per day: clear the buckets since the last processed day, recount this day.
    const rows = rowsWithEventKeyIn(source, loKey, hiKey);
    const results = await db.transaction([
      ...lockSteps(db, source),
      sql`DELETE FROM ${raw(ROLLUPS_TABLE)} WHERE source = ${source.id} AND bucket_start >= ${clearedUpTo} AND bucket_start < ${bucketHi}`,
      sql`DELETE FROM ${raw(DAILY_ROLLUPS_TABLE)} WHERE source = ${source.id} AND bucket_start >= ${clearedUpTo.slice(0, 10)} AND bucket_start <= ${loKey.slice(0, 10)}`,
      raw(
        `INSERT INTO ${ROLLUPS_TABLE} (${[...DIMENSIONS, ...MEASURES].join(', ')}) ${groupedSelect(source, db.dialect, rows, 'hour')}`,
      ),
      raw(
        `INSERT INTO ${DAILY_ROLLUPS_TABLE} (${[...DIMENSIONS, ...MEASURES].join(', ')}) ${groupedSelect(source, db.dialect, rows, 'day')}`,
      ),
    ]);
    rollupRows += results.at(-2)?.changes ?? 0;
    days++;
    clearedUpTo = bucketHi;
    day = await nextDayWithRows(db, source, hiKey);
    if (day && day <= loKey.slice(0, 10)) break;
  }
  await db.run(
    sql`DELETE FROM ${raw(ROLLUPS_TABLE)} WHERE source = ${source.id} AND bucket_start >= ${clearedUpTo}`,
  );
  await db.run(
    sql`DELETE FROM ${raw(DAILY_ROLLUPS_TABLE)} WHERE source = ${source.id} AND bucket_start >= ${clearedUpTo.slice(0, 10)}`,
  );
  await markComplete(db, source.id, true);
  return { source: source.id, days, zonedRows, rollupRows, seconds: (Date.now() - started) / 1000 };
}

/**
 * Recomputes the rollups (and the zone side table) of one maintained source, or of all, from the
 * table itself. Safe while agents write: each day is one short transaction that holds writers off,
 * and the triggers keep everything else current. Marks the source's rollups complete at the end.
 */
export async function rebuildRollups(db: Database, sourceId?: string): Promise<RebuildReport[]> {
  const catalogue = await readCatalogue(db, { fresh: true });
  const sources = maintainedSources().filter(
    (source) => (!sourceId || source.id === sourceId) && catalogue.tables.has(source.table),
  );
  if (sourceId && sources.length === 0)
    throw new Error(`${sourceId} is not a source with rollups in this database.`);
  const reports: RebuildReport[] = [];
  for (const source of sources) reports.push(await rebuildSource(db, source));
  return reports;
}

/** Rebuilds the sources whose rollups are not marked complete (after opening a database that was filled before 0002). */
export async function ensureRollups(db: Database): Promise<RebuildReport[]> {
  const reports: RebuildReport[] = [];
  const catalogue = await readCatalogue(db);
  for (const source of maintainedSources()) {
    if (!catalogue.tables.has(source.table) || (await rollupsComplete(db, source.id))) continue;
    reports.push(...(await rebuildRollups(db, source.id)));
  }
  return reports;
}

// ---------------------------------------------------------------------------------------------
// Verification

export interface RollupDifference {
  source: string;
  granularity: Granularity;
  bucketStart: string;
  module: string;
  actor: string;
  type: string;
  severity: string;
  /** What a direct GROUP BY over the table gives, and what the rollups hold (null: no row). */
  expected: Record<(typeof MEASURES)[number], number> | null;
  actual: Record<(typeof MEASURES)[number], number> | null;
}

export interface ZonedDifference {
  source: string;
  pk: number;
  expectedKey: string | null;
  actualKey: string | null;
}

type RollupRow = Record<(typeof DIMENSIONS)[number], string> & Record<(typeof MEASURES)[number], number>;

function measuresOf(row: RollupRow | undefined): RollupDifference['expected'] {
  if (!row) return null;
  return Object.fromEntries(MEASURES.map((m) => [m, Number(row[m])])) as Record<
    (typeof MEASURES)[number],
    number
  >;
}

function sameMeasures(a: RollupDifference['expected'], b: RollupDifference['expected']): boolean {
  if (!a || !b) return a === b;
  return MEASURES.every((m) =>
    m.endsWith('_sum') ? Math.abs(a[m] - b[m]) <= 1e-6 * Math.max(1, Math.abs(a[m])) : a[m] === b[m],
  );
}

/**
 * Compares the hourly and daily rollups with a GROUP BY computed straight from each maintained source
 * table, over the whole table or the UTC hours (and days) that [from, to) touches; also checks the zone
 * side table. Empty lists: all correct.
 */
export async function verifyRollups(
  db: Database,
  options: { source?: string; from?: Date; to?: Date } = {},
): Promise<{ differences: RollupDifference[]; zoned: ZonedDifference[] }> {
  const catalogue = await readCatalogue(db, { fresh: true });
  const sources = maintainedSources().filter(
    (source) => (!options.source || source.id === options.source) && catalogue.tables.has(source.table),
  );
  const loKey = options.from
    ? dateToKey(new Date(Math.floor(options.from.getTime() / 3_600_000) * 3_600_000))
    : null;
  const hiKey = options.to
    ? dateToKey(new Date(Math.ceil(options.to.getTime() / 3_600_000) * 3_600_000))
    : null;
  // Offsets move an event by at most a day, so the direct count reads one day more on each side.
  const wideLo = options.from ? dateToKey(new Date(options.from.getTime() - 2 * DAY_MS)) : null;
  const wideHi = options.to ? dateToKey(new Date(options.to.getTime() + 2 * DAY_MS)) : null;
  const bucketLo = loKey?.slice(0, 19) ?? '';
  const bucketHi = hiKey?.slice(0, 19) ?? '~';
  const differences: RollupDifference[] = [];
  const zoned: ZonedDifference[] = [];
  for (const source of sources) {
    const time = timeColumnSql(source);
    const table = quoteIdentifier(source.table);
    const ranges = rawRanges(wideLo, wideHi);
    const relation = `(${ranges.map((range) => `SELECT * FROM ${table} WHERE ${rangeSql(time, range)}`).join(' UNION ALL ')}) AS r`;
    const dayLo = options.from
      ? dateToKey(new Date(Math.floor(options.from.getTime() / DAY_MS) * DAY_MS)).slice(0, 10)
      : '';
    const dayHi = options.to
      ? dateToKey(new Date(Math.ceil(options.to.getTime() / DAY_MS) * DAY_MS)).slice(0, 10)
      : '~';
    for (const granularity of GRANULARITIES) {
      const [lo, hi] = granularity === 'hour' ? [bucketLo, bucketHi] : [dayLo, dayHi];
      const expectedRows = await db.all<RollupRow>(
        sql`SELECT * FROM (${raw(groupedSelect(source, db.dialect, relation, granularity))}) AS g WHERE bucket_start >= ${lo} AND bucket_start < ${hi}`,
      );
      const actualRows = await db.all<RollupRow>(
        sql`SELECT * FROM ${raw(tableOf(granularity))} WHERE source = ${source.id} AND bucket_start >= ${lo} AND bucket_start < ${hi}`,
      );
      const id = (row: RollupRow) => DIMENSIONS.map((d) => row[d]).join('\u0000');
      const expected = new Map(expectedRows.map((row) => [id(row), row]));
      const actual = new Map(actualRows.map((row) => [id(row), row]));
      for (const key of new Set([...expected.keys(), ...actual.keys()])) {
        const e = measuresOf(expected.get(key));
        const a = measuresOf(actual.get(key));
        if (sameMeasures(e, a)) continue;
        const row = (expected.get(key) ?? actual.get(key))!;
        differences.push({
          source: source.id,
          granularity,
          bucketStart: row.bucket_start,
          module: row.module,
          actor: row.actor,
          type: row.type,
          severity: row.severity,
          expected: e,
          actual: a,
        });
      }
    }
    if (!zoneAware(source)) continue;
    const keyLo = loKey ?? '';
    const keyHi = hiKey ?? '~';
    const expectedZoned = await db.all<{ pk: number; k: string }>(
      sql`SELECT * FROM (SELECT ${raw(primaryKeySql(source))} AS pk, ${raw(zonedKeySql(db.dialect, time))} AS k FROM ${raw(relation)} WHERE ${raw(isoLikeSql(time))} AND ${raw(
        hasZoneOffsetSql(time),
      )}) AS e WHERE k >= ${keyLo} AND k < ${keyHi}`,
    );
    const actualZoned = await db.all<{ pk: number; k: string }>(
      sql`SELECT tl_pk AS pk, tl_key AS k FROM ${raw(ZONED_ROWS_TABLE)} WHERE tl_source = ${source.id} AND tl_key >= ${keyLo} AND tl_key < ${keyHi}`,
    );
    const want = new Map(expectedZoned.map((row) => [Number(row.pk), row.k]));
    const have = new Map(actualZoned.map((row) => [Number(row.pk), row.k]));
    for (const pk of new Set([...want.keys(), ...have.keys()])) {
      if (want.get(pk) !== have.get(pk))
        zoned.push({
          source: source.id,
          pk,
          expectedKey: want.get(pk) ?? null,
          actualKey: have.get(pk) ?? null,
        });
    }
  }
  return { differences, zoned };
}

// ---------------------------------------------------------------------------------------------
// Reading rollups (charts)

export interface RollupFilter {
  modules?: readonly string[];
  actors?: readonly string[];
  types?: readonly string[];
  severities?: readonly string[];
}

/** Whether the rollups of a source can answer a filter (the dimensions it needs are kept). */
export function rollupsCanFilter(source: TimelineSource, filter: RollupFilter): boolean {
  const maintained = source.maintained;
  if (!maintained) return false;
  if (filter.actors?.length && !maintained.actor && !('constant' in source.actor)) return false;
  if (filter.types?.length && !maintained.type && !('constant' in source.type)) return false;
  return true;
}

/**
 * Rollup rows of a source for the whole hours (or, with granularity 'day', whole days) from `fromKey`
 * to `toKey`, grouped by the chart's bucket label (`labelLength`: 13 for hours, 10 for days) and the
 * requested dimensions.
 */
export async function readRollups(
  db: Database,
  source: TimelineSource,
  granularity: Granularity,
  fromKey: string,
  toKey: string,
  labelLength: 13 | 10,
  groupBy: readonly ('module' | 'actor' | 'type' | 'severity')[],
  filter: RollupFilter,
): Promise<
  ({ label: string; count: number; a_sum: number; a_n: number; b_sum: number; b_n: number } & Record<
    string,
    string | number
  >)[]
> {
  const cut = granularity === 'hour' ? 19 : 10;
  const conditions: SQL[] = [
    sql`source = ${source.id}`,
    sql`bucket_start >= ${fromKey.slice(0, cut)}`,
    sql`bucket_start < ${toKey.slice(0, cut)}`,
  ];
  const constant = (dimension: TimelineSource['actor']) =>
    'constant' in dimension ? dimension.constant : undefined;
  const filters: [string, readonly string[] | undefined, string | null | undefined][] = [
    ['module', filter.modules, constant(source.module)],
    ['actor', filter.actors, constant(source.actor)],
    ['type', filter.types, constant(source.type)],
    ['severity', filter.severities, constant(source.severity)],
  ];
  for (const [column, values, fixed] of filters) {
    if (!values || values.length === 0) continue;
    if (fixed !== undefined) {
      if (fixed === null || !values.includes(fixed)) return [];
      continue;
    }
    conditions.push(
      sql`${raw(column)} IN (${sql.join(
        values.map((value) => sql`${value}`),
        sql`, `,
      )})`,
    );
  }
  const groups = groupBy.map((column) => raw(`, ${column}`));
  const ordinals = raw(Array.from({ length: groupBy.length + 1 }, (_, i) => String(i + 1)).join(', '));
  return db.all(
    sql`SELECT substr(bucket_start, 1, ${raw(String(labelLength))}) AS label${sql.join(groups, sql``)}, SUM(count) AS count, SUM(a_sum) AS a_sum, SUM(a_n) AS a_n, SUM(b_sum) AS b_sum, SUM(b_n) AS b_n
        FROM ${raw(tableOf(granularity))} WHERE ${sql.join(conditions, sql` AND `)} GROUP BY ${ordinals}`,
  );
}
