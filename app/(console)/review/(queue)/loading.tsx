/** The queue's shape while the server reads it: tabs, filters, rows. */
export default function ReviewLoading() {
  const bar = 'animate-pulse rounded bg-zinc-200 dark:bg-zinc-800';
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only" role="status">
        Loading the review queue…
      </span>
      <div className={`h-8 w-48 ${bar}`} />
      <div className="flex gap-2">
        {[0, 1, 2, 3, 4, 5].map((i) => (
          <div key={i} className={`h-8 w-28 ${bar}`} />
        ))}
      </div>
      <div className={`h-16 w-full rounded-xl ${bar}`} />
      <div className="space-y-2 rounded-xl border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
        {Array.from({ length: 10 }, (_, i) => (
          <div key={i} className="flex gap-3">
            <div className={`h-5 w-16 ${bar}`} />
            <div className={`hidden h-5 w-24 md:block ${bar}`} />
            <div className={`h-5 flex-1 ${bar}`} />
          </div>
        ))}
      </div>
    </div>
  );
}
