/** The focus view's shape while the post, its history and its neighbours are read. */
export default function ReviewPostLoading() {
  const bar = 'animate-pulse rounded bg-zinc-200 dark:bg-zinc-800';
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only" role="status">
        Loading the post…
      </span>
      <div className="flex justify-between">
        <div className={`h-5 w-36 ${bar}`} />
        <div className={`h-8 w-48 ${bar}`} />
      </div>
      <div className={`h-7 w-64 ${bar}`} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-4">
          <div className={`h-48 rounded-xl ${bar}`} />
          <div className={`h-32 rounded-xl ${bar}`} />
          <div className={`h-40 rounded-xl ${bar}`} />
        </div>
        <div className="space-y-4">
          <div className={`h-56 rounded-xl ${bar}`} />
          <div className={`h-40 rounded-xl ${bar}`} />
        </div>
      </div>
    </div>
  );
}
