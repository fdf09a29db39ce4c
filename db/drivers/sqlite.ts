import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import {
  type BulkInsertOptions,
  type Database,
  type Row,
  type StepResult,
  type TxStep,
  quoteIdentifier,
  renderQuery,
  translateDbError,
} from '../database';
import { ConfigError } from '../config';

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
    if (statement.reader) {
      const rows = statement.all(...bound) as T[];
      return { rows, changes: rows.length };
    }
    const info = statement.run(...bound);
    return { rows: [], changes: info.changes };
  }

  private guard<T>(fn: () => T): Promise<T> {
    try {
      if (this.closed) throw new Error('The database connection is closed.');
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(translateDbError(error));
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
    conn.prepare('BEGIN IMMEDIATE').run();
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
