import { bigint, doublePrecision, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

// PostgreSQL twin of ../sqlite/timeline.ts.

const identity = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
const count = (name: string) => bigint(name, { mode: 'number' });

const rollupColumns = () => ({
  source: text('source').notNull(),
  bucketStart: text('bucket_start').notNull(),
  module: text('module').notNull(),
  actor: text('actor').notNull(),
  type: text('type').notNull(),
  severity: text('severity').notNull(),
  count: count('count').notNull(),
  aSum: doublePrecision('a_sum').notNull().default(0),
  aN: count('a_n').notNull().default(0),
  bSum: doublePrecision('b_sum').notNull().default(0),
  bN: count('b_n').notNull().default(0),
});

export const consoleEventRollups = pgTable('modules_console_event_rollups', rollupColumns(), (t) => [
  primaryKey({ columns: [t.source, t.bucketStart, t.module, t.actor, t.type, t.severity] }),
]);

export const consoleEventRollupsDaily = pgTable(
  'modules_console_event_rollups_daily',
  rollupColumns(),
  (t) => [primaryKey({ columns: [t.source, t.bucketStart, t.module, t.actor, t.type, t.severity] })],
);

export const consoleTimelineZonedRows = pgTable(
  'modules_console_timeline_zoned_rows',
  {
    tlSource: text('tl_source').notNull(),
    tlPk: count('tl_pk').notNull(),
    tlKey: text('tl_key').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tlSource, t.tlPk] }),
    index('idx_console_timeline_zoned_key').on(t.tlSource, t.tlKey),
  ],
);

export const consoleTimelineSources = pgTable('modules_console_timeline_sources', {
  id: identity(),
  tableName: text('table_name').notNull().unique(),
  label: text('label').notNull(),
  timeColumn: text('time_column').notNull(),
  actorColumn: text('actor_column'),
  typeColumn: text('type_column'),
  summaryColumn: text('summary_column'),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
});

export type EventRollup = typeof consoleEventRollups.$inferSelect;
export type NewEventRollup = typeof consoleEventRollups.$inferInsert;
export type DailyEventRollup = typeof consoleEventRollupsDaily.$inferSelect;
export type TimelineZonedRow = typeof consoleTimelineZonedRows.$inferSelect;
export type NewTimelineZonedRow = typeof consoleTimelineZonedRows.$inferInsert;
export type TimelineSourceRow = typeof consoleTimelineSources.$inferSelect;
export type NewTimelineSourceRow = typeof consoleTimelineSources.$inferInsert;

/** Migration 0005: unused on PostgreSQL (statement-level triggers need no watermark); kept for schema parity. */
export const consoleTimelineWatermarks = pgTable('modules_console_timeline_watermarks', {
  source: text('source').primaryKey(),
  lastRowid: count('last_rowid').notNull(),
  foldedRows: count('folded_rows').notNull(),
  refreshedAt: text('refreshed_at').notNull(),
});

export type TimelineWatermark = typeof consoleTimelineWatermarks.$inferSelect;
