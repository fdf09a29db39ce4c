'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { validatedAction } from '@/lib/actions/validated-action';
import { recordActivity } from '@/lib/auth/operators';
import { formatBytes } from '@/lib/format/numbers';
import { backupDirectory, createBackup, pgDumpHint } from './backup';
import { type JobState, currentJob, startJob } from './jobs';
import {
  RETENTION_SOURCES,
  RetentionError,
  type RetentionPlan,
  deleteRetentionPolicy,
  executeRetention,
  loadPlan,
  planRetention,
  retentionArchiveDirectory,
  saveRetentionPolicy,
} from './retention';

// The Backups and Retention screens' actions (admin only, checked here). Long work — a backup, a
// retention execution — starts in the background and is polled with the *JobAction functions.

export type OperationsActionResult =
  { ok: true; message: string } | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

const KEEP_BACKUPS = Number(process.env.FOUNDUPS_BACKUP_KEEP) || undefined;

export const startBackupAction = validatedAction(
  'admin',
  z.object({}),
  async (_input, operator): Promise<OperationsActionResult> => {
    const db = await getDb();
    if (db.dialect !== 'sqlite')
      return { ok: false, error: `This console uses PostgreSQL; back it up with ${pgDumpHint()}.` };
    const started = startJob('backup', operator.username, 'Starting…', async (update) => {
      const result = await createBackup(db, {
        directory: backupDirectory(),
        keep: KEEP_BACKUPS,
        startedBy: operator.username,
        onProgress: (p) =>
          update(
            p.phase === 'copying' ? p.fraction : null,
            p.phase === 'copying'
              ? `Copying: ${formatBytes(p.copiedBytes)} of ${formatBytes(p.totalBytes)}`
              : p.phase === 'verifying'
                ? 'Checking the copy (integrity_check)…'
                : p.phase === 'hashing'
                  ? 'Computing its SHA-256…'
                  : 'Done.',
          ),
      });
      await recordActivity(db, `operator:${operator.username}`, 'backup.create', result.fileName, {
        sizeBytes: result.sizeBytes,
        sha256: result.sha256,
        pruned: result.pruned,
      });
      revalidatePath('/backups');
      return `Backed up ${result.fileName}: ${formatBytes(result.sizeBytes)} in ${(result.durationMs / 1000).toFixed(1)} s, integrity_check ok.`;
    });
    if (!started) return { ok: false, error: 'A backup is already running; its progress is shown here.' };
    return { ok: true, message: 'Backup started.' };
  },
);

export type JobView = JobState | null;

export const backupJobAction = validatedAction('admin', z.object({}), async (): Promise<JobView> =>
  currentJob('backup'),
);

export const retentionJobAction = validatedAction('admin', z.object({}), async (): Promise<JobView> =>
  currentJob('retention'),
);

const policySchema = z.object({
  source: z.enum(RETENTION_SOURCES, { error: 'Choose a telemetry source.' }),
  keepDays: z.coerce
    .number({ error: 'Enter a number of days.' })
    .int('Whole days only.')
    .min(1, 'Keep at least 1 day.')
    .max(36_500, 'At most 36500 days.'),
  enabled: z.preprocess((value) => value === 'on' || value === 'true' || value === true, z.boolean()),
});

export const savePolicyAction = validatedAction(
  'admin',
  policySchema,
  async (input, operator): Promise<OperationsActionResult> => {
    const db = await getDb();
    try {
      await saveRetentionPolicy(db, input, operator.username);
    } catch (error) {
      if (error instanceof RetentionError) return { ok: false, error: error.message };
      throw error;
    }
    await recordActivity(db, `operator:${operator.username}`, 'retention.policy.save', input.source, input);
    revalidatePath('/retention');
    return {
      ok: true,
      message: `${input.source}: keep ${input.keepDays} day(s)${input.enabled ? '' : ' (disabled)'}.`,
    };
  },
);

export const deletePolicyAction = validatedAction(
  'admin',
  z.object({ source: z.enum(RETENTION_SOURCES) }),
  async (input, operator): Promise<OperationsActionResult> => {
    const db = await getDb();
    const removed = await deleteRetentionPolicy(db, input.source);
    if (!removed) return { ok: false, error: `There is no policy for ${input.source}.` };
    await recordActivity(db, `operator:${operator.username}`, 'retention.policy.delete', input.source);
    revalidatePath('/retention');
    return { ok: true, message: `Removed the policy for ${input.source}; its rows are kept.` };
  },
);

export type DryRunResult = { ok: true; plans: RetentionPlan[] } | { ok: false; error: string };

export const dryRunAction = validatedAction(
  'admin',
  z.object({}),
  async (_input, operator): Promise<DryRunResult> => {
    const db = await getDb();
    const plans = await planRetention(db, {
      directory: retentionArchiveDirectory(),
      recordedBy: operator.username,
    });
    revalidatePath('/retention');
    return { ok: true, plans };
  },
);

export const executeRetentionAction = validatedAction(
  'admin',
  z.object({ runId: z.coerce.number().int().positive() }),
  async (input, operator): Promise<OperationsActionResult> => {
    const db = await getDb();
    let plan: RetentionPlan;
    try {
      plan = await loadPlan(db, input.runId);
    } catch (error) {
      if (error instanceof RetentionError) return { ok: false, error: error.message };
      throw error;
    }
    if (plan.rows === 0) return { ok: false, error: `The dry run found no ${plan.source} rows to delete.` };
    const started = startJob('retention', operator.username, `Archiving ${plan.source}…`, async (update) => {
      const result = await executeRetention(db, plan, {
        startedBy: operator.username,
        onProgress: (done) =>
          update(
            plan.rows > 0 ? Math.min(1, done / plan.rows) : null,
            `${plan.source}: ${done} of ~${plan.rows} row(s) archived and deleted`,
          ),
      });
      await recordActivity(db, `operator:${operator.username}`, 'retention.execute', plan.source, {
        rows: result.rowsDeleted,
        archive: result.archivePath,
        sha256: result.archiveSha256,
      });
      revalidatePath('/retention');
      return `${plan.source}: archived and deleted ${result.rowsDeleted} row(s) into ${result.archivePath}.`;
    });
    if (!started) return { ok: false, error: 'A retention run is already going; wait for it to finish.' };
    return { ok: true, message: `Started: ${plan.rows} ${plan.source} row(s) to archive and delete.` };
  },
);
