import type { Metadata } from 'next';
import { ReviewQueue } from '@/components/review/review-queue';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { getQueueFilterOptions, getQueuePage, getStatusCounts } from '@/lib/review/queries';
import { parseQueueSearchParams } from '@/lib/review/validations';

export const metadata: Metadata = { title: 'Review' };

export default async function ReviewQueuePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const operator = await requireOperator('viewer');
  const query = parseQueueSearchParams(await searchParams);
  const db = await getDb();
  const now = new Date();
  const [page, counts, filterOptions] = await Promise.all([
    getQueuePage(db, query),
    getStatusCounts(db, query.filters),
    getQueueFilterOptions(db),
  ]);
  return (
    <ReviewQueue
      // A page past the end was clamped to the last one: show (and link from) the page actually read.
      query={page.page === query.page ? query : { ...query, page: page.page }}
      page={page}
      counts={counts}
      filterOptions={filterOptions}
      canReview={roleAtLeast(operator.role, 'reviewer')}
      now={now.toISOString()}
    />
  );
}
