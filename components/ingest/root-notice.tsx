import Link from 'next/link';

/** FOUNDUPS_ROOT is unset or wrong: what is wrong and how to set it. */
export function RootNotice({ problems }: { problems: string[] }) {
  return (
    <div
      role="alert"
      className="space-y-2 rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <p className="font-medium">
        An audit cannot run until FOUNDUPS_ROOT names the FoundUps system’s folder.
      </p>
      <ul className="list-disc pl-5">
        {problems.map((problem) => (
          <li key={problem} className="[overflow-wrap:anywhere]">
            {problem}
          </li>
        ))}
      </ul>
      <p>
        Set it in the console’s environment and restart it, for example{' '}
        <code className="rounded bg-white/60 px-1 font-mono text-xs dark:bg-black/30">
          FOUNDUPS_ROOT=/srv/Foundups-Agent npm start
        </code>
        . From a shell,{' '}
        <code className="rounded bg-white/60 px-1 font-mono text-xs dark:bg-black/30">
          npx foundups audit /path/to/root
        </code>{' '}
        stores a report this screen shows.{' '}
        <Link href="/ingest/upload" className="underline">
          Uploading a file
        </Link>{' '}
        works without it.
      </p>
    </div>
  );
}
