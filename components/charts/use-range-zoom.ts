'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/** Smallest range a zoom sets: below a minute the charts' buckets cannot show more. */
const MIN_ZOOM_MS = 60_000;

/**
 * Sets the timeline's range to [from, to) in the URL (a history entry, so Back undoes a zoom) and
 * starts the list at the newest event of the new range. Parameter names match lib/timeline/validations.ts.
 */
export function useRangeZoom(): (from: number, to: number) => void {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  return useCallback(
    (a: number, b: number) => {
      let from = Math.min(a, b);
      let to = Math.max(a, b);
      if (!Number.isFinite(from) || !Number.isFinite(to)) return;
      if (to - from < MIN_ZOOM_MS) {
        const middle = (from + to) / 2;
        from = middle - MIN_ZOOM_MS / 2;
        to = middle + MIN_ZOOM_MS / 2;
      }
      const next = new URLSearchParams(searchParams);
      for (const name of ['range', 'cursor', 'back']) next.delete(name);
      next.set('from', new Date(Math.floor(from / 1000) * 1000).toISOString());
      next.set('to', new Date(Math.ceil(to / 1000) * 1000).toISOString());
      router.push(`${pathname}?${next.toString()}`, { scroll: false });
    },
    [router, pathname, searchParams],
  );
}
