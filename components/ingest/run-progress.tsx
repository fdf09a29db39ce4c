'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { RunView } from '@/app/api/ingest/_lib/run-view';
import { stopIngestRunAction } from '@/lib/ingest/actions';
import { IngestActionButton } from './action-button';
import { count, formatClock, formatDuration, formatWhen } from './format';
import { ProgressBar } from './progress-bar';
import { reconciliationText } from './reconciliation';
import { rejectsHref } from './search-params';
import { RunFileBadge, RunStatusBadge } from './status-badges';

const POLL_MS = 1000;
const QUIET_STATES: ReadonlySet<string> = new Set(['ingested', 'up_to_date']);

/**
 * One ingest run, live: while it runs, its state is fetched about once a second (only while the tab
 * is visible); when it ends, the page is refreshed so file statuses and the runs list catch up.
 */
export function RunProgress({
  initial,
  maxFiles = 8,
  showTitle = true,
}: {
  initial: RunView;
  /** Files listed (the run's page lists them all). */
  maxFiles?: number;
  showTitle?: boolean;
}) {
  const router = useRouter();
  const [run, setRun] = useState(initial);
  const [pollError, setPollError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // A newer server render (another run, or this one refreshed) replaces the local state.
  const [seen, setSeen] = useState(initial);
  if (seen !== initial) {
    setSeen(initial);
    setRun(initial);
  }
  const running = run.status === 'running';
  const runId = run.id;

  useEffect(() => {
    if (!running) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      timer = undefined;
      if (document.visibilityState === 'visible') {
        try {
          const response = await fetch(`/api/ingest/runs/${runId}`, { cache: 'no-store' });
          const body = (await response.json()) as { run?: RunView; error?: { message: string } };
          if (cancelled) return;
          if (response.ok && body.run) {
            setPollError(null);
            setRun(body.run);
            if (body.run.status !== 'running') {
              setAnnouncement(`Run #${runId} ${body.run.status}.`);
              router.refresh();
              return;
            }
          } else {
            setPollError(body.error?.message ?? `The server answered ${response.status}.`);
          }
        } catch {
          if (!cancelled) setPollError('Lost contact with the server; trying again…');
        }
      }
      if (!cancelled) timer = setTimeout(tick, POLL_MS);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible' && timer !== undefined) {
        clearTimeout(timer);
        void tick();
      }
    };
    timer = setTimeout(tick, POLL_MS);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      cancelled = true;
      if (timer !== undefined) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [running, runId, router]);

  const progress = run.progress;
  const fraction = running
    ? progress && progress.bytesTotal > 0
      ? progress.bytesDone / progress.bytesTotal
      : null
    : run.status === 'succeeded'
      ? 1
      : progress && progress.bytesTotal > 0
        ? progress.bytesDone / progress.bytesTotal
        : 0;
  // While running, every file's progress; afterwards only the files that need attention (the
  // validation report has them all).
  const listed = running ? run.files : run.files.filter((file) => !QUIET_STATES.has(file.state));
  const files = listed.slice(0, maxFiles);
  const moreFiles = (running ? run.filesTotal : listed.length) - files.length;

  return (
    <div className="space-y-3" data-testid="run-progress" data-run-id={run.id} data-status={run.status}>
      <span className="sr-only" role="status" aria-live="polite">
        {announcement}
      </span>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          {showTitle && (
            <Link href={`/ingest/runs/${run.id}`} className="font-semibold hover:underline">
              Run #{run.id}
            </Link>
          )}
          <RunStatusBadge status={run.status} />
          <span className="text-xs text-zinc-500 [overflow-wrap:anywhere]">
            {run.scope}
            {run.domain ? ` as ${run.domain}` : ''} · started by {run.startedBy}, {formatWhen(run.startedAt)}
            {run.durationMs !== null ? ` · took ${formatDuration(run.durationMs)}` : ''}
          </span>
        </div>
        {run.stoppable && (
          <IngestActionButton
            action={() => stopIngestRunAction({ runId: run.id })}
            pendingLabel="Stopping…"
            title="Stop after the batch being written; committed batches stay"
          >
            Stop
          </IngestActionButton>
        )}
      </div>
      <ProgressBar
        fraction={fraction}
        label={`Run #${run.id} progress`}
        className="h-3 w-full"
        tone={run.status === 'succeeded' ? 'emerald' : run.status === 'running' ? 'sky' : 'amber'}
      />
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-3 lg:grid-cols-6">
        <Stat
          label="Rows read"
          value={count(progress?.linesDone ?? run.counters.linesRead - run.counters.alreadyPresent)}
        />
        <Stat label="Inserted" value={count(run.counters.inserted)} />
        <Stat label="Rejected" value={count(run.counters.rejected)} />
        <Stat label="Rows/s" value={progress ? count(progress.linesPerSecond) : '—'} />
        <Stat
          label={running ? 'ETA' : 'Elapsed'}
          value={running ? formatClock(progress?.etaSeconds ?? null) : formatDuration(run.durationMs)}
        />
        <Stat
          label="Files"
          value={`${progress ? Math.min(progress.filesDone, run.filesTotal) : run.status === 'running' ? 0 : run.filesTotal} of ${run.filesTotal}`}
        />
      </dl>
      {run.currentFile && running && (
        <p className="text-xs text-zinc-500 [overflow-wrap:anywhere]">
          Reading <span className="font-mono">{run.currentFile}</span>
        </p>
      )}
      {files.length > 0 && (
        <ul className="space-y-1.5" aria-label={`Files of run #${run.id}`}>
          {files.map((file) => (
            <li
              key={file.path}
              className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 gap-y-0.5 text-xs"
            >
              <span className="truncate font-mono" title={file.path}>
                {file.relativePath}
              </span>
              <span className="flex items-center gap-2">
                <span className="hidden tabular-nums text-zinc-500 sm:inline">
                  {count(file.inserted)} in · {count(file.rejected)} rejected
                </span>
                <RunFileBadge state={file.state} />
              </span>
              <ProgressBar
                fraction={file.state === 'waiting' ? 0 : file.fraction}
                className="col-span-2 h-1 w-full"
                tone={file.state === 'ingested' || file.state === 'up_to_date' ? 'emerald' : 'sky'}
              />
              {file.message && !running && (
                <span className="col-span-2 text-zinc-500 [overflow-wrap:anywhere]">{file.message}</span>
              )}
            </li>
          ))}
          {maxFiles > 0 && moreFiles > 0 && (
            <li className="text-xs text-zinc-500">
              and {count(moreFiles)} more —{' '}
              <Link className="underline" href={`/ingest/runs/${run.id}`}>
                see the run
              </Link>
            </li>
          )}
        </ul>
      )}
      {!running && (
        <div className="space-y-1 text-sm">
          <p className="tabular-nums" data-testid="run-reconciliation">
            {reconciliationText(run.counters)}{' '}
            {run.reconciled === true ? (
              <span className="font-medium text-emerald-700 dark:text-emerald-400">✓ reconciles</span>
            ) : run.reconciled === false ? (
              <span className="font-medium text-red-700 dark:text-red-400">✗ does not reconcile</span>
            ) : null}
          </p>
          {run.error && (
            <p className="text-red-700 [overflow-wrap:anywhere] dark:text-red-300">{run.error}</p>
          )}
          <p className="flex flex-wrap gap-x-4 gap-y-1">
            {showTitle && (
              <Link className="text-sky-700 underline dark:text-sky-400" href={`/ingest/runs/${run.id}`}>
                Validation report
              </Link>
            )}
            {run.counters.rejected > 0 && (
              <Link
                className="text-sky-700 underline dark:text-sky-400"
                href={rejectsHref({ runId: run.id })}
              >
                {count(run.counters.rejected)} rejected line{run.counters.rejected === 1 ? '' : 's'}
              </Link>
            )}
          </p>
        </div>
      )}
      {pollError && (
        <p role="alert" className="text-xs text-amber-700 dark:text-amber-300">
          {pollError}
        </p>
      )}
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="font-medium tabular-nums">{value}</dd>
    </div>
  );
}
