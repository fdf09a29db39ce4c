import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, check, index, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { REGISTRY_JOB_STATUSES } from '../sqlite/registry';

// PostgreSQL twin of ../sqlite/registry.ts.

const identity = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
const int = (name: string) => bigint(name, { mode: 'number' });
const jobStatusList = sql.raw(REGISTRY_JOB_STATUSES.map((status) => `'${status}'`).join(', '));

export const consoleTablePurposes = pgTable('modules_console_table_purposes', {
  tableName: text('table_name').primaryKey(),
  purpose: text('purpose').notNull(),
  owner: text('owner'),
  updatedBy: text('updated_by').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const consoleTableStats = pgTable('modules_console_table_stats', {
  tableName: text('table_name').primaryKey(),
  exactRows: int('exact_rows'),
  countedAt: text('counted_at'),
  countMs: int('count_ms'),
  totalBytes: int('total_bytes'),
  indexBytes: int('index_bytes'),
  sizedAt: text('sized_at'),
  jsonReport: text('json_report'),
  jsonCheckedAt: text('json_checked_at'),
});

export const consoleRegistryJobs = pgTable(
  'modules_console_registry_jobs',
  {
    id: identity(),
    kind: text('kind').notNull(),
    target: text('target'),
    status: text('status', { enum: REGISTRY_JOB_STATUSES }).notNull(),
    progressDone: int('progress_done').notNull().default(0),
    progressTotal: int('progress_total'),
    message: text('message'),
    resultJson: text('result_json'),
    error: text('error'),
    startedBy: text('started_by').notNull(),
    startedAt: text('started_at').notNull(),
    heartbeatAt: text('heartbeat_at').notNull(),
    finishedAt: text('finished_at'),
  },
  (t) => [
    check('modules_console_registry_jobs_status_check', sql`${t.status} IN (${jobStatusList})`),
    index('idx_console_registry_jobs_kind').on(t.kind, t.id),
  ],
);

export const consoleSatellites = pgTable('modules_console_satellites', {
  id: identity(),
  pattern: text('pattern').notNull().unique(),
  owner: text('owner').notNull(),
  rationale: text('rationale').notNull(),
  phase: int('phase'),
  plan: text('plan'),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const consoleSatelliteFiles = pgTable(
  'modules_console_satellite_files',
  {
    id: identity(),
    scanId: int('scan_id')
      .notNull()
      .references((): AnyPgColumn => consoleRegistryJobs.id, { onDelete: 'cascade' }),
    fileKey: text('file_key').notNull(),
    root: text('root').notNull(),
    relPath: text('rel_path').notNull(),
    sizeBytes: int('size_bytes').notNull(),
    modifiedAt: text('modified_at').notNull(),
    status: text('status').notNull(),
    access: text('access'),
    journalMode: text('journal_mode'),
    walPresent: int('wal_present').notNull().default(0),
    isChroma: int('is_chroma').notNull().default(0),
    pageSize: int('page_size'),
    tablesJson: text('tables_json'),
    error: text('error'),
    inspectMs: int('inspect_ms'),
  },
  (t) => [unique().on(t.scanId, t.fileKey), index('idx_console_satellite_files_key').on(t.fileKey, t.scanId)],
);

export const consoleSavedQueries = pgTable('modules_console_saved_queries', {
  id: identity(),
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
