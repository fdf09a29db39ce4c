import { getDb } from '@/db/client';
import { recordActivity } from '@/lib/auth/operators';
import { startBackgroundIngest } from '../../_lib/background-runs';
import { appendUploadChunk, cancelUpload, completeUpload, uploadDir } from '../../_lib/uploads';
import { handleIngestRoute, jsonError, jsonResponse, requireAdmin, sameOrigin } from '../../_lib/responses';

// One upload in progress:
//   PUT    ?offset=N  one chunk of the file's bytes (application/octet-stream), appended at byte N
//   POST              finish: check every byte arrived, store the file under its final name, start its ingest
//   DELETE            cancel: drop what arrived

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

function declaredLength(request: Request): number | null {
  const value = request.headers.get('content-length');
  return value !== null && /^\d{1,12}$/.test(value.trim()) ? Number(value) : null;
}

export async function PUT(request: Request, { params }: Context): Promise<Response> {
  return handleIngestRoute(async () => {
    const auth = await requireAdmin();
    if (!auth.ok) return auth.response;
    if (!sameOrigin(request)) return jsonError(403, 'forbidden', 'Cross-site requests are refused.');
    const { id } = await params;
    const offsetText = new URL(request.url).searchParams.get('offset');
    const offset = offsetText !== null && /^\d{1,15}$/.test(offsetText) ? Number(offsetText) : -1;
    const body = request.body as AsyncIterable<Uint8Array> | null;
    const result = await appendUploadChunk(id, offset, declaredLength(request), body, auth.operator.username);
    return jsonResponse(result);
  });
}

export async function POST(request: Request, { params }: Context): Promise<Response> {
  return handleIngestRoute(async () => {
    const auth = await requireAdmin();
    if (!auth.ok) return auth.response;
    if (!sameOrigin(request)) return jsonError(403, 'forbidden', 'Cross-site requests are refused.');
    const { id } = await params;
    const operator = auth.operator.username;
    const dir = uploadDir();
    const stored = completeUpload(id, operator, { dir });
    const db = await getDb();
    // The file is kept whatever happens next: a run that cannot start now can be started from the list.
    const started = await startBackgroundIngest(db, operator, {
      paths: [stored.path],
      root: dir,
      domain: stored.domain ?? undefined,
      finalize: stored.finalize,
    });
    await recordActivity(db, `operator:${operator}`, 'ingest.upload', stored.name, {
      originalName: stored.originalName,
      bytes: stored.size,
      runId: started.ok ? started.runId : null,
    });
    return jsonResponse({
      name: stored.name,
      size: stored.size,
      runId: started.ok ? started.runId : null,
      message: started.ok
        ? `Stored as ${stored.name}; run #${started.runId} is ingesting it.`
        : `Stored as ${stored.name}, but it could not be ingested yet: ${started.error} It is listed under Uploads, ready to ingest.`,
    });
  });
}

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  return handleIngestRoute(async () => {
    const auth = await requireAdmin();
    if (!auth.ok) return auth.response;
    if (!sameOrigin(request)) return jsonError(403, 'forbidden', 'Cross-site requests are refused.');
    const { id } = await params;
    cancelUpload(id, auth.operator.username);
    return jsonResponse({ cancelled: true });
  });
}
