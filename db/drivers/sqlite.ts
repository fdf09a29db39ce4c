import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import {
  type BulkInsertOptions,
  type Database,
  type IterateOptions,
  type Row,
  type StepResult,
  type TxStep,
  DatabaseBusyError,
  iterateBatchSize,
  quoteIdentifier,
  renderQuery,
  translateDbError,
} from '../database';
import { ConfigError } from '../config';
import { recordBusyError, recordStatement } from './observe';

/** Busy timeout in ms: at least the agents' 5000 so the console waits for them as they wait for it. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** Pragmas every connection gets (the agents set the same ones). */
export function applyConnectionPragmas(
  conn: BetterSqlite3.Database,
  options: { readonly?: boolean } = {},
): void {
  conn.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  if (!options.readonly) conn.pragma('journal_mode = WAL');
  conn.pragma('foreign_keys = ON');
  conn.pragma('synchronous = NORMAL');
}

export interface SqliteOpenOptions {
  /** Create the file (and its folder) when missing; otherwise a missing file is a configuration error. */
  create?: boolean;
}

export function openSqliteConnection(file: string, options: SqliteOpenOptions = {}): BetterSqlite3.Database {
  const dir = path.dirname(file);
  if (!fs.existsSync(file)) {
    if (!options.create)
      throw new ConfigError(
        `The SQLite database ${file} does not exist (set FOUNDUPS_DB_PATH to an existing file, or run "npx foundups migrate" to create it).`,
      );
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new ConfigError(
        `Cannot create the folder ${dir} for the SQLite database: ${(error as Error).message}.`,
      );
    }
  } else {
    try {
      fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    } catch {
      throw new ConfigError(`The SQLite database ${file} is not readable and writable by this user.`);
    }
    if (fs.statSync(file).isDirectory())
      throw new ConfigError(`FOUNDUPS_DB_PATH points to a folder (${file}), not a SQLite file.`);
  }
  let conn: BetterSqlite3.Database | undefined;
  try {
    conn = new BetterSqlite3(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    applyConnectionPragmas(conn);
  } catch (error) {
    conn?.close();
    const message = (error as Error).message;
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new ConfigError(`${file} is not a SQLite database (file is not a database).`);
    }
    throw new ConfigError(`Cannot open the SQLite database ${file}: ${message}.`);
  }
  return conn;
}

function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

/**
 * better-sqlite3 is synchronous: every transaction below runs to completion inside one call, so no
 * other request can interleave with it and it never spans an `await`.
 */
export class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  readonly driver = 'better-sqlite3' as const;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private closed = false;

  constructor(
    readonly connection: BetterSqlite3.Database,
    readonly file: string,
  ) {}

  private prepare(text: string): BetterSqlite3.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.connection.prepare(text);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(text, statement);
    }
    return statement;
  }

  private execute<T>(query: SQL): StepResult<T> {
    const { sql: text, params } = renderQuery('sqlite', query);
    const statement = this.prepare(text);
    const bound = params.map(bindable);
    const started = performance.now();
    if (statement.reader) {
      const rows = statement.all(...bound) as T[];
      recordStatement(text, performance.now() - started, 'read');
      return { rows, changes: rows.length };
    }
    const info = statement.run(...bound);
    recordStatement(text, performance.now() - started, 'write');
    return { rows: [], changes: info.changes };
  }

  private guard<T>(fn: () => T): Promise<T> {
    try {
      if (this.closed) throw new Error('The database connection is closed.');
      return Promise.resolve(fn());
    } catch (error) {
      const translated = translateDbError(error);
      if (translated instanceof DatabaseBusyError) recordBusyError();
      return Promise.reject(translated);
    }
  }

  all<T = Row>(query: SQL): Promise<T[]> {
    return this.guard(() => this.execute<T>(query).rows);
  }

  allPrimary<T = Row>(query: SQL): Promise<T[]> {
    return this.all<T>(query);
  }

  get<T = Row>(query: SQL): Promise<T | undefined> {
    return this.guard(() => this.execute<T>(query).rows[0]);
  }

  run<T = Row>(query: SQL): Promise<StepResult<T>> {
    return this.guard(() => this.execute<T>(query));
  }

  /** Synchronous BEGIN IMMEDIATE transaction: for callers inside db/ that need it (ingest, seed). */
  writeSync<T>(fn: () => T): T {
    const conn = this.connection;
    const started = performance.now();
    conn.prepare('BEGIN IMMEDIATE').run();
    recordStatement('BEGIN IMMEDIATE', performance.now() - started, 'begin');
    try {
      const result = fn();
      conn.prepare('COMMIT').run();
      return result;
    } catch (error) {
      if (conn.inTransaction) conn.prepare('ROLLBACK').run();
      throw error;
    }
  }

  transaction(steps: TxStep[]): Promise<StepResult[]> {
    return this.guard(() =>
      this.writeSync(() => {
        const results: StepResult[] = [];
        for (const step of steps) {
          const query = typeof step === 'function' ? step(results) : step;
          results.push(query ? this.execute(query) : { rows: [], changes: 0 });
        }
        return results;
      }),
    );
  }

  bulkInsert(
    table: string,
    columns: readonly string[],
    rows: readonly unknown[][],
    options: BulkInsertOptions = {},
  ): Promise<number> {
    return this.guard(() => {
      if (rows.length === 0) return 0;
      const placeholders = columns.map(() => '?').join(', ');
      // ON CONFLICT DO NOTHING, not INSERT OR IGNORE: OR IGNORE would also drop rows that break NOT NULL
      // or CHECK without a word, where PostgreSQL (and the promise "lose nothing") fails the batch.
      const statement = this.prepare(
        `INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES (${placeholders})${
          options.ignoreConflicts ? ' ON CONFLICT DO NOTHING' : ''
        }`,
      );
      return this.writeSync(() => {
        let inserted = 0;
        for (const row of rows) inserted += statement.run(...row.map(bindable)).changes;
        return inserted;
      });
    });
  }

  execScript(statements: readonly string[]): Promise<void> {
    return this.guard(() => {
      this.writeSync(() => {
        for (const statement of statements) if (statement.trim()) this.connection.exec(statement);
      });
    });
  }

  /**
   * Streams a read on a dedicated read-only connection: better-sqlite3's `.iterate()` keeps its
   * connection busy until the loop ends, and the shared connection must stay free for other requests.
   * The dedicated connection sees one snapshot (WAL) and never takes a write lock. An in-memory
   * database has no second connection, so there the rows are read at once and handed out in batches.
   */
  async *iterate<T = Row>(query: SQL, options: IterateOptions = {}): AsyncGenerator<T[], void, undefined> {
    const batchSize = iterateBatchSize(options);
    if (this.closed) throw new Error('The database connection is closed.');
    const { sql: text, params } = renderQuery('sqlite', query);
    const bound = params.map(bindable);
    if (this.connection.memory) {
      let rows: T[];
      try {
        rows = this.prepare(text).all(...bound) as T[];
      } catch (error) {
        throw translateDbError(error);
      }
      for (let i = 0; i < rows.length; i += batchSize) {
        if (options.signal?.aborted) return;
        yield rows.slice(i, i + batchSize);
      }
      return;
    }
    let reader: BetterSqlite3.Database | undefined;
    try {
      reader = new BetterSqlite3(this.file, {
        readonly: true,
        fileMustExist: true,
        timeout: SQLITE_BUSY_TIMEOUT_MS,
      });
      reader.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      const statement = reader.prepare(text);
      if (!statement.reader) throw new Error('iterate() is for statements that return rows.');
      let batch: T[] = [];
      for (const row of statement.iterate(...bound) as IterableIterator<T>) {
        batch.push(row);
        if (batch.length < batchSize) continue;
        if (options.signal?.aborted) return;
        yield batch;
        batch = [];
      }
      if (batch.length && !options.signal?.aborted) yield batch;
    } catch (error) {
      throw translateDbError(error);
    } finally {
      // Closing ends the statement's iteration (and its read snapshot) when the caller stopped early.
      reader?.close();
    }
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.statements.clear();
      this.connection.close();
    }
    return Promise.resolve();
  }
}

export function openSqliteDatabase(file: string, options: SqliteOpenOptions = {}): SqliteDatabase {
  return new SqliteDatabase(openSqliteConnection(file, options), file);
}
