import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The timeline's tables (migration 0002_timeline; lib/timeline/rollups.ts generates its triggers).

/**
 * Events per source, UTC hour ('YYYY-MM-DD HH:00:00'), module, actor, type and severity, with sums of
 * the numeric columns charts average (a: e.g. confidence_before or a metric's value, b: confidence_after).
 * Kept current by triggers on the source tables; '' stands for a dimension the source does not keep.
 */
const rollupColumns = () => ({
  source: text('source').notNull(),
  bucketStart: text('bucket_start').notNull(),
  module: text('module').notNull(),
  actor: text('actor').notNull(),
  type: text('type').notNull(),
  severity: text('severity').notNull(),
  count: integer('count').notNull(),
  aSum: real('a_sum').notNull().default(0),
  aN: integer('a_n').notNull().default(0),
  bSum: real('b_sum').notNull().default(0),
  bN: integer('b_n').notNull().default(0),
});

export const consoleEventRollups = sqliteTable('modules_console_event_rollups', rollupColumns(), (t) => [
  primaryKey({ columns: [t.source, t.bucketStart, t.module, t.actor, t.type, t.severity] }),
]);

/** The same counts per UTC day (bucket_start 'YYYY-MM-DD'), for charts over long ranges. */
export const consoleEventRollupsDaily = sqliteTable(
  'modules_console_event_rollups_daily',
  rollupColumns(),
  (t) => [primaryKey({ columns: [t.source, t.bucketStart, t.module, t.actor, t.type, t.severity] })],
);

/** Rows of maintained sources whose time carries a non-zero UTC offset, by their UTC key (triggers keep it). */
export const consoleTimelineZonedRows = sqliteTable(
  'modules_console_timeline_zoned_rows',
  {
    tlSource: text('tl_source').notNull(),
    tlPk: integer('tl_pk').notNull(),
    tlKey: text('tl_key').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tlSource, t.tlPk] }),
    index('idx_console_timeline_zoned_key').on(t.tlSource, t.tlKey),
  ],
);

/** modules_* / foundups_* tables an admin added to the timeline (names checked against the catalogue). */
export const consoleTimelineSources = sqliteTable('modules_console_timeline_sources', {
  id: integer('id').primaryKey({ autoIncrement: true }),
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

/**
 * Per watermarked source (migration 0005): the highest rowid folded into the rollups and how many rows
 * at or below it there are. refreshRollups moves it; the update/delete triggers keep both in step.
 */
export const consoleTimelineWatermarks = sqliteTable('modules_console_timeline_watermarks', {
  source: text('source').primaryKey(),
  lastRowid: integer('last_rowid').notNull(),
  foldedRows: integer('folded_rows').notNull(),
  refreshedAt: text('refreshed_at').notNull(),
});

export type TimelineWatermark = typeof consoleTimelineWatermarks.$inferSelect;
