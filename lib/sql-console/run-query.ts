import { sql } from 'drizzle-orm';
import type { Database } from '@/db/database';
import type { SqliteDatabase } from '@/db/drivers/sqlite';
import { displayValue, exportValue } from '@/lib/registry/values';
import { type ChartShape, chartShape } from './chart';
import { type ResultColumn, SqliteTimeoutError, SqliteWorkerError, getSqlitePool } from './sqlite-process';
import { checkReadStatement } from './statement-check';

/**
 * Runs an operator's statement read-only, whatever it says:
 * 1. a statement check (one statement, a read keyword; on PostgreSQL no side-effecting functions);
 * 2. SQLite: a separate read-only connection in a worker process, where SQLite's own verdict
 *    (stmt.readonly, stmt.reader) must agree, killed when the time limit passes — the server's event
 *    loop never waits on it; PostgreSQL: a READ ONLY transaction with statement_timeout, the rows read
 *    through a cursor so only row-cap + 1 rows are ever produced.
 * At most CONSOLE_ROW_CAP rows come back, and the result says when the cap cut it.
 */

export const CONSOLE_ROW_CAP = 1_000;
export const CONSOLE_TIME_LIMIT_MS = 5_000;
/** Query-result exports: more rows, more time, still bounded (whole tables export from the browser). */
export const QUERY_EXPORT_ROW_CAP = 100_000;
export const QUERY_EXPORT_TIME_LIMIT_MS = 60_000;

export class ConsoleRefusal extends Error {
  override name = 'ConsoleRefusal';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface ConsoleResult {
  columns: ResultColumn[];
  rows: unknown[][];
  /** The row cap cut the result. */
  truncated: boolean;
  rowCap: number;
  ms: number;
  chart: ChartShape | null;
  /** Said when the engine cannot enforce the time limit (PGlite runs in this process). */
  warning: string | null;
}

export interface RunOptions {
  rowCap?: number;
  timeLimitMs?: number;
}

const PG_TIMEOUT_CODE = '57014';
const PG_READ_ONLY_CODE = '25006';

function translatePgError(error: unknown, timeLimitMs: number): Error {
  const e = error as { code?: string; message?: string };
  if (e?.code === PG_TIMEOUT_CODE)
    return new ConsoleRefusal(
      `Stopped after ${timeLimitMs / 1000} s: the query ran past its time limit and was cancelled.`,
      'TIMEOUT',
    );
  if (e?.code === PG_READ_ONLY_CODE)
    return new ConsoleRefusal(
      `Refused by PostgreSQL: ${e.message} (the console runs statements in a read-only transaction).`,
      'NOT_READ_ONLY',
    );
  return error instanceof Error ? error : new Error(String(error));
}

function translateSqliteError(error: unknown): Error {
  if (error instanceof SqliteTimeoutError) return new ConsoleRefusal(error.message, 'TIMEOUT');
  if (
    error instanceof SqliteWorkerError &&
    error.code &&
    ['NOT_READ_ONLY', 'MULTIPLE_STATEMENTS', 'NOT_A_READ'].includes(error.code)
  ) {
    return new ConsoleRefusal(error.message, error.code);
  }
  return error instanceof Error ? error : new Error(String(error));
}

export function checkConsoleStatement(db: Pick<Database, 'dialect'>, text: string): string {
  const check = checkReadStatement(text, db.dialect);
  if (!check.ok) throw new ConsoleRefusal(check.message, check.code);
  return check.sql;
}

export async function runConsoleQuery(
  db: Database,
  text: string,
  options: RunOptions = {},
): Promise<ConsoleResult> {
  const rowCap = options.rowCap ?? CONSOLE_ROW_CAP;
  const timeLimitMs = options.timeLimitMs ?? CONSOLE_TIME_LIMIT_MS;
  const statement = checkConsoleStatement(db, text);
  const started = performance.now();
  if (db.dialect === 'sqlite') {
    try {
      const [result] = await getSqlitePool().query(
        { kind: 'main', file: (db as SqliteDatabase).file },
        [{ sql: statement, console: true, maxRows: rowCap }],
        { timeoutMs: timeLimitMs },
      );
      if (!result) throw new Error('The worker returned no result.');
      return {
        ...result,
        rowCap,
        ms: Math.round(performance.now() - started),
        chart: chartShape(result.columns, result.rows),
        warning: null,
      };
    } catch (error) {
      throw translateSqliteError(error);
    }
  }
  const rows = await postgresRows(db, statement, rowCap + 1, timeLimitMs);
  const truncated = rows.length > rowCap;
  const kept = rows.slice(0, rowCap);
  const names = Object.keys(kept[0] ?? {});
  const columns: ResultColumn[] = names.map((name) => ({ name, type: null }));
  const values = kept.map((row) => names.map((name) => displayValue(row[name])));
  return {
    columns,
    rows: values,
    truncated,
    rowCap,
    ms: Math.round(performance.now() - started),
    chart: chartShape(columns, values),
    warning:
      db.driver === 'pglite'
        ? 'PGlite runs inside the server process, so the time limit cannot stop a runaway query there; use SQLite or PostgreSQL for real work.'
        : null,
  };
}

async function postgresRows(
  db: Database,
  statement: string,
  limit: number,
  timeLimitMs: number,
): Promise<Record<string, unknown>[]> {
  const keyword = /^[\s(]*([A-Za-z]+)/.exec(statement)?.[1]?.toUpperCase();
  // A cursor produces only the rows fetched; EXPLAIN cannot be declared as a cursor (its output is small).
  const steps =
    keyword === 'EXPLAIN'
      ? [sql.raw(statement)]
      : [
          sql.raw(`DECLARE fu_console_cursor NO SCROLL CURSOR FOR ${statement}`),
          sql.raw(`FETCH FORWARD ${Math.trunc(limit)} FROM fu_console_cursor`),
        ];
  try {
    const results = await db.transaction([
      sql`SET TRANSACTION READ ONLY`,
      sql.raw(`SET LOCAL statement_timeout = ${Math.trunc(timeLimitMs)}`),
      ...steps,
    ]);
    return (results[results.length - 1]?.rows ?? []) as Record<string, unknown>[];
  } catch (error) {
    throw translatePgError(error, timeLimitMs);
  }
}

export interface QueryExport {
  columns: () => string[];
  batches: AsyncGenerator<unknown[][]>;
}

/** A query's rows for export (up to QUERY_EXPORT_ROW_CAP), in export shape. */
export async function exportConsoleQuery(
  db: Database,
  text: string,
  signal?: AbortSignal,
  options: { timeLimitMs?: number } = {},
): Promise<QueryExport> {
  const statement = checkConsoleStatement(db, text);
  const timeLimitMs = options.timeLimitMs ?? QUERY_EXPORT_TIME_LIMIT_MS;
  if (db.dialect === 'sqlite') {
    let columns: string[] = [];
    const timeout = AbortSignal.timeout(timeLimitMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const stream = getSqlitePool().stream(
      { kind: 'main', file: (db as SqliteDatabase).file },
      { sql: statement, console: true, maxRows: QUERY_EXPORT_ROW_CAP },
      {
        signal: combined,
        onColumns: (list) => (columns = list.map((column) => column.name)),
        firstBatchTimeoutMs: Math.min(CONSOLE_TIME_LIMIT_MS, timeLimitMs),
      },
    );
    // The first batch (or the refusal) arrives before the response starts, so a refused statement is an error status, not a broken file.
    // The whole-export limit kills the worker; say so rather than "the worker ended unexpectedly".
    const translate = (error: unknown) =>
      timeout.aborted && !signal?.aborted
        ? new ConsoleRefusal(
            `Stopped after ${timeLimitMs / 1000} s: the export ran past its time limit.`,
            'TIMEOUT',
          )
        : translateSqliteError(error);
    let first: IteratorResult<unknown[][], unknown>;
    try {
      first = await stream.next();
    } catch (error) {
      throw translate(error);
    }
    async function* batches(): AsyncGenerator<unknown[][]> {
      if (first.done) return;
      yield first.value;
      try {
        for await (const batch of stream) yield batch;
      } catch (error) {
        throw translate(error);
      }
    }
    return { columns: () => columns, batches: batches() };
  }
  return exportPostgresQuery(db, statement, timeLimitMs, signal);
}

/** Rows per FETCH of a PostgreSQL query export. */
export const QUERY_EXPORT_BATCH_ROWS = 1_000;

/**
 * PostgreSQL: the statement runs through a server-side cursor in a READ ONLY transaction
 * (`db.iterate`), so rows are produced batch by batch as the download proceeds, never held all at
 * once. Each FETCH is bounded by statement_timeout, the whole export by QUERY_EXPORT_TIME_LIMIT_MS
 * (past it the download fails rather than ending short), and at most QUERY_EXPORT_ROW_CAP rows go out.
 */
async function exportPostgresQuery(
  db: Database,
  statement: string,
  timeLimitMs: number,
  signal?: AbortSignal,
): Promise<QueryExport> {
  const keyword = /^[\s(]*([A-Za-z]+)/.exec(statement)?.[1]?.toUpperCase();
  const started = performance.now();
  let names: string[] = [];
  const toRow = (row: Record<string, unknown>) => names.map((name) => exportValue(row[name]));
  if (keyword === 'EXPLAIN') {
    // EXPLAIN cannot be a cursor; its output is a plan, small.
    const rows = await postgresRows(db, statement, QUERY_EXPORT_ROW_CAP, timeLimitMs);
    names = Object.keys(rows[0] ?? {});
    async function* planBatches(): AsyncGenerator<unknown[][]> {
      if (rows.length) yield rows.map(toRow);
    }
    return { columns: () => names, batches: planBatches() };
  }
  const iterator = db.iterate<Record<string, unknown>>(sql.raw(statement), {
    batchSize: QUERY_EXPORT_BATCH_ROWS,
    readOnly: true,
    statementTimeoutMs: timeLimitMs,
    signal,
  });
  // The first batch (or the refusal) arrives before the response starts, so a refused statement is an
  // error status, not a broken file.
  let first: IteratorResult<Record<string, unknown>[], void>;
  try {
    first = await iterator.next();
  } catch (error) {
    throw translatePgError(error, timeLimitMs);
  }
  names = Object.keys(first.value?.[0] ?? {});
  async function* batches(): AsyncGenerator<unknown[][]> {
    let sent = 0;
    try {
      let next = first;
      while (!next.done) {
        const room = QUERY_EXPORT_ROW_CAP - sent;
        const batch = next.value.length > room ? next.value.slice(0, room) : next.value;
        if (batch.length) yield batch.map(toRow);
        sent += batch.length;
        if (sent >= QUERY_EXPORT_ROW_CAP) return;
        if (performance.now() - started > timeLimitMs)
          throw new ConsoleRefusal(
            `Stopped after ${timeLimitMs / 1000} s: the export ran past its time limit.`,
            'TIMEOUT',
          );
        try {
          next = await iterator.next();
        } catch (error) {
          throw translatePgError(error, timeLimitMs);
        }
      }
    } finally {
      // Closes the cursor's transaction and gives the client back, however the download ended.
      await iterator.return(undefined);
    }
  }
  return { columns: () => names, batches: batches() };
}
