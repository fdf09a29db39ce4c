export default function SqlLoading() {
  const bar = 'animate-pulse rounded bg-zinc-200 dark:bg-zinc-800';
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only" role="status">
        Loading the SQL console…
      </span>
      <div className={`h-8 w-24 ${bar}`} />
      <div className={`h-56 w-full rounded-md ${bar}`} />
    </div>
  );
}
