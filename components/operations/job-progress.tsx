'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { ProgressBar } from '@/components/ingest/progress-bar';
import type { JobView } from '@/lib/operations/actions';

const POLL_MS = 700;

/**
 * A background job's progress, polled while it runs (and the tab is visible); when it ends, the page
 * is refreshed so the lists catch up. `running` starts polling (e.g. right after the button started it).
 */
export function JobProgress({
  initial,
  poll,
  label,
  watch,
}: {
  initial: JobView;
  poll: () => Promise<JobView | { ok: false; error: string }>;
  label: string;
  /** Changes when the caller started a job: polling begins. */
  watch: number;
}) {
  const router = useRouter();
  const [job, setJob] = useState<JobView>(initial);
  const wasRunning = useRef(initial?.status === 'running');
  const polling = job?.status === 'running' || watch > 0;

  useEffect(() => {
    if (!polling) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (document.visibilityState === 'visible') {
        try {
          const next = await poll();
          if (cancelled) return;
          if (next && 'ok' in next) return;
          setJob(next);
          if (next?.status === 'running') wasRunning.current = true;
          else if (wasRunning.current || watch > 0) {
            wasRunning.current = false;
            router.refresh();
            return;
          }
        } catch {
          // The next tick tries again.
        }
      }
      if (!cancelled) timer = setTimeout(tick, POLL_MS);
    };
    void tick();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [polling, poll, router, watch]);

  if (!job) return null;
  return (
    <div className="space-y-2" aria-live="polite">
      {job.status === 'running' ? (
        <>
          <ProgressBar fraction={job.fraction} label={label} />
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{job.message}</p>
        </>
      ) : job.status === 'done' ? (
        <p role="status" className="text-sm text-emerald-700 [overflow-wrap:anywhere] dark:text-emerald-400">
          {job.message}
        </p>
      ) : (
        <p role="alert" className="text-sm text-red-700 [overflow-wrap:anywhere] dark:text-red-400">
          {job.error}
        </p>
      )}
    </div>
  );
}
