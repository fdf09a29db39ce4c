import type { Metadata } from 'next';
import { Suspense } from 'react';
import { TimelineChartsSection } from '@/components/timeline/timeline-charts-section';
import { TimelineFilters } from '@/components/timeline/timeline-filters';
import { TimelineLanesSection } from '@/components/timeline/timeline-lanes-section';
import { TimelineList } from '@/components/timeline/timeline-list';
import { TimelineToolbar } from '@/components/timeline/timeline-toolbar';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import {
  InvalidCursorError,
  type TimelinePage,
  getFilterValues,
  getTimelinePage,
  resolveSources,
} from '@/lib/timeline/queries';
import { parseTimelineSearchParams, resolveRange, toTimelineFilters } from '@/lib/timeline/validations';

export const metadata: Metadata = { title: 'Timeline' };

type SearchParams = Record<string, string | string[] | undefined>;

/** The page's own search params as URLSearchParams (repeated values kept), for the links it builds. */
function toUrlParams(input: SearchParams): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(input))
    for (const entry of ([] as string[]).concat(value ?? [])) params.append(name, entry);
  return params;
}

export default async function TimelineScreen({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireOperator('viewer');
  const input = await searchParams;
  const db = await getDb();
  const resolved = await resolveSources(db);
  const { state, problems } = parseTimelineSearchParams(input, {
    knownSources: resolved.sources.map((source) => source.id),
  });
  const now = new Date();
  const filters = toTimelineFilters(state, now);
  const range = resolveRange(state.range, now);
  const params = toUrlParams(input);
  let page: TimelinePage;
  try {
    page = await getTimelinePage(db, filters, { cursor: state.cursor, limit: state.size });
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    problems.push(error.message);
    page = await getTimelinePage(db, filters, { limit: state.size });
  }
  const [actors, types, modules] = await Promise.all([
    getFilterValues(db, 'actor', { sources: state.sources }),
    getFilterValues(db, 'type', { sources: state.sources }),
    getFilterValues(db, 'module', { sources: state.sources }),
  ]);
  const chartFilters = { ...filters, from: range.from, to: range.to };
  const rangeKey = `${range.from.toISOString()}|${range.to.toISOString()}|${params.toString()}`;
  return (
    <div className="space-y-4">
      <TimelineToolbar
        params={params.toString()}
        topCursor={state.cursor ? null : (page.events[0]?.cursor ?? null)}
        loadedAt={now.toISOString()}
        live={'preset' in state.range}
      />
      <TimelineFilters
        sources={resolved.sources.map((source) => ({ id: source.id, label: source.label }))}
        actors={actors.values.map((entry) => entry.value)}
        types={types.values.map((entry) => entry.value)}
        modules={modules.values.map((entry) => entry.value)}
        range={{ from: range.from.toISOString(), to: range.to.toISOString() }}
      />
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
      <Suspense
        key={`lanes|${rangeKey}`}
        fallback={<SectionSkeleton label="Loading the lanes…" height="h-48" />}
      >
        <TimelineLanesSection db={db} filters={chartFilters} now={now} />
      </Suspense>
      <TimelineList page={page} params={params.toString()} range={chartFilters} />
      <Suspense
        key={`charts|${rangeKey}`}
        fallback={<SectionSkeleton label="Loading the charts…" height="h-96" />}
      >
        <TimelineChartsSection db={db} filters={chartFilters} now={now} />
      </Suspense>
    </div>
  );
}

function SectionSkeleton({ label, height }: { label: string; height: string }) {
  return (
    <div aria-busy="true" className={`${height} animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800`}>
      <span className="sr-only" role="status">
        {label}
      </span>
    </div>
  );
}
