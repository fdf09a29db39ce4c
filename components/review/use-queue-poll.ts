'use client';

import { useEffect, useRef, useState } from 'react';
import { pollQueueAction } from '@/lib/review/actions';
import type { StatusCounts } from '@/lib/review/queries';

export const QUEUE_POLL_MS = 10_000;

export interface QueuePollState {
  newCount: number;
  counts: StatusCounts | null;
  checkedAt: string | null;
  error: string | null;
}

/**
 * Asks the server every QUEUE_POLL_MS how many posts matching the queue's filters arrived after the
 * newest one shown, and for fresh tab counts. Paused while the tab is hidden; checks at once when
 * it becomes visible again. Never changes the rows: the operator decides when to load them.
 */
export function useQueuePoll(search: string, newestId: number): QueuePollState {
  const [state, setState] = useState<QueuePollState>({
    newCount: 0,
    counts: null,
    checkedAt: null,
    error: null,
  });
  const [seen, setSeen] = useState({ search, newestId });
  if (seen.search !== search || seen.newestId !== newestId) {
    // The page was reloaded with newer rows (or another view): what was new is shown now.
    setSeen({ search, newestId });
    setState((current) => ({ ...current, newCount: 0 }));
  }
  const inFlight = useRef(false);

  useEffect(() => {
    let cancelled = false;
    async function check() {
      if (document.hidden || inFlight.current) return;
      inFlight.current = true;
      try {
        const result = await pollQueueAction({ search, afterId: newestId });
        if (cancelled) return;
        if (result.ok)
          setState({ newCount: result.newCount, counts: result.counts, checkedAt: result.at, error: null });
        else setState((current) => ({ ...current, error: result.error }));
      } catch {
        if (!cancelled)
          setState((current) => ({ ...current, error: 'Live updates paused: the server did not answer.' }));
      } finally {
        inFlight.current = false;
      }
    }
    const timer = window.setInterval(check, QUEUE_POLL_MS);
    const onVisible = () => {
      if (!document.hidden) void check();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      cancelled = true;
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [search, newestId]);

  return state;
}
