/** The registry's shape while the server reads the catalogue. */
export default function RegistryLoading() {
  const bar = 'animate-pulse rounded bg-zinc-200 dark:bg-zinc-800';
  return (
    <div aria-busy="true" className="space-y-6">
      <span className="sr-only" role="status">
        Loading the registry…
      </span>
      <div className={`h-8 w-40 ${bar}`} />
      <div className={`h-28 w-full rounded-xl ${bar}`} />
      {[0, 1, 2].map((group) => (
        <div key={group} className="space-y-2 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800">
          <div className={`h-5 w-56 ${bar}`} />
          {[0, 1, 2, 3].map((row) => (
            <div key={row} className="flex gap-3">
              <div className={`h-5 w-64 ${bar}`} />
              <div className={`h-5 w-20 ${bar}`} />
              <div className={`h-5 flex-1 ${bar}`} />
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
