import type { JobRecord } from '@/lib/registry/jobs';
import { formatAge } from '@/lib/time/format';
import { Badge } from './badge';

/** One background job's state in a line: running with progress, done with its message, failed with why. */
export function JobStatus({ job, now }: { job: JobRecord; now: Date }) {
  const when = job.finishedAt ?? job.startedAt;
  const age = `${formatAge(new Date(when), now)} ago`;
  if (job.status === 'running') {
    const total = job.progressTotal;
    const percent = total ? Math.round((job.progressDone / total) * 100) : null;
    return (
      <span
        className="inline-flex flex-wrap items-center gap-2 text-xs text-zinc-600 dark:text-zinc-300"
        role="status"
      >
        <Badge tone="info">running</Badge>
        {percent !== null && (
          <span className="inline-flex items-center gap-1">
            <span className="h-1.5 w-24 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800" aria-hidden>
              <span className="block h-full bg-sky-500" style={{ width: `${percent}%` }} />
            </span>
            {job.progressDone} / {total}
          </span>
        )}
        <span>{job.message ?? `started ${age} by ${job.startedBy}`}</span>
      </span>
    );
  }
  if (job.status === 'done') {
    return (
      <span className="inline-flex flex-wrap items-center gap-2 text-xs text-zinc-600 dark:text-zinc-300">
        <Badge tone="success">done</Badge>
        <span>
          {job.message}{' '}
          <span className="text-zinc-400">
            ({age}, {job.startedBy})
          </span>
        </span>
      </span>
    );
  }
  return (
    <span
      className="inline-flex flex-wrap items-center gap-2 text-xs text-red-700 dark:text-red-300"
      role="alert"
    >
      <Badge tone="danger">{job.status}</Badge>
      <span className="[overflow-wrap:anywhere]">
        {job.error} <span className="text-zinc-400">({age})</span>
      </span>
    </span>
  );
}
