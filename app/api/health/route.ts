import { NextResponse } from 'next/server';
import { getDb } from '@/db/client';
import { ConfigError } from '@/db/config';
import { sql } from '@/db/database';
import { getCurrentOperator } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { collectHealth } from '@/lib/operations/health';
import { API_TOKEN_SCOPES, bearerToken, verifyApiToken } from '@/lib/review/tokens';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'Cache-Control': 'no-store' };

/** Any valid API token (whatever its scope), or a signed-in admin, may read the detailed report. */
async function detailAllowed(
  request: Request,
): Promise<{ ok: true } | { ok: false; status: 401 | 403; message: string }> {
  const secret = bearerToken(request.headers.get('authorization'));
  if (secret) {
    const db = await getDb();
    let last: { status: number; message: string } | null = null;
    for (const scope of API_TOKEN_SCOPES) {
      const result = await verifyApiToken(db, secret, scope);
      if (result.ok) return { ok: true };
      last = { status: result.status, message: result.message };
      if (result.status === 401) break;
    }
    return { ok: false, status: 401, message: last?.message ?? 'Invalid API token.' };
  }
  const operator = await getCurrentOperator().catch(() => null);
  if (!operator)
    return { ok: false, status: 401, message: 'The detailed report needs an admin session or an API token.' };
  if (!roleAtLeast(operator.role, 'admin'))
    return { ok: false, status: 403, message: 'The detailed report needs the admin role.' };
  return { ok: true };
}

/**
 * Liveness and database reachability for probes, without sign-in and without revealing data:
 * { ok, dialect, latencyMs }. With ?detail=1 and an admin session or an API token: the whole health
 * report (journal mode, WAL, busy counters, per-route latency, slow queries, disk, warnings).
 */
export async function GET(request: Request) {
  const started = performance.now();
  const detail = new URL(request.url).searchParams.get('detail');
  try {
    if (detail === '1' || detail === 'true') {
      const allowed = await detailAllowed(request);
      if (!allowed.ok)
        return NextResponse.json(
          { ok: false, error: allowed.message },
          { status: allowed.status, headers: NO_STORE },
        );
      const report = await collectHealth(await getDb());
      return NextResponse.json(report, { status: report.ok ? 200 : 503, headers: NO_STORE });
    }
    const db = await getDb();
    await db.get(sql`SELECT 1 AS ok`);
    return NextResponse.json(
      { ok: true, dialect: db.dialect, latencyMs: Math.round((performance.now() - started) * 10) / 10 },
      { headers: NO_STORE },
    );
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : 'The database is not reachable.';
    return NextResponse.json({ ok: false, error: message }, { status: 503, headers: NO_STORE });
  }
}
