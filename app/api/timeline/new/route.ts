import { getDb } from '@/db/client';
import { authorize } from '@/lib/auth/current';
import { InvalidCursorError, countNewerEvents } from '@/lib/timeline/queries';
import { authErrorResponse, errorResponse } from '../../export/responses';
import { routeFilters } from '../_lib';

// GET /api/timeline/new?<filters>&since=<cursor of the newest event shown> (or &at=<ISO time>)
// → { count, capped }: how many matching events arrived since, for the list's "N new" notice.

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
  const since = params.get('since');
  const atText = params.get('at');
  params.delete('since');
  params.delete('at');
  const at = atText === null ? null : new Date(atText);
  if (!since && (!at || Number.isNaN(at.getTime())))
    return errorResponse(400, 'Give the newest event seen (?since=<cursor>) or a time (?at=<ISO time>).');
  const db = await getDb();
  const parsed = await routeFilters(db, params);
  if (!parsed.ok) return errorResponse(400, parsed.error);
  try {
    const result = await countNewerEvents(db, parsed.filters, since ? { cursor: since } : { at: at! });
    return Response.json(result, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    if (error instanceof InvalidCursorError) return errorResponse(400, error.message);
    throw error;
  }
}
