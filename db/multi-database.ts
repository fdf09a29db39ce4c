import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import {
  ConfigError,
  type DatabasesConfig,
  DATABASE_NAME,
  type NamedDbConfig,
  findDatabase,
  readDatabasesConfig,
} from './config';

// Which of the configured databases a piece of work talks to. Resolved inside getDb(), so the many
// callers of getDb() need not know that there can be several: an explicit scope (withDatabase: tests,
// CLI, background jobs) wins; otherwise, inside a Next.js request, the browser's choice (the switcher's
// cookie) or, for agents without cookies, the X-FoundUps-Database header; otherwise the default.

/** The switcher's choice: a browser-session cookie, readable by the page (stale-tab detection). */
export const DATABASE_COOKIE = 'fu_db';
/**
 * Sent by the console's pages with every write (server actions, API calls) naming the database the
 * page was rendered for; for agents' API calls it selects the database.
 */
export const DATABASE_HEADER = 'x-foundups-database';

export class UnknownDatabaseError extends ConfigError {
  override name = 'UnknownDatabaseError';
}

const scope = new AsyncLocalStorage<string>();

const CONFIG_VARS = [
  'FOUNDUPS_DATABASES',
  'FOUNDUPS_DATABASES_FILE',
  'FOUNDUPS_DATABASE',
  'DATABASE_URL',
  'DATABASE_READ_URL',
  'FOUNDUPS_DB_PATH',
  'FOUNDUPS_PG_SCHEMA',
] as const;
let memo: { key: string; config: DatabasesConfig } | undefined;

/**
 * readDatabasesConfig() of the process environment, parsed again only when a variable (or the JSON
 * file's modification time) changed: getDb() asks on every call.
 */
export function configuredDatabases(): DatabasesConfig {
  const file = process.env.FOUNDUPS_DATABASES_FILE?.trim();
  let mtime = '';
  if (file) {
    try {
      mtime = String(fs.statSync(file).mtimeMs);
    } catch {
      mtime = 'missing';
    }
  }
  const key = JSON.stringify([...CONFIG_VARS.map((name) => process.env[name] ?? null), mtime]);
  if (memo?.key === key) return memo.config;
  const config = readDatabasesConfig();
  memo = { key, config };
  return config;
}

/** Runs `fn` (and everything it awaits) against the named database, whatever the request says. */
export function withDatabase<T>(name: string, fn: () => T): T {
  findDatabase(configuredDatabases(), name);
  return scope.run(name, fn);
}

export interface DatabaseSelection {
  cookie?: string;
  header?: string;
}

/**
 * The database a selection resolves to. A cookie naming a database that is no longer configured falls
 * back to the default (the header then shows which one is in use); a header naming an unknown one is
 * an error, because an agent asked for something specific.
 */
export function resolveDatabaseName(config: DatabasesConfig, selection: DatabaseSelection): string {
  const known = (name: string | undefined) =>
    name !== undefined && config.databases.some((entry) => entry.name === name);
  if (known(selection.cookie)) return selection.cookie!;
  const header = selection.header?.trim();
  if (header) {
    if (known(header)) return header;
    throw new UnknownDatabaseError(
      `The ${DATABASE_HEADER} header names ${DATABASE_NAME.test(header) ? `"${header}", which is not a configured database` : 'no valid database name'}; configured: ${config.databases.map((entry) => entry.name).join(', ')}.`,
    );
  }
  return config.defaultName;
}

function outsideRequest(error: unknown): boolean {
  // next/headers outside a request (CLI, tests, instrumentation, timers started at boot).
  return error instanceof Error && /outside a request scope/.test(error.message);
}

/** The cookie and header of the current Next.js request, or null outside one. */
async function requestSelection(): Promise<DatabaseSelection | null> {
  try {
    const { cookies, headers } = await import('next/headers');
    const [jar, head] = await Promise.all([cookies(), headers()]);
    return { cookie: jar.get(DATABASE_COOKIE)?.value, header: head.get(DATABASE_HEADER) ?? undefined };
  } catch (error) {
    if (outsideRequest(error)) return null;
    throw error;
  }
}

/** The configured database the current work uses (see the comment at the top). */
export async function currentDatabase(
  config: DatabasesConfig = configuredDatabases(),
): Promise<NamedDbConfig> {
  const explicit = scope.getStore();
  if (explicit) return findDatabase(config, explicit);
  // One database: nothing to choose, and no dependency on the request at all.
  if (config.databases.length === 1) return config.databases[0]!;
  const selection = await requestSelection();
  return findDatabase(config, selection ? resolveDatabaseName(config, selection) : config.defaultName);
}

/**
 * Whether a write that claims to come from a page rendered for `claimed` may run on `current`.
 * Returns the refusal to show, or null. With several databases a write that names none is refused too:
 * it cannot prove which database its user was looking at.
 */
export function crossDatabaseRefusal(
  config: DatabasesConfig,
  current: string,
  claimed: string | null | undefined,
  options: { requireClaim?: boolean } = {},
): string | null {
  const name = claimed?.trim();
  if (!name) {
    if (config.databases.length === 1 || options.requireClaim === false) return null;
    return `This request did not say which database it was meant for, so nothing was changed. Reload the page (it now shows ${current}) and try again.`;
  }
  if (name === current) return null;
  return `This page was showing the ${name} database, but this browser has since switched to ${current} (in another tab?). Nothing was changed in either. Reload the page to work on ${current}, or switch back to ${name} first.`;
}

/**
 * The guard of every write a console page sends (server actions through validatedAction, API writes
 * through app/api/v1/_lib): the database the page was rendered for (DATABASE_HEADER, added by the
 * page's DatabaseWriteGuard) must be the one this request resolves to. Returns the refusal, or null.
 * Outside a request (tests calling actions directly) there is nothing to compare.
 */
export async function requestDatabaseRefusal(
  options: { requireClaim?: boolean } = {},
): Promise<string | null> {
  const config = configuredDatabases();
  let claimed: string | null;
  try {
    const { headers } = await import('next/headers');
    claimed = (await headers()).get(DATABASE_HEADER);
  } catch (error) {
    if (outsideRequest(error)) return null;
    throw error;
  }
  if (config.databases.length === 1 && !claimed) return null;
  const current = await currentDatabase(config);
  return crossDatabaseRefusal(config, current.name, claimed, options);
}
