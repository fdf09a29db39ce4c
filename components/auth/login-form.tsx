'use client';

import { useActionState } from 'react';
import { type FormState, login } from '@/lib/auth/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

export function LoginForm({ next }: { next?: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(login, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="next" value={next ?? '/'} />
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
        autoComplete="current-password"
        required
        errors={state.fieldErrors?.password}
      />
      <div
        aria-live="polite"
        className="min-h-5 text-sm text-red-600 dark:text-red-400"
        role={state.error ? 'alert' : undefined}
      >
        {state.error}
      </div>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
