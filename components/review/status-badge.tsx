import { isPostStatus, statusLabel } from '@/lib/review/workflow';

const TONES: Record<string, string> = {
  draft: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
  pending_review: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
  approved: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  rejected: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300',
  posted: 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300',
};

/** A post status; unknown values (from agents) are shown as they are, with a dashed outline. */
export function StatusBadge({ status }: { status: string | null }) {
  const known = isPostStatus(status);
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${
        known
          ? TONES[status]
          : 'border border-dashed border-purple-400 font-mono text-purple-800 dark:border-purple-600 dark:text-purple-300'
      }`}
      title={known ? undefined : 'A status the console does not know: shown as stored, not actionable here.'}
    >
      {statusLabel(status)}
    </span>
  );
}
