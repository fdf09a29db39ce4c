'use client';

import { useId } from 'react';
import { Button } from '@/components/ui/button';
import { MAX_NOTE_LENGTH } from '@/lib/review/validations';

/** Shown while posts are selected: one note for all, approve or reject them together. */
export function BulkActionBar({
  count,
  note,
  onNoteChange,
  error,
  pending,
  rejectArmed,
  onApprove,
  onReject,
  onClear,
  noteRef,
}: {
  count: number;
  note: string;
  onNoteChange: (note: string) => void;
  error: string | null;
  pending: boolean;
  rejectArmed: boolean;
  onApprove: () => void;
  onReject: () => void;
  onClear: () => void;
  noteRef: React.Ref<HTMLTextAreaElement>;
}) {
  const id = useId();
  return (
    <section
      aria-label="Decide the selected posts"
      className="flex flex-col gap-3 rounded-xl border border-sky-300 bg-sky-50 p-3 md:flex-row md:items-start dark:border-sky-800 dark:bg-sky-950/40"
    >
      <p className="text-sm font-medium whitespace-nowrap md:pt-2" aria-live="polite">
        {count} selected
      </p>
      <div className="min-w-0 flex-1 space-y-1">
        <label htmlFor={id} className="sr-only">
          Note for all selected posts (required to reject)
        </label>
        <textarea
          ref={noteRef}
          id={id}
          rows={rejectArmed ? 2 : 1}
          maxLength={MAX_NOTE_LENGTH}
          value={note}
          onChange={(event) => onNoteChange(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              onReject();
            }
          }}
          placeholder={
            rejectArmed
              ? 'Why are these rejected? Ctrl+Enter rejects all selected.'
              : 'Note for all (optional to approve, required to reject)'
          }
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900"
          dir="auto"
        />
        {error && (
          <p id={`${id}-error`} className="text-xs text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="button" onClick={onApprove} disabled={pending}>
          {pending ? 'Working…' : `Approve ${count}`}
        </Button>
        <Button type="button" variant="danger" onClick={onReject} disabled={pending}>
          Reject {count}
        </Button>
        <Button type="button" variant="ghost" onClick={onClear} disabled={pending}>
          Clear
        </Button>
      </div>
    </section>
  );
}
