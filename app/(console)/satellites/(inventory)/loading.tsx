export default function SatellitesLoading() {
  const bar = 'animate-pulse rounded bg-zinc-200 dark:bg-zinc-800';
  return (
    <div aria-busy="true" className="space-y-6">
      <span className="sr-only" role="status">
        Loading the satellite inventory…
      </span>
      <div className={`h-8 w-40 ${bar}`} />
      <div className={`h-24 w-full rounded-xl ${bar}`} />
      <div className={`h-64 w-full rounded-xl ${bar}`} />
    </div>
  );
}
