import { JobStatus } from '@/components/registry/job-status';
import type { JobRecord } from '@/lib/registry/jobs';

/** The running scan's progress bar, or what the last scan found. */
export function ScanStatus({ scan, now }: { scan: JobRecord | null; now: Date }) {
  if (!scan) return <p className="text-sm text-zinc-500">No scan has run yet.</p>;
  if (scan.status === 'running') {
    const total = scan.progressTotal;
    const percent = total ? Math.round((scan.progressDone / total) * 100) : null;
    return (
      <div className="space-y-2" role="status" aria-live="polite" data-testid="scan-progress">
        <div className="flex items-center justify-between text-sm">
          <span className="font-medium">
            Scan in progress
            {total ? `: ${scan.progressDone} of ${total} files inspected` : ': looking for SQLite files'}
          </span>
          {percent !== null && <span className="text-zinc-500 tabular-nums">{percent}%</span>}
        </div>
        <div className="h-2 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800" aria-hidden>
          <div
            className={`h-full rounded-full bg-sky-500 ${percent === null ? 'w-1/3 animate-pulse' : ''}`}
            style={percent === null ? undefined : { width: `${Math.max(percent, 2)}%` }}
          />
        </div>
        <p className="text-xs text-zinc-500">{scan.message} The page keeps working while the scan runs.</p>
      </div>
    );
  }
  return (
    <div data-testid="scan-progress">
      <JobStatus job={scan} now={now} />
    </div>
  );
}
