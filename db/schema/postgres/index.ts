// The PostgreSQL schema, table for table the twin of ../sqlite (test/schema-parity.test.ts checks
// both against their migrated databases and against each other). Row types come from ../sqlite.
export * from './agents';
export * from './legacy';
export * from './telemetry';
export * from './console';
export * from './review';
export * from './timeline';
export * from './ingest';
export * from './registry';
export * from './operations';
