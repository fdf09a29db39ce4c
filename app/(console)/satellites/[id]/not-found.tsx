import Link from 'next/link';

export default function SatelliteNotFound() {
  return (
    <div className="space-y-3" role="alert">
      <h1 className="text-xl font-semibold">No such satellite file or table</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Only files a scan recorded can be opened, while they are still under FOUNDUPS_ROOT; and only tables
        and columns the file&apos;s own catalogue lists.
      </p>
      <Link href="/satellites" className="text-sm text-sky-700 underline dark:text-sky-400">
        Back to the satellites
      </Link>
    </div>
  );
}
