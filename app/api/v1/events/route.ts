import { getDb } from '@/db/client';
import { ingestApiEvents } from '@/lib/ingest/events-api';
import { readJsonBody } from '../_lib/json-body';
import { apiError, handleApi, json } from '../_lib/responses';
import { authenticateToken } from '../_lib/token-auth';

export const dynamic = 'force-dynamic';

/** A batch of up to 1,000 events is at most ~1 MB of JSON. */
const MAX_EVENTS_BODY_BYTES = 1024 * 1024;

/**
 * POST /api/v1/events — scope events:write. Body `{ events: [{ table, client_event_id, ...fields }] }`
 * for any telemetry table; all or nothing on validation errors (400 with `events.<i>.<field>` errors),
 * idempotent per token by client_event_id (a resent event reports `duplicate`, a changed one `conflict`).
 */
export async function POST(request: Request): Promise<Response> {
  return handleApi(async () => {
    const db = await getDb();
    const auth = await authenticateToken(db, request, ['events:write']);
    if (!auth.ok) return auth.response;
    const body = await readJsonBody(request, { maxBytes: MAX_EVENTS_BODY_BYTES });
    if (!body.ok) return body.response;
    const result = await ingestApiEvents(db, auth.token.id, body.body);
    if (!result.ok) return apiError(400, 'validation', result.message, { fieldErrors: result.fieldErrors });
    return json(result, 200);
  });
}
