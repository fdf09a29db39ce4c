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
  /** The line's 53-bit content hash (see lineHash in reader.ts), exact as a JS number and a BIGINT. */
  hash: number;
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
  /** How long each committed batch's transaction took. */
  readonly timings: BatchTimings;
  /** Undoes per-run connection settings. */
  close(): void;
}

/** Page cache while ingesting (KiB): a growing table and its four indexes stop missing the 2 MB default. */
const INGEST_CACHE_KIB = 64 * 1024;

/**
 * Rows per multi-row INSERT. One statement per 100 rows (prepared once) instead of one per row: the
 * per-statement work (binding setup, the AUTOINCREMENT bookkeeping, the VM start) is paid once per
 * hundred rows. 100 rows × 10 columns stays far below SQLite's 32,766 bound parameters.
 */
export const ROWS_PER_STATEMENT = 100;

/** Values as SQLite binds them (booleans as 0/1, like Python's sqlite3). */
function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

const BUSY_RETRIES = 3;

/** Durations of the batch transactions (BEGIN IMMEDIATE to COMMIT), for the run report and the benchmark. */
export class BatchTimings {
  private readonly durations: number[] = [];
  private stride = 1;
  private seen = 0;

  add(ms: number): void {
    // Bounded: past 100k batches keep every other one, then every fourth, … (still a fair sample).
    if (this.seen++ % this.stride !== 0) return;
    this.durations.push(ms);
    if (this.durations.length >= 100_000) {
      for (let i = 0; i < this.durations.length / 2; i++) this.durations[i] = this.durations[i * 2]!;
      this.durations.length = Math.floor(this.durations.length / 2);
      this.stride *= 2;
    }
  }

  summary(): BatchTimingSummary {
    const sorted = this.durations.toSorted((a, b) => a - b);
    const at = (q: number) =>
      sorted.length ? round1(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!) : 0;
    return {
      batches: this.seen,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      maxMs: sorted.length ? round1(sorted[sorted.length - 1]!) : 0,
    };
  }
}

export interface BatchTimingSummary {
  batches: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

/**
 * SQLite: multi-row prepared statements inside one synchronous BEGIN IMMEDIATE. The batch is parsed
 * and mapped before the transaction starts, so the write lock is held only for the inserts and agents'
 * writes get in between batches. Row ids are assigned explicitly from the table's high-water mark read
 * under the write lock (what AUTOINCREMENT would pick), so each ledger entry names its row exactly
 * without relying on how a multi-row INSERT numbers its rows.
 */
class SqliteBatchWriter implements BatchWriter {
  private readonly conn: BetterSqlite3.Database;
  private readonly inserts = new Map<
    TargetTable,
    { many: BetterSqlite3.Statement; one: BetterSqlite3.Statement; nextId: BetterSqlite3.Statement }
  >();
  private readonly selectCheckpoint: BetterSqlite3.Statement;
  private readonly insertLines: BetterSqlite3.Statement;
  private readonly insertLine: BetterSqlite3.Statement;
  private readonly insertReject: BetterSqlite3.Statement;
  private readonly updateFile: BetterSqlite3.Statement;
  private readonly updateRun: BetterSqlite3.Statement;
  private readonly hasSequence: boolean;
  /** Reused parameter arrays: one per statement shape, so a batch allocates no per-row arrays for binding. */
  private readonly rowParams: unknown[] = [];
  private readonly lineParams: unknown[] = [];
  readonly timings = new BatchTimings();

  private readonly previousCacheSize: number;

  constructor(private readonly db: SqliteDatabase) {
    this.conn = db.connection;
    // Negative cache_size is KiB, positive is pages; raise it for the run only (the connection may be the web app's).
    this.previousCacheSize = Number(this.conn.pragma('cache_size', { simple: true }));
    const pageSize = Number(this.conn.pragma('page_size', { simple: true }));
    const currentKib =
      this.previousCacheSize < 0 ? -this.previousCacheSize : (this.previousCacheSize * pageSize) / 1024;
    if (currentKib < INGEST_CACHE_KIB) this.conn.pragma(`cache_size = -${INGEST_CACHE_KIB}`);
    this.hasSequence =
      this.conn
        .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'`)
        .get() !== undefined;
    this.selectCheckpoint = this.conn.prepare(`SELECT committed_offset FROM ${FILES_TABLE} WHERE id = ?`);
    const ledgerColumns = `${LINES_TABLE} (file_id, byte_offset, line_no, content_hash, target_id, run_id)`;
    this.insertLines = this.conn.prepare(
      `INSERT INTO ${ledgerColumns} VALUES ${Array.from({ length: ROWS_PER_STATEMENT }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
    );
    this.insertLine = this.conn.prepare(`INSERT INTO ${ledgerColumns} VALUES (?, ?, ?, ?, ?, ?)`);
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

  private statementsFor(table: TargetTable) {
    let statements = this.inserts.get(table);
    if (!statements) {
      const quoted = quoteIdentifier(table);
      const columns = ['id', ...TARGETS[table].columns];
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      const head = `INSERT INTO ${quoted} (${columns.map(quoteIdentifier).join(', ')}) VALUES `;
      statements = {
        many: this.conn.prepare(head + Array.from({ length: ROWS_PER_STATEMENT }, () => tuple).join(', ')),
        one: this.conn.prepare(head + tuple),
        // The id AUTOINCREMENT would give the next row: above both the largest id and any id ever used.
        nextId: this.conn.prepare(
          `SELECT MAX(COALESCE((SELECT MAX(id) FROM ${quoted}), 0)${
            this.hasSequence ? `, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '${table}'), 0)` : ''
          }) + 1 AS id`,
        ),
      };
      this.inserts.set(table, statements);
    }
    return statements;
  }

  /** Writes the rows and their ledger entries, 100 per statement, with ids firstId, firstId + 1, … */
  private insertRows(write: BatchWrite, firstId: number): void {
    const { many, one } = this.statementsFor(write.table);
    const rows = write.rows;
    const width = TARGETS[write.table].columns.length + 1;
    const rowParams = this.rowParams;
    const lineParams = this.lineParams;
    rowParams.length = ROWS_PER_STATEMENT * width;
    lineParams.length = ROWS_PER_STATEMENT * 6;
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
      let r = 0;
      let l = 0;
      for (let k = i; k < i + ROWS_PER_STATEMENT; k++) {
        const row = rows[k]!;
        const values = row.values;
        rowParams[r++] = firstId + k;
        for (let c = 0; c < values.length; c++) rowParams[r++] = bindable(values[c]);
        lineParams[l++] = write.fileId;
        lineParams[l++] = row.offset;
        lineParams[l++] = row.lineNo;
        lineParams[l++] = row.hash;
        lineParams[l++] = firstId + k;
        lineParams[l++] = write.runId;
      }
      many.run(rowParams);
      this.insertLines.run(lineParams);
    }
    for (; i < rows.length; i++) {
      const row = rows[i]!;
      one.run(firstId + i, ...row.values.map(bindable));
      this.insertLine.run(write.fileId, row.offset, row.lineNo, row.hash, firstId + i, write.runId);
    }
  }

  async commit(write: BatchWrite): Promise<CommitResult> {
    const { nextId } = this.statementsFor(write.table);
    for (let attempt = 0; ; attempt++) {
      try {
        const started = performance.now();
        const result = this.db.writeSync((): CommitResult => {
          const checkpoint = this.selectCheckpoint.get(write.fileId) as
            { committed_offset: number } | undefined;
          const current = Number(checkpoint?.committed_offset ?? -1);
          if (current !== write.expectedOffset) return { ok: false, committedOffset: current };
          if (write.rows.length > 0) {
            const firstId = Number((nextId.get() as { id: number }).id);
            this.insertRows(write, firstId);
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
        this.timings.add(performance.now() - started);
        return result;
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
  readonly timings = new BatchTimings();

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
      for (const chunk of chunks(write.rows, 6)) {
        const from = start;
        steps.push((results) => {
          const all = ids(results);
          return sql`INSERT INTO ${sql.raw(LINES_TABLE)} (file_id, byte_offset, line_no, content_hash, target_id, run_id) VALUES ${tuples(
            chunk.map((row, i) => [
              write.fileId,
              row.offset,
              row.lineNo,
              row.hash,
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
      const started = performance.now();
      await this.db.transaction(steps);
      this.timings.add(performance.now() - started);
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
