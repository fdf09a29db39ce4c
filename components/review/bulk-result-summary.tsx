'use client';

import type { BulkItemResult } from '@/lib/review/transitions';

export interface BulkOutcome {
  action: 'approve' | 'reject';
  message: string;
  results: BulkItemResult[];
  /** Labels of the posts as they were when selected (they may have left the page since). */
  labels: Record<string, string>;
}

/** What happened to each post of a bulk decision: every post is its own guarded write. */
export function BulkResultSummary({ outcome, onDismiss }: { outcome: BulkOutcome; onDismiss: () => void }) {
  const failed = outcome.results.filter((result) => !result.ok);
  const succeeded = outcome.results.filter((result) => result.ok);
  return (
    <section
      aria-label="Result of the bulk decision"
      data-testid="bulk-summary"
      className={`rounded-xl border p-3 text-sm ${
        failed.length
          ? 'border-amber-300 bg-amber-50 dark:border-amber-800 dark:bg-amber-950/40'
          : 'border-emerald-300 bg-emerald-50 dark:border-emerald-800 dark:bg-emerald-950/40'
      }`}
    >
      <div className="flex items-start justify-between gap-3">
        <p className="font-medium">{outcome.message}</p>
        <button
          type="button"
          onClick={onDismiss}
          className="rounded px-2 text-zinc-600 hover:bg-black/5 dark:text-zinc-300"
          aria-label="Dismiss the summary"
        >
          ×
        </button>
      </div>
      {failed.length > 0 && (
        <ul className="mt-2 space-y-1">
          {failed.map((result) => (
            <li key={result.postId} className="[overflow-wrap:anywhere]">
              <span className="font-medium" dir="auto">
                {outcome.labels[result.postId] ?? result.postId}
              </span>
              : {result.ok ? '' : result.message}
            </li>
          ))}
        </ul>
      )}
      {succeeded.length > 0 && (
        <details className="mt-2">
          <summary className="cursor-pointer text-xs text-zinc-600 dark:text-zinc-400">
            {succeeded.length} {outcome.action === 'approve' ? 'approved' : 'rejected'}
          </summary>
          <ul className="mt-1 space-y-0.5 text-xs">
            {succeeded.map((result) => (
              <li key={result.postId} dir="auto" className="[overflow-wrap:anywhere]">
                {outcome.labels[result.postId] ?? result.postId}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
