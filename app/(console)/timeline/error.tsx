'use client';

import Link from 'next/link';
import { Button } from '@/components/ui/button';

/** A failed read is shown, never turned into an empty timeline: "nothing happened" would be a lie. */
export default function TimelineError({ error, retry }: { error: unknown; retry: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <div
      role="alert"
      className="space-y-4 rounded-xl border border-red-200 bg-red-50 p-6 dark:border-red-900 dark:bg-red-950/40"
    >
      <h1 className="text-lg font-semibold text-red-800 dark:text-red-200">
        The timeline could not be loaded
      </h1>
      <p className="text-sm text-red-700 [overflow-wrap:anywhere] dark:text-red-300">
        {message || 'The server could not read the events.'}
        {digest && <span className="ml-2 font-mono text-xs opacity-70">(ref {digest})</span>}
      </p>
      <div className="flex gap-2">
        <Button variant="secondary" onClick={() => retry()}>
          Try again
        </Button>
        <Link
          href="/timeline"
          className="inline-flex items-center px-3 text-sm text-red-800 underline dark:text-red-200"
        >
          Open the default view
        </Link>
      </div>
    </div>
  );
}
