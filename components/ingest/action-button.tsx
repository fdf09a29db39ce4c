'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import type { IngestActionResult } from '@/lib/ingest/actions';

const UNREACHABLE: IngestActionResult = {
  ok: false,
  error: 'The server did not answer. Reload the page to see whether anything started.',
};

/**
 * Runs one of the Ingest actions and says what happened beside the button (aria-live), then refreshes
 * the page so a run it started shows up with its progress.
 */
export function IngestActionButton({
  action,
  children,
  pendingLabel = 'Working…',
  variant = 'secondary',
  size = 'sm',
  confirm,
  disabled = false,
  title,
  onResult,
  followHref = '#latest-run',
}: {
  action: () => Promise<IngestActionResult>;
  children: React.ReactNode;
  pendingLabel?: string;
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  size?: 'sm' | 'md';
  confirm?: string;
  disabled?: boolean;
  /** Why the button is disabled, or what it does. */
  title?: string;
  onResult?: (result: IngestActionResult) => void;
  /** Where a started run's progress is shown (a link appears with the result). */
  followHref?: string;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [outcome, setOutcome] = useState<IngestActionResult | null>(null);
  const onClick = () => {
    if (confirm && !window.confirm(confirm)) return;
    start(async () => {
      let result: IngestActionResult;
      try {
        result = await action();
      } catch {
        result = UNREACHABLE;
      }
      setOutcome(result);
      onResult?.(result);
      router.refresh();
    });
  };
  return (
    <span className="inline-flex max-w-full flex-wrap items-center gap-2">
      <Button
        type="button"
        variant={variant}
        className={`whitespace-nowrap ${size === 'sm' ? 'px-2 py-1 text-xs' : ''}`}
        disabled={pending || disabled}
        aria-busy={pending || undefined}
        title={title}
        onClick={onClick}
      >
        {pending ? pendingLabel : children}
      </Button>
      <span
        role="status"
        aria-live="polite"
        className={`text-xs [overflow-wrap:anywhere] ${
          outcome?.ok === false ? 'text-red-600 dark:text-red-400' : 'text-emerald-700 dark:text-emerald-400'
        }`}
      >
        {outcome ? (outcome.ok ? outcome.message : outcome.error) : null}
        {outcome?.ok && outcome.runId !== undefined && followHref && (
          <>
            {' '}
            <a href={followHref} className="text-sky-700 underline dark:text-sky-400">
              Follow its progress
            </a>
          </>
        )}
      </span>
    </span>
  );
}
