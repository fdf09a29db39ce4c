import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  index,
  pgTable,
  primaryKey,
  text,
  unique,
} from 'drizzle-orm/pg-core';
import { consoleApiTokens } from './console';

// PostgreSQL twin of ../sqlite/ingest.ts.

export const INGEST_RUN_STATUSES = ['running', 'succeeded', 'failed', 'interrupted'] as const;
export type IngestRunStatus = (typeof INGEST_RUN_STATUSES)[number];
/** active: being ingested; changed: rewritten/truncated in place (not ingested until accepted); superseded: an older generation. */
export const INGEST_FILE_STATES = ['active', 'changed', 'superseded'] as const;
export type IngestFileState = (typeof INGEST_FILE_STATES)[number];
/** How a file's ledger fingerprints lines: 'sha1-52' for files ingested before migration 0007. */
export const INGEST_LINE_HASHES = ['sha1-52', 'cyrb53'] as const;

const identity = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
const list = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

/** Audit reports (`foundups audit`, the Ingest screen); the latest one is what the screen shows. */
export const consoleIngestAudits = pgTable('modules_console_ingest_audits', {
  id: identity(),
  createdAt: text('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  rootsJson: text('roots_json').notNull(),
  files: bigint('files', { mode: 'number' }).notNull(),
  bytes: bigint('bytes', { mode: 'number' }).notNull(),
  reportJson: text('report_json').notNull(),
});

export const consoleIngestRuns = pgTable(
  'modules_console_ingest_runs',
  {
    id: identity(),
    startedBy: text('started_by').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    /** Refreshed with every committed batch: a 'running' run whose process is gone is marked interrupted. */
    heartbeatAt: text('heartbeat_at').notNull(),
    status: text('status', { enum: INGEST_RUN_STATUSES }).notNull(),
    host: text('host').notNull(),
    pid: bigint('pid', { mode: 'number' }).notNull(),
    optionsJson: text('options_json').notNull(),
    files: bigint('files', { mode: 'number' }).notNull().default(0),
    linesRead: bigint('lines_read', { mode: 'number' }).notNull().default(0),
    inserted: bigint('inserted', { mode: 'number' }).notNull().default(0),
    alreadyPresent: bigint('already_present', { mode: 'number' }).notNull().default(0),
    rejected: bigint('rejected', { mode: 'number' }).notNull().default(0),
    blank: bigint('blank', { mode: 'number' }).notNull().default(0),
    pendingPartial: bigint('pending_partial', { mode: 'number' }).notNull().default(0),
    bytesRead: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
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
export const consoleIngestFiles = pgTable(
  'modules_console_ingest_files',
  {
    id: identity(),
    path: text('path').notNull(),
    /** The path below the root it was found in: names a record lacks (daemon, module) derive from it. */
    relativePath: text('relative_path').notNull(),
    generation: bigint('generation', { mode: 'number' }).notNull(),
    domain: text('domain').notNull(),
    targetTable: text('target_table').notNull(),
    domainReason: text('domain_reason').notNull(),
    state: text('state', { enum: INGEST_FILE_STATES }).notNull(),
    stateDetail: text('state_detail'),
    size: bigint('size', { mode: 'number' }).notNull(),
    mtimeMs: bigint('mtime_ms', { mode: 'number' }).notNull(),
    dev: text('dev').notNull(),
    inode: text('inode').notNull(),
    headLen: bigint('head_len', { mode: 'number' }).notNull(),
    headHash: text('head_hash').notNull(),
    tailHash: text('tail_hash'),
    committedOffset: bigint('committed_offset', { mode: 'number' }).notNull().default(0),
    linesCommitted: bigint('lines_committed', { mode: 'number' }).notNull().default(0),
    inserted: bigint('inserted', { mode: 'number' }).notNull().default(0),
    rejected: bigint('rejected', { mode: 'number' }).notNull().default(0),
    blank: bigint('blank', { mode: 'number' }).notNull().default(0),
    pendingBytes: bigint('pending_bytes', { mode: 'number' }).notNull().default(0),
    lastRunId: bigint('last_run_id', { mode: 'number' }).references((): AnyPgColumn => consoleIngestRuns.id, {
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
export const consoleIngestLines = pgTable(
  'modules_console_ingest_lines',
  {
    fileId: bigint('file_id', { mode: 'number' }).notNull(),
    byteOffset: bigint('byte_offset', { mode: 'number' }).notNull(),
    lineNo: bigint('line_no', { mode: 'number' }).notNull(),
    /** 53-bit fingerprint of the line's content, computed as the file's line_hash says (lib/ingest/reader.ts). */
    contentHash: bigint('content_hash', { mode: 'number' }).notNull(),
    targetId: bigint('target_id', { mode: 'number' }).notNull(),
    runId: bigint('run_id', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.byteOffset] })],
);

/** Quarantined lines: never dropped, shown and downloadable on the Ingest screen. */
export const consoleIngestRejects = pgTable(
  'modules_console_ingest_rejects',
  {
    id: identity(),
    fileId: bigint('file_id', { mode: 'number' })
      .notNull()
      .references((): AnyPgColumn => consoleIngestFiles.id, { onDelete: 'cascade' }),
    lineNo: bigint('line_no', { mode: 'number' }).notNull(),
    byteOffset: bigint('byte_offset', { mode: 'number' }).notNull(),
    byteLength: bigint('byte_length', { mode: 'number' }).notNull(),
    contentHash: text('content_hash').notNull(),
    /** The line as text (invalid UTF-8 shown as U+FFFD; a line over the length limit cut to its start). */
    rawText: text('raw_text').notNull(),
    /** The exact bytes, when raw_text is not them (invalid UTF-8). */
    rawBase64: text('raw_base64'),
    reasonCode: text('reason_code').notNull(),
    reason: text('reason').notNull(),
    runId: bigint('run_id', { mode: 'number' }).notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    unique().on(t.fileId, t.byteOffset),
    index('idx_console_ingest_rejects_run').on(t.runId, t.id),
    index('idx_console_ingest_rejects_reason').on(t.reasonCode, t.id),
  ],
);

/** POST /api/v1/events idempotency: (token, client_event_id) → the row it created. */
export const consoleEventKeys = pgTable(
  'modules_console_event_keys',
  {
    id: identity(),
    tokenId: bigint('token_id', { mode: 'number' })
      .notNull()
      .references((): AnyPgColumn => consoleApiTokens.id, { onDelete: 'cascade' }),
    clientEventId: text('client_event_id').notNull(),
    targetTable: text('target_table').notNull(),
    targetId: bigint('target_id', { mode: 'number' }).notNull(),
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
