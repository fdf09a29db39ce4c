import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { getTimelineEvent } from '@/lib/timeline/queries';

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * An unknown source or event answers with a real 404 status: the lookup (by primary key) runs here,
 * above this segment's loading.tsx, whose Suspense fallback would otherwise have started the response
 * as 200. The "No such event" page is timeline/[source]/not-found.tsx, the boundary above this layout.
 */
export default async function TimelineEventLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ source: string; id: string }>;
}) {
  await requireOperator('viewer');
  const { source, id } = await params;
  const sourceId = decoded(source);
  const eventId = decoded(id);
  if (sourceId === null || eventId === null) notFound();
  if (!(await getTimelineEvent(await getDb(), sourceId, eventId))) notFound();
  return children;
}
