// The SQLite schema, one file per namespace group; add a group with one export line.
export * from './agents';
export * from './legacy';
export * from './telemetry';
export * from './console';
export * from './review';
export * from './timeline';
export * from './ingest';
export * from './registry';
export * from './operations';
