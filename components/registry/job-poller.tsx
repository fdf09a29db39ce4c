'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * While background work runs, re-reads the page from the server every `intervalMs` (the server
 * component reads the job records); stops once nothing runs. Pauses while the tab is hidden.
 */
export function JobPoller({ active, intervalMs = 1500 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return null;
}
