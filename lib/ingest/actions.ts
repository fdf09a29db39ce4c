'use server';

import { revalidatePath } from 'next/cache';
import {
  activeIngestRunIds,
  startBackgroundIngest,
  stopIngestRun,
} from '@/app/api/ingest/_lib/background-runs';
import { type TargetResult, resolveAuditTargets, resolveUploadTarget } from '@/app/api/ingest/_lib/targets';
import { uploadDir } from '@/app/api/ingest/_lib/uploads';
import { auditInputSchema, runIdSchema, startIngestSchema } from '@/app/api/ingest/_lib/validations';
import { getDb } from '@/db/client';
import { validatedAction } from '@/lib/actions/validated-action';
import { recordActivity } from '@/lib/auth/operators';
import { readScanRoots } from '@/lib/satellites/roots';
import { auditJsonl, saveAuditReport } from './audit';
import { getLatestAudit, listIngestFiles } from './queries';

// The Ingest screen's actions (admin only, each checked here, not only by hiding buttons): audit the
// JSONL files under FOUNDUPS_ROOT, start an ingest run in the background (file, domain, everything or
// an upload), and stop a run. Each returns at once with a typed result and is recorded in the activity log.

export type IngestActionResult =
  | { ok: true; message: string; runId?: number }
  | { ok: false; error: string; fieldErrors?: Record<string, string[]>; runningRunId?: number };

const globalForAudit = globalThis as typeof globalThis & { __foundupsIngestAuditing?: boolean };

function revalidate() {
  revalidatePath('/ingest', 'layout');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export const runAuditAction = validatedAction(
  'admin',
  auditInputSchema,
  async (_input, operator): Promise<IngestActionResult> => {
    const roots = readScanRoots();
    if (roots.problems.length > 0)
      return {
        ok: false,
        error: `An audit cannot run until FOUNDUPS_ROOT is fixed: ${roots.problems.join(' ')}`,
      };
    if (globalForAudit.__foundupsIngestAuditing)
      return { ok: false, error: 'An audit is already running; its report appears here when it is done.' };
    globalForAudit.__foundupsIngestAuditing = true;
    try {
      const report = await auditJsonl(roots.roots.map((root) => root.path));
      const db = await getDb();
      const auditId = await saveAuditReport(db, report, operator.username);
      await recordActivity(db, `operator:${operator.username}`, 'ingest.audit', null, {
        auditId,
        files: report.totals.files,
        bytes: report.totals.bytes,
      });
      revalidate();
      const domains = Object.keys(report.totals.byDomain).length;
      return {
        ok: true,
        message:
          report.totals.files === 0
            ? `No JSONL file found under FOUNDUPS_ROOT (${seconds(report.durationMs)}).`
            : `Audited ${report.totals.files.toLocaleString('en-US')} files in ${domains} domain${domains === 1 ? '' : 's'} (${seconds(report.durationMs)}).`,
      };
    } finally {
      globalForAudit.__foundupsIngestAuditing = false;
    }
  },
);

export const startIngestAction = validatedAction(
  'admin',
  startIngestSchema,
  async (input, operator): Promise<IngestActionResult> => {
    const db = await getDb();
    let target: TargetResult;
    if (input.scope === 'upload') {
      target = resolveUploadTarget(input, uploadDir());
    } else {
      const [audit, files] = await Promise.all([getLatestAudit(db), listIngestFiles(db)]);
      target = resolveAuditTargets(
        input,
        audit?.report ?? null,
        readScanRoots(),
        new Set(files.map((file) => file.path)),
      );
    }
    if (!target.ok) return target;
    const started = await startBackgroundIngest(db, operator.username, target.request);
    if (!started.ok) return started;
    await recordActivity(db, `operator:${operator.username}`, 'ingest.start', target.label, {
      runId: started.runId,
      files: target.request.paths.length,
      domain: target.request.domain ?? null,
      finalize: target.request.finalize ?? false,
      acceptRewrite: target.request.acceptRewrite ?? false,
    });
    revalidate();
    const left =
      target.skippedUnknown > 0
        ? ` ${target.skippedUnknown} file${target.skippedUnknown === 1 ? '' : 's'} of unknown domain left out: choose a domain for each.`
        : '';
    return {
      ok: true,
      runId: started.runId,
      message: `Run #${started.runId} started: ${target.label}.${left}`,
    };
  },
);

export const stopIngestRunAction = validatedAction(
  'admin',
  runIdSchema,
  async ({ runId }, operator): Promise<IngestActionResult> => {
    const db = await getDb();
    const result = await stopIngestRun(db, runId);
    if (!result.ok) return result;
    if (activeIngestRunIds().includes(runId))
      await recordActivity(db, `operator:${operator.username}`, 'ingest.stop', `run #${runId}`, { runId });
    revalidate();
    return result;
  },
);
