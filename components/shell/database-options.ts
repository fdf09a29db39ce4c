import 'server-only';
import { describeDbConfig } from '@/db/config';
import { configuredDatabases, currentDatabase } from '@/db/multi-database';
import type { DatabaseOption } from './database-tone';

export interface DatabaseChoice {
  current: DatabaseOption;
  options: DatabaseOption[];
  defaultName: string;
  /** More than one database configured: show the band, the switcher and guard the writes. */
  multiple: boolean;
}

/** This request's database and the others it could switch to, ready for the shell's components. */
export async function getDatabaseChoice(): Promise<DatabaseChoice> {
  const config = configuredDatabases();
  const current = await currentDatabase(config);
  const options = config.databases.map((entry) => ({
    name: entry.name,
    tone: entry.tone,
    description: describeDbConfig(entry.config),
  }));
  return {
    current: options.find((option) => option.name === current.name)!,
    options,
    defaultName: config.defaultName,
    multiple: options.length > 1,
  };
}
