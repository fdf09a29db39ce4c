'use client';

import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';

/**
 * A destructive action that asks first, in place: the first button reveals the question and the
 * confirming button (focused, so Enter confirms; Escape or Cancel backs out and focus returns).
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  pending,
  onSubmit,
  hidden,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  pending: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  /** Hidden inputs naming what the action applies to. */
  hidden: Record<string, string>;
}) {
  const [asking, setAsking] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    // Back from the question: focus the first button again instead of losing it to the page.
    if (wasAsking.current && !asking) wrapper.current?.querySelector('button')?.focus();
    wasAsking.current = asking;
  }, [asking]);

  return (
    <div ref={wrapper}>
      {asking ? (
        <form
          onSubmit={(event) => {
            onSubmit(event);
            setAsking(false);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setAsking(false);
          }}
          className="flex flex-wrap items-center gap-2 rounded-md border border-red-200 text-left sm:w-72 bg-red-50 p-2 dark:border-red-900 dark:bg-red-950/40"
          role="group"
          aria-label={question}
        >
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <span className="text-xs text-red-800 dark:text-red-200">{question}</span>
          <Button type="submit" variant="danger" className="h-8 px-2 text-xs" disabled={pending} autoFocus>
            {confirmLabel}
          </Button>
          <Button type="button" variant="ghost" className="h-8 px-2 text-xs" onClick={() => setAsking(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <Button
          type="button"
          variant="secondary"
          className="h-8 px-2 text-xs"
          onClick={() => setAsking(true)}
          disabled={pending}
        >
          {label}
        </Button>
      )}
    </div>
  );
}
