import type { Database } from '@/db/database';
import { type ChartFilters, getTimelineLanes } from '@/lib/timeline/queries';
import { TimelineLanes } from './timeline-lanes';

/** Server part of the lanes: reads them for the range and hands plain arrays to the SVG. */
export async function TimelineLanesSection({
  db,
  filters,
  now,
}: {
  db: Database;
  filters: ChartFilters;
  now: Date;
}) {
  let data: Awaited<ReturnType<typeof getTimelineLanes>>;
  try {
    data = await getTimelineLanes(db, filters, now);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return (
      <p
        role="note"
        className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
      >
        The lanes cannot be drawn: {error.message}
      </p>
    );
  }
  return (
    <TimelineLanes
      lanes={data.lanes}
      bucketMs={data.bucketMs}
      from={filters.from.toISOString()}
      to={filters.to.toISOString()}
      now={now.toISOString()}
    />
  );
}
