'use client';

import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { createOperatorAction } from '@/lib/settings/actions';
import { FormStatus } from './form-status';
import { ROLE_OPTIONS } from './role-options';
import { SelectField } from './select-field';
import { useFormAction } from './use-form-action';

/** Create an operator with a role and an initial password that the admin hands over. */
export function CreateOperatorForm({ passwordHint }: { passwordHint: string }) {
  const { result, pending, onSubmit, fieldErrors } = useFormAction(createOperatorAction, {
    // The inputs empty after a success: the initial password must not linger on screen.
    onSuccess: (_result, form) => form.reset(),
  });
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Create an operator" className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id="new-operator-username"
          label="Username"
          name="username"
          autoComplete="off"
          required
          hint="Letters, digits, dot, dash and underscore; stored in lower case."
          errors={fieldErrors.username}
        />
        <Field
          id="new-operator-display-name"
          label="Display name (optional)"
          name="displayName"
          autoComplete="off"
          errors={fieldErrors.displayName}
        />
        <SelectField
          id="new-operator-role"
          label="Role"
          name="role"
          options={ROLE_OPTIONS}
          defaultValue="viewer"
          errors={fieldErrors.role}
        />
        <Field
          id="new-operator-password"
          label="Initial password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={passwordHint}
          errors={fieldErrors.password}
        />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create operator'}
        </Button>
        <FormStatus result={result} />
      </div>
    </form>
  );
}
