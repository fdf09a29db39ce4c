// The one way into the database for the web app, the CLI and agent-side TypeScript code.
export { readDbConfig, describeDbConfig, ConfigError, type DbConfig } from './config';
export {
  sql,
  type Database,
  type Row,
  type StepResult,
  type TxStep,
  DatabaseBusyError,
  quoteIdentifier,
} from './database';
export { getDb, closeDb, openDatabase } from './client';
export { migrate, loadMigrations } from './migrate';
export * from './namespaces';
