'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useTransition } from 'react';

/**
 * Replaces the current URL's search params (router.replace: filters and pages are not history
 * entries) inside a transition, so tables can show that the server is loading the new state.
 */
export function useUrlReplace(): { replace: (params: URLSearchParams) => void; pending: boolean } {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const replace = useCallback(
    (params: URLSearchParams) => {
      const search = params.toString();
      startTransition(() => router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false }));
    },
    [router, pathname],
  );
  return { replace, pending };
}
