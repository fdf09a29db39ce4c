import { readDbConfig } from '@/db/config';
import { claimConsoleLock } from './console-lock';
import { installRequestLog } from './request-log';

/**
 * Server start (instrumentation.ts): structured request logs and query metrics, and the console's
 * claim on its SQLite file, which `foundups restore` checks before replacing the file.
 */
export function startOperations(): void {
  installRequestLog();
  try {
    const config = readDbConfig();
    if (config.dialect === 'sqlite') claimConsoleLock(config.path);
  } catch {
    // A configuration error is reported by the migration step that runs next.
  }
}
