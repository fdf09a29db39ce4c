import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Operations (lib/operations): backups, retention policies and runs. Created by migration 0006.

export const BACKUP_STATUSES = ['running', 'verified', 'failed'] as const;
export const RETENTION_MODES = ['dry-run', 'execute'] as const;
export const RETENTION_RUN_STATUSES = ['running', 'done', 'failed'] as const;

const list = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

export const consoleBackups = sqliteTable(
  'modules_console_backups',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    fileName: text('file_name').notNull().unique(),
    directory: text('directory').notNull(),
    /** 'vacuum-into' or 'backup-api'. */
    method: text('method').notNull(),
    status: text('status', { enum: BACKUP_STATUSES }).notNull(),
    sizeBytes: integer('size_bytes'),
    sha256: text('sha256'),
    /** PRAGMA integrity_check of the copy: 'ok' or its first complaint. */
    integrity: text('integrity'),
    sourceBytes: integer('source_bytes'),
    durationMs: integer('duration_ms'),
    error: text('error'),
    startedBy: text('started_by').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    /** Set when keep-N retention deleted the file. */
    prunedAt: text('pruned_at'),
  },
  (t) => [check('modules_console_backups_status_check', sql`${t.status} IN (${list(BACKUP_STATUSES)})`)],
);

export const consoleRetentionPolicies = sqliteTable(
  'modules_console_retention_policies',
  {
    /** A timeline source id (lib/timeline/sources.ts), e.g. 'heartbeats'. */
    source: text('source').primaryKey(),
    keepDays: integer('keep_days').notNull(),
    enabled: integer('enabled').notNull().default(1),
    updatedBy: text('updated_by').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [check('modules_console_retention_policies_keep_days_check', sql`${t.keepDays} >= 1`)],
);

export const consoleRetentionRuns = sqliteTable(
  'modules_console_retention_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    source: text('source').notNull(),
    tableName: text('table_name').notNull(),
    mode: text('mode', { enum: RETENTION_MODES }).notNull(),
    status: text('status', { enum: RETENTION_RUN_STATUSES }).notNull(),
    keepDays: integer('keep_days').notNull(),
    /** Rows whose time key is before this ('YYYY-MM-DD HH:MM:SS.ffffff', UTC) are the ones that go. */
    cutoff: text('cutoff').notNull(),
    rowsMatched: integer('rows_matched'),
    rowsDeleted: integer('rows_deleted').notNull().default(0),
    archivePath: text('archive_path'),
    archiveBytes: integer('archive_bytes'),
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
