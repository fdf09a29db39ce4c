import 'server-only';
import { type Database, sql } from '@/db/database';
import { AUDITS_TABLE, type AuditFileReport, type AuditReport } from './audit';
import type { IngestProgress, IngestRunReport, IngestRunStatus } from './ingest';
import { FILES_TABLE, REJECTS_TABLE, RUNS_TABLE } from './writers';

// Reads for the Ingest screen: the latest audit joined with each file's checkpoint, runs with their
// reports and live progress, and the quarantined lines (paged, filterable, exportable).

export interface IngestRunSummary {
  id: number;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  heartbeatAt: string;
  status: IngestRunStatus;
  files: number;
  linesRead: number;
  inserted: number;
  alreadyPresent: number;
  rejected: number;
  blank: number;
  pendingPartial: number;
  bytesRead: number;
  error: string | null;
  progress: IngestProgress | null;
}

export interface IngestRunDetail extends IngestRunSummary {
  options: Record<string, unknown>;
  report: IngestRunReport | null;
}

export interface IngestFileStatus {
  id: number;
  path: string;
  relativePath: string;
  generation: number;
  domain: string;
  targetTable: string;
  domainReason: string;
  state: 'active' | 'changed' | 'superseded';
  stateDetail: string | null;
  size: number;
  committedOffset: number;
  /** committed / size, 0–1 (1 when nothing is left but a pending partial line). */
  fractionDone: number;
  linesCommitted: number;
  inserted: number;
  rejected: number;
  blank: number;
  pendingBytes: number;
  lastRunId: number | null;
  updatedAt: string;
}

export interface IngestReject {
  id: number;
  fileId: number;
  path: string;
  relativePath: string;
  lineNo: number;
  byteOffset: number;
  byteLength: number;
  rawText: string;
  rawBase64: string | null;
  reasonCode: string;
  reason: string;
  runId: number;
  createdAt: string;
}

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

const num = (value: unknown) => Number(value ?? 0);
const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

function parseJson<T>(value: unknown): T | null {
  if (typeof value !== 'string') return null;
  try {
    return JSON.parse(value) as T;
  } catch {
    return null;
  }
}

function toRun(row: Record<string, unknown>): IngestRunSummary {
  return {
    id: num(row.id),
    startedBy: String(row.started_by),
    startedAt: String(row.started_at),
    finishedAt: textOrNull(row.finished_at),
    heartbeatAt: String(row.heartbeat_at),
    status: String(row.status) as IngestRunStatus,
    files: num(row.files),
    linesRead: num(row.lines_read),
    inserted: num(row.inserted),
    alreadyPresent: num(row.already_present),
    rejected: num(row.rejected),
    blank: num(row.blank),
    pendingPartial: num(row.pending_partial),
    bytesRead: num(row.bytes_read),
    error: textOrNull(row.error),
    progress: parseJson<IngestProgress>(row.progress_json),
  };
}

const RUN_COLUMNS = sql.raw(
  'id, started_by, started_at, finished_at, heartbeat_at, status, files, lines_read, inserted, already_present, rejected, blank, pending_partial, bytes_read, error, progress_json',
);

/** Runs, newest first. */
export async function listIngestRuns(
  db: Database,
  options: { page?: number; pageSize?: number } = {},
): Promise<Page<IngestRunSummary>> {
  const pageSize = Math.min(200, Math.max(1, options.pageSize ?? 25));
  const page = Math.max(1, options.page ?? 1);
  const [rows, total] = await Promise.all([
    db.all<Record<string, unknown>>(
      sql`SELECT ${RUN_COLUMNS} FROM ${sql.raw(RUNS_TABLE)} ORDER BY id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    ),
    db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM ${sql.raw(RUNS_TABLE)}`),
  ]);
  return { rows: rows.map(toRun), total: num(total?.n), page, pageSize };
}

/** One run with its options and (once finished) its validation report; reads the primary, for live progress. */
export async function getIngestRun(db: Database, id: number): Promise<IngestRunDetail | null> {
  const [row] = await db.allPrimary<Record<string, unknown>>(
    sql`SELECT ${RUN_COLUMNS}, options_json, report_json FROM ${sql.raw(RUNS_TABLE)} WHERE id = ${id}`,
  );
  if (!row) return null;
  return {
    ...toRun(row),
    options: parseJson<Record<string, unknown>>(row.options_json) ?? {},
    report: parseJson<IngestRunReport>(row.report_json),
  };
}

function toFileStatus(row: Record<string, unknown>): IngestFileStatus {
  const size = num(row.size);
  const committed = num(row.committed_offset);
  const pending = num(row.pending_bytes);
  return {
    id: num(row.id),
    path: String(row.path),
    relativePath: String(row.relative_path),
    generation: num(row.generation),
    domain: String(row.domain),
    targetTable: String(row.target_table),
    domainReason: String(row.domain_reason),
    state: String(row.state) as IngestFileStatus['state'],
    stateDetail: textOrNull(row.state_detail),
    size,
    committedOffset: committed,
    fractionDone: size === 0 ? 1 : Math.min(1, (committed + pending) / size),
    linesCommitted: num(row.lines_committed),
    inserted: num(row.inserted),
    rejected: num(row.rejected),
    blank: num(row.blank),
    pendingBytes: pending,
    lastRunId: row.last_run_id === null || row.last_run_id === undefined ? null : num(row.last_run_id),
    updatedAt: String(row.updated_at),
  };
}

/** Every file ever ingested (current generations; superseded ones with `includeSuperseded`). */
export async function listIngestFiles(
  db: Database,
  options: { includeSuperseded?: boolean } = {},
): Promise<IngestFileStatus[]> {
  const rows = await db.all<Record<string, unknown>>(
    options.includeSuperseded
      ? sql`SELECT * FROM ${sql.raw(FILES_TABLE)} ORDER BY path, generation DESC`
      : sql`SELECT * FROM ${sql.raw(FILES_TABLE)} WHERE state <> 'superseded' ORDER BY path`,
  );
  return rows.map(toFileStatus);
}

export interface StoredAudit {
  id: number;
  createdAt: string;
  createdBy: string;
  report: AuditReport;
}

/** The newest stored audit report, or null before the first audit. */
export async function getLatestAudit(db: Database): Promise<StoredAudit | null> {
  const row = await db.get<Record<string, unknown>>(
    sql`SELECT id, created_at, created_by, report_json FROM ${sql.raw(AUDITS_TABLE)} ORDER BY id DESC LIMIT 1`,
  );
  if (!row) return null;
  const report = parseJson<AuditReport>(row.report_json);
  if (!report) throw new Error(`Audit report ${String(row.id)} is not valid JSON.`);
  return { id: num(row.id), createdAt: String(row.created_at), createdBy: String(row.created_by), report };
}

export interface AuditedFile extends AuditFileReport {
  /** The file's checkpoint, when it has been ingested. */
  ingest: IngestFileStatus | null;
}

/** The latest audit's files, each with its ingest status: what the screen's main table shows. */
export async function getAuditWithIngestStatus(
  db: Database,
): Promise<{ audit: StoredAudit; files: AuditedFile[] } | null> {
  const audit = await getLatestAudit(db);
  if (!audit) return null;
  const statuses = new Map((await listIngestFiles(db)).map((file) => [file.path, file]));
  return {
    audit,
    files: audit.report.files.map((file) => ({ ...file, ingest: statuses.get(file.path) ?? null })),
  };
}

export interface RejectFilter {
  runId?: number;
  fileId?: number;
  reasonCode?: string;
}

function rejectWhere(filter: RejectFilter) {
  const conditions = [sql`1 = 1`];
  if (filter.runId !== undefined) conditions.push(sql`r.run_id = ${filter.runId}`);
  if (filter.fileId !== undefined) conditions.push(sql`r.file_id = ${filter.fileId}`);
  if (filter.reasonCode !== undefined) conditions.push(sql`r.reason_code = ${filter.reasonCode}`);
  return sql.join(conditions, sql` AND `);
}

const REJECT_SELECT = sql.raw(
  `SELECT r.id, r.file_id, f.path, f.relative_path, r.line_no, r.byte_offset, r.byte_length, r.raw_text, r.raw_base64, r.reason_code, r.reason, r.run_id, r.created_at FROM ${REJECTS_TABLE} r JOIN ${FILES_TABLE} f ON f.id = r.file_id`,
);

function toReject(row: Record<string, unknown>): IngestReject {
  return {
    id: num(row.id),
    fileId: num(row.file_id),
    path: String(row.path),
    relativePath: String(row.relative_path),
    lineNo: num(row.line_no),
    byteOffset: num(row.byte_offset),
    byteLength: num(row.byte_length),
    rawText: String(row.raw_text),
    rawBase64: textOrNull(row.raw_base64),
    reasonCode: String(row.reason_code),
    reason: String(row.reason),
    runId: num(row.run_id),
    createdAt: String(row.created_at),
  };
}

/** Quarantined lines, in file order within each file (id order), paged. */
export async function listIngestRejects(
  db: Database,
  filter: RejectFilter & { page?: number; pageSize?: number } = {},
): Promise<Page<IngestReject>> {
  const pageSize = Math.min(500, Math.max(1, filter.pageSize ?? 50));
  const page = Math.max(1, filter.page ?? 1);
  const where = rejectWhere(filter);
  const [rows, total] = await Promise.all([
    db.all<Record<string, unknown>>(
      sql`${REJECT_SELECT} WHERE ${where} ORDER BY r.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    ),
    db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM ${sql.raw(REJECTS_TABLE)} r WHERE ${where}`),
  ]);
  return { rows: rows.map(toReject), total: num(total?.n), page, pageSize };
}

/** Counts of quarantined lines by reason (for the filter chips). */
export async function countIngestRejectsByReason(
  db: Database,
  filter: Omit<RejectFilter, 'reasonCode'> = {},
): Promise<{ reasonCode: string; count: number }[]> {
  const rows = await db.all<{ reason_code: string; n: number }>(
    sql`SELECT r.reason_code, COUNT(*) AS n FROM ${sql.raw(REJECTS_TABLE)} r WHERE ${rejectWhere(filter)} GROUP BY r.reason_code ORDER BY n DESC, r.reason_code`,
  );
  return rows.map((row) => ({ reasonCode: String(row.reason_code), count: num(row.n) }));
}

/**
 * The rejects matching a filter as JSONL, one object per line, read in keyset pages (constant memory):
 * for a download route to stream. raw_base64 holds the exact bytes where raw_text cannot.
 */
export async function* exportIngestRejects(
  db: Database,
  filter: RejectFilter = {},
  pageSize = 1000,
): AsyncGenerator<string> {
  let after = 0;
  for (;;) {
    const rows = await db.all<Record<string, unknown>>(
      sql`${REJECT_SELECT} WHERE ${rejectWhere(filter)} AND r.id > ${after} ORDER BY r.id LIMIT ${pageSize}`,
    );
    for (const row of rows) {
      const reject = toReject(row);
      yield `${JSON.stringify({
        file: reject.path,
        line_no: reject.lineNo,
        byte_offset: reject.byteOffset,
        byte_length: reject.byteLength,
        reason_code: reject.reasonCode,
        reason: reject.reason,
        raw_text: reject.rawText,
        raw_base64: reject.rawBase64,
        run_id: reject.runId,
      })}\n`;
    }
    if (rows.length < pageSize) return;
    after = num(rows[rows.length - 1]!.id);
  }
}
