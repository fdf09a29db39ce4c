import crypto from 'node:crypto';
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '@/db/client';
import { ConfigError, describeDbConfig } from '@/db/config';
import { SAFE_IDENTIFIER, quoteIdentifier } from '@/db/database';
import { SQLITE_BUSY_TIMEOUT_MS } from '@/db/drivers/sqlite';
import { MIGRATIONS_TABLE, loadMigrations } from '@/db/migrate';

// `foundups migrate-to-postgres`: copies a SQLite database into PostgreSQL and proves the copy.
//
// - The source is read in one read transaction (a consistent snapshot while agents keep writing) from
//   a read-only connection; it is never changed.
// - The target gets the PostgreSQL migrations first, then every table of the source is copied in one
//   PostgreSQL transaction (all or nothing) with triggers off (session_replication_role = replica,
//   as a logical replica applies rows): the history, version and rollup triggers must not fire a
//   second time for rows that already carry their effects.
// - Values are converted to the target column's type; a value PostgreSQL cannot hold (text in an
//   integer column, a NUL character in text) stops the copy with the table, column and row.
// - Identity sequences are moved past the copied ids.
// - Verification reads both sides again: row counts, and a SHA-256 over a canonical text form of
//   every row in primary-key order (text keys in byte order on both sides).

export class MigrateToPostgresError extends ConfigError {
  override name = 'MigrateToPostgresError';
}

/** Tables the PostgreSQL migrations fill themselves: rows there do not make a target "in use". */
const SEEDED_BY_MIGRATIONS = new Set([
  MIGRATIONS_TABLE,
  'modules_console_meta',
  'modules_console_event_rollups',
  'modules_console_event_rollups_daily',
  'modules_console_timeline_zoned_rows',
  'modules_console_satellites',
  'modules_console_retention_policies',
]);

/** PostgreSQL binds at most 65,535 parameters per statement. */
const MAX_PARAMS = 60_000;

export interface MigrateToPostgresOptions {
  from: string;
  to: string;
  /** Schema to create the tables in (default: the connection's search_path, usually public). */
  schema?: string;
  /** Replace the rows of a target that already has data. */
  force?: boolean;
  /** Rows per INSERT (capped so one statement stays under PostgreSQL's parameter limit). */
  batchSize?: number;
  /** Source tables to leave out. */
  skip?: readonly string[];
  log?: (line: string) => void;
}

export interface TableComparison {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  match: boolean;
}

export interface MigrateToPostgresReport {
  tables: TableComparison[];
  rowsCopied: number;
  sequencesReset: number;
  ok: boolean;
  seconds: number;
}

interface TargetColumn {
  name: string;
  dataType: string;
  identity: boolean;
}

interface TablePlan {
  table: string;
  columns: TargetColumn[];
  /** Columns to order by: the primary key, or every column when there is none. */
  orderBy: string[];
}

type Kind = 'integer' | 'float' | 'boolean' | 'text' | 'bytea' | 'json' | 'other';

function kindOf(dataType: string): Kind {
  switch (dataType) {
    case 'bigint':
    case 'integer':
    case 'smallint':
      return 'integer';
    case 'double precision':
    case 'real':
    case 'numeric':
      return 'float';
    case 'boolean':
      return 'boolean';
    case 'text':
    case 'character varying':
    case 'character':
      return 'text';
    case 'bytea':
      return 'bytea';
    case 'json':
    case 'jsonb':
      return 'json';
    default:
      return 'other';
  }
}

class ValueError extends Error {}

function preview(value: unknown): string {
  const text =
    typeof value === 'string' ? value : Buffer.isBuffer(value) ? `<${value.length} bytes>` : String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * A SQLite value (integers as bigint) as the target column holds it. SQLite is typed per value, so a
 * column may hold anything; what PostgreSQL's type cannot hold is refused here, with the value.
 */
export function toTargetValue(value: unknown, kind: Kind): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'integer': {
      if (typeof value === 'bigint') return value.toString();
      if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value).toString();
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim()).toString();
      throw new ValueError(`${preview(value)} is not a whole number`);
    }
    case 'float': {
      if (typeof value === 'bigint' || typeof value === 'number') return Number(value);
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        return Number(value);
      throw new ValueError(`${preview(value)} is not a number`);
    }
    case 'boolean': {
      if (value === 0n || value === 0 || value === '0' || value === 'false') return false;
      if (value === 1n || value === 1 || value === '1' || value === 'true') return true;
      throw new ValueError(`${preview(value)} is not a boolean (0 or 1)`);
    }
    case 'bytea':
      if (Buffer.isBuffer(value)) return value;
      if (typeof value === 'string') return Buffer.from(value, 'utf8');
      throw new ValueError(`${preview(value)} is not binary data`);
    case 'json':
    case 'text':
    case 'other': {
      let text: string;
      if (typeof value === 'string') text = value;
      else if (typeof value === 'bigint') text = value.toString();
      else if (typeof value === 'number') text = String(value);
      else if (Buffer.isBuffer(value)) {
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(value);
        } catch {
          throw new ValueError(`${preview(value)} is binary data that is not UTF-8 text`);
        }
      } else text = String(value);
      if (text.includes('\u0000'))
        throw new ValueError(`${preview(value)} contains a NUL character, which PostgreSQL text cannot hold`);
      if (kind === 'json') {
        try {
          JSON.parse(text);
        } catch {
          throw new ValueError(`${preview(value)} is not valid JSON`);
        }
      }
      return text;
    }
  }
}

/** The canonical text of one stored value, the same whichever side it was read from. */
function canonicalValue(value: unknown, kind: Kind): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'integer':
      return String(value);
    case 'float':
      return String(Number(value));
    case 'boolean':
      return value === true || value === 't' ? 't' : 'f';
    case 'bytea':
      return `\\x${(value as Buffer).toString('hex')}`;
    default:
      return String(value);
  }
}

class TableHasher {
  private readonly hash = crypto.createHash('sha256');
  rows = 0;
  constructor(private readonly kinds: Kind[]) {}
  add(row: readonly unknown[]): void {
    this.hash.update(JSON.stringify(row.map((value, i) => canonicalValue(value, this.kinds[i]!))));
    this.hash.update('\n');
    this.rows += 1;
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

function openSource(file: string): BetterSqlite3.Database {
  if (!fs.existsSync(file)) throw new MigrateToPostgresError(`The SQLite file ${file} does not exist.`);
  if (fs.statSync(file).isDirectory())
    throw new MigrateToPostgresError(`${file} is a folder, not a SQLite file.`);
  try {
    const conn = new BetterSqlite3(file, {
      readonly: true,
      fileMustExist: true,
      timeout: SQLITE_BUSY_TIMEOUT_MS,
    });
    conn.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    conn.prepare('SELECT count(*) FROM sqlite_master').get();
    return conn;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_NOTADB')
      throw new MigrateToPostgresError(`${file} is not a SQLite database.`);
    throw new MigrateToPostgresError(`Cannot open the SQLite file ${file}: ${(error as Error).message}.`);
  }
}

function sourceTables(source: BetterSqlite3.Database): string[] {
  const rows = source
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
    )
    .all() as { name: string; sql: string | null }[];
  const virtual = rows.filter((row) => /^\s*CREATE\s+VIRTUAL/i.test(row.sql ?? ''));
  if (virtual.length > 0) {
    throw new MigrateToPostgresError(
      `The SQLite file has virtual tables (${virtual.map((row) => row.name).join(', ')}), which have no PostgreSQL counterpart; rebuild them there (e.g. as tsvector indexes) and pass --skip for them and their shadow tables.`,
    );
  }
  return rows.map((row) => row.name).filter((name) => name !== MIGRATIONS_TABLE);
}

/** The source must have every SQLite migration, so that its tables are the ones PostgreSQL gets. */
function checkSourceMigrated(source: BetterSqlite3.Database, file: string): void {
  const expected = loadMigrations('sqlite').map((migration) => migration.tag);
  let applied = new Set<string>();
  try {
    applied = new Set(
      (source.prepare(`SELECT tag FROM ${MIGRATIONS_TABLE}`).all() as { tag: string }[]).map(
        (row) => row.tag,
      ),
    );
  } catch {
    // No migrations table: a database only the agents have written to.
  }
  const missing = expected.filter((tag) => !applied.has(tag));
  if (missing.length > 0) {
    throw new MigrateToPostgresError(
      `${file} lacks the console's migrations ${missing.join(', ')}; run "FOUNDUPS_DB_PATH=${file} npx foundups migrate" first (it only adds what is missing and is safe on a database the agents created).`,
    );
  }
}

function targetClient(url: string, schema: string | undefined): pg.Client {
  return new pg.Client({
    connectionString: url,
    options: schema ? `-c search_path=${quoteIdentifier(schema)}` : undefined,
    // Exact text for 64-bit integers and numerics (the app's pool turns them into JS numbers).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20 || oid === 1700
          ? (value: string) => value
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
}

async function targetTables(client: pg.Client): Promise<Map<string, TargetColumn[]>> {
  const { rows } = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    identity: boolean;
  }>(
    `SELECT table_name, column_name, data_type,
            (is_identity = 'YES' OR coalesce(column_default, '') LIKE 'nextval(%') AS identity
       FROM information_schema.columns
      WHERE table_schema = current_schema()
      ORDER BY table_name, ordinal_position`,
  );
  const tables = new Map<string, TargetColumn[]>();
  for (const row of rows) {
    const list = tables.get(row.table_name) ?? [];
    list.push({ name: row.column_name, dataType: row.data_type, identity: row.identity });
    tables.set(row.table_name, list);
  }
  return tables;
}

async function primaryKey(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    `SELECT a.attname AS column_name
       FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident($1))::regclass AND i.indisprimary
      ORDER BY array_position(i.indkey, a.attnum)`,
    [table],
  );
  return rows.map((row) => row.column_name);
}

async function countRowsInUse(client: pg.Client): Promise<{ table: string; rows: number }[]> {
  const tables = await targetTables(client);
  const inUse: { table: string; rows: number }[] = [];
  for (const table of tables.keys()) {
    if (SEEDED_BY_MIGRATIONS.has(table) || !SAFE_IDENTIFIER.test(table)) continue;
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdentifier(table)}`);
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0) inUse.push({ table, rows: n });
  }
  return inUse;
}

function orderClause(plan: TablePlan, dialect: 'sqlite' | 'postgres'): string {
  return plan.orderBy
    .map((name) => {
      const column = plan.columns.find((c) => c.name === name)!;
      // Text keys in byte order on both sides (SQLite BINARY = PostgreSQL "C").
      const text = kindOf(column.dataType) === 'text';
      const collate = text ? (dialect === 'postgres' ? ' COLLATE "C"' : ' COLLATE BINARY') : '';
      return `${quoteIdentifier(name)}${collate} ASC NULLS FIRST`;
    })
    .join(', ');
}

function selectList(plan: TablePlan): string {
  return plan.columns.map((c) => quoteIdentifier(c.name)).join(', ');
}

async function setReplicationRole(client: pg.Client): Promise<void> {
  try {
    await client.query('SET LOCAL session_replication_role = replica');
  } catch (error) {
    throw new MigrateToPostgresError(
      `The copy turns the target's triggers off while it writes (SET session_replication_role = replica), which needs a superuser or, on managed PostgreSQL, the provider's admin role: ${(error as Error).message}.`,
    );
  }
}

/** Copies one table, hashing the canonical rows as they go by; returns [rows, checksum]. */
async function copyTable(
  source: BetterSqlite3.Database,
  client: pg.Client,
  plan: TablePlan,
  batchSize: number,
): Promise<{ rows: number; checksum: string }> {
  const kinds = plan.columns.map((c) => kindOf(c.dataType));
  const hasher = new TableHasher(kinds);
  const select = source
    .prepare(
      `SELECT ${selectList(plan)} FROM ${quoteIdentifier(plan.table)} ORDER BY ${orderClause(plan, 'sqlite')}`,
    )
    .raw(true)
    .safeIntegers(true);
  const perStatement = Math.max(1, Math.min(batchSize, Math.floor(MAX_PARAMS / plan.columns.length)));
  const overriding = plan.columns.some((c) => c.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
  const head = `INSERT INTO ${quoteIdentifier(plan.table)} (${selectList(plan)})${overriding} VALUES `;
  let batch: unknown[][] = [];
  let rowNumber = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const params: unknown[] = [];
    const tuples = batch.map(
      (row) => `(${row.map((value) => (params.push(value), `$${params.length}`)).join(', ')})`,
    );
    try {
      await client.query(head + tuples.join(', '), params);
    } catch (error) {
      throw new MigrateToPostgresError(
        `PostgreSQL refused rows ${rowNumber - batch.length + 1}–${rowNumber} of ${plan.table}: ${(error as Error).message}. Nothing was written.`,
      );
    }
    batch = [];
  };
  for (const raw of select.iterate() as Iterable<unknown[]>) {
    rowNumber += 1;
    const row = raw.map((value, i) => {
      try {
        return toTargetValue(value, kinds[i]!);
      } catch (error) {
        if (!(error instanceof ValueError)) throw error;
        throw new MigrateToPostgresError(
          `${plan.table}.${plan.columns[i]!.name} (row ${rowNumber} in primary-key order): ${error.message}, so it cannot go into a PostgreSQL ${plan.columns[i]!.dataType} column. Nothing was written; fix the value in SQLite and run again.`,
        );
      }
    });
    hasher.add(row);
    batch.push(row);
    if (batch.length >= perStatement) await flush();
  }
  await flush();
  return { rows: hasher.rows, checksum: hasher.digest() };
}

async function resetSequences(client: pg.Client, plan: TablePlan): Promise<number> {
  let reset = 0;
  for (const column of plan.columns.filter((c) => c.identity)) {
    const { rows } = await client.query<{ seq: string | null }>(
      `SELECT pg_get_serial_sequence(quote_ident(current_schema()) || '.' || quote_ident($1), $2) AS seq`,
      [plan.table, column.name],
    );
    const sequence = rows[0]?.seq;
    if (!sequence) continue;
    await client.query(
      `SELECT setval($1, coalesce((SELECT max(${quoteIdentifier(column.name)}) FROM ${quoteIdentifier(plan.table)}), 1), (SELECT count(*) > 0 FROM ${quoteIdentifier(plan.table)}))`,
      [sequence],
    );
    reset += 1;
  }
  return reset;
}

/**
 * A PostgreSQL column type for a SQLite declared type, by SQLite's own affinity rules (an agent's
 * table the console's migrations do not know). Time and JSON text stays text (times in byte order).
 */
export function postgresTypeFor(declared: string, column: string): string {
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'BIGINT';
  if (/CHAR|CLOB|TEXT/.test(type)) return /_at$|_time$|timestamp/i.test(column) ? 'TEXT COLLATE "C"' : 'TEXT';
  if (type.includes('BLOB')) return 'BYTEA';
  if (/REAL|FLOA|DOUB/.test(type)) return 'DOUBLE PRECISION';
  if (type === '') return 'TEXT';
  if (/BOOL/.test(type)) return 'BIGINT';
  if (/DATE|TIME/.test(type)) return 'TEXT COLLATE "C"';
  if (/DEC|NUMERIC/.test(type)) return 'DOUBLE PRECISION';
  return 'TEXT';
}

interface SqliteColumn {
  name: string;
  type: string;
  notnull: number;
  pk: number;
  hidden: number;
}

function sqliteColumns(source: BetterSqlite3.Database, table: string): SqliteColumn[] {
  return (source.prepare(`PRAGMA table_xinfo(${quoteIdentifier(table)})`).all() as SqliteColumn[]).filter(
    (c) => c.hidden === 0,
  );
}

/** CREATE TABLE for a source table PostgreSQL lacks: columns, NOT NULL and the primary key. */
export function createTableStatement(table: string, columns: readonly SqliteColumn[]): string {
  const keys = columns.filter((c) => c.pk > 0).toSorted((a, b) => a.pk - b.pk);
  const rowidAlias = keys.length === 1 && keys[0]!.type.toUpperCase() === 'INTEGER';
  const defs = columns.map((c) => {
    if (rowidAlias && c.pk > 0) return `${quoteIdentifier(c.name)} BIGINT GENERATED BY DEFAULT AS IDENTITY`;
    return `${quoteIdentifier(c.name)} ${postgresTypeFor(c.type, c.name)}${c.notnull ? ' NOT NULL' : ''}`;
  });
  if (keys.length > 0) defs.push(`PRIMARY KEY (${keys.map((c) => quoteIdentifier(c.name)).join(', ')})`);
  return `CREATE TABLE ${quoteIdentifier(table)} (${defs.join(', ')})`;
}

/** Reads a target table back through a cursor and hashes it the same way. */
async function hashTarget(client: pg.Client, plan: TablePlan): Promise<{ rows: number; checksum: string }> {
  const kinds = plan.columns.map((c) => kindOf(c.dataType));
  const hasher = new TableHasher(kinds);
  const cursor = `c_${crypto.randomBytes(4).toString('hex')}`;
  await client.query(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${selectList(plan)} FROM ${quoteIdentifier(plan.table)} ORDER BY ${orderClause(plan, 'postgres')}`,
  );
  for (;;) {
    const { rows } = await client.query({ text: `FETCH 5000 FROM ${cursor}`, rowMode: 'array' });
    for (const row of rows as unknown[][]) hasher.add(row);
    if (rows.length < 5000) break;
  }
  await client.query(`CLOSE ${cursor}`);
  return { rows: hasher.rows, checksum: hasher.digest() };
}

/** What to copy and compare per table: the columns both sides have, and the order of the rows. */
async function planTables(
  source: BetterSqlite3.Database,
  client: pg.Client,
  tables: readonly string[],
  target: Map<string, TargetColumn[]>,
  created: ReadonlySet<string>,
): Promise<TablePlan[]> {
  const plans: TablePlan[] = [];
  for (const table of tables) {
    const sourceColumns = sqliteColumns(source, table).map((c) => c.name);
    const targetColumns = target.get(table)!;
    const missing = sourceColumns.filter((name) => !targetColumns.some((c) => c.name === name));
    if (missing.length > 0) {
      throw new MigrateToPostgresError(
        `${table} has columns PostgreSQL lacks: ${missing.join(', ')}. Nothing was copied; add them to the PostgreSQL table first.`,
      );
    }
    // Only the columns both sides have, in name order (the checksum's column order).
    const columns = targetColumns
      .filter((c) => sourceColumns.includes(c.name))
      .toSorted((a, b) => (a.name < b.name ? -1 : 1));
    const pk = !created.has(table)
      ? await primaryKey(client, table)
      : sqliteColumns(source, table)
          .filter((c) => c.pk > 0)
          .toSorted((a, b) => a.pk - b.pk)
          .map((c) => c.name);
    plans.push({ table, columns, orderBy: pk.length > 0 ? pk : columns.map((c) => c.name) });
  }

  return plans;
}

/** Hashes a source table the way the copy does (values converted to the target's types). */
function hashSource(source: BetterSqlite3.Database, plan: TablePlan): { rows: number; checksum: string } {
  const kinds = plan.columns.map((c) => kindOf(c.dataType));
  const hasher = new TableHasher(kinds);
  const select = source
    .prepare(
      `SELECT ${selectList(plan)} FROM ${quoteIdentifier(plan.table)} ORDER BY ${orderClause(plan, 'sqlite')}`,
    )
    .raw(true)
    .safeIntegers(true);
  for (const raw of select.iterate() as Iterable<unknown[]>) {
    hasher.add(raw.map((value, i) => toTargetValue(value, kinds[i]!)));
  }
  return { rows: hasher.rows, checksum: hasher.digest() };
}

async function compareWithTarget(
  client: pg.Client,
  plans: readonly TablePlan[],
  sourceSums: ReadonlyMap<string, { rows: number; checksum: string }>,
): Promise<TableComparison[]> {
  const comparisons: TableComparison[] = [];
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    for (const plan of plans) {
      const back = await hashTarget(client, plan);
      const copied = sourceSums.get(plan.table)!;
      comparisons.push({
        table: plan.table,
        sourceRows: copied.rows,
        targetRows: back.rows,
        sourceChecksum: copied.checksum,
        targetChecksum: back.checksum,
        match: copied.rows === back.rows && copied.checksum === back.checksum,
      });
    }
  } finally {
    await client.query('COMMIT').catch(() => undefined);
  }
  return comparisons;
}

/**
 * Compares a SQLite file with a PostgreSQL copy made earlier, without writing anything (`--verify-only`):
 * both sides read in one snapshot each.
 */
export async function verifySqliteAgainstPostgres(
  options: Pick<MigrateToPostgresOptions, 'from' | 'to' | 'schema' | 'skip'>,
): Promise<MigrateToPostgresReport> {
  const started = performance.now();
  const source = openSource(options.from);
  const client = targetClient(options.to, options.schema);
  try {
    await connectTarget(client, options);
    const skip = new Set(options.skip ?? []);
    const tables = sourceTables(source).filter((table) => !skip.has(table));
    const target = await targetTables(client);
    const missing = tables.filter((table) => !target.has(table));
    if (missing.length > 0)
      throw new MigrateToPostgresError(
        `PostgreSQL has no table ${missing.join(', ')}; copy the database first.`,
      );
    const plans = await planTables(source, client, tables, target, new Set());
    const sums = new Map<string, { rows: number; checksum: string }>();
    source.exec('BEGIN');
    try {
      for (const plan of plans) sums.set(plan.table, hashSource(source, plan));
    } finally {
      source.exec('COMMIT');
    }
    const tablesCompared = await compareWithTarget(client, plans, sums);
    return {
      tables: tablesCompared,
      rowsCopied: 0,
      sequencesReset: 0,
      ok: tablesCompared.every((t) => t.match),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    source.close();
    await client.end().catch(() => undefined);
  }
}

async function connectTarget(client: pg.Client, options: { to: string; schema?: string }): Promise<void> {
  if (options.schema !== undefined && !SAFE_IDENTIFIER.test(options.schema))
    throw new MigrateToPostgresError(
      `--schema must be a plain identifier (got ${JSON.stringify(options.schema)}).`,
    );
  try {
    await client.connect();
  } catch (error) {
    const name = describeDbConfig({ dialect: 'postgres', url: options.to, schema: options.schema });
    throw new MigrateToPostgresError(`Cannot connect to ${name}: ${(error as Error).message}.`);
  }
}

export async function migrateSqliteToPostgres(
  options: MigrateToPostgresOptions,
): Promise<MigrateToPostgresReport> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 1000;
  if (options.schema !== undefined && !SAFE_IDENTIFIER.test(options.schema))
    throw new MigrateToPostgresError(
      `--schema must be a plain identifier (got ${JSON.stringify(options.schema)}).`,
    );
  if (!/^postgres(ql)?:\/\//i.test(options.to))
    throw new MigrateToPostgresError('--to must be a postgres:// or postgresql:// URL.');
  const targetName = describeDbConfig({ dialect: 'postgres', url: options.to, schema: options.schema });

  const source = openSource(options.from);
  const client = targetClient(options.to, options.schema);
  try {
    checkSourceMigrated(source, options.from);
    await connectTarget(client, options);
    if (options.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(options.schema)}`);

    // 1. Refuse a target in use (before migrations add anything), unless forced.
    const inUse = await countRowsInUse(client);
    if (inUse.length > 0 && !options.force) {
      const list = inUse
        .slice(0, 5)
        .map((t) => `${t.table} (${t.rows} rows)`)
        .join(', ');
      throw new MigrateToPostgresError(
        `The target ${targetName} already has data: ${list}${inUse.length > 5 ? `, and ${inUse.length - 5} more tables` : ''}. Nothing was changed; pass --force to replace it.`,
      );
    }

    // 2. The PostgreSQL migrations (through the console's own migrator).
    log(`Migrating ${targetName}…`);
    const migrated = await openDatabase({ dialect: 'postgres', url: options.to, schema: options.schema });
    await migrated.close();

    // 3. Plan: every source table must exist in PostgreSQL with every one of its columns.
    const skip = new Set(options.skip ?? []);
    const tables = sourceTables(source).filter((table) => !skip.has(table));
    const target = await targetTables(client);
    // Tables the migrations do not create (an agent's own, e.g. foundups_{project}_*): created from
    // the SQLite declaration, in the copy's transaction.
    const created = tables.filter((table) => !target.has(table));
    const creates = created.map((table) => createTableStatement(table, sqliteColumns(source, table)));
    if (created.length > 0) {
      log(
        `Creating ${created.length} table(s) the migrations do not know: ${created.join(', ')} (columns, NOT NULL and primary key; add other indexes yourself).`,
      );
      // Created here only to read their shapes; the copy creates them for real in its transaction.
      await client.query('BEGIN');
      try {
        for (const statement of creates) await client.query(statement);
        const shapes = await targetTables(client);
        for (const table of created) target.set(table, shapes.get(table)!);
      } finally {
        await client.query('ROLLBACK');
      }
    }
    const plans = await planTables(source, client, tables, target, new Set(created));

    // 4. Copy in one transaction, from one read snapshot of the source.
    const sourceSums = new Map<string, { rows: number; checksum: string }>();
    let sequencesReset = 0;
    source.exec('BEGIN');
    await client.query('BEGIN');
    try {
      await setReplicationRole(client);
      for (const statement of creates) await client.query(statement);
      if (plans.length > 0)
        await client.query(`TRUNCATE ${plans.map((p) => quoteIdentifier(p.table)).join(', ')}`);
      for (const plan of plans) {
        const copied = await copyTable(source, client, plan, batchSize);
        sourceSums.set(plan.table, copied);
        sequencesReset += await resetSequences(client, plan);
        log(`  copied ${plan.table.padEnd(44)} ${copied.rows.toLocaleString('en-US').padStart(12)} rows`);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      source.exec('COMMIT');
    }

    // 5. Verify: read PostgreSQL back (a fresh snapshot of what was committed).
    log('Verifying row counts and checksums…');
    const comparisons = await compareWithTarget(client, plans, sourceSums);
    return {
      tables: comparisons,
      rowsCopied: comparisons.reduce((sum, t) => sum + t.sourceRows, 0),
      sequencesReset,
      ok: comparisons.every((t) => t.match),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    source.close();
    await client.end().catch(() => undefined);
  }
}

/** The comparison as the command prints it. */
export function formatComparison(report: MigrateToPostgresReport): string {
  const lines = [
    `${'table'.padEnd(44)} ${'sqlite rows'.padStart(12)} ${'postgres rows'.padStart(14)}  checksum (sha-256, first 12)`,
  ];
  for (const t of report.tables) {
    const sum =
      t.sourceChecksum === t.targetChecksum
        ? `${t.sourceChecksum.slice(0, 12)} = ${t.targetChecksum.slice(0, 12)}`
        : `${t.sourceChecksum.slice(0, 12)} ≠ ${t.targetChecksum.slice(0, 12)}`;
    lines.push(
      `${t.table.padEnd(44)} ${t.sourceRows.toLocaleString('en-US').padStart(12)} ${t.targetRows.toLocaleString('en-US').padStart(14)}  ${sum}  ${t.match ? 'ok' : 'MISMATCH'}`,
    );
  }
  const bad = report.tables.filter((t) => !t.match);
  lines.push(
    bad.length === 0
      ? `All ${report.tables.length} tables match: ${report.rowsCopied.toLocaleString('en-US')} rows copied, ${report.sequencesReset} sequences reset, in ${report.seconds.toFixed(1)} s.`
      : `${bad.length} of ${report.tables.length} tables differ: ${bad.map((t) => t.table).join(', ')}.`,
  );
  return lines.join('\n');
}
