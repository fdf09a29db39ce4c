import type BetterSqlite3 from 'better-sqlite3';
import { type Database, type SQL, type TxStep, quoteIdentifier, sql } from '@/db/database';
import type { SqliteDatabase } from '@/db/drivers/sqlite';
import { TARGETS, type TargetTable } from './domains';

// One batch of an ingest, written in one transaction: the rows, their ledger entries, the rejects,
// the file's checkpoint and the run's counters. Either all of it is committed or none of it, so a
// kill -9 at any moment leaves the checkpoint exactly at the end of the last committed batch.
// The transaction first re-reads the checkpoint under the write lock: if another run moved it, the
// batch is refused (nothing is written twice) and the caller stops on that file.

export const FILES_TABLE = 'modules_console_ingest_files';
export const LINES_TABLE = 'modules_console_ingest_lines';
export const REJECTS_TABLE = 'modules_console_ingest_rejects';
export const RUNS_TABLE = 'modules_console_ingest_runs';

export interface RowToWrite {
  values: unknown[];
  offset: number;
  lineNo: number;
  hash: string;
}

export interface RejectToWrite {
  lineNo: number;
  offset: number;
  byteLength: number;
  hash: string;
  rawText: string;
  rawBase64: string | null;
  code: string;
  reason: string;
}

export interface RunCounters {
  files: number;
  linesRead: number;
  inserted: number;
  alreadyPresent: number;
  rejected: number;
  blank: number;
  pendingPartial: number;
  bytesRead: number;
}

export interface BatchWrite {
  runId: number;
  fileId: number;
  table: TargetTable;
  /** The checkpoint this batch continues from; the write is refused if the database holds another. */
  expectedOffset: number;
  newOffset: number;
  /** Lines the batch accounts for (rows + rejects + blank). */
  lines: number;
  rows: RowToWrite[];
  rejects: RejectToWrite[];
  blank: number;
  /** `start:length:hash` of the last committed line, or null to keep the stored one. */
  tailHash: string | null;
  pendingBytes: number;
  size: number;
  mtimeMs: number;
  now: string;
  run: RunCounters;
  progressJson: string;
}

export type CommitResult = { ok: true } | { ok: false; committedOffset: number };

export interface BatchWriter {
  commit(write: BatchWrite): Promise<CommitResult>;
  /** Undoes per-run connection settings. */
  close(): void;
}

/** Page cache while ingesting (KiB): a growing table and its four indexes stop missing the 2 MB default. */
const INGEST_CACHE_KIB = 64 * 1024;

/** Values as SQLite binds them (booleans as 0/1, like Python's sqlite3), converted in place: one array per row is enough. */
function sqliteValues(values: unknown[]): unknown[] {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === undefined) values[i] = null;
    else if (typeof value === 'boolean') values[i] = value ? 1 : 0;
  }
  return values;
}

const BUSY_RETRIES = 3;

/**
 * SQLite: prepared statements inside one synchronous BEGIN IMMEDIATE. The batch is parsed and mapped
 * before the transaction starts, so the write lock is held only for the inserts and agents' writes get
 * in between batches.
 */
class SqliteBatchWriter implements BatchWriter {
  private readonly conn: BetterSqlite3.Database;
  private readonly inserts = new Map<TargetTable, BetterSqlite3.Statement>();
  private readonly selectCheckpoint: BetterSqlite3.Statement;
  private readonly insertLine: BetterSqlite3.Statement;
  private readonly insertReject: BetterSqlite3.Statement;
  private readonly updateFile: BetterSqlite3.Statement;
  private readonly updateRun: BetterSqlite3.Statement;

  private readonly previousCacheSize: number;

  constructor(private readonly db: SqliteDatabase) {
    this.conn = db.connection;
    // Negative cache_size is KiB, positive is pages; raise it for the run only (the connection may be the web app's).
    this.previousCacheSize = Number(this.conn.pragma('cache_size', { simple: true }));
    const pageSize = Number(this.conn.pragma('page_size', { simple: true }));
    const currentKib =
      this.previousCacheSize < 0 ? -this.previousCacheSize : (this.previousCacheSize * pageSize) / 1024;
    if (currentKib < INGEST_CACHE_KIB) this.conn.pragma(`cache_size = -${INGEST_CACHE_KIB}`);
    this.selectCheckpoint = this.conn.prepare(`SELECT committed_offset FROM ${FILES_TABLE} WHERE id = ?`);
    this.insertLine = this.conn.prepare(
      `INSERT INTO ${LINES_TABLE} (file_id, byte_offset, line_no, content_hash, target_table, target_id, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertReject = this.conn.prepare(
      `INSERT INTO ${REJECTS_TABLE} (file_id, line_no, byte_offset, byte_length, content_hash, raw_text, raw_base64, reason_code, reason, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (file_id, byte_offset) DO NOTHING`,
    );
    this.updateFile = this.conn.prepare(
      `UPDATE ${FILES_TABLE} SET committed_offset = ?, lines_committed = lines_committed + ?, inserted = inserted + ?, rejected = rejected + ?, blank = blank + ?, tail_hash = COALESCE(?, tail_hash), pending_bytes = ?, size = ?, mtime_ms = ?, last_run_id = ?, updated_at = ? WHERE id = ?`,
    );
    this.updateRun = this.conn.prepare(
      `UPDATE ${RUNS_TABLE} SET files = ?, lines_read = ?, inserted = ?, already_present = ?, rejected = ?, blank = ?, pending_partial = ?, bytes_read = ?, heartbeat_at = ?, progress_json = ? WHERE id = ?`,
    );
  }

  close(): void {
    if (this.conn.open) this.conn.pragma(`cache_size = ${Math.trunc(this.previousCacheSize)}`);
  }

  private insertFor(table: TargetTable): BetterSqlite3.Statement {
    let statement = this.inserts.get(table);
    if (!statement) {
      const columns = TARGETS[table].columns;
      statement = this.conn.prepare(
        `INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      this.inserts.set(table, statement);
    }
    return statement;
  }

  async commit(write: BatchWrite): Promise<CommitResult> {
    const insert = this.insertFor(write.table);
    for (let attempt = 0; ; attempt++) {
      try {
        return this.db.writeSync((): CommitResult => {
          const checkpoint = this.selectCheckpoint.get(write.fileId) as
            { committed_offset: number } | undefined;
          const current = Number(checkpoint?.committed_offset ?? -1);
          if (current !== write.expectedOffset) return { ok: false, committedOffset: current };
          for (const row of write.rows) {
            const info = insert.run(sqliteValues(row.values));
            this.insertLine.run(
              write.fileId,
              row.offset,
              row.lineNo,
              row.hash,
              write.table,
              info.lastInsertRowid,
              write.runId,
            );
          }
          for (const reject of write.rejects) {
            this.insertReject.run(
              write.fileId,
              reject.lineNo,
              reject.offset,
              reject.byteLength,
              reject.hash,
              reject.rawText,
              reject.rawBase64,
              reject.code,
              reject.reason,
              write.runId,
              write.now,
            );
          }
          this.updateFile.run(
            write.newOffset,
            write.lines,
            write.rows.length,
            write.rejects.length,
            write.blank,
            write.tailHash,
            write.pendingBytes,
            write.size,
            write.mtimeMs,
            write.runId,
            write.now,
            write.fileId,
          );
          const r = write.run;
          this.updateRun.run(
            r.files,
            r.linesRead,
            r.inserted,
            r.alreadyPresent,
            r.rejected,
            r.blank,
            r.pendingPartial,
            r.bytesRead,
            write.now,
            write.progressJson,
            write.runId,
          );
          return { ok: true };
        });
      } catch (error) {
        const code = (error as { code?: string }).code;
        // Another writer held the lock for the whole busy timeout: wait a little and try the same batch again.
        if ((code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') && attempt < BUSY_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
          continue;
        }
        throw error;
      }
    }
  }
}

class CheckpointMoved extends Error {
  constructor(readonly committedOffset: number) {
    super('checkpoint moved');
  }
}

/** PostgreSQL's limit on bound parameters per statement, with room to spare. */
const PG_PARAMS_PER_STATEMENT = 60_000;

function tuples(rows: readonly (readonly unknown[])[]): SQL {
  return sql.join(
    rows.map(
      (row) =>
        sql`(${sql.join(
          row.map((value) => sql`${value === undefined ? null : value}`),
          sql`, `,
        )})`,
    ),
    sql`, `,
  );
}

function chunks<T>(items: readonly T[], perItem: number): T[][] {
  const size = Math.max(1, Math.floor(PG_PARAMS_PER_STATEMENT / perItem));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * PostgreSQL (and PGlite): one transaction of multi-row statements. Row ids are taken from the table's
 * identity sequence first, so each ledger entry names its row without relying on RETURNING order.
 */
class PostgresBatchWriter implements BatchWriter {
  constructor(private readonly db: Database) {}

  close(): void {}

  async commit(write: BatchWrite): Promise<CommitResult> {
    const spec = TARGETS[write.table];
    const table = sql.raw(quoteIdentifier(write.table));
    const columns = sql.raw(['id', ...spec.columns].map(quoteIdentifier).join(', '));
    const steps: TxStep[] = [
      sql`SELECT committed_offset FROM ${sql.raw(FILES_TABLE)} WHERE id = ${write.fileId} FOR UPDATE`,
      (results) => {
        const current = Number(results[0]?.rows[0]?.committed_offset ?? -1);
        if (current !== write.expectedOffset) throw new CheckpointMoved(current);
        return null;
      },
    ];
    if (write.rows.length > 0) {
      const idStep = steps.length;
      steps.push(
        sql`SELECT nextval(pg_get_serial_sequence(${write.table}, 'id')) AS id FROM generate_series(1, ${write.rows.length})`,
      );
      let idsCache: number[] | null = null;
      const ids = (results: { rows: Record<string, unknown>[] }[]) =>
        (idsCache ??= results[idStep]!.rows.map((row) => Number(row.id)).sort((a, b) => a - b));
      let start = 0;
      for (const chunk of chunks(write.rows, spec.columns.length + 1)) {
        const from = start;
        steps.push((results) => {
          const all = ids(results);
          return sql`INSERT INTO ${table} (${columns}) VALUES ${tuples(chunk.map((row, i) => [all[from + i], ...row.values]))}`;
        });
        start += chunk.length;
      }
      start = 0;
      for (const chunk of chunks(write.rows, 7)) {
        const from = start;
        steps.push((results) => {
          const all = ids(results);
          return sql`INSERT INTO ${sql.raw(LINES_TABLE)} (file_id, byte_offset, line_no, content_hash, target_table, target_id, run_id) VALUES ${tuples(
            chunk.map((row, i) => [
              write.fileId,
              row.offset,
              row.lineNo,
              row.hash,
              write.table,
              all[from + i],
              write.runId,
            ]),
          )}`;
        });
        start += chunk.length;
      }
    }
    for (const chunk of chunks(write.rejects, 11)) {
      steps.push(
        sql`INSERT INTO ${sql.raw(REJECTS_TABLE)} (file_id, line_no, byte_offset, byte_length, content_hash, raw_text, raw_base64, reason_code, reason, run_id, created_at) VALUES ${tuples(
          chunk.map((r) => [
            write.fileId,
            r.lineNo,
            r.offset,
            r.byteLength,
            r.hash,
            r.rawText,
            r.rawBase64,
            r.code,
            r.reason,
            write.runId,
            write.now,
          ]),
        )} ON CONFLICT (file_id, byte_offset) DO NOTHING`,
      );
    }
    const r = write.run;
    steps.push(
      sql`UPDATE ${sql.raw(FILES_TABLE)} SET committed_offset = ${write.newOffset}, lines_committed = lines_committed + ${write.lines}, inserted = inserted + ${write.rows.length}, rejected = rejected + ${write.rejects.length}, blank = blank + ${write.blank}, tail_hash = COALESCE(${write.tailHash}::text, tail_hash), pending_bytes = ${write.pendingBytes}, size = ${write.size}, mtime_ms = ${write.mtimeMs}, last_run_id = ${write.runId}, updated_at = ${write.now} WHERE id = ${write.fileId}`,
      sql`UPDATE ${sql.raw(RUNS_TABLE)} SET files = ${r.files}, lines_read = ${r.linesRead}, inserted = ${r.inserted}, already_present = ${r.alreadyPresent}, rejected = ${r.rejected}, blank = ${r.blank}, pending_partial = ${r.pendingPartial}, bytes_read = ${r.bytesRead}, heartbeat_at = ${write.now}, progress_json = ${write.progressJson} WHERE id = ${write.runId}`,
    );
    try {
      await this.db.transaction(steps);
      return { ok: true };
    } catch (error) {
      if (error instanceof CheckpointMoved) return { ok: false, committedOffset: error.committedOffset };
      throw error;
    }
  }
}

/**
 * Duck-typed, not `instanceof`: the web server's bundles can hold more than one copy of the driver
 * module, and the process-wide database was made by whichever copy opened it first.
 */
function isSqliteDatabase(db: Database): db is SqliteDatabase {
  const candidate = db as Partial<SqliteDatabase>;
  return (
    db.driver === 'better-sqlite3' &&
    candidate.connection !== undefined &&
    typeof candidate.writeSync === 'function'
  );
}

export function createBatchWriter(db: Database): BatchWriter {
  if (isSqliteDatabase(db)) return new SqliteBatchWriter(db);
  if (db.dialect === 'postgres') return new PostgresBatchWriter(db);
  throw new Error(`No ingest writer for a ${db.dialect} database driven by ${db.driver}.`);
}
