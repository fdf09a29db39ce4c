import { getDb } from '@/db/client';
import { authorize } from '@/lib/auth/current';
import { csvChunks, exportFilename, jsonChunks, textStream } from '@/lib/registry/export-format';
import { ConsoleRefusal, QUERY_EXPORT_ROW_CAP, exportConsoleQuery } from '@/lib/sql-console/run-query';
import { exportQueryInputSchema } from '@/lib/sql-console/validations';
import { authErrorResponse, downloadHeaders, errorResponse } from '../responses';

// POST /api/export/query (form fields sql, format): the SQL console's result as CSV or JSON, under the
// console's rules (admin, one read statement, read-only connection) with up to 100,000 rows.

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  try {
    await authorize('admin');
  } catch (error) {
    const response = authErrorResponse(error);
    if (response) return response;
    throw error;
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return errorResponse(400, 'Send the statement as form fields sql and format.');
  }
  const parsed = exportQueryInputSchema.safeParse({ sql: form.get('sql'), format: form.get('format') });
  if (!parsed.success)
    return errorResponse(400, parsed.error.issues[0]?.message ?? 'Send sql and format (csv or json).');
  const { sql, format } = parsed.data;
  try {
    const exported = await exportConsoleQuery(await getDb(), sql, request.signal);
    const columns = exported.columns();
    const chunks =
      format === 'csv' ? csvChunks(columns, exported.batches) : jsonChunks(columns, exported.batches);
    return new Response(textStream(chunks), {
      headers: {
        ...downloadHeaders(exportFilename('query', format), format),
        'x-row-cap': String(QUERY_EXPORT_ROW_CAP),
      },
    });
  } catch (error) {
    if (error instanceof ConsoleRefusal) return errorResponse(400, error.message);
    return errorResponse(400, `The database said: ${(error as Error).message}`);
  }
}
