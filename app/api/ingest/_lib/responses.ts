import 'server-only';
import { DatabaseBusyError } from '@/db/database';
import { requestDatabaseRefusal } from '@/db/multi-database';
import { ForbiddenError, UnauthenticatedError, authorize } from '@/lib/auth/current';
import type { Operator } from '@/lib/auth/operators';
import { UploadError } from './uploads';

// Responses of the Ingest screen's routes: JSON errors in one shape ({ error: { code, message } }),
// never cached; admin only, checked on every request (the page hiding buttons is not the check).

const NO_STORE = { 'cache-control': 'no-store' };

export function jsonResponse(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

export function jsonError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  return jsonResponse({ error: { code, message, ...extra } }, status);
}

/** The signed-in admin, or the 401/403 response to send instead. */
export async function requireAdmin(): Promise<
  { ok: true; operator: Operator } | { ok: false; response: Response }
> {
  // A write from a page rendered for another database than this browser's current one (db/multi-database.ts).
  const crossing = await requestDatabaseRefusal({ requireClaim: false });
  if (crossing) return { ok: false, response: jsonError(409, 'database_mismatch', crossing) };
  try {
    return { ok: true, operator: await authorize('admin') };
  } catch (error) {
    if (error instanceof UnauthenticatedError)
      return { ok: false, response: jsonError(401, 'unauthorized', error.message) };
    if (error instanceof ForbiddenError)
      return { ok: false, response: jsonError(403, 'forbidden', 'Only admins can use the Ingest screen.') };
    throw error;
  }
}

/** Runs a route body; known failures become their status, anything else a 500 (details in the log). */
export async function handleIngestRoute(body: () => Promise<Response>): Promise<Response> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UploadError) return jsonError(error.status, error.code, error.message, error.extra);
    if (error instanceof DatabaseBusyError) return jsonError(503, 'busy', error.message);
    console.error('api/ingest: unexpected error', error);
    return jsonError(500, 'internal', 'The server failed to handle this request.');
  }
}

/** Same-origin check for state-changing requests (the session cookie is SameSite=Lax; this is belt and braces). */
export function sameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  try {
    const url = new URL(request.url);
    const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? url.host;
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
