import type { FormActionState } from './use-form-action';

/**
 * The result of a form, announced politely to screen readers. The live region is always rendered
 * (empty at first) so assistive technology is already listening when the message arrives.
 */
export function FormStatus({
  result,
  className = '',
  reserveSpace = true,
}: {
  result: FormActionState | null;
  className?: string;
  /** Keep one line of height while empty (beside a button), so the layout does not jump. */
  reserveSpace?: boolean;
}) {
  const tone = !result
    ? ''
    : result.ok
      ? 'text-emerald-700 dark:text-emerald-400'
      : 'text-red-600 dark:text-red-400';
  return (
    <p
      role="status"
      aria-live="polite"
      className={`${reserveSpace ? 'min-h-5' : ''} text-sm [overflow-wrap:anywhere] ${tone} ${className}`}
    >
      {result ? (result.ok ? result.message : result.error) : null}
    </p>
  );
}
