import { type SQL, sql } from 'drizzle-orm';
import { type Database, renderQuery } from '@/db/database';
import type { SqliteDatabase } from '@/db/drivers/sqlite';
import { type ResultColumn, type SqliteTarget, getSqlitePool } from '@/lib/sql-console/sqlite-process';
import type { BrowserSort, BrowserState, ColumnFilter } from './browser-params';
import {
  type CatalogueSource,
  type RelationInfo,
  catalogueIdentifier,
  databaseSource,
  findColumn,
  findRelation,
  workerSource,
} from './catalogue';
import { CHEAP_COUNT_LIMIT, type RowCount, quickCounts, rowCountOf } from './counts';
import { displayValue, exportValue } from './values';

/**
 * Reading one table or view page by page — of the console's database or of a satellite file — with
 * the URL's filters and sort, and exporting the same view without a row cap. Names come from the
 * catalogue (findRelation / findColumn); values are bound parameters. SQLite reads run in worker
 * processes with a time limit; PostgreSQL reads in a READ ONLY transaction with statement_timeout.
 */

export type BrowseTarget = { kind: 'main'; db: Database } | { kind: 'satellite'; file: string };

/** Longest a table page may take before it is stopped. */
export const PAGE_TIME_LIMIT_MS = 15_000;
/** Filtered views count at most this many rows ("more than 10,000" beyond): the count reads at most that many matches. */
export const FILTERED_COUNT_CAP = 10_000;
export const FILTERED_COUNT_TIME_LIMIT_MS = 5_000;
export const EXPORT_BATCH_ROWS = 2_000;

function sqliteTarget(target: BrowseTarget): SqliteTarget | null {
  if (target.kind === 'satellite') return { kind: 'satellite', file: target.file };
  if (target.db.dialect === 'sqlite') return { kind: 'main', file: (target.db as SqliteDatabase).file };
  return null;
}

export function catalogueSourceFor(target: BrowseTarget): CatalogueSource {
  if (target.kind === 'main') return databaseSource(target.db);
  return workerSource(getSqlitePool(), { kind: 'satellite', file: target.file });
}

export function openRelation(target: BrowseTarget, name: string): Promise<RelationInfo | null> {
  return findRelation(catalogueSourceFor(target), name);
}

/** True when every column the state names exists in the relation (otherwise the page is a 404). */
export function stateMatchesRelation(
  relation: RelationInfo,
  state: Pick<BrowserState, 'sort' | 'filters'>,
): boolean {
  if (state.sort && !findColumn(relation, state.sort.column)) return false;
  return state.filters.every((filter) => findColumn(relation, filter.column) !== null);
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const PG_TEXT_TYPES = /^(text|character varying.*|character.*|varchar.*|name|citext)$/i;

function filterCondition(dialect: Database['dialect'], relation: RelationInfo, filter: ColumnFilter): SQL {
  const column = findColumn(relation, filter.column)!;
  const ident = catalogueIdentifier(column.name);
  switch (filter.op) {
    case 'null':
      return sql`${ident} IS NULL`;
    case 'notnull':
      return sql`${ident} IS NOT NULL`;
    case 'eq':
      // PostgreSQL would reject '12abc' for a bigint column: compare non-text columns as text.
      return dialect === 'postgres' && !PG_TEXT_TYPES.test(column.type)
        ? sql`CAST(${ident} AS TEXT) = ${filter.value}`
        : sql`${ident} = ${filter.value}`;
    case 'has': {
      const pattern = `%${escapeLike(filter.value)}%`;
      return dialect === 'postgres'
        ? sql`CAST(${ident} AS TEXT) ILIKE ${pattern} ESCAPE '\\'`
        : sql`${ident} LIKE ${pattern} ESCAPE '\\'`;
    }
  }
}

function whereClause(
  dialect: Database['dialect'],
  relation: RelationInfo,
  filters: readonly ColumnFilter[],
  extra: SQL[] = [],
): SQL {
  const conditions = [...filters.map((filter) => filterCondition(dialect, relation, filter)), ...extra];
  return conditions.length ? sql` WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
}

/** Columns that make the order total, so pages neither repeat nor skip rows. */
function tiebreak(dialect: Database['dialect'], relation: RelationInfo): SQL[] {
  if (relation.kind === 'view') return [];
  if (dialect === 'sqlite')
    return relation.hasRowid ? [sql.raw('rowid')] : relation.primaryKey.map(catalogueIdentifier);
  return relation.primaryKey.length ? relation.primaryKey.map(catalogueIdentifier) : [sql.raw('ctid')];
}

function orderClause(dialect: Database['dialect'], relation: RelationInfo, sort: BrowserSort | null): SQL {
  const ties = tiebreak(dialect, relation);
  if (!sort) return ties.length ? sql` ORDER BY ${sql.join(ties, sql`, `)}` : sql``;
  const dir = sql.raw(sort.dir === 'desc' ? 'DESC' : 'ASC');
  const keys = [sql`${catalogueIdentifier(sort.column)} ${dir}`, ...ties.map((tie) => sql`${tie} ${dir}`)];
  return sql` ORDER BY ${sql.join(keys, sql`, `)}`;
}

function selectList(relation: RelationInfo): SQL {
  return sql.join(
    relation.columns.map((column) => catalogueIdentifier(column.name)),
    sql`, `,
  );
}

export interface BrowserColumn {
  name: string;
  type: string;
  primaryKey: boolean;
  notNull: boolean;
}

export type PageTotal =
  | { kind: 'exact'; value: number }
  | { kind: 'counted'; value: number; countedAt: string }
  | { kind: 'estimate'; value: number; source: string }
  | { kind: 'at-least'; value: number; reason: string };

export interface BrowserPage {
  columns: BrowserColumn[];
  /** Display values: BLOBs as { $blob: bytes }, long text as { $text, length }. */
  rows: unknown[][];
  page: number;
  pageSize: number;
  hasNextPage: boolean;
  total: PageTotal;
  readMs: number;
}

async function runPg<T>(db: Database, query: SQL, timeoutMs: number): Promise<T[]> {
  const [, , result] = await db.transaction([
    sql`SET TRANSACTION READ ONLY`,
    sql.raw(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`),
    query,
  ]);
  return (result?.rows ?? []) as T[];
}

async function runSqlite(
  target: SqliteTarget,
  query: SQL,
  timeoutMs: number,
  textLimit?: number,
): Promise<{ columns: ResultColumn[]; rows: unknown[][] }> {
  const rendered = renderQuery('sqlite', query);
  const [result] = await getSqlitePool().query(
    target,
    [{ sql: rendered.sql, params: rendered.params, textLimit }],
    { timeoutMs },
  );
  return result ?? { columns: [], rows: [] };
}

function totalFromRowCount(count: RowCount, fallback: number): PageTotal {
  switch (count.kind) {
    case 'exact':
      return { kind: 'exact', value: count.value };
    case 'counted':
      return { kind: 'counted', value: count.value, countedAt: count.countedAt };
    case 'estimate':
      return count.estimate
        ? { kind: 'estimate', value: count.estimate.value, source: count.estimate.source }
        : {
            kind: 'at-least',
            value: Math.max(fallback, count.atLeast),
            reason: `more than ${CHEAP_COUNT_LIMIT.toLocaleString('en-US')} rows; not counted exactly yet`,
          };
    case 'unknown':
      return { kind: 'at-least', value: fallback, reason: count.reason };
  }
}

async function unfilteredTotal(
  target: BrowseTarget,
  relation: RelationInfo,
  fallback: number,
): Promise<PageTotal> {
  const source = catalogueSourceFor(target);
  const counts = await quickCounts(source, [relation]);
  let cached: { exactRows: number | null; countedAt: string | null } | undefined;
  if (target.kind === 'main') {
    const row = await target.db.get<{ exact_rows: number | null; counted_at: string | null }>(
      sql`SELECT exact_rows, counted_at FROM modules_console_table_stats WHERE table_name = ${relation.name}`,
    );
    if (row)
      cached = {
        exactRows: row.exact_rows === null ? null : Number(row.exact_rows),
        countedAt: row.counted_at,
      };
  }
  return totalFromRowCount(rowCountOf(relation, counts.get(relation.name), cached), fallback);
}

async function filteredTotal(
  target: BrowseTarget,
  relation: RelationInfo,
  filters: readonly ColumnFilter[],
  fallback: number,
): Promise<PageTotal> {
  const dialect = target.kind === 'main' ? target.db.dialect : 'sqlite';
  const query = sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${catalogueIdentifier(relation.name)}${whereClause(dialect, relation, filters)} LIMIT ${FILTERED_COUNT_CAP + 1}) AS b`;
  let n: number;
  try {
    const sqlite = sqliteTarget(target);
    if (sqlite) n = Number((await runSqlite(sqlite, query, FILTERED_COUNT_TIME_LIMIT_MS)).rows[0]?.[0] ?? 0);
    else
      n = Number(
        (await runPg<{ n: number }>((target as { db: Database }).db, query, FILTERED_COUNT_TIME_LIMIT_MS))[0]
          ?.n ?? 0,
      );
  } catch {
    return {
      kind: 'at-least',
      value: fallback,
      reason: `counting the matching rows took longer than ${FILTERED_COUNT_TIME_LIMIT_MS / 1000} s`,
    };
  }
  if (n > FILTERED_COUNT_CAP)
    return {
      kind: 'at-least',
      value: n,
      reason: `more than ${FILTERED_COUNT_CAP.toLocaleString('en-US')} rows match`,
    };
  return { kind: 'exact', value: n };
}

/** One page of the view. The caller has checked the state against the relation (stateMatchesRelation). */
export async function readTablePage(
  target: BrowseTarget,
  relation: RelationInfo,
  state: BrowserState,
): Promise<BrowserPage> {
  const started = performance.now();
  const dialect = target.kind === 'main' ? target.db.dialect : 'sqlite';
  const offset = (state.page - 1) * state.pageSize;
  const query = sql`SELECT ${selectList(relation)} FROM ${catalogueIdentifier(relation.name)}${whereClause(dialect, relation, state.filters)}${orderClause(
    dialect,
    relation,
    state.sort,
  )} LIMIT ${state.pageSize + 1} OFFSET ${offset}`;
  const sqlite = sqliteTarget(target);
  const pageRows = sqlite
    ? runSqlite(sqlite, query, PAGE_TIME_LIMIT_MS).then((result) => result.rows)
    : runPg<Record<string, unknown>>((target as { db: Database }).db, query, PAGE_TIME_LIMIT_MS).then(
        (rows) => rows.map((row) => relation.columns.map((column) => displayValue(row[column.name]))),
      );
  const [rows, totalGuess] = await Promise.all([
    pageRows,
    state.filters.length
      ? filteredTotal(target, relation, state.filters, offset)
      : unfilteredTotal(target, relation, offset),
  ]);
  const hasNextPage = rows.length > state.pageSize;
  const shown = rows.slice(0, state.pageSize);
  // The count can lag behind the rows actually read (estimates, counts from before a write).
  const seen = offset + shown.length + (hasNextPage ? 1 : 0);
  const total: PageTotal =
    totalGuess.value < seen
      ? { kind: 'at-least', value: seen, reason: 'the rows read go past the count' }
      : totalGuess;
  return {
    columns: relation.columns.map((column) => ({
      name: column.name,
      type: column.type,
      primaryKey: column.primaryKey > 0,
      notNull: column.notNull,
    })),
    rows: shown,
    page: state.page,
    pageSize: state.pageSize,
    hasNextPage,
    total,
    readMs: Math.round(performance.now() - started),
  };
}

// ---------------------------------------------------------------------------------------------
// Export

export interface ExportStream {
  columns: string[];
  /** Export values (BLOBs as { $base64 }), batch by batch. */
  batches: AsyncGenerator<unknown[][]>;
}

/**
 * The whole view (filters and sort honoured, no row cap) in batches, memory flat: SQLite iterates one
 * statement in a dedicated worker process that only reads ahead when asked (a sort on an unindexed
 * column of a multi-GB table never blocks the server's event loop); PostgreSQL reads through a
 * server-side cursor in one READ ONLY transaction (`db.iterate`), so the export is one consistent
 * snapshot and rows are produced only as the download takes them.
 */
export function exportTableRows(
  target: BrowseTarget,
  relation: RelationInfo,
  state: Pick<BrowserState, 'sort' | 'filters'>,
  signal?: AbortSignal,
): ExportStream {
  const columns = relation.columns.map((column) => column.name);
  const sqlite = sqliteTarget(target);
  const dialect = sqlite ? 'sqlite' : 'postgres';
  const query = sql`SELECT ${selectList(relation)} FROM ${catalogueIdentifier(relation.name)}${whereClause(dialect, relation, state.filters)}${orderClause(
    dialect,
    relation,
    state.sort,
  )}`;
  if (sqlite) {
    const rendered = renderQuery('sqlite', query);
    return {
      columns,
      batches: getSqlitePool().stream(
        sqlite,
        { sql: rendered.sql, params: rendered.params },
        { batchSize: EXPORT_BATCH_ROWS, signal, firstBatchTimeoutMs: 120_000 },
      ),
    };
  }
  return {
    columns,
    batches: postgresCursorBatches((target as { db: Database }).db, relation, query, signal),
  };
}

async function* postgresCursorBatches(
  db: Database,
  relation: RelationInfo,
  query: SQL,
  signal?: AbortSignal,
): AsyncGenerator<unknown[][]> {
  const rows = db.iterate<Record<string, unknown>>(query, {
    batchSize: EXPORT_BATCH_ROWS,
    readOnly: true,
    // Bounds each FETCH (a sort that never ends), not the download: a slow client sets the pace.
    statementTimeoutMs: 120_000,
    signal,
  });
  for await (const batch of rows)
    yield batch.map((row) => relation.columns.map((column) => exportValue(row[column.name])));
}
