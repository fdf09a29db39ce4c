import 'server-only';
import type { Database } from '@/db/database';
import { type ApiTokenInfo, type ApiTokenScope, bearerToken, verifyApiToken } from '@/lib/review/tokens';
import { apiError } from './responses';

export type TokenAuthResult = { ok: true; token: ApiTokenInfo } | { ok: false; response: Response };

/**
 * Checks the request's bearer token against any of `scopes` (in order). 401 for a missing, unknown,
 * revoked or expired token; 403 when it is valid but has none of the scopes.
 */
export async function authenticateToken(
  db: Database,
  request: Request,
  scopes: readonly [ApiTokenScope, ...ApiTokenScope[]],
): Promise<TokenAuthResult> {
  const secret = bearerToken(request.headers.get('authorization'));
  let forbidden: string | null = null;
  for (const scope of scopes) {
    const result = await verifyApiToken(db, secret, scope);
    if (result.ok) return { ok: true, token: result.token };
    if (result.status === 401) {
      const error = result.code === 'missing' ? '' : ', error="invalid_token"';
      return {
        ok: false,
        response: apiError(401, 'unauthorized', result.message, {
          headers: { 'WWW-Authenticate': `Bearer realm="foundups"${error}` },
        }),
      };
    }
    forbidden = result.message;
  }
  const message =
    scopes.length === 1
      ? (forbidden ?? `This API token lacks the scope ${scopes[0]}.`)
      : `This API token needs one of the scopes ${scopes.join(', ')}.`;
  return {
    ok: false,
    response: apiError(403, 'forbidden', message, {
      headers: {
        'WWW-Authenticate': `Bearer realm="foundups", error="insufficient_scope", scope="${scopes.join(' ')}"`,
      },
    }),
  };
}
