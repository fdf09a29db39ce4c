import 'server-only';
import { type Database, sql } from '@/db/database';
import type { KnownDomain } from '@/lib/ingest/domains';
import { IngestUsageError, markStaleRuns, runIngest, startIngestRun } from '@/lib/ingest/ingest';
import { RUNS_TABLE } from '@/lib/ingest/writers';
import { nowIso } from '@/lib/time/format';

// Ingest runs started from the browser: the request records the run and returns at once; the work
// goes on in this server process (the engine yields between batches, so pages stay responsive) and
// reports progress on the run's row, which the screen polls. One run at a time: SQLite has one writer
// anyway, and two runs over the same files would only refuse each other's batches.

/**
 * Lines per transaction for runs in the web server. A batch is written synchronously (better-sqlite3),
 * so it holds the server's event loop: 500 lines is a few tens of milliseconds, short enough for pages
 * and the progress polls to stay quick while a run goes on (and no slower overall than larger batches).
 */
export const SERVER_BATCH_LINES = 500;

export interface BackgroundIngestRequest {
  /** Absolute paths of the files to ingest (already checked against the audit or the uploads folder). */
  paths: string[];
  /** The folder relative paths are taken from (the files' root), which domain detection reads. */
  root: string;
  domain?: KnownDomain;
  finalize?: boolean;
  acceptRewrite?: boolean;
}

export type StartRunResult =
  { ok: true; runId: number } | { ok: false; error: string; runningRunId?: number };

interface ActiveRun {
  controller: AbortController;
  promise: Promise<void>;
}

// On globalThis: route handlers and server actions may be bundled apart, and dev reloads modules.
const globalForRuns = globalThis as typeof globalThis & {
  __foundupsIngestRuns?: { active: Map<number, ActiveRun>; starting: boolean };
};
const state = (globalForRuns.__foundupsIngestRuns ??= { active: new Map(), starting: false });

/** Resolves when a run this process started has finished (tests, and shutdown, wait on it). */
export function ingestRunSettled(runId: number): Promise<void> {
  return state.active.get(runId)?.promise ?? Promise.resolve();
}

/** Runs this process is working on now. */
export function activeIngestRunIds(): number[] {
  return [...state.active.keys()];
}

function busyMessage(runId: number, startedBy?: string): string {
  return `Run #${runId}${startedBy ? ` (started by ${startedBy})` : ''} is still running; wait for it to finish or stop it, then start this one.`;
}

/** Records a run and starts it in the background, unless another run is going on. */
export async function startBackgroundIngest(
  db: Database,
  startedBy: string,
  request: BackgroundIngestRequest,
): Promise<StartRunResult> {
  if (request.paths.length === 0) return { ok: false, error: 'There is no file to ingest.' };
  const [local] = state.active.keys();
  if (local !== undefined) return { ok: false, error: busyMessage(local), runningRunId: local };
  // Checked and set before the first await: two clicks arriving together start one run.
  if (state.starting) return { ok: false, error: 'Another run is being started; try again in a moment.' };
  state.starting = true;
  try {
    await markStaleRuns(db);
    const [running] = await db.allPrimary<{ id: number; started_by: string }>(
      sql`SELECT id, started_by FROM ${sql.raw(RUNS_TABLE)} WHERE status = 'running' ORDER BY id LIMIT 1`,
    );
    if (running) {
      const id = Number(running.id);
      return { ok: false, error: busyMessage(id, String(running.started_by)), runningRunId: id };
    }
    const options = {
      paths: request.paths,
      root: request.root,
      domain: request.domain,
      finalize: request.finalize ?? false,
      acceptRewrite: request.acceptRewrite ?? false,
      batchLines: SERVER_BATCH_LINES,
    };
    const runId = await startIngestRun(db, startedBy, options);
    const controller = new AbortController();
    const promise = runIngest(db, runId, { ...options, signal: controller.signal })
      .then(
        () => undefined,
        async (error: unknown) => {
          // A file gone since it was picked is the operator's news, on the run; anything else is the server's.
          if (!(error instanceof IngestUsageError)) console.error(`ingest: run ${runId} failed`, error);
          // runIngest records its own failures; this covers the case where even that write failed.
          await db
            .run(
              sql`UPDATE ${sql.raw(RUNS_TABLE)} SET status = 'failed', finished_at = ${nowIso()}, error = ${(error as Error).message ?? String(error)} WHERE id = ${runId} AND status = 'running'`,
            )
            .catch(() => undefined);
        },
      )
      .finally(() => {
        state.active.delete(runId);
      });
    state.active.set(runId, { controller, promise });
    return { ok: true, runId };
  } finally {
    state.starting = false;
  }
}

export type StopRunResult = { ok: true; message: string } | { ok: false; error: string };

/** Asks a run of this process to stop after the batch it is writing (committed batches stay). */
export async function stopIngestRun(db: Database, runId: number): Promise<StopRunResult> {
  const active = state.active.get(runId);
  if (active) {
    if (active.controller.signal.aborted) return { ok: true, message: `Run #${runId} is already stopping.` };
    active.controller.abort();
    return {
      ok: true,
      message: `Stopping run #${runId} after the batch being written; what was committed stays, and the next run resumes there.`,
    };
  }
  const [run] = await db.allPrimary<{ status: string; host: string; pid: number }>(
    sql`SELECT status, host, pid FROM ${sql.raw(RUNS_TABLE)} WHERE id = ${runId}`,
  );
  if (!run) return { ok: false, error: `There is no ingest run #${runId}.` };
  if (run.status !== 'running')
    return {
      ok: false,
      error: `Run #${runId} is not running: it ${run.status === 'interrupted' ? 'was interrupted' : run.status}.`,
    };
  return {
    ok: false,
    error: `Run #${runId} runs in another process (${String(run.host)}, pid ${Number(run.pid)}), e.g. the command line; stop it there (Ctrl-C).`,
  };
}
