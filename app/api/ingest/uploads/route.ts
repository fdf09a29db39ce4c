import { createUpload } from '../_lib/uploads';
import { handleIngestRoute, jsonError, jsonResponse, requireAdmin, sameOrigin } from '../_lib/responses';
import { createUploadSchema, fieldErrorsOf } from '../_lib/validations';

// POST /api/ingest/uploads {name, size, domain?, finalize?} — announces a JSONL upload: the size limit
// and free space are checked before any byte is sent. Answers the upload's id and the chunk size;
// the bytes follow with PUT /api/ingest/uploads/:id?offset=N, then POST /api/ingest/uploads/:id finishes.

export const dynamic = 'force-dynamic';

const MAX_ANNOUNCE_BYTES = 4096;

export async function POST(request: Request): Promise<Response> {
  return handleIngestRoute(async () => {
    const auth = await requireAdmin();
    if (!auth.ok) return auth.response;
    if (!sameOrigin(request)) return jsonError(403, 'forbidden', 'Cross-site requests are refused.');
    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > MAX_ANNOUNCE_BYTES)
      return jsonError(
        413,
        'payload_too_large',
        'Announce the upload with a small JSON object; send the file itself in chunks.',
      );
    const text = await request.text();
    if (text.length > MAX_ANNOUNCE_BYTES)
      return jsonError(
        413,
        'payload_too_large',
        'Announce the upload with a small JSON object; send the file itself in chunks.',
      );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return jsonError(400, 'invalid_json', 'Send {"name": …, "size": …} as JSON.');
    }
    const parsed = createUploadSchema.safeParse(body);
    if (!parsed.success) {
      const fieldErrors = fieldErrorsOf(parsed.error);
      return jsonError(400, 'validation', Object.values(fieldErrors).flat().join(' '), { fieldErrors });
    }
    const upload = createUpload(parsed.data, auth.operator.username);
    return jsonResponse(upload, 201);
  });
}
