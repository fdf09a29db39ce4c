import { getDb } from '@/db/client';
import { authorize } from '@/lib/auth/current';
import { exportTimeline, timelineCsv, timelineJson } from '@/lib/timeline/queries';
import { authErrorResponse, downloadHeaders, errorResponse } from '../../export/responses';
import { routeFilters } from '../_lib';

// GET /api/timeline/export?format=csv|json&<the timeline's filter params>
// The filtered list — every event, in the list's order — streamed page by page with the list's cursor.
// A preset range is fixed at the request's time, so the file is one consistent snapshot.

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    await authorize('viewer');
  } catch (error) {
    const response = authErrorResponse(error);
    if (response) return response;
    throw error;
  }
  const params = new URL(request.url).searchParams;
  const format = params.get('format');
  params.delete('format');
  params.delete('cursor');
  params.delete('back');
  if (format !== 'csv' && format !== 'json') return errorResponse(400, 'The format must be csv or json.');
  const db = await getDb();
  const parsed = await routeFilters(db, params);
  if (!parsed.ok) return errorResponse(400, parsed.error);
  const now = new Date();
  // An open-ended preset is closed at now: events arriving during the download are not half-included.
  const filters = { ...parsed.filters, to: parsed.filters.to ?? new Date(now.getTime() + 1) };
  const pages = exportTimeline(db, filters);
  const chunks = format === 'csv' ? timelineCsv(pages) : timelineJson(pages);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const stamp = now.toISOString().slice(0, 19).replaceAll(':', '-');
  return new Response(stream, { headers: downloadHeaders(`timeline-${stamp}.${format}`, format) });
}
