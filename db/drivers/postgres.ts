import type { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import pg from 'pg';
import {
  type BulkInsertOptions,
  type Database,
  type IterateOptions,
  type Row,
  type StepResult,
  type TxStep,
  chunkRows,
  demandDriven,
  iterateBatchSize,
  quoteIdentifier,
  renderQuery,
} from '../database';
import { ConfigError } from '../config';
import { recordStatement } from './observe';

/** PostgreSQL's limit on bound parameters per statement. */
const PG_MAX_PARAMS = 65535;

// bigint counts and numeric sums come back as numbers, as they do from SQLite.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
pg.types.setTypeParser(INT8_OID, (value) => Number(value));
pg.types.setTypeParser(NUMERIC_OID, (value) => Number(value));

/** What PostgreSQL and PGlite have in common: send text + params, get rows + a count. */
interface PgExecutor {
  query(text: string, params: unknown[]): Promise<{ rows: Row[]; rowCount: number }>;
}

function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  // node-postgres would send a Date in the process's local zone with an offset; store the console's
  // UTC ISO form, as the SQLite driver does.
  if (value instanceof Date) return value.toISOString();
  return value;
}

async function executeOn<T>(executor: PgExecutor, query: SQL): Promise<StepResult<T>> {
  const { sql: text, params } = renderQuery('postgres', query);
  const started = performance.now();
  const result = await executor.query(text, params.map(bindable));
  recordStatement(text, performance.now() - started, /^\s*(SELECT|WITH)\b/i.test(text) ? 'read' : 'write');
  return { rows: result.rows as T[], changes: result.rowCount };
}

async function runSteps(executor: PgExecutor, steps: TxStep[]): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of steps) {
    const query = typeof step === 'function' ? step(results) : step;
    results.push(query ? await executeOn(executor, query) : { rows: [], changes: 0 });
  }
  return results;
}

function bulkStatements(
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  options: BulkInsertOptions,
) {
  const statements: { text: string; params: unknown[] }[] = [];
  for (const chunk of chunkRows(rows, columns.length, PG_MAX_PARAMS)) {
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const marks = row.map((value) => {
        params.push(bindable(value));
        return `$${params.length}`;
      });
      return `(${marks.join(', ')})`;
    });
    statements.push({
      text: `INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES ${tuples.join(', ')}${
        options.ignoreConflicts ? ' ON CONFLICT DO NOTHING' : ''
      }`,
      params,
    });
  }
  return statements;
}

abstract class PgLikeDatabase implements Database {
  readonly dialect = 'postgres' as const;
  abstract readonly driver: 'pg' | 'pglite';
  protected abstract reader(): PgExecutor;
  protected abstract primary(): PgExecutor;
  protected abstract inTransaction<T>(fn: (executor: PgExecutor) => Promise<T>): Promise<T>;
  abstract close(): Promise<void>;

  async all<T = Row>(query: SQL): Promise<T[]> {
    return (await executeOn<T>(this.reader(), query)).rows;
  }
  async allPrimary<T = Row>(query: SQL): Promise<T[]> {
    return (await executeOn<T>(this.primary(), query)).rows;
  }
  async get<T = Row>(query: SQL): Promise<T | undefined> {
    return (await this.all<T>(query))[0];
  }
  run<T = Row>(query: SQL): Promise<StepResult<T>> {
    return executeOn<T>(this.primary(), query);
  }
  transaction(steps: TxStep[]): Promise<StepResult[]> {
    return this.inTransaction((executor) => runSteps(executor, steps));
  }
  bulkInsert(
    table: string,
    columns: readonly string[],
    rows: readonly unknown[][],
    options: BulkInsertOptions = {},
  ): Promise<number> {
    if (rows.length === 0) return Promise.resolve(0);
    return this.inTransaction(async (executor) => {
      let inserted = 0;
      for (const statement of bulkStatements(table, columns, rows, options)) {
        inserted += (await executor.query(statement.text, statement.params)).rowCount;
      }
      return inserted;
    });
  }
  execScript(statements: readonly string[]): Promise<void> {
    return this.inTransaction(async (executor) => {
      for (const statement of statements) if (statement.trim()) await executor.query(statement, []);
    });
  }
  /** The transaction a streamed read runs in (PostgreSQL: a client of the read pool). */
  protected inReadTransaction<T>(fn: (executor: PgExecutor) => Promise<T>): Promise<T> {
    return this.inTransaction(fn);
  }
  /**
   * A server-side cursor (DECLARE … NO SCROLL CURSOR, then FETCH FORWARD batch by batch) inside one
   * transaction: PostgreSQL produces only the rows fetched, and the next FETCH waits until the caller
   * has taken the previous batch. Parameters stay bound (DECLARE accepts them like the query would).
   */
  iterate<T = Row>(query: SQL, options: IterateOptions = {}): AsyncGenerator<T[], void, undefined> {
    const batchSize = iterateBatchSize(options);
    const { sql: text, params } = renderQuery('postgres', query);
    const timeout = options.statementTimeoutMs;
    return demandDriven<T>(
      (emit) =>
        this.inReadTransaction(async (executor) => {
          if (options.readOnly) await executor.query('SET TRANSACTION READ ONLY', []);
          if (timeout !== undefined)
            await executor.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.trunc(timeout))}`, []);
          await executor.query(`DECLARE fu_iterate NO SCROLL CURSOR FOR ${text}`, params.map(bindable));
          for (;;) {
            const { rows } = await executor.query(`FETCH FORWARD ${batchSize} FROM fu_iterate`, []);
            if (rows.length && !(await emit(rows as T[]))) return;
            if (rows.length < batchSize) return;
          }
        }),
      options.signal,
    );
  }
}

function clientExecutor(client: pg.PoolClient | pg.Pool): PgExecutor {
  return {
    async query(text, params) {
      const result = await client.query(text, params);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
  };
}

export interface PostgresOptions {
  url: string;
  readUrl?: string;
  /** Schema to put first on the search path (tests use one schema per run). */
  schema?: string;
  max?: number;
}

export class PostgresDatabase extends PgLikeDatabase {
  readonly driver = 'pg' as const;
  private readonly pool: pg.Pool;
  private readonly readPool: pg.Pool | undefined;

  constructor(options: PostgresOptions) {
    super();
    const common = {
      max: options.max ?? 10,
      connectionTimeoutMillis: 10_000,
      options: options.schema ? `-c search_path=${quoteIdentifier(options.schema)},public` : undefined,
    };
    this.pool = new pg.Pool({ ...common, connectionString: options.url });
    this.readPool = options.readUrl
      ? new pg.Pool({ ...common, connectionString: options.readUrl })
      : undefined;
    // An idle client that errors (server restart) must not crash the process.
    this.pool.on('error', () => undefined);
    this.readPool?.on('error', () => undefined);
  }

  protected reader(): PgExecutor {
    return clientExecutor(this.readPool ?? this.pool);
  }
  protected primary(): PgExecutor {
    return clientExecutor(this.pool);
  }
  protected async inTransaction<T>(fn: (executor: PgExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(clientExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  protected override async inReadTransaction<T>(fn: (executor: PgExecutor) => Promise<T>): Promise<T> {
    if (!this.readPool) return this.inTransaction(fn);
    const client = await this.readPool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(clientExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.readPool?.end()]);
  }
  /** Whether reads go to a separate replica pool (for tests and the health page). */
  get routesReadsToReplica(): boolean {
    return this.readPool !== undefined;
  }
}

function pgliteExecutor(db: Pick<PGlite, 'query'>): PgExecutor {
  return {
    async query(text, params) {
      const result = await db.query<Row>(text, params, {
        parsers: { [INT8_OID]: Number, [NUMERIC_OID]: Number },
      });
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
  };
}

export class PgliteDatabase extends PgLikeDatabase {
  readonly driver = 'pglite' as const;
  constructor(readonly pglite: PGlite) {
    super();
  }
  protected reader(): PgExecutor {
    return pgliteExecutor(this.pglite);
  }
  protected primary(): PgExecutor {
    return pgliteExecutor(this.pglite);
  }
  protected inTransaction<T>(fn: (executor: PgExecutor) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) => fn(pgliteExecutor(tx)));
  }
  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

export async function openPostgresDatabase(options: PostgresOptions): Promise<PostgresDatabase> {
  const db = new PostgresDatabase(options);
  try {
    await db.all(sql`select 1 as ok`);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw new ConfigError(`Cannot connect to PostgreSQL: ${(error as Error).message}.`);
  }
  return db;
}

export async function openPgliteDatabase(dataDir?: string): Promise<PgliteDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = dataDir ? new PGlite(dataDir) : new PGlite();
  await pglite.waitReady;
  return new PgliteDatabase(pglite);
}
