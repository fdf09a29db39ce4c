/**
 * The rows' shape while the server reads a page of a table. Table pages check the table and the URL's
 * columns first and only then suspend on this, so an unknown name still answers with a real 404 status.
 */
export function TableRowsSkeleton() {
  const bar = 'animate-pulse rounded bg-zinc-200 dark:bg-zinc-800';
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only" role="status">
        Loading the rows…
      </span>
      <div className={`h-4 w-64 ${bar}`} />
      <div className={`h-10 w-full ${bar}`} />
      <div className="space-y-2 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800">
        {Array.from({ length: 12 }, (_, i) => (
          <div key={i} className={`h-5 w-full ${bar}`} />
        ))}
      </div>
    </div>
  );
}
