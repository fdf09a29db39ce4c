'use client';

import { type FormEvent, useCallback, useState, useTransition } from 'react';

/** What every Settings action answers (validatedAction's failures have the same shape). */
export type FormActionState =
  { ok: true; message: string } | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

const UNREACHABLE: FormActionState = {
  ok: false,
  error: 'The server did not answer. Nothing may have changed: reload the page to see the current state.',
};

/**
 * Submits a form to a server action and keeps its result. The form is submitted by hand (not through
 * `<form action>`) so React does not reset the inputs when the server refuses them: the operator fixes
 * the field that is wrong instead of typing everything again. `onSuccess` may reset the form.
 */
export function useFormAction<R extends FormActionState>(
  action: (form: FormData) => Promise<R | Extract<FormActionState, { ok: false }>>,
  options: {
    onSuccess?: (result: Extract<R, { ok: true }>, form: HTMLFormElement) => void;
    /** Every answer, success or not (e.g. to show a row's latest result in one place). */
    onResult?: (result: R | Extract<FormActionState, { ok: false }>) => void;
  } = {},
) {
  const [result, setResult] = useState<R | Extract<FormActionState, { ok: false }> | null>(null);
  const [pending, startTransition] = useTransition();
  const { onSuccess, onResult } = options;

  const onSubmit = useCallback(
    (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const form = event.currentTarget;
      const data = new FormData(form);
      startTransition(async () => {
        let next: R | Extract<FormActionState, { ok: false }>;
        try {
          next = await action(data);
        } catch {
          next = UNREACHABLE as Extract<FormActionState, { ok: false }>;
        }
        startTransition(() => {
          setResult(next);
          onResult?.(next);
          if (next.ok) onSuccess?.(next as Extract<R, { ok: true }>, form);
        });
      });
    },
    [action, onSuccess, onResult],
  );

  const fieldErrors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  return { result, pending, onSubmit, fieldErrors, clear: () => setResult(null) };
}
