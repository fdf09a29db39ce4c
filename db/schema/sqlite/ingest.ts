import { sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  unique,
} from 'drizzle-orm/sqlite-core';
import { consoleApiTokens } from './console';

// The JSONL consolidation's tables (migration 0003_ingest; lib/ingest writes them). Times are UTC
// ISO-8601 with Z. The ledger is WITHOUT ROWID in SQLite (drizzle has no word for it; the migration does).

export const INGEST_RUN_STATUSES = ['running', 'succeeded', 'failed', 'interrupted'] as const;
export type IngestRunStatus = (typeof INGEST_RUN_STATUSES)[number];
/** active: being ingested; changed: rewritten/truncated in place (not ingested until accepted); superseded: an older generation. */
export const INGEST_FILE_STATES = ['active', 'changed', 'superseded'] as const;
export type IngestFileState = (typeof INGEST_FILE_STATES)[number];
/** How a file's ledger fingerprints lines: 'sha1-52' for files ingested before migration 0007. */
export const INGEST_LINE_HASHES = ['sha1-52', 'cyrb53'] as const;

const list = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

/** Audit reports (`foundups audit`, the Ingest screen); the latest one is what the screen shows. */
export const consoleIngestAudits = sqliteTable('modules_console_ingest_audits', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  createdAt: text('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  rootsJson: text('roots_json').notNull(),
  files: integer('files').notNull(),
  bytes: integer('bytes').notNull(),
  reportJson: text('report_json').notNull(),
});

export const consoleIngestRuns = sqliteTable(
  'modules_console_ingest_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    startedBy: text('started_by').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    /** Refreshed with every committed batch: a 'running' run whose process is gone is marked interrupted. */
    heartbeatAt: text('heartbeat_at').notNull(),
    status: text('status', { enum: INGEST_RUN_STATUSES }).notNull(),
    host: text('host').notNull(),
    pid: integer('pid').notNull(),
    optionsJson: text('options_json').notNull(),
    files: integer('files').notNull().default(0),
    linesRead: integer('lines_read').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    alreadyPresent: integer('already_present').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    blank: integer('blank').notNull().default(0),
    pendingPartial: integer('pending_partial').notNull().default(0),
    bytesRead: integer('bytes_read').notNull().default(0),
    progressJson: text('progress_json'),
    reportJson: text('report_json'),
    error: text('error'),
  },
  (t) => [
    index('idx_console_ingest_runs_started').on(t.startedAt),
    check('modules_console_ingest_runs_status_check', sql`${t.status} IN (${list(INGEST_RUN_STATUSES)})`),
  ],
);

/** Per-file checkpoint: how far the file is ingested, and fingerprints that detect an in-place rewrite. */
export const consoleIngestFiles = sqliteTable(
  'modules_console_ingest_files',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    path: text('path').notNull(),
    /** The path below the root it was found in: names a record lacks (daemon, module) derive from it. */
    relativePath: text('relative_path').notNull(),
    generation: integer('generation').notNull(),
    domain: text('domain').notNull(),
    targetTable: text('target_table').notNull(),
    domainReason: text('domain_reason').notNull(),
    state: text('state', { enum: INGEST_FILE_STATES }).notNull(),
    stateDetail: text('state_detail'),
    size: integer('size').notNull(),
    mtimeMs: integer('mtime_ms').notNull(),
    dev: text('dev').notNull(),
    inode: text('inode').notNull(),
    headLen: integer('head_len').notNull(),
    headHash: text('head_hash').notNull(),
    tailHash: text('tail_hash'),
    committedOffset: integer('committed_offset').notNull().default(0),
    linesCommitted: integer('lines_committed').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    blank: integer('blank').notNull().default(0),
    pendingBytes: integer('pending_bytes').notNull().default(0),
    lastRunId: integer('last_run_id').references((): AnySQLiteColumn => consoleIngestRuns.id, {
      onDelete: 'set null',
    }),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** Added by 0007 (hence last); files ingested before it keep 'sha1-52'. */
    lineHash: text('line_hash', { enum: INGEST_LINE_HASHES }).notNull().default('sha1-52'),
  },
  (t) => [
    unique().on(t.path, t.generation),
    check('modules_console_ingest_files_state_check', sql`${t.state} IN (${list(INGEST_FILE_STATES)})`),
    check(
      'modules_console_ingest_files_line_hash_check',
      sql`${t.lineHash} IN (${list(INGEST_LINE_HASHES)})`,
    ),
  ],
);

/** The ledger: every ingested line, by (file, byte offset), with the row it became. */
export const consoleIngestLines = sqliteTable(
  'modules_console_ingest_lines',
  {
    fileId: integer('file_id').notNull(),
    byteOffset: integer('byte_offset').notNull(),
    lineNo: integer('line_no').notNull(),
    /** 53-bit fingerprint of the line's content, computed as the file's line_hash says (lib/ingest/reader.ts). */
    contentHash: integer('content_hash').notNull(),
    targetId: integer('target_id').notNull(),
    runId: integer('run_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.byteOffset] })],
);

/** Quarantined lines: never dropped, shown and downloadable on the Ingest screen. */
export const consoleIngestRejects = sqliteTable(
  'modules_console_ingest_rejects',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    fileId: integer('file_id')
      .notNull()
      .references((): AnySQLiteColumn => consoleIngestFiles.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    byteOffset: integer('byte_offset').notNull(),
    byteLength: integer('byte_length').notNull(),
    contentHash: text('content_hash').notNull(),
    /** The line as text (invalid UTF-8 shown as U+FFFD; a line over the length limit cut to its start). */
    rawText: text('raw_text').notNull(),
    /** The exact bytes, when raw_text is not them (invalid UTF-8). */
    rawBase64: text('raw_base64'),
    reasonCode: text('reason_code').notNull(),
    reason: text('reason').notNull(),
    runId: integer('run_id').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    unique().on(t.fileId, t.byteOffset),
    index('idx_console_ingest_rejects_run').on(t.runId, t.id),
    index('idx_console_ingest_rejects_reason').on(t.reasonCode, t.id),
  ],
);

/** POST /api/v1/events idempotency: (token, client_event_id) → the row it created. */
export const consoleEventKeys = sqliteTable(
  'modules_console_event_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tokenId: integer('token_id')
      .notNull()
      .references((): AnySQLiteColumn => consoleApiTokens.id, { onDelete: 'cascade' }),
    clientEventId: text('client_event_id').notNull(),
    targetTable: text('target_table').notNull(),
    targetId: integer('target_id').notNull(),
    requestHash: text('request_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [unique().on(t.tokenId, t.clientEventId)],
);

export type IngestAuditRow = typeof consoleIngestAudits.$inferSelect;
export type IngestRunRow = typeof consoleIngestRuns.$inferSelect;
export type IngestFileRow = typeof consoleIngestFiles.$inferSelect;
export type IngestLineRow = typeof consoleIngestLines.$inferSelect;
export type IngestRejectRow = typeof consoleIngestRejects.$inferSelect;
export type EventKeyRow = typeof consoleEventKeys.$inferSelect;
