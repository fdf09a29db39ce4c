'use client';

import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { changeOwnPasswordAction } from '@/lib/settings/actions';
import { FormStatus } from './form-status';
import { useFormAction } from './use-form-action';

/** Change your own password: the current one is required; other sessions end, this one stays. */
export function ChangePasswordForm({ passwordHint }: { passwordHint: string }) {
  const { result, pending, onSubmit, fieldErrors } = useFormAction(changeOwnPasswordAction, {
    // Passwords never stay on screen once they are no longer needed.
    onSuccess: (_result, form) => form.reset(),
  });
  return (
    <form onSubmit={onSubmit} className="max-w-md space-y-4" noValidate aria-label="Change your password">
      <Field
        id="own-current-password"
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        errors={fieldErrors.currentPassword}
      />
      <Field
        id="own-new-password"
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        hint={passwordHint}
        errors={fieldErrors.newPassword}
      />
      <Field
        id="own-confirm-password"
        label="Repeat the new password"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        errors={fieldErrors.confirmPassword}
      />
      <p className="text-xs text-zinc-500">Your other sessions are signed out; this one stays signed in.</p>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? 'Changing…' : 'Change password'}
        </Button>
        <FormStatus result={result} />
      </div>
    </form>
  );
}
