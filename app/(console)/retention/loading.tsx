export default function RetentionLoading() {
  const bar = 'animate-pulse rounded bg-zinc-200 dark:bg-zinc-800';
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only" role="status">
        Loading the retention policies…
      </span>
      <div className={`h-8 w-32 ${bar}`} />
      <div className={`h-24 w-full rounded-xl ${bar}`} />
      <div className={`h-64 w-full rounded-xl ${bar}`} />
    </div>
  );
}
