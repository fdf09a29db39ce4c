import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { TimelineLanesSection } from '@/components/timeline/timeline-lanes-section';
import { TimelineList } from '@/components/timeline/timeline-list';
import { TimelineToolbar } from '@/components/timeline/timeline-toolbar';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import {
  InvalidCursorError,
  type TimelinePage,
  getActorTimeline,
  getEventVolume,
  resolveSources,
} from '@/lib/timeline/queries';
import { parseTimelineSearchParams, resolveRange, toTimelineFilters } from '@/lib/timeline/validations';

export const metadata: Metadata = { title: 'Agent timeline' };

type SearchParams = Record<string, string | string[] | undefined>;

const PRESET_LINKS = ['1h', '24h', '7d', '30d'] as const;

/**
 * Everything one agent (daemon, user) did across every source — permissions, confidence, chat, posts,
 * errors… — in the range: events per source, the lanes, and the merged list with keyset pages.
 */
export default async function AgentTimelinePage({
  params,
  searchParams,
}: {
  params: Promise<{ actor: string }>;
  searchParams: Promise<SearchParams>;
}) {
  await requireOperator('viewer');
  const actor = decodeURIComponent((await params).actor);
  const input = await searchParams;
  const db = await getDb();
  const resolved = await resolveSources(db);
  const { state, problems } = parseTimelineSearchParams(input, {
    knownSources: resolved.sources.map((source) => source.id),
  });
  const now = new Date();
  const { actors: _ignored, ...filters } = toTimelineFilters(state, now);
  const range = resolveRange(state.range, now);
  const urlParams = new URLSearchParams();
  for (const [name, value] of Object.entries(input))
    for (const entry of ([] as string[]).concat(value ?? []))
      if (name !== 'actor') urlParams.append(name, entry);
  let page: TimelinePage;
  try {
    page = await getActorTimeline(db, actor, filters, { cursor: state.cursor, limit: state.size });
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    problems.push(error.message);
    page = await getActorTimeline(db, actor, filters, { limit: state.size });
  }
  const chartFilters = { ...filters, actors: [actor], from: range.from, to: range.to };
  const volume = await getEventVolume(db, chartFilters);
  const perSource = volume.series
    .map((series) => ({
      ...series,
      count: volume.buckets.reduce((sum, bucket) => sum + (bucket.counts[series.id] ?? 0), 0),
    }))
    .filter((series) => series.count > 0);
  // The main timeline's params for this actor, for links into it (filters, range; no page position).
  const listParams = new URLSearchParams(urlParams);
  listParams.delete('cursor');
  listParams.delete('back');
  listParams.set('actor', actor);
  const toolbarParams = new URLSearchParams(urlParams);
  toolbarParams.set('actor', actor);
  const rangeKey = `${range.from.toISOString()}|${range.to.toISOString()}|${urlParams.toString()}`;

  return (
    <div className="space-y-4">
      <nav className="text-sm">
        <Link
          href={`/timeline?${listParams.toString()}`}
          className="text-sky-700 hover:underline dark:text-sky-400"
        >
          ← The whole timeline, filtered to this agent
        </Link>
      </nav>
      <TimelineToolbar
        title={`Everything ${actor} did`}
        params={toolbarParams.toString()}
        topCursor={state.cursor ? null : (page.events[0]?.cursor ?? null)}
        loadedAt={now.toISOString()}
        live={'preset' in state.range}
      />
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-zinc-500">Range:</span>
        {PRESET_LINKS.map((preset) => {
          const next = new URLSearchParams(urlParams);
          for (const name of ['from', 'to', 'cursor', 'back']) next.delete(name);
          next.set('range', preset);
          const active = 'preset' in state.range && state.range.preset === preset;
          return (
            <Link
              key={preset}
              href={`?${next.toString()}`}
              aria-current={active ? 'true' : undefined}
              className={`rounded-md border px-2 py-1 ${
                active
                  ? 'border-zinc-900 bg-zinc-900 text-white dark:border-zinc-100 dark:bg-zinc-100 dark:text-zinc-900'
                  : 'border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800'
              }`}
            >
              {preset}
            </Link>
          );
        })}
      </div>
      {problems.length > 0 && (
        <ul
          role="note"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        >
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <section aria-label="Events per source" className="flex flex-wrap gap-2">
        {perSource.length === 0 ? (
          <p className="text-sm text-zinc-500">No events by {actor} in this range.</p>
        ) : (
          perSource.map((series) => {
            const next = new URLSearchParams(listParams);
            next.set('source', series.id);
            return (
              <Link
                key={series.id}
                href={`/timeline?${next.toString()}`}
                className="rounded-lg border border-zinc-200 bg-white px-3 py-2 text-sm shadow-sm hover:bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:bg-zinc-800"
              >
                <span className="block text-xs text-zinc-500">{series.label}</span>
                <span className="text-lg font-semibold">{series.count.toLocaleString('en')}</span>
              </Link>
            );
          })
        )}
      </section>
      <Suspense
        key={`lanes|${rangeKey}`}
        fallback={<div className="h-48 animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800" />}
      >
        <TimelineLanesSection db={db} filters={chartFilters} now={now} />
      </Suspense>
      <TimelineList
        page={page}
        params={toolbarParams.toString()}
        range={chartFilters}
        caption={`Events by ${actor}`}
      />
    </div>
  );
}
