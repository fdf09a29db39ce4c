import { getDb } from './client';
import { ConfigError } from './config';

/**
 * Server start: open (and migrate) the configured database, or stop with one clear sentence. Then,
 * in the background, backfill the timeline rollups of a database that was filled before the console
 * first opened it (triggers keep them current from then on, whoever writes).
 */
export async function migrateOnStart(): Promise<void> {
  try {
    const db = await getDb();
    const { ensureRollups } = await import('@/lib/timeline/rollups');
    void ensureRollups(db).catch((error: unknown) => {
      console.error(`FoundUps Console: rebuilding timeline rollups failed: ${(error as Error).message}`);
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`FoundUps Console cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
