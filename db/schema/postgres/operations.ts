import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text } from 'drizzle-orm/pg-core';
import { BACKUP_STATUSES, RETENTION_MODES, RETENTION_RUN_STATUSES } from '../sqlite/operations';

// PostgreSQL twin of ../sqlite/operations.ts.

const identity = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
const int = (name: string) => bigint(name, { mode: 'number' });
const list = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

export const consoleBackups = pgTable(
  'modules_console_backups',
  {
    id: identity(),
    fileName: text('file_name').notNull().unique(),
    directory: text('directory').notNull(),
    method: text('method').notNull(),
    status: text('status', { enum: BACKUP_STATUSES }).notNull(),
    sizeBytes: int('size_bytes'),
    sha256: text('sha256'),
    integrity: text('integrity'),
    sourceBytes: int('source_bytes'),
    durationMs: int('duration_ms'),
    error: text('error'),
    startedBy: text('started_by').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    prunedAt: text('pruned_at'),
  },
  (t) => [check('modules_console_backups_status_check', sql`${t.status} IN (${list(BACKUP_STATUSES)})`)],
);

export const consoleRetentionPolicies = pgTable(
  'modules_console_retention_policies',
  {
    source: text('source').primaryKey(),
    keepDays: int('keep_days').notNull(),
    enabled: int('enabled').notNull().default(1),
    updatedBy: text('updated_by').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [check('modules_console_retention_policies_keep_days_check', sql`${t.keepDays} >= 1`)],
);

export const consoleRetentionRuns = pgTable(
  'modules_console_retention_runs',
  {
    id: identity(),
    source: text('source').notNull(),
    tableName: text('table_name').notNull(),
    mode: text('mode', { enum: RETENTION_MODES }).notNull(),
    status: text('status', { enum: RETENTION_RUN_STATUSES }).notNull(),
    keepDays: int('keep_days').notNull(),
    cutoff: text('cutoff').notNull(),
    rowsMatched: int('rows_matched'),
    rowsDeleted: int('rows_deleted').notNull().default(0),
    archivePath: text('archive_path'),
    archiveBytes: int('archive_bytes'),
    archiveSha256: text('archive_sha256'),
    error: text('error'),
    startedBy: text('started_by').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
  },
  (t) => [
    check('modules_console_retention_runs_mode_check', sql`${t.mode} IN (${list(RETENTION_MODES)})`),
    check(
      'modules_console_retention_runs_status_check',
      sql`${t.status} IN (${list(RETENTION_RUN_STATUSES)})`,
    ),
    index('idx_console_retention_runs_source').on(t.source, t.id),
  ],
);
