'use client';

import { Button } from '@/components/ui/button';

/** The error state of the operations screens: what failed, and a retry. */
export function OperationsError({
  title,
  error,
  reset,
}: {
  title: string;
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div
      role="alert"
      className="space-y-4 rounded-xl border border-red-200 bg-red-50 p-6 dark:border-red-900 dark:bg-red-950/40"
    >
      <h1 className="text-lg font-semibold text-red-800 dark:text-red-200">{title}</h1>
      <p className="text-sm text-red-700 [overflow-wrap:anywhere] dark:text-red-300">
        {error.message || 'The server could not read what this screen shows.'}
        {error.digest && <span className="ml-2 font-mono text-xs opacity-70">(ref {error.digest})</span>}
      </p>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
