import Link from 'next/link';

export default function TimelineEventNotFound() {
  return (
    <div className="space-y-3 rounded-xl border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <h1 className="text-lg font-semibold">No such event</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The source is unknown (or its table does not exist here) or the row is gone.
      </p>
      <Link href="/timeline" className="text-sm text-sky-700 underline dark:text-sky-400">
        Open the timeline
      </Link>
    </div>
  );
}
