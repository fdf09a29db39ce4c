/** The Ingest screen's shape while the server reads it. */
export default function IngestLoading() {
  const bar = 'animate-pulse rounded bg-zinc-200 dark:bg-zinc-800';
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only" role="status">
        Loading the ingest screen…
      </span>
      <div className={`h-24 w-full rounded-xl ${bar}`} />
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
        {[0, 1, 2, 3, 4].map((i) => (
          <div key={i} className={`h-24 rounded-xl ${bar}`} />
        ))}
      </div>
      {[0, 1].map((i) => (
        <div
          key={i}
          className="space-y-2 rounded-xl border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900"
        >
          <div className={`h-5 w-48 ${bar}`} />
          {[0, 1, 2].map((j) => (
            <div key={j} className="flex gap-3">
              <div className={`h-5 flex-1 ${bar}`} />
              <div className={`h-5 w-16 ${bar}`} />
              <div className={`h-5 w-20 ${bar}`} />
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
