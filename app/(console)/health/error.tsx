'use client';

import { OperationsError } from '@/components/operations/operations-error';

export default function HealthError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <OperationsError title="The Health screen could not be shown" error={error} reset={reset} />;
}
