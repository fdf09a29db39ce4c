import 'server-only';
import { getDb } from '@/db/client';
import { type BackupListItem, backupDirectory, listBackups } from './backup';
import { type HealthReport, collectHealth } from './health';
import { type JobState, currentJob } from './jobs';
import {
  RETENTION_SOURCES,
  type RetentionPolicy,
  type RetentionRunRow,
  listRetentionPolicies,
  listRetentionRuns,
  retentionArchiveDirectory,
} from './retention';
import { builtInSource } from '@/lib/timeline/sources';

export interface BackupsPageData {
  dialect: 'sqlite' | 'postgres';
  directory: string;
  backups: BackupListItem[];
  job: JobState | null;
}

export async function getBackupsPageData(): Promise<BackupsPageData> {
  const db = await getDb();
  const directory = backupDirectory();
  return {
    dialect: db.dialect,
    directory,
    backups: db.dialect === 'sqlite' ? await listBackups(db, directory) : [],
    job: currentJob('backup'),
  };
}

export async function getHealthReport(): Promise<HealthReport> {
  return collectHealth(await getDb());
}

export interface RetentionPageData {
  policies: RetentionPolicy[];
  runs: RetentionRunRow[];
  sources: { id: string; label: string; table: string }[];
  archiveDirectory: string;
  job: JobState | null;
}

export async function getRetentionPageData(): Promise<RetentionPageData> {
  const db = await getDb();
  const [policies, runs] = await Promise.all([listRetentionPolicies(db), listRetentionRuns(db, 50)]);
  return {
    policies,
    runs,
    sources: RETENTION_SOURCES.map((id) => {
      const source = builtInSource(id)!;
      return { id, label: source.label, table: source.table };
    }),
    archiveDirectory: retentionArchiveDirectory(),
    job: currentJob('retention'),
  };
}
