import { getNamedDb } from './client';
import { ConfigError } from './config';
import type { Database } from './database';
import { configuredDatabases } from './multi-database';

/** How often the server folds new rows into the timeline rollups (SQLite). */
const ROLLUP_REFRESH_MS = 5_000;
const globalForRefresh = globalThis as typeof globalThis & { __foundupsRollupRefresh?: WeakSet<Database> };

/**
 * SQLite: every few seconds, fold the rows written since (by anyone: agents, ingest, the console) into
 * the rollups — short chunked transactions, never two at once, errors logged. The timer does not keep
 * the process alive. Readers stay exact meanwhile (they add the unfolded tail themselves).
 */
function keepRollupsFresh(db: Database, which: string): void {
  const started = (globalForRefresh.__foundupsRollupRefresh ??= new WeakSet());
  if (db.dialect !== 'sqlite' || started.has(db)) return;
  started.add(db);
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    import('@/lib/timeline/rollups')
      .then(({ refreshRollups }) => refreshRollups(db))
      .catch((error: unknown) => {
        const message = (error as Error).message;
        // A database closed since (its configuration changed): its successor gets its own timer.
        if (message === 'The database connection is closed.') return clearInterval(timer);
        console.error(`FoundUps Console: refreshing timeline rollups failed${which}: ${message}`);
      })
      .finally(() => {
        running = false;
      });
  }, ROLLUP_REFRESH_MS);
  timer.unref();
}

/**
 * Server start: open (and migrate) every configured database, or stop with one clear sentence. Then,
 * in the background, backfill the timeline rollups that need it (a database filled before the console
 * first opened it, a table created again) and, on SQLite, keep folding new rows into them.
 */
export async function migrateOnStart(): Promise<void> {
  try {
    const { databases } = configuredDatabases();
    const opened = await Promise.all(
      databases.map(async (entry) => {
        try {
          return { name: entry.name, db: await getNamedDb(entry.name, entry.config) };
        } catch (error) {
          // Which of several databases failed is the first thing the operator needs to know.
          if (error instanceof ConfigError && databases.length > 1)
            throw new ConfigError(`database "${entry.name}": ${error.message}`);
          throw error;
        }
      }),
    );
    const { ensureRollups } = await import('@/lib/timeline/rollups');
    for (const { name, db } of opened) {
      const which = databases.length > 1 ? ` (database ${name})` : '';
      void ensureRollups(db)
        .catch((error: unknown) => {
          console.error(
            `FoundUps Console: rebuilding timeline rollups failed${which}: ${(error as Error).message}`,
          );
        })
        .finally(() => keepRollupsFresh(db, which));
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`FoundUps Console cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
