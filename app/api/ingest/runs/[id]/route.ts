import { getDb } from '@/db/client';
import { getRunView } from '../../_lib/run-view';
import { handleIngestRoute, jsonError, jsonResponse, requireAdmin } from '../../_lib/responses';

// GET /api/ingest/runs/:id — one run's live state (counters, progress, files), polled about once a
// second by the Ingest screen while the run is running and the tab is visible.

export const dynamic = 'force-dynamic';

export async function GET(
  _request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  return handleIngestRoute(async () => {
    const auth = await requireAdmin();
    if (!auth.ok) return auth.response;
    const { id } = await params;
    if (!/^\d{1,10}$/.test(id)) return jsonError(400, 'validation', 'A run is named by its number.');
    const run = await getRunView(await getDb(), Number(id));
    if (!run) return jsonError(404, 'not_found', `There is no ingest run #${id}.`);
    return jsonResponse({ run });
  });
}
