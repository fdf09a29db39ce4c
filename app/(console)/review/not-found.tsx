import Link from 'next/link';

export default function ReviewPostNotFound() {
  return (
    <div className="space-y-3">
      <h1 className="text-xl font-semibold">No such post</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        There is no post with this id. Posts are never deleted by the console; check the link.
      </p>
      <Link href="/review" className="text-sm text-sky-700 underline dark:text-sky-400">
        Back to the review queue
      </Link>
    </div>
  );
}
