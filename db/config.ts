import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
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
function parseSchema(value: string | undefined, label = 'FOUNDUPS_PG_SCHEMA'): string | undefined {
  const schema = value?.trim();
  if (!schema) return undefined;
  if (!SAFE_IDENTIFIER.test(schema)) {
    throw new ConfigError(
      `${label} must be a plain identifier (letters, digits and underscores, not starting with a digit); got ${JSON.stringify(schema)}.`,
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
function readSingleDbConfig(env: NodeJS.ProcessEnv, label = 'DATABASE_URL'): DbConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) {
    const file = env.FOUNDUPS_DB_PATH?.trim() || DEFAULT_SQLITE_PATH;
    return { dialect: 'sqlite', path: path.resolve(/*turbopackIgnore: true*/ file) };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const readUrl = env.DATABASE_READ_URL?.trim();
    return {
      dialect: 'postgres',
      url: parsePostgresUrl(label, url),
      readUrl: readUrl
        ? parsePostgresUrl(label === 'DATABASE_URL' ? 'DATABASE_READ_URL' : `${label} readUrl`, readUrl)
        : undefined,
      schema: parseSchema(
        env.FOUNDUPS_PG_SCHEMA,
        label === 'DATABASE_URL' ? 'FOUNDUPS_PG_SCHEMA' : `${label} schema`,
      ),
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
        `${label} "${url}" names no SQLite file; write it after the colon, e.g. sqlite:data/foundups.db.`,
      );
    return { dialect: 'sqlite', path: path.resolve(/*turbopackIgnore: true*/ sqlite[3]) };
  }
  throw new ConfigError(
    `${label} must start with postgres://, postgresql://, pglite: or sqlite: (got "${describeUrl(url)}"); unset it to use the SQLite file ${DEFAULT_SQLITE_PATH}.`,
  );
}

/**
 * The database this process uses when nothing else chooses (the default one; the CLI picks another
 * with `FOUNDUPS_DATABASE=staging foundups migrate`). The web app resolves each request's database in
 * db/multi-database.ts (the switcher's cookie).
 */
export function readDbConfig(env: NodeJS.ProcessEnv = process.env): DbConfig {
  const all = readDatabasesConfig(env);
  return findDatabase(all, all.defaultName).config;
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

// ---------------------------------------------------------------------------------------------
// Several named databases (dev / staging / prod)

/** How loudly the console marks a database: production is red everywhere it is shown. */
export const DATABASE_TONES = ['production', 'staging', 'development', 'neutral'] as const;
export type DatabaseTone = (typeof DATABASE_TONES)[number];

export interface NamedDbConfig {
  /** What the switcher, the cookie, actions and the CLI's FOUNDUPS_DATABASE call it. */
  name: string;
  tone: DatabaseTone;
  config: DbConfig;
}

export interface DatabasesConfig {
  /** In the order they were configured (the switcher's order). */
  databases: readonly NamedDbConfig[];
  /** The database of requests that chose none, of the CLI without FOUNDUPS_DATABASE, of background work. */
  defaultName: string;
}

/** The name of the single database configured through DATABASE_URL / FOUNDUPS_DB_PATH. */
export const DEFAULT_DATABASE_NAME = 'default';

/** Names travel in a cookie, a header and form fields: keep them short and plain. */
export const DATABASE_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

function parseDatabaseName(raw: string, where: string): string {
  const name = raw.trim();
  if (!DATABASE_NAME.test(name)) {
    throw new ConfigError(
      `${where}: database name ${JSON.stringify(name)} must be 1–32 lowercase letters, digits, '-' or '_', starting with a letter.`,
    );
  }
  return name;
}

/** prod → red, staging → amber, dev/test/local → green; anything else neutral (or set it in JSON). */
export function inferTone(name: string): DatabaseTone {
  if (/^(prod|production|live|main)([-_].*)?$/.test(name)) return 'production';
  if (/^(stag|staging|preprod|pre-prod|uat|qa)([-_].*)?$/.test(name)) return 'staging';
  if (/^(dev|development|local|test|demo|sandbox)([-_].*)?$/.test(name)) return 'development';
  return 'neutral';
}

/** One database URL in the same grammar as DATABASE_URL (postgres://, pglite:, sqlite:, file:). */
function urlConfig(where: string, url: string, extra: { readUrl?: string; schema?: string } = {}): DbConfig {
  const config = readSingleDbConfig(
    {
      DATABASE_URL: url,
      DATABASE_READ_URL: extra.readUrl,
      FOUNDUPS_PG_SCHEMA: extra.schema,
    } as unknown as NodeJS.ProcessEnv,
    where,
  );
  if (extra.readUrl && config.dialect !== 'postgres') {
    throw new ConfigError(`${where}: a read replica (readUrl) needs a postgres:// database URL.`);
  }
  return config;
}

const jsonEntrySchema = z.union([
  z.string().min(1),
  z
    .object({
      url: z.string().min(1),
      readUrl: z.string().min(1).optional(),
      schema: z.string().min(1).optional(),
      tone: z.enum(DATABASE_TONES).optional(),
    })
    .strict(),
]);
const jsonConfigSchema = z
  .object({
    default: z.string().optional(),
    databases: z.record(z.string(), jsonEntrySchema),
  })
  .strict();

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const at = issue.path.length ? issue.path.join('.') : 'top level';
  return `${at}: ${issue.message}`;
}

function parseJsonDatabases(text: string, where: string): { entries: NamedDbConfig[]; default?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${where} is not valid JSON (${(error as Error).message.replace(/\.$/, '')}).`);
  }
  const parsed = jsonConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      `${where} must look like {"default": "prod", "databases": {"prod": "file:data/foundups.db", "staging": {"url": "postgres://…", "readUrl": "postgres://…"}}} (${firstIssue(parsed.error)}).`,
    );
  }
  const entries = Object.entries(parsed.data.databases).map(([rawName, entry]) => {
    const name = parseDatabaseName(rawName, where);
    const at = `${where} database "${name}"`;
    if (typeof entry === 'string') return { name, tone: inferTone(name), config: urlConfig(at, entry) };
    return {
      name,
      tone: entry.tone ?? inferTone(name),
      config: urlConfig(at, entry.url, { readUrl: entry.readUrl, schema: entry.schema }),
    };
  });
  return { entries, default: parsed.data.default };
}

function parseListDatabases(text: string): NamedDbConfig[] {
  const where = 'FOUNDUPS_DATABASES';
  return text
    .split(/[;\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq <= 0) {
        throw new ConfigError(
          `${where}: expected name=url entries separated by ';' (e.g. prod=file:data/foundups.db;staging=postgres://db/staging), got ${JSON.stringify(describeUrl(part))}.`,
        );
      }
      const name = parseDatabaseName(part.slice(0, eq), where);
      const url = part.slice(eq + 1).trim();
      if (!url) throw new ConfigError(`${where}: database "${name}" has no URL after '='.`);
      return { name, tone: inferTone(name), config: urlConfig(`${where} database "${name}"`, url) };
    });
}

/**
 * Every database the console can switch between.
 * - FOUNDUPS_DATABASES="prod=file:data/foundups.db;staging=postgres://…" (name=url; ';' or newlines), or
 *   the same as JSON (inline, or in the file named by FOUNDUPS_DATABASES_FILE) when an entry needs a
 *   read replica, a schema or an explicit tone.
 * - FOUNDUPS_DATABASE picks the default: the database of requests that chose none, of the CLI and of
 *   background work (otherwise the JSON "default", otherwise the first listed).
 * - Without either, the single DATABASE_URL / FOUNDUPS_DB_PATH database, named "default".
 * Setting both forms is refused: which one the agents write to would be a guess.
 */
export function readDatabasesConfig(env: NodeJS.ProcessEnv = process.env): DatabasesConfig {
  const list = env.FOUNDUPS_DATABASES?.trim();
  const file = env.FOUNDUPS_DATABASES_FILE?.trim();
  const chosen = env.FOUNDUPS_DATABASE?.trim()
    ? parseDatabaseName(env.FOUNDUPS_DATABASE, 'FOUNDUPS_DATABASE')
    : undefined;
  if (!list && !file) {
    const single: DatabasesConfig = {
      databases: [{ name: DEFAULT_DATABASE_NAME, tone: 'neutral', config: readSingleDbConfig(env) }],
      defaultName: DEFAULT_DATABASE_NAME,
    };
    if (chosen) findDatabase(single, chosen);
    return single;
  }
  if (list && file) {
    throw new ConfigError('Set FOUNDUPS_DATABASES or FOUNDUPS_DATABASES_FILE, not both.');
  }
  for (const single of ['DATABASE_URL', 'FOUNDUPS_DB_PATH', 'DATABASE_READ_URL', 'FOUNDUPS_PG_SCHEMA']) {
    if (env[single]?.trim()) {
      throw new ConfigError(
        `${single} is set as well as ${list ? 'FOUNDUPS_DATABASES' : 'FOUNDUPS_DATABASES_FILE'}; list that database among the named ones and unset ${single}.`,
      );
    }
  }
  let entries: NamedDbConfig[];
  let jsonDefault: string | undefined;
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(/*turbopackIgnore: true*/ file), 'utf8');
    } catch (error) {
      throw new ConfigError(
        `FOUNDUPS_DATABASES_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      );
    }
    ({ entries, default: jsonDefault } = parseJsonDatabases(text, `FOUNDUPS_DATABASES_FILE ${file}`));
  } else if (list!.startsWith('{')) {
    ({ entries, default: jsonDefault } = parseJsonDatabases(list!, 'FOUNDUPS_DATABASES'));
  } else {
    entries = parseListDatabases(list!);
  }
  if (entries.length === 0) throw new ConfigError('FOUNDUPS_DATABASES lists no database.');
  const seen = new Map<string, string>();
  for (const entry of entries) {
    if (seen.has(entry.name)) throw new ConfigError(`Database "${entry.name}" is configured twice.`);
    const target = describeDbConfig(entry.config);
    const same = [...seen.entries()].find(([, other]) => other === target);
    if (same && entry.config.dialect !== 'pglite') {
      // Two names for one database would let an action "cross" without the guard noticing.
      throw new ConfigError(`Databases "${same[0]}" and "${entry.name}" are the same database (${target}).`);
    }
    seen.set(entry.name, target);
  }
  const defaultName =
    chosen ?? (jsonDefault ? parseDatabaseName(jsonDefault, 'The JSON "default"') : entries[0]!.name);
  if (!seen.has(defaultName)) {
    throw new ConfigError(
      `There is no database named "${defaultName}" (${chosen ? 'FOUNDUPS_DATABASE' : 'the JSON "default"'}); configured: ${[...seen.keys()].join(', ')}.`,
    );
  }
  return { databases: entries, defaultName };
}

/** A configured database by name, or a ConfigError naming the ones that exist. */
export function findDatabase(config: DatabasesConfig, name: string): NamedDbConfig {
  const found = config.databases.find((entry) => entry.name === name);
  if (!found) {
    throw new ConfigError(
      `There is no database named "${name}"; configured: ${config.databases.map((entry) => entry.name).join(', ')}.`,
    );
  }
  return found;
}
