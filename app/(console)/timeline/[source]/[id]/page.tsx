import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { SeverityBadge } from '@/components/timeline/severity-badge';
import { eventHref } from '@/components/timeline/timeline-list';
import { formatUtc, withoutPosition } from '@/components/timeline/timeline-params';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { CORRELATION_WINDOW_MS, getCorrelatedEvents, getTimelineEvent } from '@/lib/timeline/queries';

export const metadata: Metadata = { title: 'Timeline event' };

type SearchParams = Record<string, string | string[] | undefined>;

function listParams(input: SearchParams): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(input))
    for (const entry of ([] as string[]).concat(value ?? [])) params.append(name, entry);
  return params.toString();
}

/** A stored value as text: JSON values pretty-printed, everything shown as text (never as HTML). */
function ValueCell({ value, json }: { value: unknown; json?: unknown }) {
  if (json !== undefined)
    return (
      <pre className="max-h-96 overflow-auto rounded bg-zinc-50 p-2 font-mono text-xs whitespace-pre-wrap [overflow-wrap:anywhere] dark:bg-zinc-950">
        {JSON.stringify(json, null, 2)}
      </pre>
    );
  if (value === null || value === undefined) return <span className="text-zinc-400 italic">NULL</span>;
  return (
    <span className="font-mono text-xs whitespace-pre-wrap [overflow-wrap:anywhere]">
      {typeof value === 'string' ? value : String(value)}
    </span>
  );
}

export default async function TimelineEventPage({
  params,
  searchParams,
}: {
  params: Promise<{ source: string; id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  await requireOperator('viewer');
  const { source, id } = await params;
  const back = listParams(await searchParams);
  const db = await getDb();
  const event = await getTimelineEvent(db, decodeURIComponent(source), decodeURIComponent(id));
  if (!event) notFound();
  const correlated = await getCorrelatedEvents(db, event);
  const listHref = back ? `/timeline?${back}` : '/timeline';
  const actorHref = event.actor ? `/timeline/agent/${encodeURIComponent(event.actor)}?range=7d` : null;
  // The registry browser filtered to this row (f.<column>=eq:<value>, its URL format).
  const registryHref = `/registry/${encodeURIComponent(event.table)}?${new URLSearchParams([
    [`f.${event.primaryKeyColumn}`, `eq:${event.id}`],
  ]).toString()}`;
  // Correlated events open with the same list filters minus the page position.
  const correlatedParams = withoutPosition(new URLSearchParams(back)).toString();

  return (
    <div className="space-y-4">
      <nav className="text-sm">
        <Link href={listHref} className="text-sky-700 hover:underline dark:text-sky-400">
          ← Back to the timeline
        </Link>
      </nav>
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold [overflow-wrap:anywhere]">{event.summary || '(no summary)'}</h1>
        <p className="flex flex-wrap items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
          <SeverityBadge severity={event.severity} />
          <span>{event.sourceLabel}</span>
          <span>·</span>
          <span className="font-mono">
            {event.at ? `${event.at.slice(0, 19).replace('T', ' ')} UTC` : event.time}
          </span>
          {event.actor && (
            <>
              <span>·</span>
              <span>
                actor{' '}
                {actorHref ? (
                  <Link href={actorHref} className="text-sky-700 hover:underline dark:text-sky-400">
                    {event.actor}
                  </Link>
                ) : (
                  event.actor
                )}
              </span>
            </>
          )}
          {event.type && (
            <>
              <span>·</span>
              <span>{event.type}</span>
            </>
          )}
        </p>
      </header>

      <section
        aria-label="Columns"
        className="rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <h2 className="text-sm font-semibold">
            Row {event.primaryKeyColumn} = {event.id} of <span className="font-mono">{event.table}</span>
          </h2>
          <Link href={registryHref} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
            Open {event.table} in the registry browser
          </Link>
        </div>
        <table className="w-full text-sm">
          <tbody>
            {event.columns.map((column) => (
              <tr
                key={column.name}
                className="border-t border-zinc-100 first:border-t-0 dark:border-zinc-800"
              >
                <th
                  scope="row"
                  className="w-48 px-4 py-2 text-left align-top font-mono text-xs font-medium text-zinc-600 dark:text-zinc-400"
                >
                  {column.name}
                </th>
                <td className="px-4 py-2 align-top">
                  <ValueCell value={column.value} json={column.json} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section
        aria-label="Correlated events"
        className="rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <div className="border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <h2 className="text-sm font-semibold">
            Other sources within ±{CORRELATION_WINDOW_MS / 60_000} minutes{' '}
            <span className="font-normal text-zinc-500">({correlated.length})</span>
          </h2>
        </div>
        {!event.at ? (
          <p className="px-4 py-6 text-center text-sm text-zinc-500">
            This row&apos;s time is not a readable time, so nothing can be matched to it.
          </p>
        ) : correlated.length === 0 ? (
          <p className="px-4 py-6 text-center text-sm text-zinc-500">
            No events of other sources around this one.
          </p>
        ) : (
          <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
            {correlated.map((other) => (
              <li
                key={`${other.source}:${other.id}`}
                className="flex flex-wrap items-baseline gap-3 px-4 py-2"
              >
                <span className="font-mono text-xs whitespace-nowrap">{formatUtc(other.at, true)}</span>
                <span className="w-36 shrink-0 whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                  {other.sourceLabel}
                </span>
                <SeverityBadge severity={other.severity} />
                <span className="text-zinc-600 dark:text-zinc-400">{other.actor ?? '—'}</span>
                <Link
                  href={eventHref(other, correlatedParams)}
                  className="min-w-0 flex-1 [overflow-wrap:anywhere] hover:underline"
                >
                  {other.summary || '(no summary)'}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
