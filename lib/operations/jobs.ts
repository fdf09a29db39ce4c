// Background work started from the screens (a backup, a retention execution): one of each kind at a
// time per server process, its progress kept in memory and polled by the page. The outcome is also
// in the database (modules_console_backups / modules_console_retention_runs), which outlives the process.

export type JobKind = 'backup' | 'retention';

export interface JobState {
  kind: JobKind;
  status: 'running' | 'done' | 'failed';
  /** 0..1, or null when unknown. */
  fraction: number | null;
  message: string;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

const globalForJobs = globalThis as typeof globalThis & { __foundupsOperationJobs?: Map<JobKind, JobState> };
const jobs = (globalForJobs.__foundupsOperationJobs ??= new Map());

export function currentJob(kind: JobKind): JobState | null {
  const job = jobs.get(kind);
  return job ? { ...job } : null;
}

/**
 * Starts `work` in the background unless a job of that kind runs; returns false when one does.
 * `work` reports progress through `update` and its result message when it resolves.
 */
export function startJob(
  kind: JobKind,
  startedBy: string,
  message: string,
  work: (update: (fraction: number | null, message: string) => void) => Promise<string>,
): boolean {
  if (jobs.get(kind)?.status === 'running') return false;
  const job: JobState = {
    kind,
    status: 'running',
    fraction: 0,
    message,
    startedBy,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    error: null,
  };
  jobs.set(kind, job);
  const update = (fraction: number | null, text: string) => {
    job.fraction = fraction;
    job.message = text;
  };
  void work(update).then(
    (result) => {
      job.status = 'done';
      job.fraction = 1;
      job.message = result;
      job.finishedAt = new Date().toISOString();
    },
    (error: unknown) => {
      job.status = 'failed';
      job.error = (error as Error).message;
      job.message = 'Failed.';
      job.finishedAt = new Date().toISOString();
    },
  );
  return true;
}
