import { type Database, sql } from '@/db/database';
import type { RegistryJobRow } from '@/db/schema/sqlite/registry';
import { nowIso } from '@/lib/time/format';

/**
 * Background work with a record the page can poll (modules_console_registry_jobs): the request that
 * starts a job returns at once; the work runs in this process (its SQLite reads in worker processes)
 * and reports progress on the record. A job whose heartbeat stops (the server restarted mid-job) is
 * shown as interrupted, never as running forever.
 */

export const JOB_KINDS = [
  'count',
  'sizes',
  'quick_check',
  'integrity_check',
  'analyze',
  'checkpoint',
  'satellite_scan',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type JobStatus = 'running' | 'done' | 'failed' | 'interrupted';

export const JOB_HEARTBEAT_MS = 5_000;
/** A running job whose heartbeat is older than this was interrupted (server restart or crash). */
export const JOB_STALE_MS = 60_000;

export interface JobRecord {
  id: number;
  kind: JobKind;
  target: string | null;
  status: JobStatus;
  progressDone: number;
  progressTotal: number | null;
  message: string | null;
  result: unknown;
  error: string | null;
  startedBy: string;
  startedAt: string;
  heartbeatAt: string;
  finishedAt: string | null;
}

type JobDbRow = {
  [
    K in keyof RegistryJobRow as K extends 'progressDone'
      ? 'progress_done'
      : K extends 'progressTotal'
        ? 'progress_total'
        : K extends 'resultJson'
          ? 'result_json'
          : K extends 'startedBy'
            ? 'started_by'
            : K extends 'startedAt'
              ? 'started_at'
              : K extends 'heartbeatAt'
                ? 'heartbeat_at'
                : K extends 'finishedAt'
                  ? 'finished_at'
                  : K
  ]: unknown;
};

function parseResult(text: unknown): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function toJobRecord(row: JobDbRow, now: Date = new Date()): JobRecord {
  const heartbeatAt = String(row.heartbeat_at);
  const stale = row.status === 'running' && now.getTime() - Date.parse(heartbeatAt) > JOB_STALE_MS;
  return {
    id: Number(row.id),
    kind: String(row.kind) as JobKind,
    target: row.target === null || row.target === undefined ? null : String(row.target),
    status: stale ? 'interrupted' : (String(row.status) as JobStatus),
    progressDone: Number(row.progress_done ?? 0),
    progressTotal:
      row.progress_total === null || row.progress_total === undefined ? null : Number(row.progress_total),
    message: row.message === null || row.message === undefined ? null : String(row.message),
    result: parseResult(row.result_json),
    error: stale
      ? 'Interrupted: the server stopped while this job ran; start it again.'
      : row.error === null || row.error === undefined
        ? null
        : String(row.error),
    startedBy: String(row.started_by),
    startedAt: String(row.started_at),
    heartbeatAt,
    finishedAt: row.finished_at === null || row.finished_at === undefined ? null : String(row.finished_at),
  };
}

export interface JobProgress {
  readonly id: number;
  /** Records progress (written at most every second, and always when `force`). */
  progress(done: number, total?: number | null, message?: string | null, force?: boolean): Promise<void>;
}

const globalForJobs = globalThis as typeof globalThis & {
  __foundupsRegistryJobs?: Map<number, Promise<void>>;
};
const running = (globalForJobs.__foundupsRegistryJobs ??= new Map());

/** The in-process promise of a job started by this process (tests and scripts wait on it). */
export function jobSettled(id: number): Promise<void> {
  return running.get(id) ?? Promise.resolve();
}

export interface StartJobResult {
  job: JobRecord;
  /** False when the same job (kind and target) was already running: that one is returned. */
  started: boolean;
}

function staleBefore(now: Date): string {
  return new Date(now.getTime() - JOB_STALE_MS).toISOString();
}

/**
 * Starts `work` in the background unless the same job is running already (checked and recorded in one
 * write transaction, so two clicks start one job). Resolves once the record exists.
 */
export async function startJob(
  db: Database,
  spec: { kind: JobKind; target?: string | null; startedBy: string },
  work: (job: JobProgress) => Promise<{ result?: unknown; message?: string | null } | void>,
): Promise<StartJobResult> {
  const now = new Date();
  const at = nowIso(now);
  const target = spec.target ?? null;
  const sameTarget = target === null ? sql`target IS NULL` : sql`target = ${target}`;
  const [existing, inserted] = await db.transaction([
    sql`SELECT * FROM modules_console_registry_jobs WHERE kind = ${spec.kind} AND ${sameTarget} AND status = 'running' AND heartbeat_at > ${staleBefore(now)} ORDER BY id DESC LIMIT 1`,
    (results) =>
      results[0]!.rows.length > 0
        ? null
        : sql`INSERT INTO modules_console_registry_jobs (kind, target, status, progress_done, started_by, started_at, heartbeat_at)
              VALUES (${spec.kind}, ${target}, 'running', 0, ${spec.startedBy}, ${at}, ${at}) RETURNING *`,
  ]);
  const already = existing?.rows[0];
  if (already) return { job: toJobRecord(already as JobDbRow, now), started: false };
  const row = inserted?.rows[0];
  if (!row) throw new Error('The job could not be recorded.');
  const job = toJobRecord(row as JobDbRow, now);
  let lastWrite = 0;
  const progress: JobProgress = {
    id: job.id,
    async progress(done, total, message, force = false) {
      const t = Date.now();
      if (!force && t - lastWrite < 1000) return;
      lastWrite = t;
      await db.run(
        sql`UPDATE modules_console_registry_jobs SET progress_done = ${done}, progress_total = COALESCE(${total ?? null}, progress_total),
            message = COALESCE(${message ?? null}, message), heartbeat_at = ${nowIso()} WHERE id = ${job.id} AND status = 'running'`,
      );
    },
  };
  const heartbeat = setInterval(() => {
    db.run(
      sql`UPDATE modules_console_registry_jobs SET heartbeat_at = ${nowIso()} WHERE id = ${job.id} AND status = 'running'`,
    ).catch(() => undefined);
  }, JOB_HEARTBEAT_MS);
  heartbeat.unref?.();
  const promise = (async () => {
    try {
      const outcome = (await work(progress)) ?? {};
      await db.run(
        sql`UPDATE modules_console_registry_jobs SET status = 'done', result_json = ${outcome.result === undefined ? null : JSON.stringify(outcome.result)},
            message = COALESCE(${outcome.message ?? null}, message), finished_at = ${nowIso()}, heartbeat_at = ${nowIso()} WHERE id = ${job.id}`,
      );
    } catch (error) {
      await db
        .run(
          sql`UPDATE modules_console_registry_jobs SET status = 'failed', error = ${(error as Error).message ?? String(error)}, finished_at = ${nowIso()}, heartbeat_at = ${nowIso()} WHERE id = ${job.id}`,
        )
        .catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
      running.delete(job.id);
    }
  })();
  running.set(job.id, promise);
  return { job, started: true };
}

export async function getJob(db: Database, id: number): Promise<JobRecord | null> {
  const row = await db.get<JobDbRow>(sql`SELECT * FROM modules_console_registry_jobs WHERE id = ${id}`);
  return row ? toJobRecord(row) : null;
}

/** The latest job of each (kind, target) among `kinds`, newest first. */
export async function latestJobs(db: Database, kinds: readonly JobKind[], limit = 50): Promise<JobRecord[]> {
  if (kinds.length === 0) return [];
  const rows = await db.all<JobDbRow>(
    sql`SELECT * FROM modules_console_registry_jobs WHERE id IN (
          SELECT max(id) FROM modules_console_registry_jobs WHERE kind IN (${sql.join(
            kinds.map((kind) => sql`${kind}`),
            sql`, `,
          )}) GROUP BY kind, target
        ) ORDER BY id DESC LIMIT ${limit}`,
  );
  const now = new Date();
  return rows.map((row) => toJobRecord(row, now));
}
