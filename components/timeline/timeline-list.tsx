import Link from 'next/link';
import type { TimelineEvent, TimelinePage } from '@/lib/timeline/queries';
import { SeverityBadge } from './severity-badge';
import { PARAM, formatUtc, newerParams, olderParams } from './timeline-params';

/** Link to an event's detail, keeping the list's filters so "Back to the list" returns to the same view. */
export function eventHref(event: Pick<TimelineEvent, 'source' | 'id'>, params: string): string {
  const path = `/timeline/${encodeURIComponent(event.source)}/${encodeURIComponent(event.id)}`;
  return params ? `${path}?${params}` : path;
}

const CELL = 'px-3 py-2 align-top';

/** Events of the filtered range, newest first, with keyset paging ("← Newer" / "Older →"). */
export function TimelineList({
  page,
  params,
  range,
  caption = 'Events',
}: {
  page: TimelinePage;
  params: string;
  range: { from: Date; to: Date };
  caption?: string;
}) {
  const current = new URLSearchParams(params);
  const deep = current.has(PARAM.cursor);
  const href = (next: URLSearchParams) => `?${next.toString()}`;
  return (
    <section
      aria-label={caption}
      className="rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h2 className="text-sm font-semibold">
          {caption}{' '}
          <span className="font-normal text-zinc-500">
            {formatUtc(range.from.toISOString())} – {formatUtc(range.to.toISOString())} UTC
            {deep ? ' · older page' : ''}
          </span>
        </h2>
        <Pager
          newer={deep ? href(newerParams(current)) : null}
          older={page.nextCursor ? href(olderParams(current, page.nextCursor)) : null}
        />
      </div>
      {page.events.length === 0 ? (
        <div
          className="px-4 py-10 text-center text-sm text-zinc-600 dark:text-zinc-400"
          data-testid="timeline-empty"
        >
          <p className="font-medium">No events in this range{deep ? ' past this point' : ''}.</p>
          <p className="mt-1">
            Widen the time range or clear some filters
            {page.sources.length === 0 ? ' (no event source table exists in this database)' : ''}.
          </p>
        </div>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="bg-zinc-50 text-left text-xs text-zinc-500 dark:bg-zinc-950">
              <tr>
                <th className={CELL}>Time (UTC)</th>
                <th className={CELL}>Source</th>
                <th className={`${CELL} hidden lg:table-cell`}>Module</th>
                <th className={CELL}>Actor</th>
                <th className={`${CELL} hidden md:table-cell`}>Type</th>
                <th className={CELL}>Severity</th>
                <th className={CELL}>Summary</th>
              </tr>
            </thead>
            <tbody>
              {page.events.map((event) => (
                <tr
                  key={`${event.source}:${event.id}`}
                  data-event={`${event.source}:${event.id}`}
                  className="border-t border-zinc-100 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/50"
                >
                  <td className={`${CELL} font-mono text-xs whitespace-nowrap`}>
                    <Link
                      href={eventHref(event, params)}
                      className="text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {event.at ? formatUtc(event.at, true) : event.time || '—'}
                    </Link>
                  </td>
                  <td className={`${CELL} whitespace-nowrap`}>{event.sourceLabel}</td>
                  <td className={`${CELL} hidden lg:table-cell`}>{event.module ?? '—'}</td>
                  <td className={`${CELL} [overflow-wrap:anywhere]`}>{event.actor ?? '—'}</td>
                  <td className={`${CELL} hidden [overflow-wrap:anywhere] md:table-cell`}>
                    {event.type ?? '—'}
                  </td>
                  <td className={CELL}>
                    <SeverityBadge severity={event.severity} />
                  </td>
                  <td className={`${CELL} max-w-xl [overflow-wrap:anywhere]`}>
                    <Link href={eventHref(event, params)} className="hover:underline">
                      {event.summary || '(no summary)'}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.events.length > 0 && (
        <div className="flex justify-end border-t border-zinc-200 px-4 py-2 dark:border-zinc-800">
          <Pager
            newer={deep ? href(newerParams(current)) : null}
            older={page.nextCursor ? href(olderParams(current, page.nextCursor)) : null}
          />
        </div>
      )}
    </section>
  );
}

function Pager({ newer, older }: { newer: string | null; older: string | null }) {
  const link =
    'rounded-md border border-zinc-300 px-3 py-1 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800';
  const off = 'rounded-md border border-zinc-200 px-3 py-1 text-sm text-zinc-400 dark:border-zinc-800';
  return (
    <nav aria-label="Pages" className="flex gap-2">
      {newer ? (
        <Link href={newer} className={link} rel="prev">
          ← Newer
        </Link>
      ) : (
        <span className={off} aria-disabled="true">
          ← Newer
        </span>
      )}
      {older ? (
        <Link href={older} className={link} rel="next">
          Older →
        </Link>
      ) : (
        <span className={off} aria-disabled="true">
          Older →
        </span>
      )}
    </nav>
  );
}
