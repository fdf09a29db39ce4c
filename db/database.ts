import { SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';

export { sql, SQL };

export type Row = Record<string, unknown>;
export type Dialect = 'sqlite' | 'postgres';

export interface StepResult<T = Row> {
  rows: T[];
  changes: number;
}

/**
 * One step of a write transaction: a statement, or a function of the results so far that returns the
 * next statement (or null to skip it). Throwing from a step rolls the whole transaction back.
 * Steps are computed synchronously, so on SQLite the transaction never spans an `await`.
 */
export type TxStep = SQL | ((results: StepResult[]) => SQL | null);

/** Options of {@link Database.iterate}. */
export interface IterateOptions {
  /** Rows per batch (default 1,000). */
  batchSize?: number;
  /** PostgreSQL/PGlite: run in a READ ONLY transaction (SQLite: the dedicated connection is read-only anyway). */
  readOnly?: boolean;
  /**
   * PostgreSQL/PGlite: `SET LOCAL statement_timeout` for the cursor's statements (each FETCH is bounded).
   * SQLite cannot interrupt a step in-process: untrusted statements go through the SQL console's worker.
   */
  statementTimeoutMs?: number;
  /** Stop (and release the connection) when aborted; the iterator then ends without an error. */
  signal?: AbortSignal;
}

export interface BulkInsertOptions {
  /** Skip rows that violate a unique constraint instead of failing (INSERT OR IGNORE / ON CONFLICT DO NOTHING). */
  ignoreConflicts?: boolean;
}

/**
 * The one way into the database. Every method takes drizzle `sql` templates, so the same query code
 * renders for SQLite and PostgreSQL; values are always bound parameters.
 */
export interface Database {
  readonly dialect: Dialect;
  readonly driver: 'better-sqlite3' | 'pg' | 'pglite';
  /** Rows of a read (routed to the read replica when one is configured). */
  all<T = Row>(query: SQL): Promise<T[]>;
  /** First row of a read, or undefined. */
  get<T = Row>(query: SQL): Promise<T | undefined>;
  /** A read that must see the primary (e.g. right after a write). */
  allPrimary<T = Row>(query: SQL): Promise<T[]>;
  /** One write statement in its own transaction; RETURNING rows are given back. */
  run<T = Row>(query: SQL): Promise<StepResult<T>>;
  /** Several statements in one write transaction (SQLite: BEGIN IMMEDIATE), all or nothing. */
  transaction(steps: TxStep[]): Promise<StepResult[]>;
  /** Many rows into one table in one transaction, returning how many were inserted. */
  bulkInsert(
    table: string,
    columns: readonly string[],
    rows: readonly unknown[][],
    options?: BulkInsertOptions,
  ): Promise<number>;
  /** Runs a multi-statement script (migrations) in one transaction. */
  execScript(statements: readonly string[]): Promise<void>;
  /**
   * A read streamed in batches, for results too large to hold in memory (exports). One consistent
   * snapshot, produced only as fast as the caller asks: SQLite iterates a statement on a dedicated
   * read-only connection; PostgreSQL declares a cursor in a transaction on a dedicated pooled client
   * (the read replica's when configured); PGlite does the same inside its one connection, so other
   * queries wait until the iteration ends. Always finish the loop or call `return()` (a `for await`
   * with `break` does) so the connection is released.
   */
  iterate<T = Row>(query: SQL, options?: IterateOptions): AsyncGenerator<T[], void, undefined>;
  close(): Promise<void>;
}

const sqliteDialect = new SQLiteSyncDialect();
const pgDialect = new PgDialect();

export interface RenderedQuery {
  sql: string;
  params: unknown[];
}

export function renderQuery(dialect: Dialect, query: SQL): RenderedQuery {
  const rendered = (dialect === 'sqlite' ? sqliteDialect : pgDialect).sqlToQuery(query);
  return { sql: rendered.sql, params: rendered.params };
}

/** Identifiers we build statements from must be plain identifiers; values are never interpolated. */
export const SAFE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export function quoteIdentifier(name: string): string {
  if (!SAFE_IDENTIFIER.test(name)) throw new Error(`Unsafe SQL identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** Errors from the database, translated into something an operator can act on. */
export class DatabaseBusyError extends Error {
  override name = 'DatabaseBusyError';
  constructor(cause?: unknown) {
    super(
      'The database is locked by another writer and stayed locked for the whole busy timeout; nothing was changed, try again.',
      {
        cause,
      },
    );
  }
}

export function translateDbError(error: unknown): unknown {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT')
    return new DatabaseBusyError(error);
  return error;
}

/** Splits rows into chunks that stay under a driver's bound-parameter limit. */
export function chunkRows<T>(rows: readonly T[], columnsPerRow: number, maxParams: number): T[][] {
  const size = Math.max(1, Math.floor(maxParams / Math.max(1, columnsPerRow)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

/** `sql` for a comma-separated list of identifiers (already validated). */
export function identifierList(names: readonly string[]): SQL {
  return sql.raw(names.map(quoteIdentifier).join(', '));
}

export const DEFAULT_ITERATE_BATCH_ROWS = 1_000;

export function iterateBatchSize(options: IterateOptions | undefined): number {
  const size = Math.trunc(options?.batchSize ?? DEFAULT_ITERATE_BATCH_ROWS);
  if (!(size >= 1 && size <= 1_000_000)) throw new RangeError(`batchSize must be 1–1,000,000, not ${size}.`);
  return size;
}

type Slot<T> = { kind: 'batch'; batch: T[] } | { kind: 'done' } | { kind: 'error'; error: unknown };

/**
 * Turns a producer that runs inside a scope (a transaction callback) into an async iterator with
 * backpressure: `emit` resolves once the consumer asks for the next batch (true) or has stopped
 * (false, and the producer should return so its scope closes). The iterator's `return()` waits for
 * the scope to close, so the connection is released when the loop ends however it ends.
 */
export async function* demandDriven<T>(
  produce: (emit: (batch: T[]) => Promise<boolean>) => Promise<void>,
  signal?: AbortSignal,
): AsyncGenerator<T[], void, undefined> {
  let deliver: (slot: Slot<T>) => void = () => undefined;
  let resume: ((more: boolean) => void) | null = null;
  let stopped = false;
  const nextSlot = () => new Promise<Slot<T>>((resolve) => (deliver = resolve));
  let pending = nextSlot();
  const emit = (batch: T[]) =>
    stopped
      ? Promise.resolve(false)
      : new Promise<boolean>((resolve) => {
          resume = resolve;
          deliver({ kind: 'batch', batch });
        });
  const finished = produce(emit).then(
    () => deliver({ kind: 'done' }),
    (error: unknown) => deliver({ kind: 'error', error }),
  );
  const onAbort = () => {
    // Also wakes a producer waiting for demand, so its scope closes even if the loop is never resumed.
    stopped = true;
    (resume as ((value: boolean) => void) | null)?.(false);
    resume = null;
    deliver({ kind: 'done' });
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) return;
      const slot = await pending;
      if (slot.kind === 'error') throw slot.error;
      if (slot.kind === 'done' || signal?.aborted) return;
      pending = nextSlot();
      // Let the producer read the next batch while this one is consumed (one batch of read-ahead).
      (resume as ((value: boolean) => void) | null)?.(true);
      resume = null;
      yield slot.batch;
    }
  } finally {
    stopped = true;
    signal?.removeEventListener('abort', onAbort);
    (resume as ((value: boolean) => void) | null)?.(false);
    await finished;
  }
}
