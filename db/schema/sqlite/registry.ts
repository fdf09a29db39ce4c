import { sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  check,
  index,
  integer,
  sqliteTable,
  text,
  unique,
} from 'drizzle-orm/sqlite-core';

// The registry's, satellite inventory's and SQL console's tables (migration 0004_registry).
// Times are the console's UTC ISO-8601 text: YYYY-MM-DDTHH:MM:SS.sssZ.

export const REGISTRY_JOB_STATUSES = ['running', 'done', 'failed'] as const;
const jobStatusList = sql.raw(REGISTRY_JOB_STATUSES.map((status) => `'${status}'`).join(', '));

/** What a table is for, as an admin wrote it (the registry's Markdown export prints it). */
export const consoleTablePurposes = sqliteTable('modules_console_table_purposes', {
  tableName: text('table_name').primaryKey(),
  purpose: text('purpose').notNull(),
  owner: text('owner'),
  updatedBy: text('updated_by').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** Measurements too slow for a page load, each with its time: exact counts, sizes, JSON checks. */
export const consoleTableStats = sqliteTable('modules_console_table_stats', {
  tableName: text('table_name').primaryKey(),
  exactRows: integer('exact_rows'),
  countedAt: text('counted_at'),
  countMs: integer('count_ms'),
  totalBytes: integer('total_bytes'),
  indexBytes: integer('index_bytes'),
  sizedAt: text('sized_at'),
  /** JSON: per column, how many values were checked and how many were not valid JSON. */
  jsonReport: text('json_report'),
  jsonCheckedAt: text('json_checked_at'),
});

/** Background work: exact counts, size measurement, integrity checks, ANALYZE, checkpoints, scans. */
export const consoleRegistryJobs = sqliteTable(
  'modules_console_registry_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    target: text('target'),
    status: text('status', { enum: REGISTRY_JOB_STATUSES }).notNull(),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total'),
    message: text('message'),
    resultJson: text('result_json'),
    error: text('error'),
    startedBy: text('started_by').notNull(),
    startedAt: text('started_at').notNull(),
    /** Refreshed while the job runs; a running job whose heartbeat stopped was interrupted. */
    heartbeatAt: text('heartbeat_at').notNull(),
    finishedAt: text('finished_at'),
  },
  (t) => [
    check('modules_console_registry_jobs_status_check', sql`${t.status} IN (${jobStatusList})`),
    index('idx_console_registry_jobs_kind').on(t.kind, t.id),
  ],
);

/** Declared satellite databases: the architecture document's list, editable by an admin. */
export const consoleSatellites = sqliteTable('modules_console_satellites', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  pattern: text('pattern').notNull().unique(),
  owner: text('owner').notNull(),
  rationale: text('rationale').notNull(),
  phase: integer('phase'),
  plan: text('plan'),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** SQLite files a satellite scan found (one row per file and scan). */
export const consoleSatelliteFiles = sqliteTable(
  'modules_console_satellite_files',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    scanId: integer('scan_id')
      .notNull()
      .references((): AnySQLiteColumn => consoleRegistryJobs.id, { onDelete: 'cascade' }),
    fileKey: text('file_key').notNull(),
    root: text('root').notNull(),
    relPath: text('rel_path').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    modifiedAt: text('modified_at').notNull(),
    status: text('status').notNull(),
    access: text('access'),
    journalMode: text('journal_mode'),
    walPresent: integer('wal_present').notNull().default(0),
    isChroma: integer('is_chroma').notNull().default(0),
    pageSize: integer('page_size'),
    tablesJson: text('tables_json'),
    error: text('error'),
    inspectMs: integer('inspect_ms'),
  },
  (t) => [unique().on(t.scanId, t.fileKey), index('idx_console_satellite_files_key').on(t.fileKey, t.scanId)],
);

export const consoleSavedQueries = sqliteTable('modules_console_saved_queries', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  sqlText: text('sql_text').notNull(),
  description: text('description'),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export type TablePurposeRow = typeof consoleTablePurposes.$inferSelect;
export type TableStatsRow = typeof consoleTableStats.$inferSelect;
export type RegistryJobRow = typeof consoleRegistryJobs.$inferSelect;
export type SatelliteRow = typeof consoleSatellites.$inferSelect;
export type NewSatelliteRow = typeof consoleSatellites.$inferInsert;
export type SatelliteFileRow = typeof consoleSatelliteFiles.$inferSelect;
export type SavedQueryRow = typeof consoleSavedQueries.$inferSelect;
