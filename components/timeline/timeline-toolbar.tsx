'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { withoutPosition } from './timeline-params';

const POLL_MS = 15_000;

/**
 * Heading, exports of the filtered list and the live "N new" notice. New events are counted, never
 * inserted: the list the operator reads does not shift until they choose to show the new ones. Polling
 * stops while the tab is hidden and resumes (with an immediate check) when it is shown again.
 */
export function TimelineToolbar({
  params,
  topCursor,
  loadedAt,
  live,
  title = 'Timeline',
}: {
  /** The page's search params (filters, range, cursor). */
  params: string;
  /** Cursor of the newest event shown (null when reading an older page or an empty list). */
  topCursor: string | null;
  loadedAt: string;
  /** Only an open-ended (preset) range can receive new events. */
  live: boolean;
  title?: string;
}) {
  const router = useRouter();
  const [fresh, setFresh] = useState<{ count: number; capped: boolean } | null>(null);
  const filtersOnly = withoutPosition(new URLSearchParams(params));

  useEffect(() => {
    if (!live) return;
    const query = withoutPosition(new URLSearchParams(params));
    if (topCursor) query.set('since', topCursor);
    else query.set('at', loadedAt);
    let timer: number | undefined;
    let controller: AbortController | undefined;
    const check = async () => {
      controller?.abort();
      controller = new AbortController();
      try {
        const response = await fetch(`/api/timeline/new?${query.toString()}`, {
          signal: controller.signal,
          cache: 'no-store',
        });
        if (response.ok) setFresh((await response.json()) as { count: number; capped: boolean });
      } catch {
        // A failed poll (offline, aborted) is retried on the next tick; the list itself is unaffected.
      }
    };
    // Polls only while the tab is visible: a hidden tab makes no requests at all, and showing it
    // again checks at once (what arrived meanwhile) before the regular polling resumes.
    const schedule = () => {
      window.clearInterval(timer);
      timer =
        document.visibilityState === 'visible' ? window.setInterval(() => void check(), POLL_MS) : undefined;
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void check();
      else controller?.abort();
      schedule();
    };
    schedule();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.clearInterval(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [params, topCursor, loadedAt, live]);

  const exportHref = (format: 'csv' | 'json') => {
    const query = new URLSearchParams(filtersOnly);
    query.set('format', format);
    return `/api/timeline/export?${query.toString()}`;
  };
  const showNew = () => {
    setFresh(null);
    const search = filtersOnly.toString();
    router.replace(search ? `?${search}` : '?', { scroll: false });
    router.refresh();
  };

  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <div className="flex flex-wrap items-center gap-2">
        {fresh && fresh.count > 0 && (
          <button
            type="button"
            role="status"
            onClick={showNew}
            className="rounded-full bg-sky-600 px-3 py-1 text-sm font-medium text-white hover:bg-sky-500"
          >
            {fresh.capped ? `${fresh.count}+` : fresh.count} new {fresh.count === 1 ? 'event' : 'events'} —
            show
          </button>
        )}
        {!live && <span className="text-xs text-zinc-500">Fixed range: live updates off</span>}
        <a
          href={exportHref('csv')}
          className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
          download
        >
          Export CSV
        </a>
        <a
          href={exportHref('json')}
          className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
          download
        >
          Export JSON
        </a>
      </div>
    </div>
  );
}
