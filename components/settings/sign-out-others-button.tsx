'use client';

import { Button } from '@/components/ui/button';
import { signOutOtherSessionsAction } from '@/lib/settings/actions';
import { FormStatus } from './form-status';
import { useFormAction } from './use-form-action';

export function SignOutOthersButton({ otherSessions }: { otherSessions: number }) {
  const { result, pending, onSubmit } = useFormAction(signOutOtherSessionsAction);
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-3">
      <Button type="submit" variant="secondary" disabled={pending || otherSessions === 0}>
        {pending ? 'Signing out…' : 'Sign out other sessions'}
      </Button>
      <FormStatus result={result} />
    </form>
  );
}
