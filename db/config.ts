import path from 'node:path';
import { SAFE_IDENTIFIER } from './database';

/** Which database the console talks to, decided once from the environment. */
export type DbConfig =
  | { dialect: 'sqlite'; path: string; readPath?: undefined }
  | { dialect: 'postgres'; url: string; readUrl?: string; schema?: string }
  | { dialect: 'pglite'; dataDir?: string };

/** A configuration problem, reported to the operator as one sentence (no stack trace). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEFAULT_SQLITE_PATH = 'data/foundups.db';

function describeUrl(url: string): string {
  // Never print a password back, even from a malformed URL: everything between the user name and the
  // last '@' is masked (a password may itself contain '/' or an unencoded '@').
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):.*@/i, '$1:***@');
}

function parsePostgresUrl(name: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(
      `${name} is not a valid URL (got "${describeUrl(url)}"); expected postgres://user:password@host:5432/database.`,
    );
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) {
    throw new ConfigError(
      `${name} has no host (got "${describeUrl(url)}"); expected postgres://user:password@host:5432/database.`,
    );
  }
  if (!parsed.pathname || parsed.pathname === '/') {
    throw new ConfigError(
      `${name} names no database (got "${describeUrl(url)}"); add it after the host, e.g. postgres://host:5432/foundups.`,
    );
  }
  return url;
}

/** The schema goes into the connection's search_path, so it must be a plain identifier. */
function parseSchema(value: string | undefined): string | undefined {
  const schema = value?.trim();
  if (!schema) return undefined;
  if (!SAFE_IDENTIFIER.test(schema)) {
    throw new ConfigError(
      `FOUNDUPS_PG_SCHEMA must be a plain identifier (letters, digits and underscores, not starting with a digit); got ${JSON.stringify(schema)}.`,
    );
  }
  return schema;
}

/**
 * Reads DATABASE_URL / FOUNDUPS_DB_PATH / DATABASE_READ_URL, the same variables the Python agents use.
 * - unset DATABASE_URL: SQLite at FOUNDUPS_DB_PATH or data/foundups.db
 * - postgres:// or postgresql://: PostgreSQL (node-postgres pool)
 * - pglite: or pglite:///dir: in-process PGlite (tests, demos)
 * - sqlite:path or file:path: an explicit SQLite file
 */
export function readDbConfig(env: NodeJS.ProcessEnv = process.env): DbConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) {
    const file = env.FOUNDUPS_DB_PATH?.trim() || DEFAULT_SQLITE_PATH;
    return { dialect: 'sqlite', path: path.resolve(/*turbopackIgnore: true*/ file) };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const readUrl = env.DATABASE_READ_URL?.trim();
    return {
      dialect: 'postgres',
      url: parsePostgresUrl('DATABASE_URL', url),
      readUrl: readUrl ? parsePostgresUrl('DATABASE_READ_URL', readUrl) : undefined,
      schema: parseSchema(env.FOUNDUPS_PG_SCHEMA),
    };
  }
  if (/^pglite:/i.test(url)) {
    const dir = url.replace(/^pglite:(\/\/)?/i, '');
    return {
      dialect: 'pglite',
      dataDir: dir && dir !== 'memory' ? path.resolve(/*turbopackIgnore: true*/ dir) : undefined,
    };
  }
  const sqlite = /^(sqlite|file):(\/\/)?(.*)$/i.exec(url);
  if (sqlite) {
    if (!sqlite[3])
      throw new ConfigError(
        `DATABASE_URL "${url}" names no SQLite file; write it after the colon, e.g. sqlite:data/foundups.db.`,
      );
    return { dialect: 'sqlite', path: path.resolve(/*turbopackIgnore: true*/ sqlite[3]) };
  }
  throw new ConfigError(
    `DATABASE_URL must start with postgres://, postgresql://, pglite: or sqlite: (got "${describeUrl(url)}"); unset it to use the SQLite file ${DEFAULT_SQLITE_PATH}.`,
  );
}

export function describeDbConfig(config: DbConfig): string {
  switch (config.dialect) {
    case 'sqlite':
      return `SQLite ${config.path}`;
    case 'postgres':
      return `PostgreSQL ${describeUrl(config.url)}${config.readUrl ? ` (reads: ${describeUrl(config.readUrl)})` : ''}`;
    case 'pglite':
      return `PGlite ${config.dataDir ?? '(in memory)'}`;
  }
}
