'use client';

import { OperationsError } from '@/components/operations/operations-error';

export default function BackupsError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <OperationsError title="The Backups screen could not be shown" error={error} reset={reset} />;
}
