'use client';

import { Button } from '@/components/ui/button';

/** A failed read is shown as such: an empty operator or token list during an outage would mislead. */
export default function SettingsError({ error, retry }: { error: unknown; retry: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <div
      role="alert"
      className="space-y-4 rounded-xl border border-red-200 bg-red-50 p-6 dark:border-red-900 dark:bg-red-950/40"
    >
      <h2 className="text-lg font-semibold text-red-800 dark:text-red-200">
        This part of Settings could not be loaded
      </h2>
      <p className="text-sm text-red-700 [overflow-wrap:anywhere] dark:text-red-300">
        {message || 'The server could not read the database.'}
        {digest && <span className="ml-2 font-mono text-xs opacity-70">(ref {digest})</span>}
      </p>
      <p className="text-sm text-red-700 dark:text-red-300">
        Nothing was changed. Try again once the database answers.
      </p>
      {/* retry re-reads the segment from the server (reset alone would re-render the same failure). */}
      <Button variant="secondary" onClick={() => retry()}>
        Try again
      </Button>
    </div>
  );
}
