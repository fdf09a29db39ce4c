/** The timeline's shape while the server reads it: filters, lanes, rows. */
export default function TimelineLoading() {
  const bar = 'animate-pulse rounded bg-zinc-200 dark:bg-zinc-800';
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only" role="status">
        Loading the timeline…
      </span>
      <div className={`h-8 w-40 ${bar}`} />
      <div className={`h-28 w-full rounded-xl ${bar}`} />
      <div className={`h-48 w-full rounded-xl ${bar}`} />
      <div className="space-y-2 rounded-xl border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
        {Array.from({ length: 10 }, (_, i) => (
          <div key={i} className="flex gap-3">
            <div className={`h-5 w-32 ${bar}`} />
            <div className={`h-5 w-24 ${bar}`} />
            <div className={`h-5 flex-1 ${bar}`} />
          </div>
        ))}
      </div>
    </div>
  );
}
