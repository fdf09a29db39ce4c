import { parseRejectsSearchParams } from '@/components/ingest/search-params';
import { getDb } from '@/db/client';
import { textStream } from '@/lib/registry/export-format';
import { rejectsCsv, rejectsFilename, rejectsJson } from '../_lib/rejects-export';
import { handleIngestRoute, jsonError, requireAdmin } from '../_lib/responses';

// GET /api/ingest/rejects?format=csv|json[&run=N][&file=N][&reason=code] — every quarantined line
// matching the filters, streamed: rows are read a page at a time, only as fast as the client takes them.

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return handleIngestRoute(async () => {
    const auth = await requireAdmin();
    if (!auth.ok) return auth.response;
    const params = new URL(request.url).searchParams;
    const format = params.get('format');
    if (format !== 'csv' && format !== 'json')
      return jsonError(400, 'validation', 'The format must be csv or json (?format=csv).');
    for (const key of ['run', 'file', 'reason'] as const) {
      const value = params.get(key);
      if (value === null) continue;
      const parsed = parseRejectsSearchParams(new URLSearchParams({ [key]: value }));
      const known = key === 'run' ? parsed.runId : key === 'file' ? parsed.fileId : parsed.reasonCode;
      if (known === undefined)
        return jsonError(400, 'validation', `"${value}" is not a valid ${key} filter.`);
    }
    const query = parseRejectsSearchParams(params);
    const filter = { runId: query.runId, fileId: query.fileId, reasonCode: query.reasonCode };
    const db = await getDb();
    const chunks = format === 'csv' ? rejectsCsv(db, filter) : rejectsJson(db, filter);
    return new Response(textStream(chunks), {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${rejectsFilename(filter, format)}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  });
}
