/** The Settings section's shape while the server reads it. */
export default function SettingsLoading() {
  const bar = 'animate-pulse rounded bg-zinc-200 dark:bg-zinc-800';
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only" role="status">
        Loading settings…
      </span>
      <div className="grid gap-6 lg:grid-cols-2">
        <div className={`h-48 rounded-xl ${bar}`} />
        <div className={`h-48 rounded-xl ${bar}`} />
      </div>
      <div className={`h-40 rounded-xl ${bar}`} />
    </div>
  );
}
