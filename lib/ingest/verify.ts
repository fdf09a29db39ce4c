import fsp, { type FileHandle } from 'node:fs/promises';
import { type Database, quoteIdentifier, sql } from '@/db/database';
import { TARGETS, type TargetTable } from './domains';
import { IngestUsageError, resolveIngestTargets } from './ingest';
import { DEFAULT_MAX_LINE_BYTES, type RawLine, contentHash, lineHasher, readLineBatches } from './reader';
import { FILES_TABLE, LINES_TABLE, REJECTS_TABLE } from './writers';

// `foundups ingest --verify`: re-reads each ingested file up to its checkpoint and checks, line by
// line, that the database still accounts for it exactly — each line's ledger entry (same byte offset,
// same content hash) and the row it became (still there, its JSON column still the line as written),
// or its quarantined reject (same hash), or nothing for a blank line. It reports lines missing from the
// database, lines changed in the file since they were ingested, rows changed or deleted in the target
// table, and database entries with no such line in the file. Read-only: files and database untouched.

/** Ledger and reject rows fetched per query while merging them with the file's lines. */
const PAGE_ROWS = 5000;
/** Problems listed one by one per file (all of them are counted). */
export const VERIFY_SAMPLES = 20;

export type VerifyIssueKind =
  /** A committed, non-blank line of the file with no ledger entry and no reject. */
  | 'line_missing'
  /** The line at a ledger/reject entry's offset no longer has the content hash recorded at ingest. */
  | 'line_changed'
  /** A ledger entry whose target row was deleted. */
  | 'row_missing'
  /** The target row's JSON column no longer holds the line as written. */
  | 'row_changed'
  /** A ledger or reject entry at an offset where the file has no line (the file was edited or truncated). */
  | 'extra';

export interface VerifyIssue {
  kind: VerifyIssueKind;
  lineNo: number;
  byteOffset: number;
  detail: string;
}

export type VerifyFileStatus = 'ok' | 'mismatch' | 'not_ingested' | 'failed';

export interface VerifyFileReport {
  path: string;
  relativePath: string;
  status: VerifyFileStatus;
  message: string | null;
  fileId: number | null;
  generation: number | null;
  targetTable: TargetTable | null;
  /** Bytes [0, committedOffset) were ingested and are checked. */
  committedOffset: number;
  size: number;
  /** Bytes after the checkpoint: appended since (or a pending last line), not yet ingested. */
  bytesNotYetIngested: number;
  linesChecked: number;
  /** Lines whose ledger entry, hash and row all match. */
  rowsMatched: number;
  /** Lines whose quarantined reject matches. */
  rejectsMatched: number;
  blank: number;
  counts: Record<VerifyIssueKind, number>;
  /** The first problems found, in file order. */
  issues: VerifyIssue[];
}

export interface VerifyReport {
  ok: boolean;
  files: VerifyFileReport[];
  totals: {
    files: number;
    verified: number;
    mismatched: number;
    notIngested: number;
    failed: number;
    linesChecked: number;
  } & Record<VerifyIssueKind, number>;
  durationMs: number;
}

interface FileRow {
  id: number;
  generation: number;
  target_table: string;
  committed_offset: number;
  line_hash: string;
  relative_path: string;
}

interface LedgerEntry {
  offset: number;
  lineNo: number;
  hash: number;
  targetId: number;
  rowPresent: boolean;
  stored: string | null;
}

interface RejectEntry {
  offset: number;
  lineNo: number;
  hash: string;
}

/** Rows of one file's ledger (or rejects) in byte-offset order, a page at a time. */
class Cursor<T extends { offset: number }> {
  private page: T[] = [];
  private index = 0;
  private after = -1;
  private done = false;

  constructor(private readonly fetch: (after: number) => Promise<T[]>) {}

  async peek(): Promise<T | undefined> {
    if (this.index >= this.page.length && !this.done) {
      this.page = await this.fetch(this.after);
      this.index = 0;
      if (this.page.length < PAGE_ROWS) this.done = true;
      if (this.page.length > 0) this.after = this.page[this.page.length - 1]!.offset;
    }
    return this.page[this.index];
  }

  next(): void {
    this.index += 1;
  }
}

function emptyCounts(): Record<VerifyIssueKind, number> {
  return { line_missing: 0, line_changed: 0, row_missing: 0, row_changed: 0, extra: 0 };
}

function isBlank(line: RawLine): boolean {
  for (let i = line.start; i < line.end; i++) {
    const byte = line.buf[i]!;
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x0b && byte !== 0x0c) return false;
  }
  return true;
}

/** Verifies the files (or the *.jsonl files under the folders) that `paths` names. */
export async function verifyIngested(
  db: Database,
  paths: readonly string[],
  options: { root?: string; maxLineBytes?: number } = {},
): Promise<VerifyReport> {
  if (paths.length === 0) throw new IngestUsageError('Name at least one JSONL file or folder to verify.');
  const started = Date.now();
  const targets = resolveIngestTargets(paths, options.root);
  const files: VerifyFileReport[] = [];
  for (const target of targets) {
    files.push(await verifyFile(db, target, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES));
  }
  const totals: VerifyReport['totals'] = {
    files: files.length,
    verified: files.filter((file) => file.status === 'ok').length,
    mismatched: files.filter((file) => file.status === 'mismatch').length,
    notIngested: files.filter((file) => file.status === 'not_ingested').length,
    failed: files.filter((file) => file.status === 'failed').length,
    linesChecked: files.reduce((sum, file) => sum + file.linesChecked, 0),
    ...emptyCounts(),
  };
  for (const file of files)
    for (const [kind, count] of Object.entries(file.counts)) totals[kind as VerifyIssueKind] += count;
  return {
    ok: totals.mismatched === 0 && totals.failed === 0,
    files,
    totals,
    durationMs: Date.now() - started,
  };
}

async function verifyFile(
  db: Database,
  target: { path: string; relativePath: string },
  maxLineBytes: number,
): Promise<VerifyFileReport> {
  const report: VerifyFileReport = {
    path: target.path,
    relativePath: target.relativePath,
    status: 'ok',
    message: null,
    fileId: null,
    generation: null,
    targetTable: null,
    committedOffset: 0,
    size: 0,
    bytesNotYetIngested: 0,
    linesChecked: 0,
    rowsMatched: 0,
    rejectsMatched: 0,
    blank: 0,
    counts: emptyCounts(),
    issues: [],
  };
  const raw = await db.get<Record<string, unknown>>(
    sql`SELECT id, generation, target_table, committed_offset, line_hash, relative_path FROM ${sql.raw(FILES_TABLE)} WHERE path = ${target.path} ORDER BY generation DESC LIMIT 1`,
  );
  if (!raw) {
    report.status = 'not_ingested';
    report.message = 'never ingested: nothing to verify';
    return report;
  }
  const row: FileRow = {
    id: Number(raw.id),
    generation: Number(raw.generation),
    target_table: String(raw.target_table),
    committed_offset: Number(raw.committed_offset),
    line_hash: String(raw.line_hash),
    relative_path: String(raw.relative_path),
  };
  Object.assign(report, {
    fileId: row.id,
    generation: row.generation,
    targetTable: row.target_table,
    committedOffset: row.committed_offset,
  });
  const spec = TARGETS[row.target_table as TargetTable];
  if (!spec) {
    report.status = 'failed';
    report.message = `recorded with an unknown target table "${row.target_table}"`;
    return report;
  }
  let handle: FileHandle;
  try {
    handle = await fsp.open(target.path, 'r');
  } catch (error) {
    report.status = 'failed';
    report.message = `cannot open: ${(error as Error).message}`;
    return report;
  }
  try {
    const size = (await handle.stat()).size;
    report.size = size;
    report.bytesNotYetIngested = Math.max(0, size - row.committed_offset);
    if (size < row.committed_offset)
      report.message = `the file is ${size} bytes, shorter than the ${row.committed_offset} bytes ingested from it (truncated or rewritten)`;
    await mergeFileWithDatabase(
      db,
      handle,
      row,
      spec.jsonColumn,
      Math.min(size, row.committed_offset),
      maxLineBytes,
      report,
    );
  } catch (error) {
    report.status = 'failed';
    report.message = (error as Error).message;
    return report;
  } finally {
    await handle.close();
  }
  const problems = Object.values(report.counts).reduce((sum, count) => sum + count, 0);
  if (problems > 0) report.status = 'mismatch';
  return report;
}

async function mergeFileWithDatabase(
  db: Database,
  handle: FileHandle,
  row: FileRow,
  jsonColumn: string,
  end: number,
  maxLineBytes: number,
  report: VerifyFileReport,
): Promise<void> {
  const hashLine = lineHasher(row.line_hash);
  const table = sql.raw(quoteIdentifier(row.target_table));
  const json = sql.raw(`t.${quoteIdentifier(jsonColumn)}`);
  const ledger = new Cursor<LedgerEntry>(async (after) =>
    (
      await db.all<Record<string, unknown>>(
        sql`SELECT l.byte_offset, l.line_no, l.content_hash, l.target_id, CASE WHEN t.id IS NULL THEN 0 ELSE 1 END AS row_present, ${json} AS stored
            FROM ${sql.raw(LINES_TABLE)} l LEFT JOIN ${table} t ON t.id = l.target_id
            WHERE l.file_id = ${row.id} AND l.byte_offset > ${after} ORDER BY l.byte_offset LIMIT ${PAGE_ROWS}`,
      )
    ).map((r) => ({
      offset: Number(r.byte_offset),
      lineNo: Number(r.line_no),
      hash: Number(r.content_hash),
      targetId: Number(r.target_id),
      rowPresent: Number(r.row_present) === 1,
      stored: r.stored === null || r.stored === undefined ? null : String(r.stored),
    })),
  );
  const rejects = new Cursor<RejectEntry>(async (after) =>
    (
      await db.all<Record<string, unknown>>(
        sql`SELECT byte_offset, line_no, content_hash FROM ${sql.raw(REJECTS_TABLE)}
            WHERE file_id = ${row.id} AND byte_offset > ${after} ORDER BY byte_offset LIMIT ${PAGE_ROWS}`,
      )
    ).map((r) => ({
      offset: Number(r.byte_offset),
      lineNo: Number(r.line_no),
      hash: String(r.content_hash),
    })),
  );
  const issue = (kind: VerifyIssueKind, lineNo: number, byteOffset: number, detail: string) => {
    report.counts[kind] += 1;
    if (report.issues.length < VERIFY_SAMPLES) report.issues.push({ kind, lineNo, byteOffset, detail });
  };
  const extra = (entry: { offset: number; lineNo: number }, what: string) =>
    issue(
      'extra',
      entry.lineNo,
      entry.offset,
      `the ${what} recorded for line ${entry.lineNo} at byte ${entry.offset} matches no line of the file as it is now`,
    );
  const skipExtras = async (upTo: number) => {
    for (let entry = await ledger.peek(); entry && entry.offset < upTo; entry = await ledger.peek()) {
      extra(entry, 'ledger entry');
      ledger.next();
    }
    for (let entry = await rejects.peek(); entry && entry.offset < upTo; entry = await rejects.peek()) {
      extra(entry, 'reject');
      rejects.next();
    }
  };

  for await (const lines of readLineBatches(handle, { start: 0, end, firstLineNo: 1, maxLineBytes })) {
    for (const line of lines) {
      report.linesChecked += 1;
      await skipExtras(line.offset);
      const entry = await ledger.peek();
      if (entry?.offset === line.offset) {
        ledger.next();
        if (line.overlong || hashLine(line.buf, line.start, line.end) !== entry.hash) {
          issue(
            'line_changed',
            line.lineNo,
            line.offset,
            `line ${line.lineNo} differs from what was ingested`,
          );
        } else if (!entry.rowPresent) {
          issue(
            'row_missing',
            line.lineNo,
            line.offset,
            `line ${line.lineNo} became row ${entry.targetId} of ${row.target_table}, which no longer exists`,
          );
        } else if (entry.stored !== line.buf.toString('utf8', line.start, line.end)) {
          issue(
            'row_changed',
            line.lineNo,
            line.offset,
            `row ${entry.targetId} of ${row.target_table} no longer holds line ${line.lineNo} as written (its ${jsonColumn} was changed)`,
          );
        } else {
          report.rowsMatched += 1;
        }
        continue;
      }
      const reject = await rejects.peek();
      if (reject?.offset === line.offset) {
        rejects.next();
        const hash = line.overlong ? line.overlong.hash : contentHash(line.buf, line.start, line.end);
        if (hash !== reject.hash)
          issue(
            'line_changed',
            line.lineNo,
            line.offset,
            `line ${line.lineNo} differs from the line quarantined`,
          );
        else report.rejectsMatched += 1;
        continue;
      }
      if (!line.overlong && line.utf8 && isBlank(line)) {
        report.blank += 1;
        continue;
      }
      issue(
        'line_missing',
        line.lineNo,
        line.offset,
        `line ${line.lineNo} (byte ${line.offset}) is before the checkpoint but has no row and no reject`,
      );
    }
  }
  await skipExtras(Number.MAX_SAFE_INTEGER);
}
