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
  isMissingTableError,
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
// millions of rows. The zone side table lists, by UTC key, the rows whose time carries a non-zero
// offset (the list orders them by it).
//
// How they stay current depends on the engine:
// - SQLite, sources keyed by their rowid (INTEGER PRIMARY KEY): a watermark per source
//   (modules_console_timeline_watermarks, migration 0005) is the highest rowid folded in. Inserts fire
//   nothing — per-row insert triggers cut raw insert throughput by ~6× for the agents, the seed and
//   ingest. refreshRollups folds the rows above the watermark in short BEGIN IMMEDIATE chunks (one
//   grouped upsert per chunk) and moves the watermark in the same transaction; the server does it every
//   few seconds, seed and ingest after writing. Readers add the tail (rows above the watermark) computed
//   from the rows in the same statement, so counts are exact at every moment. Updates and deletes stay
//   trigger-maintained but only act on rows at or below the watermark; the delete trigger also lowers
//   the watermark to the highest remaining folded row, so a table without AUTOINCREMENT that reuses
//   rowids after its newest rows were deleted never hides a new row below it. A row inserted with an
//   explicit rowid below the watermark is the one case no trigger sees: folded_rows (kept by refresh
//   and the triggers) no longer matches COUNT(*) up to the watermark, and ensureRollups rebuilds.
// - SQLite, text-keyed sources (contracts, tasks, coordination): per-row triggers as in 0002. Their
//   rowids are not stable (VACUUM may renumber a table without an INTEGER PRIMARY KEY), so no watermark
//   can follow them; agents write few rows there.
// - PostgreSQL: statement-level triggers with transition tables (0002): a 50,000-row insert costs one
//   grouped upsert, so no watermark is needed (its table exists there only to keep the schemas equal).
//
// rebuildRollups backfills (one short transaction per day) and verifyRollups compares rollups (+ tail)
// with a direct GROUP BY. The DDL is generated here from the registry and committed as migrations 0002
// and 0005; tests fail when they drift apart.

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
function rowRelation(source: TimelineSource, which: 'NEW' | 'OLD', guard?: string): string {
  const expressions = [
    ...dimensionList(source, 'sqlite', 'hour'),
    primaryKeySql(source),
    source.maintained?.valueA ?? '',
    source.maintained?.valueB ?? '',
  ].join(' ');
  const columns = tableColumns(source.table).filter((column) =>
    new RegExp(`(^|[^A-Za-z0-9_])${column}($|[^A-Za-z0-9_])`).test(expressions),
  );
  return `(SELECT ${columns.map((column) => `${which}.${quoteIdentifier(column)} AS ${quoteIdentifier(column)}`).join(', ')}${guard ? ` WHERE ${guard}` : ''}) AS r`;
}

/** SQLite trigger statements adding a row's counts to the rollups (and zone side table), or removing them. */
function sqliteRowStatements(source: TimelineSource): {
  added: (rel: string) => string[];
  removed: (rel: string) => string[];
} {
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
  return { added, removed };
}

/**
 * SQLite triggers, per row (migration 0002; 0005 replaces those of watermarked sources). Only syntax
 * old SQLite libraries know (row values, 3.15) — no UPSERT or UPDATE … FROM — because every program
 * that opens the file, the agents' Python included, parses them.
 */
function sqliteTriggers(source: TimelineSource): string[] {
  const table = source.table;
  const { added, removed } = sqliteRowStatements(source);
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
// Watermarks (SQLite, migration 0005)

/** Per source, the highest rowid folded into the rollups and how many rows at or below it there are. */
export const WATERMARKS_TABLE = 'modules_console_timeline_watermarks';

/**
 * Whether a source's rollups follow a rowid watermark on this engine: SQLite, maintained, keyed by an
 * INTEGER PRIMARY KEY (the rowid itself, which VACUUM keeps). The others keep per-row or statement triggers.
 */
export function watermarked(source: TimelineSource, dialect: Dialect): boolean {
  return dialect === 'sqlite' && source.maintained !== undefined && source.primaryKey.type === 'integer';
}

/** SQL text: the source's watermark (NULL when it has none: then nothing counts as folded). */
function watermarkSql(source: TimelineSource): string {
  return `(SELECT last_rowid FROM ${WATERMARKS_TABLE} WHERE source = ${literal(source.id)})`;
}

/** SQL text: the highest rowid at or below the current watermark that still exists (0 when none). */
function highestFoldedSql(source: TimelineSource): string {
  const pk = primaryKeySql(source);
  return `COALESCE((SELECT ${pk} FROM ${quoteIdentifier(source.table)} WHERE ${pk} <= ${WATERMARKS_TABLE}.last_rowid ORDER BY ${pk} DESC LIMIT 1), 0)`;
}

const foldedTriggerName = (source: TimelineSource, event: 'update' | 'delete') =>
  `trg_timeline_${source.table}_folded_${event}`;

/**
 * The update and delete triggers of a watermarked source: they act only on rows at or below the
 * watermark (rows above it are folded later with their current values). An update is the removal of
 * the old row (if folded) and the addition of the new one (if its rowid is at or below the watermark);
 * both keep folded_rows, and both lower the watermark to the highest folded row still present.
 * Only syntax old SQLite libraries parse, as in 0002 (the agents' Python opens the file too).
 */
function sqliteFoldedTriggers(source: TimelineSource): string[] {
  const table = source.table;
  const pk = primaryKeySql(source);
  const w = watermarkSql(source);
  const { added, removed } = sqliteRowStatements(source);
  const keep = (delta: string) =>
    `UPDATE ${WATERMARKS_TABLE} SET folded_rows = folded_rows${delta}, last_rowid = ${highestFoldedSql(source)} WHERE source = ${literal(source.id)}`;
  const folded = (which: 'OLD' | 'NEW') => `${which}.${pk} <= ${WATERMARKS_TABLE}.last_rowid`;
  return [
    `CREATE TRIGGER IF NOT EXISTS ${foldedTriggerName(source, 'update')} AFTER UPDATE ON ${table} WHEN OLD.${pk} <= ${w} OR NEW.${pk} <= ${w} BEGIN ${[
      ...removed(rowRelation(source, 'OLD', `OLD.${pk} <= ${w}`)),
      ...added(rowRelation(source, 'NEW', `NEW.${pk} <= ${w}`)),
      keep(
        ` - (CASE WHEN ${folded('OLD')} THEN 1 ELSE 0 END) + (CASE WHEN ${folded('NEW')} THEN 1 ELSE 0 END)`,
      ),
    ].join('; ')}; END`,
    `CREATE TRIGGER IF NOT EXISTS ${foldedTriggerName(source, 'delete')} AFTER DELETE ON ${table} WHEN OLD.${pk} <= ${w} BEGIN ${[
      ...removed(rowRelation(source, 'OLD')),
      keep(' - 1'),
    ].join('; ')}; END`,
  ];
}

/** Every statement of migration 0005_timeline_watermarks for a dialect (the committed .sql files are this). */
export function watermarkMigrationStatements(dialect: Dialect): string[] {
  if (dialect === 'postgres')
    return [
      `CREATE TABLE IF NOT EXISTS ${WATERMARKS_TABLE} (source TEXT NOT NULL PRIMARY KEY, last_rowid BIGINT NOT NULL, folded_rows BIGINT NOT NULL, refreshed_at TEXT NOT NULL)`,
    ];
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${WATERMARKS_TABLE} (source TEXT NOT NULL PRIMARY KEY, last_rowid INTEGER NOT NULL, folded_rows INTEGER NOT NULL, refreshed_at TEXT NOT NULL) WITHOUT ROWID`,
  ];
  for (const source of maintainedSources()) {
    if (!watermarked(source, dialect)) continue;
    const pk = primaryKeySql(source);
    statements.push(
      ...(['insert', 'update', 'delete'] as const).map(
        (event) => `DROP TRIGGER IF EXISTS trg_timeline_${source.table}_${event}`,
      ),
      // The 0002 triggers counted every row there is: the watermark starts at the newest.
      `INSERT INTO ${WATERMARKS_TABLE} (source, last_rowid, folded_rows, refreshed_at) SELECT ${literal(source.id)}, COALESCE(MAX(${pk}), 0), COUNT(*), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM ${source.table} WHERE true ON CONFLICT (source) DO NOTHING`,
      ...sqliteFoldedTriggers(source),
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
function rowsWithEventKeyIn(source: TimelineSource, dialect: Dialect, loKey: string, hiKey: string): string {
  const time = timeColumnSql(source);
  const table = quoteIdentifier(source.table);
  const aware = zoneAware(source);
  // A watermarked source's rollups hold the rows at or below its watermark; the rest is the tail.
  const folded = (pk: string) =>
    watermarked(source, dialect) ? ` AND ${pk} <= ${watermarkSql(source)}` : '';
  const plain = rawRanges(loKey, hiKey).map(
    (range) =>
      `SELECT * FROM ${table} WHERE ${rangeSql(time, range)} AND ${wallKey(time)} >= ${literal(loKey)} AND ${wallKey(time)} < ${literal(hiKey)}${aware ? ` AND NOT ${hasZoneOffsetSql(time)}` : ''}${folded(primaryKeySql(source))}`,
  );
  const zoned = aware
    ? [
        `SELECT t.* FROM ${ZONED_ROWS_TABLE} z JOIN ${table} t ON t.${primaryKeySql(source)} = z.tl_pk WHERE z.tl_source = ${literal(source.id)} AND z.tl_key >= ${literal(loKey)} AND z.tl_key < ${literal(hiKey)}${folded(`t.${primaryKeySql(source)}`)}`,
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
        `INSERT INTO ${ZONED_ROWS_TABLE} (tl_source, tl_pk, tl_key) SELECT ${literal(source.id)}, ${pk}, ${zonedKeySql(db.dialect, time)} FROM ${table} WHERE ${pk} BETWEEN ${lo} AND ${hi} AND ${isoLikeSql(time)} AND ${hasZoneOffsetSql(time)}${watermarked(source, db.dialect) ? ` AND ${pk} <= ${watermarkSql(source)}` : ''}`,
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
  if (watermarked(source, db.dialect)) {
    // Recount every row there is now; rows written meanwhile are the tail, folded by refreshRollups
    // (which leaves a source alone until it is complete again).
    const pk = primaryKeySql(source);
    await db.run(
      raw(
        `INSERT INTO ${WATERMARKS_TABLE} (source, last_rowid, folded_rows, refreshed_at) SELECT ${literal(source.id)}, COALESCE(MAX(${pk}), 0), COUNT(*), ${literal(nowIso())} FROM ${quoteIdentifier(source.table)} WHERE true ON CONFLICT (source) DO UPDATE SET last_rowid = excluded.last_rowid, folded_rows = excluded.folded_rows, refreshed_at = excluded.refreshed_at`,
      ),
    );
  }
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
    const rows = rowsWithEventKeyIn(source, db.dialect, loKey, hiKey);
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
 * and the triggers (and, on SQLite, the watermark) keep everything else current. Marks the source's
 * rollups complete at the end.
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

/** The triggers a maintained source needs on this engine (SQLite; PostgreSQL's are checked by its migrations). */
function sqliteTriggersOf(source: TimelineSource): string[] {
  return watermarked(source, 'sqlite') ? sqliteFoldedTriggers(source) : sqliteTriggers(source);
}

const triggerName = (statement: string) => /^CREATE TRIGGER IF NOT EXISTS (\S+)/.exec(statement)![1]!;

/**
 * Why a source's rollups cannot be trusted as they are, or null. SQLite: a trigger is missing (the
 * table was dropped and created again, which drops its triggers), the watermark is missing, or fewer
 * or more rows lie at or below the watermark than were folded (a row inserted with an explicit rowid
 * below it, which no trigger sees).
 */
async function rollupsProblem(db: Database, source: TimelineSource): Promise<string | null> {
  if (!(await rollupsComplete(db, source.id))) return 'not complete';
  if (db.dialect !== 'sqlite') return null;
  const names = sqliteTriggersOf(source).map(triggerName);
  const present = await db.allPrimary<{ name: string }>(
    sql`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ${source.table}`,
  );
  const missing = names.filter((name) => !present.some((row) => row.name === name));
  if (missing.length > 0) return `trigger ${missing.join(', ')} missing`;
  if (!watermarked(source, db.dialect)) return null;
  const pk = primaryKeySql(source);
  const row = await db.allPrimary<{ folded: number; counted: number }>(
    raw(
      `SELECT w.folded_rows AS folded, (SELECT COUNT(*) FROM ${quoteIdentifier(source.table)} WHERE ${pk} <= w.last_rowid) AS counted FROM ${WATERMARKS_TABLE} w WHERE w.source = ${literal(source.id)}`,
    ),
  );
  if (!row[0]) return 'no watermark';
  if (Number(row[0].folded) !== Number(row[0].counted))
    return `${row[0].counted} rows at or below the watermark, ${row[0].folded} folded`;
  return null;
}

/**
 * Rebuilds the sources whose rollups cannot be trusted: not marked complete (a database filled before
 * 0002), or (SQLite) a missing trigger — recreated first — or watermark, or rows below the watermark
 * that were never folded. Run at server start, in the background.
 */
export async function ensureRollups(db: Database): Promise<RebuildReport[]> {
  const reports: RebuildReport[] = [];
  const catalogue = await readCatalogue(db);
  for (const source of maintainedSources()) {
    if (!catalogue.tables.has(source.table)) continue;
    const problem = await rollupsProblem(db, source);
    if (!problem) continue;
    if (db.dialect === 'sqlite') await db.execScript(sqliteTriggersOf(source));
    reports.push(...(await rebuildRollups(db, source.id)));
  }
  return reports;
}

// ---------------------------------------------------------------------------------------------
// Refresh (SQLite): fold the rows above the watermark

export interface RefreshReport {
  source: string;
  /** Rows folded into the rollups by this call. */
  rows: number;
  chunks: number;
  /** The watermark afterwards. */
  watermark: number;
  seconds: number;
}

/** Rows folded per transaction: writers wait at most one chunk (~0.4 s at the ~50k rows/s measured on a busy 2-core machine). */
export const REFRESH_CHUNK_ROWS = 20_000;
/**
 * A tail longer than this is folded (a bounded number of chunks) before a read adds it up: folding a row
 * costs less than adding it up from the row in each of a chart's reads.
 */
export const LARGE_TAIL_ROWS = 1_000;

const integerText = (value: unknown): string => {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new Error(`Unexpected rowid ${String(value)}.`);
  return String(number);
};

/** One chunk: folds up to `chunkRows` rows above the watermark and moves it, in one transaction. */
async function refreshChunk(
  db: Database,
  source: TimelineSource,
  chunkRows: number,
): Promise<{ rows: number; watermark: number } | null> {
  const pk = primaryKeySql(source);
  const table = quoteIdentifier(source.table);
  let lo = '';
  let hi = '';
  let count = 0;
  const relation = () => `(SELECT * FROM ${table} WHERE ${pk} > ${lo} AND ${pk} <= ${hi}) AS r`;
  const whenFolding = (statement: () => string | null) => () => {
    const text = hi ? statement() : null;
    return text ? raw(text) : null;
  };
  const results = await db.transaction([
    // Read inside the write lock: whoever refreshed meanwhile, this chunk starts where they stopped.
    sql`SELECT w.last_rowid AS w, (SELECT value FROM modules_console_meta WHERE key = ${ROLLUPS_COMPLETE_KEY_PREFIX + source.id}) AS complete FROM ${raw(WATERMARKS_TABLE)} w WHERE w.source = ${source.id}`,
    (results) => {
      const state = results[0]!.rows[0] as { w: number; complete: string | null } | undefined;
      // A source being rebuilt (or never built) is left alone: the rebuild counts its rows.
      if (!state || state.complete !== 'complete') return null;
      lo = integerText(state.w);
      return raw(
        `SELECT MAX(${pk}) AS hi, COUNT(*) AS n FROM (SELECT ${pk} FROM ${table} WHERE ${pk} > ${lo} ORDER BY ${pk} LIMIT ${Math.max(1, Math.floor(chunkRows))}) AS c`,
      );
    },
    (results) => {
      const range = results[1]!.rows[0] as { hi: number | null; n: number } | undefined;
      if (range?.hi !== null && range?.hi !== undefined) {
        hi = integerText(range.hi);
        count = Number(range.n);
      }
      return null;
    },
    whenFolding(() => upsertSql(source, 'sqlite', relation(), 'hour')),
    whenFolding(() => upsertSql(source, 'sqlite', relation(), 'day')),
    whenFolding(() => (zoneAware(source) ? zonedInsertSql(source, 'sqlite', relation()) : null)),
    () =>
      hi
        ? sql`UPDATE ${raw(WATERMARKS_TABLE)} SET last_rowid = ${Number(hi)}, folded_rows = folded_rows + ${count}, refreshed_at = ${nowIso()} WHERE source = ${source.id} AND last_rowid = ${Number(lo)}`
        : null,
  ]);
  if (!lo) return null;
  if (!hi) return { rows: 0, watermark: Number(lo) };
  if (results.at(-1)!.changes !== 1) throw new Error(`The watermark of ${source.id} moved during a refresh.`);
  return { rows: count, watermark: Number(hi) };
}

/**
 * SQLite: folds the rows above each watermarked source's watermark into the hourly and daily rollups
 * and the zone side table, in transactions of `chunkRows` rows (so agents writing meanwhile wait at
 * most one chunk), until none is left or `maxChunks` were done. Sources being rebuilt are skipped.
 * Safe to call from several places at once: each chunk re-reads the watermark under the write lock.
 * PostgreSQL: nothing to do (its triggers keep the rollups current).
 */
export async function refreshRollups(
  db: Database,
  sourceId?: string,
  options: { chunkRows?: number; maxChunks?: number } = {},
): Promise<RefreshReport[]> {
  if (sourceId && !maintainedSources().some((source) => source.id === sourceId))
    throw new Error(`${sourceId} is not a source with rollups.`);
  if (db.dialect !== 'sqlite') return [];
  const catalogue = await readCatalogue(db);
  const chunkRows = options.chunkRows ?? REFRESH_CHUNK_ROWS;
  const maxChunks = options.maxChunks ?? Number.POSITIVE_INFINITY;
  const reports: RefreshReport[] = [];
  for (const source of maintainedSources()) {
    if ((sourceId && source.id !== sourceId) || !watermarked(source, db.dialect)) continue;
    if (!catalogue.tables.has(source.table)) continue;
    const started = performance.now();
    const report: RefreshReport = { source: source.id, rows: 0, chunks: 0, watermark: 0, seconds: 0 };
    while (report.chunks < maxChunks) {
      const chunk = await refreshChunk(db, source, chunkRows);
      if (!chunk) break;
      report.watermark = chunk.watermark;
      if (chunk.rows === 0) break;
      report.rows += chunk.rows;
      report.chunks++;
      if (chunk.rows < chunkRows) break;
    }
    report.seconds = (performance.now() - started) / 1000;
    reports.push(report);
  }
  return reports;
}

const tailCheckedAt = new WeakMap<Database, Map<string, number>>();

/**
 * Before a read adds up a source's tail: when more than LARGE_TAIL_ROWS rows wait above the watermark
 * (an ingest or a burst of agents' writes since the last refresh), fold up to 50 chunks (a million
 * rows) first. Checked at most once a second per source.
 */
export async function keepTailSmall(db: Database, source: TimelineSource): Promise<void> {
  if (!watermarked(source, db.dialect)) return;
  const checked = tailCheckedAt.get(db) ?? new Map<string, number>();
  tailCheckedAt.set(db, checked);
  if (Date.now() - (checked.get(source.id) ?? 0) < 1000) return;
  checked.set(source.id, Date.now());
  const pk = primaryKeySql(source);
  const row = await db.get<{ n: number }>(
    raw(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${quoteIdentifier(source.table)} WHERE ${pk} > ${watermarkSql(source)} LIMIT ${LARGE_TAIL_ROWS + 1}) AS t`,
    ),
  );
  if (Number(row?.n ?? 0) > LARGE_TAIL_ROWS) await refreshRollups(db, source.id, { maxChunks: 50 });
}

/** SQL text: whether a row (by its key column, qualified as given) lies above the source's watermark. */
export function aboveWatermarkSql(source: TimelineSource, pk = primaryKeySql(source)): string {
  return `${pk} > ${watermarkSql(source)}`;
}

/**
 * SQL text: one rollup-shaped row (count 1) per row of the source above its watermark — what the
 * rollups will hold once refreshRollups folds them. Columns as in the rollup tables.
 */
function tailRollupRows(source: TimelineSource, granularity: Granularity): string {
  const maintained = source.maintained!;
  const time = timeColumnSql(source);
  const measure = (column: string | undefined, name: 'a' | 'b') =>
    column
      ? `COALESCE(${quoteIdentifier(column)}, 0) AS ${name}_sum, CASE WHEN ${quoteIdentifier(column)} IS NULL THEN 0 ELSE 1 END AS ${name}_n`
      : `0 AS ${name}_sum, 0 AS ${name}_n`;
  const dimensions = dimensionList(source, 'sqlite', granularity).map(
    (expression, i) => `${expression} AS ${DIMENSIONS[i]}`,
  );
  return `SELECT ${dimensions.join(', ')}, 1 AS count, ${measure(maintained.valueA, 'a')}, ${measure(maintained.valueB, 'b')} FROM ${quoteIdentifier(source.table)} WHERE ${aboveWatermarkSql(source)} AND ${isoLikeSql(time)}`;
}

/** SQL text: the rollup rows of a source as readers see them — rollups, plus the tail on SQLite. */
function currentRollups(source: TimelineSource, dialect: Dialect, granularity: Granularity): string {
  const stored = `SELECT ${[...DIMENSIONS, ...MEASURES].join(', ')} FROM ${tableOf(granularity)} WHERE source = ${literal(source.id)}`;
  return watermarked(source, dialect)
    ? `(${stored} UNION ALL ${tailRollupRows(source, granularity)})`
    : `(${stored})`;
}

/**
 * SQLite: the watermarked sources among `sources` with rows above their watermark whose time carries a
 * non-zero offset (the list reads those from the table; the zone side table has the folded ones).
 */
export async function sourcesWithZonedTail(
  db: Database,
  sources: readonly TimelineSource[],
): Promise<Set<string>> {
  let candidates = sources.filter((source) => watermarked(source, db.dialect) && zoneAware(source));
  if (candidates.length === 0) return new Set();
  // One statement for all sources: each tail's length (capped) and whether it holds offset times.
  const probe = () =>
    db.all<{ s: string; n: number; z: number }>(
      raw(
        candidates
          .map((source) => {
            const table = quoteIdentifier(source.table);
            const time = timeColumnSql(source);
            return `SELECT ${literal(source.id)} AS s, (SELECT COUNT(*) FROM (SELECT 1 FROM ${table} WHERE ${aboveWatermarkSql(source)} LIMIT ${LARGE_TAIL_ROWS + 1}) AS c) AS n, EXISTS (SELECT 1 FROM ${table} WHERE ${aboveWatermarkSql(source)} AND ${isoLikeSql(time)} AND ${hasZoneOffsetSql(time)}) AS z`;
          })
          .join(' UNION ALL '),
      ),
    );
  let rows: Awaited<ReturnType<typeof probe>>;
  try {
    rows = await probe();
  } catch (error) {
    // A table dropped since the catalogue was read: probe the ones that are still there.
    if (!isMissingTableError(error)) throw error;
    const catalogue = await readCatalogue(db, { fresh: true });
    candidates = candidates.filter((source) => catalogue.tables.has(source.table));
    if (candidates.length === 0) return new Set();
    rows = await probe();
  }
  const large = rows.filter((row) => Number(row.n) > LARGE_TAIL_ROWS);
  if (large.length > 0) {
    for (const row of large) await refreshRollups(db, row.s, { maxChunks: 50 });
    rows = await probe();
  }
  return new Set(rows.filter((row) => Number(row.z) === 1).map((row) => row.s));
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
      // What readers see: the rollups plus (SQLite) the tail above the watermark, in one statement.
      const actualRows = await db.all<RollupRow>(
        sql`SELECT ${raw(DIMENSIONS.join(', '))}, SUM(count) AS count, SUM(a_sum) AS a_sum, SUM(a_n) AS a_n, SUM(b_sum) AS b_sum, SUM(b_n) AS b_n
            FROM ${raw(currentRollups(source, db.dialect, granularity))} AS c WHERE bucket_start >= ${lo} AND bucket_start < ${hi} GROUP BY ${raw(DIMENSIONS.join(', '))}`,
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
    // The side table, plus (SQLite) the tail's rows with an offset, which the list reads from the table.
    const tail = watermarked(source, db.dialect)
      ? ` UNION ALL SELECT ${primaryKeySql(source)} AS pk, ${zonedKeySql(db.dialect, time)} AS k FROM ${table} WHERE ${aboveWatermarkSql(source)} AND ${isoLikeSql(time)} AND ${hasZoneOffsetSql(time)}`
      : '';
    const actualZoned = await db.all<{ pk: number; k: string }>(
      sql`SELECT * FROM (SELECT tl_pk AS pk, tl_key AS k FROM ${raw(ZONED_ROWS_TABLE)} WHERE tl_source = ${source.id}${raw(tail)}) AS z WHERE k >= ${keyLo} AND k < ${keyHi}`,
    );
    const want = new Map(expectedZoned.map((row) => [Number(row.pk), row.k]));
    const have = new Map<number, string>();
    for (const row of actualZoned) {
      const pk = Number(row.pk);
      // Listed twice (side table and tail): the list would show the event twice.
      have.set(pk, have.has(pk) ? `${have.get(pk)} (listed twice)` : row.k);
    }
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
 * requested dimensions. On SQLite the rows above the watermark are added from the table in the same
 * statement (one snapshot, so a refresh committing meanwhile neither hides nor doubles a row).
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
  await keepTailSmall(db, source);
  const conditions: SQL[] = [
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
        FROM ${raw(currentRollups(source, db.dialect, granularity))} AS c WHERE ${sql.join(conditions, sql` AND `)} GROUP BY ${ordinals}`,
  );
}
