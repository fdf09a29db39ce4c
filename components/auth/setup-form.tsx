'use client';

import { useActionState } from 'react';
import { type FormState, setupFirstAdmin } from '@/lib/auth/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

export function SetupForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(setupFirstAdmin, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <Field
        label="Username"
        name="username"
        autoComplete="username"
        required
        defaultValue={state.username}
        errors={state.fieldErrors?.username}
        autoFocus
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 10 characters, not containing the username."
        errors={state.fieldErrors?.password}
      />
      <Field
        label="Repeat password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        errors={state.fieldErrors?.confirm}
      />
      <div
        aria-live="polite"
        className="min-h-5 text-sm text-red-600 dark:text-red-400"
        role={state.error ? 'alert' : undefined}
      >
        {state.error}
      </div>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Creating…' : 'Create admin and sign in'}
      </Button>
    </form>
  );
}
