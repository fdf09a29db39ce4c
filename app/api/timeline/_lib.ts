import 'server-only';
import type { Database } from '@/db/database';
import { resolveSources } from '@/lib/timeline/queries';
import {
  type TimelineUrlState,
  parseTimelineSearchParams,
  toTimelineFilters,
} from '@/lib/timeline/validations';
import type { TimelineFilters } from '@/lib/timeline/queries';

/**
 * The filters of a timeline route request, read exactly as the page reads them. Unlike the page (which
 * ignores a bad value with a notice), a route refuses it: an export must never silently widen.
 */
export async function routeFilters(
  db: Database,
  params: URLSearchParams,
): Promise<{ ok: true; state: TimelineUrlState; filters: TimelineFilters } | { ok: false; error: string }> {
  const resolved = await resolveSources(db);
  const { state, problems } = parseTimelineSearchParams(params, {
    knownSources: resolved.sources.map((source) => source.id),
  });
  if (problems.length > 0) return { ok: false, error: problems.join(' ') };
  return { ok: true, state, filters: toTimelineFilters(state) };
}
