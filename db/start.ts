import { getDb } from './client';
import { ConfigError } from './config';

/** Server start: open (and migrate) the configured database, or stop with one clear sentence. */
export async function migrateOnStart(): Promise<void> {
  try {
    await getDb();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`FoundUps Console cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
