'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { type OperationsActionResult, deletePolicyAction, savePolicyAction } from '@/lib/operations/actions';

const input =
  'rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm shadow-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900';

/**
 * One policy as an editable row-form (keep days, enabled), or — with `sources` — the form adding one.
 * Saving or removing a policy never deletes rows: only an executed dry run does.
 */
export function RetentionPolicyForm({
  source,
  label,
  keepDays,
  enabled,
  sources,
}: {
  source?: string;
  label?: string;
  keepDays?: number;
  enabled?: boolean;
  /** Sources without a policy yet: this is the "add" form. */
  sources?: { id: string; label: string; table: string }[];
}) {
  const router = useRouter();
  const id = useId();
  const [pending, start] = useTransition();
  const [result, setResult] = useState<OperationsActionResult | null>(null);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  const submit = (form: FormData) =>
    start(async () => {
      try {
        setResult(await savePolicyAction(form));
      } catch {
        setResult({ ok: false, error: 'The server did not answer; nothing was saved.' });
      }
      router.refresh();
    });
  const remove = () =>
    start(async () => {
      if (!source || !window.confirm(`Remove the ${source} policy? Its rows stay; nothing is deleted.`))
        return;
      setResult(await deletePolicyAction({ source: source as never }));
      router.refresh();
    });
  const adding = sources !== undefined;
  if (adding && sources.length === 0)
    return <p className="text-sm text-zinc-500">Every telemetry source has a policy.</p>;
  return (
    <form
      action={submit}
      className="flex flex-wrap items-end gap-3"
      aria-label={adding ? 'Add a policy' : `Policy for ${label}`}
    >
      {adding ? (
        <div className="space-y-1">
          <label
            htmlFor={`${id}-source`}
            className="block text-xs font-medium text-zinc-600 dark:text-zinc-400"
          >
            Source
          </label>
          <select
            id={`${id}-source`}
            name="source"
            className={input}
            aria-invalid={errors?.source ? true : undefined}
          >
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label} ({s.table})
              </option>
            ))}
          </select>
        </div>
      ) : (
        <input type="hidden" name="source" value={source} />
      )}
      <div className="space-y-1">
        <label htmlFor={`${id}-days`} className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Keep days{adding ? '' : <span className="sr-only"> for {label}</span>}
        </label>
        <input
          id={`${id}-days`}
          name="keepDays"
          type="number"
          min={1}
          max={36500}
          required
          defaultValue={keepDays ?? 30}
          className={`${input} w-24 tabular-nums`}
          aria-invalid={errors?.keepDays ? true : undefined}
          aria-describedby={errors?.keepDays ? `${id}-error` : undefined}
        />
      </div>
      <label className="flex items-center gap-2 pb-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={enabled ?? true} /> Enabled
      </label>
      <Button
        type="submit"
        variant={adding ? 'primary' : 'secondary'}
        disabled={pending}
        className="px-2 py-1 text-xs"
      >
        {pending ? 'Saving…' : adding ? 'Add policy' : 'Save'}
      </Button>
      {!adding && (
        <Button
          type="button"
          variant="ghost"
          disabled={pending}
          onClick={remove}
          className="px-2 py-1 text-xs"
        >
          Remove<span className="sr-only"> the {label} policy</span>
        </Button>
      )}
      <span
        id={`${id}-error`}
        role="status"
        aria-live="polite"
        className={`pb-2 text-xs ${result?.ok === false ? 'text-red-600 dark:text-red-400' : 'text-emerald-700 dark:text-emerald-400'}`}
      >
        {result
          ? result.ok
            ? result.message
            : [result.error, ...Object.values(result.fieldErrors ?? {}).flat()].join(' ')
          : null}
      </span>
    </form>
  );
}
