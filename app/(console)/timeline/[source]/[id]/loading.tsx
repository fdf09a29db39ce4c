/** An event's shape while its correlated events are read. */
export default function TimelineEventLoading() {
  const bar = 'animate-pulse rounded bg-zinc-200 dark:bg-zinc-800';
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only" role="status">
        Loading the event…
      </span>
      <div className={`h-4 w-48 ${bar}`} />
      <div className={`h-8 w-80 ${bar}`} />
      <div className={`h-4 w-96 max-w-full ${bar}`} />
      <div className={`h-72 rounded-xl ${bar}`} />
      <div className={`h-48 rounded-xl ${bar}`} />
    </div>
  );
}
