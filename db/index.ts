// The one way into the database for the web app, the CLI and agent-side TypeScript code.
export {
  readDbConfig,
  readDatabasesConfig,
  describeDbConfig,
  ConfigError,
  type DbConfig,
  type DatabasesConfig,
  type NamedDbConfig,
} from './config';
export {
  sql,
  type Database,
  type Row,
  type StepResult,
  type TxStep,
  DatabaseBusyError,
  quoteIdentifier,
} from './database';
export { getDb, getNamedDb, closeDb, openDatabase } from './client';
export { withDatabase, currentDatabase, configuredDatabases } from './multi-database';
export { migrate, loadMigrations } from './migrate';
export * from './namespaces';
