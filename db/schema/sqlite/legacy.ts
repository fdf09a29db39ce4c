import { sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
} from 'drizzle-orm/sqlite-core';
import { datetime } from './column-types';

// Legacy, unprefixed tables the agents create (module documentation registry and infrastructure).
// The console reads them and flags them as outside the three namespaces; it never renames them.

export const modules = sqliteTable(
  'modules',
  {
    moduleId: integer('module_id').primaryKey({ autoIncrement: true }),
    moduleName: text('module_name').notNull(),
    modulePath: text('module_path').notNull().unique(),
    moduleDomain: text('module_domain').notNull(),
    linkedTimestamp: datetime('linked_timestamp'),
    linkerVersion: text('linker_version').default('1.0.0'),
  },
  (t) => [index('idx_modules_name').on(t.moduleName), index('idx_modules_domain').on(t.moduleDomain)],
);

export const moduleDocuments = sqliteTable(
  'module_documents',
  {
    docId: integer('doc_id').primaryKey({ autoIncrement: true }),
    moduleId: integer('module_id')
      .notNull()
      .references((): AnySQLiteColumn => modules.moduleId, { onDelete: 'cascade' }),
    docType: text('doc_type').notNull(),
    filePath: text('file_path').notNull().unique(),
    title: text('title'),
    purpose: text('purpose'),
    lastUpdated: datetime('last_updated'),
  },
  (t) => [index('idx_documents_module').on(t.moduleId), index('idx_documents_type').on(t.docType)],
);

export const documentRelationships = sqliteTable(
  'document_relationships',
  {
    fromDocId: integer('from_doc_id')
      .notNull()
      .references((): AnySQLiteColumn => moduleDocuments.docId, { onDelete: 'cascade' }),
    toDocId: integer('to_doc_id')
      .notNull()
      .references((): AnySQLiteColumn => moduleDocuments.docId, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.fromDocId, t.toDocId] })],
);

export const moduleWspImplementations = sqliteTable(
  'module_wsp_implementations',
  {
    moduleId: integer('module_id')
      .notNull()
      .references((): AnySQLiteColumn => modules.moduleId, { onDelete: 'cascade' }),
    wspNumber: text('wsp_number').notNull(),
  },
  (t) => [primaryKey({ columns: [t.moduleId, t.wspNumber] }), index('idx_wsp_impl_wsp').on(t.wspNumber)],
);

export const documentCrossReferences = sqliteTable(
  'document_cross_references',
  {
    docId: integer('doc_id')
      .notNull()
      .references((): AnySQLiteColumn => moduleDocuments.docId, { onDelete: 'cascade' }),
    referenceType: text('reference_type').notNull(),
    referenceValue: text('reference_value').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.docId, t.referenceType, t.referenceValue] }),
    index('idx_cross_ref_value').on(t.referenceValue),
  ],
);

export const indexRefreshTracking = sqliteTable('index_refresh_tracking', {
  indexType: text('index_type').primaryKey(),
  lastRefresh: datetime('last_refresh').default(sql`CURRENT_TIMESTAMP`),
  refreshCount: integer('refresh_count').default(0),
  lastRefreshDuration: real('last_refresh_duration'),
  totalEntriesIndexed: integer('total_entries_indexed').default(0),
});

/** Browser vision sessions: `timestamp` is UTC ISO-8601 text written by the agent, analysis_json JSON text. */
export const seleniumSessions = sqliteTable(
  'selenium_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    timestamp: text('timestamp').notNull(),
    url: text('url').notNull(),
    screenshotHash: text('screenshot_hash'),
    screenshotPath: text('screenshot_path'),
    annotatedPath: text('annotated_path'),
    analysisJson: text('analysis_json'),
  },
  (t) => [
    index('idx_selenium_sessions_timestamp').on(sql`${t.timestamp} DESC`),
    index('idx_selenium_sessions_hash').on(t.screenshotHash),
  ],
);

export type Module = typeof modules.$inferSelect;
export type NewModule = typeof modules.$inferInsert;
export type ModuleDocument = typeof moduleDocuments.$inferSelect;
export type NewModuleDocument = typeof moduleDocuments.$inferInsert;
export type DocumentRelationship = typeof documentRelationships.$inferSelect;
export type NewDocumentRelationship = typeof documentRelationships.$inferInsert;
export type ModuleWspImplementation = typeof moduleWspImplementations.$inferSelect;
export type NewModuleWspImplementation = typeof moduleWspImplementations.$inferInsert;
export type DocumentCrossReference = typeof documentCrossReferences.$inferSelect;
export type NewDocumentCrossReference = typeof documentCrossReferences.$inferInsert;
export type IndexRefreshTracking = typeof indexRefreshTracking.$inferSelect;
export type NewIndexRefreshTracking = typeof indexRefreshTracking.$inferInsert;
export type SeleniumSession = typeof seleniumSessions.$inferSelect;
export type NewSeleniumSession = typeof seleniumSessions.$inferInsert;
