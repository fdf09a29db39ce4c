import { getDb } from '@/db/client';
import { authorize } from '@/lib/auth/current';
import { parseBrowserSearchParams } from '@/lib/registry/browser-params';
import {
  type ExportFormat,
  csvChunks,
  exportFilename,
  jsonChunks,
  textStream,
} from '@/lib/registry/export-format';
import {
  type BrowseTarget,
  exportTableRows,
  openRelation,
  stateMatchesRelation,
} from '@/lib/registry/queries';
import { getSatelliteFile } from '@/lib/satellites/queries';
import { authErrorResponse, downloadHeaders, errorResponse } from '../responses';

// GET /api/export/table?table=<name>[&satellite=<file key>]&format=csv|json[&sort=…&f.<column>=…]
// The table browser's current view — filters and sort honoured, every row — streamed: rows are read
// only as fast as the client takes them, so memory stays flat whatever the table's size.

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
  const table = params.get('table');
  const format = params.get('format');
  const satellite = params.get('satellite');
  params.delete('table');
  params.delete('format');
  params.delete('satellite');
  if (!table) return errorResponse(400, 'Name the table to export (?table=…).');
  if (format !== 'csv' && format !== 'json') return errorResponse(400, 'The format must be csv or json.');
  const parsed = parseBrowserSearchParams(params);
  if (!parsed.ok) return errorResponse(400, parsed.error);
  const db = await getDb();
  let target: BrowseTarget = { kind: 'main', db };
  if (satellite !== null) {
    const file = await getSatelliteFile(db, satellite);
    if (!file)
      return errorResponse(
        404,
        'No scanned satellite file has that key (or it is no longer under FOUNDUPS_ROOT).',
      );
    target = { kind: 'satellite', file: file.absolutePath };
  }
  const relation = await openRelation(target, table);
  if (!relation) return errorResponse(404, `There is no table or view ${JSON.stringify(table)}.`);
  if (!stateMatchesRelation(relation, parsed.state))
    return errorResponse(404, `${table} has no column by that name.`);
  const exported = exportTableRows(target, relation, parsed.state, request.signal);
  const chunks =
    (format as ExportFormat) === 'csv'
      ? csvChunks(exported.columns, exported.batches)
      : jsonChunks(exported.columns, exported.batches);
  return new Response(textStream(chunks), {
    headers: downloadHeaders(exportFilename(relation.name, format), format),
  });
}
