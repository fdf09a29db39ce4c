// The schema the app types against: SQLite's (the default database). PostgreSQL's twin lives in
// ./postgres and yields the same row types (test/schema-parity.test.ts checks both).
export * from './sqlite';
export * from './enums';
