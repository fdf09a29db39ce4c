'use client';

import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { createApiTokenAction } from '@/lib/settings/actions';
import { FormStatus } from './form-status';
import { TokenSecret } from './token-secret';
import { useFormAction } from './use-form-action';

export interface ScopeOption {
  value: string;
  description: string;
}

/** Create an API token: name, scopes, optional expiry. The secret is shown once, below the form. */
export function CreateTokenForm({
  scopes,
  maxExpiryDays,
}: {
  scopes: readonly ScopeOption[];
  maxExpiryDays: number;
}) {
  const { result, pending, onSubmit, fieldErrors, clear } = useFormAction(createApiTokenAction, {
    onSuccess: (_result, form) => form.reset(),
  });
  const scopeErrors = fieldErrors.scopes;
  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} noValidate aria-label="Create an API token" className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="new-token-name"
            label="Name"
            name="name"
            autoComplete="off"
            required
            hint="Which agent uses it, e.g. “linkedin publisher”."
            errors={fieldErrors.name}
          />
          <Field
            id="new-token-expiry"
            label="Expires after (days, optional)"
            name="expiresInDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={maxExpiryDays}
            step={1}
            hint="Leave empty for a token that does not expire."
            errors={fieldErrors.expiresInDays}
          />
        </div>
        <fieldset
          aria-describedby={scopeErrors?.length ? 'new-token-scopes-error' : undefined}
          aria-invalid={scopeErrors?.length ? true : undefined}
        >
          <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Scopes</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {scopes.map((scope) => (
              <label
                key={scope.value}
                className="flex items-start gap-2 rounded-md border border-zinc-200 p-2 text-sm has-[:checked]:border-sky-500 has-[:checked]:bg-sky-50 dark:border-zinc-800 dark:has-[:checked]:bg-sky-950/30"
              >
                <input type="checkbox" name="scopes" value={scope.value} className="mt-0.5" />
                <span>
                  <span className="font-mono text-xs">{scope.value}</span>
                  <span className="block text-xs text-zinc-500">{scope.description}</span>
                </span>
              </label>
            ))}
          </div>
          {scopeErrors?.length ? (
            <p id="new-token-scopes-error" className="mt-1 text-xs text-red-600 dark:text-red-400">
              {scopeErrors.join(' ')}
            </p>
          ) : null}
        </fieldset>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={pending}>
            {pending ? 'Creating…' : 'Create token'}
          </Button>
          <FormStatus result={result} />
        </div>
      </form>
      {result?.ok && (
        <TokenSecret key={result.secret} name={result.token.name} secret={result.secret} onDone={clear} />
      )}
    </div>
  );
}
