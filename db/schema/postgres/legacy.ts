import {
  type AnyPgColumn,
  bigint,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';
import { utcNowText } from './column-types';

// PostgreSQL twin of ../sqlite/legacy.ts. Keys are BIGINT identities, and the columns that refer
// to them BIGINT too.

const documentId = (name: string) =>
  bigint(name, { mode: 'number' })
    .notNull()
    .references((): AnyPgColumn => moduleDocuments.docId, { onDelete: 'cascade' });
const moduleId = () =>
  bigint('module_id', { mode: 'number' })
    .notNull()
    .references((): AnyPgColumn => modules.moduleId, { onDelete: 'cascade' });

export const modules = pgTable(
  'modules',
  {
    moduleId: bigint('module_id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    moduleName: text('module_name').notNull(),
    modulePath: text('module_path').notNull().unique(),
    moduleDomain: text('module_domain').notNull(),
    linkedTimestamp: text('linked_timestamp'),
    linkerVersion: text('linker_version').default('1.0.0'),
  },
  (t) => [index('idx_modules_name').on(t.moduleName), index('idx_modules_domain').on(t.moduleDomain)],
);

export const moduleDocuments = pgTable(
  'module_documents',
  {
    docId: bigint('doc_id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    moduleId: moduleId(),
    docType: text('doc_type').notNull(),
    filePath: text('file_path').notNull().unique(),
    title: text('title'),
    purpose: text('purpose'),
    lastUpdated: text('last_updated'),
  },
  (t) => [index('idx_documents_module').on(t.moduleId), index('idx_documents_type').on(t.docType)],
);

export const documentRelationships = pgTable(
  'document_relationships',
  {
    fromDocId: documentId('from_doc_id'),
    toDocId: documentId('to_doc_id'),
  },
  (t) => [primaryKey({ columns: [t.fromDocId, t.toDocId] })],
);

export const moduleWspImplementations = pgTable(
  'module_wsp_implementations',
  {
    moduleId: moduleId(),
    wspNumber: text('wsp_number').notNull(),
  },
  (t) => [primaryKey({ columns: [t.moduleId, t.wspNumber] }), index('idx_wsp_impl_wsp').on(t.wspNumber)],
);

export const documentCrossReferences = pgTable(
  'document_cross_references',
  {
    docId: documentId('doc_id'),
    referenceType: text('reference_type').notNull(),
    referenceValue: text('reference_value').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.docId, t.referenceType, t.referenceValue] }),
    index('idx_cross_ref_value').on(t.referenceValue),
  ],
);

export const indexRefreshTracking = pgTable('index_refresh_tracking', {
  indexType: text('index_type').primaryKey(),
  lastRefresh: text('last_refresh').default(utcNowText),
  refreshCount: integer('refresh_count').default(0),
  lastRefreshDuration: doublePrecision('last_refresh_duration'),
  totalEntriesIndexed: integer('total_entries_indexed').default(0),
});

export const seleniumSessions = pgTable(
  'selenium_sessions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    timestamp: text('timestamp').notNull(),
    url: text('url').notNull(),
    screenshotHash: text('screenshot_hash'),
    screenshotPath: text('screenshot_path'),
    annotatedPath: text('annotated_path'),
    analysisJson: text('analysis_json'),
  },
  (t) => [
    index('idx_selenium_sessions_timestamp').on(t.timestamp.desc()),
    index('idx_selenium_sessions_hash').on(t.screenshotHash),
  ],
);
