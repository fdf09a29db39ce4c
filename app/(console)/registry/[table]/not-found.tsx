import Link from 'next/link';

/** An unknown table, column or view state: the name is checked against the catalogue and refused. */
export default function TableNotFound() {
  return (
    <div className="space-y-3" role="alert">
      <h1 className="text-xl font-semibold">No such table or view</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The database has no table or view by that name, or the address names a column it does not have, or a
        filter, sort or page the browser does not understand.
      </p>
      <Link href="/registry" className="text-sm text-sky-700 underline dark:text-sky-400">
        Back to the registry
      </Link>
    </div>
  );
}
