'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';

type Result = { ok: true; message: string } | { ok: false; error: string };

/**
 * A button that runs a server action and says what happened next to it (aria-live), then refreshes the
 * page so the job it started shows up.
 */
export function ActionButton({
  action,
  children,
  variant = 'secondary',
  confirm,
  className = '',
  title,
}: {
  action: () => Promise<Result>;
  children: React.ReactNode;
  /** link: a small text button for actions inside table cells. */
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost' | 'link';
  confirm?: string;
  className?: string;
  title?: string;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [outcome, setOutcome] = useState<Result | null>(null);
  // A success note ("Scan started.") describes a moment; the job's own status takes over, so the note
  // goes after a while instead of contradicting it once the job is done. Errors stay until the next try.
  useEffect(() => {
    if (!outcome?.ok) return;
    const timer = setTimeout(() => setOutcome(null), 8_000);
    return () => clearTimeout(timer);
  }, [outcome]);
  const onClick = () => {
    if (confirm && !window.confirm(confirm)) return;
    start(async () => {
      try {
        setOutcome(await action());
      } catch {
        setOutcome({ ok: false, error: 'The server did not answer; try again.' });
      }
      router.refresh();
    });
  };
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {variant === 'link' ? (
        <button
          type="button"
          className={`text-xs text-sky-700 underline decoration-dotted underline-offset-2 hover:decoration-solid disabled:opacity-50 dark:text-sky-400 ${className}`}
          disabled={pending}
          title={title}
          aria-busy={pending || undefined}
          onClick={onClick}
        >
          {pending ? 'Working…' : children}
        </button>
      ) : (
        <Button
          type="button"
          variant={variant}
          className={`px-2 py-1 text-xs ${className}`}
          disabled={pending}
          title={title}
          aria-busy={pending || undefined}
          onClick={onClick}
        >
          {pending ? 'Working…' : children}
        </Button>
      )}
      <span
        aria-live="polite"
        className={`text-xs ${outcome?.ok === false ? 'text-red-600 dark:text-red-400' : 'text-zinc-500'}`}
      >
        {outcome ? (outcome.ok ? outcome.message : outcome.error) : null}
      </span>
    </span>
  );
}
