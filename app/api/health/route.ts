import { NextResponse } from 'next/server';
import { getDb } from '@/db/client';
import { ConfigError } from '@/db/config';
import { sql } from '@/db/database';

export const dynamic = 'force-dynamic';

/** Liveness and database reachability, without sign-in and without revealing data. */
export async function GET() {
  const started = performance.now();
  try {
    const db = await getDb();
    await db.get(sql`SELECT 1 AS ok`);
    return NextResponse.json({
      ok: true,
      dialect: db.dialect,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
    });
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : 'The database is not reachable.';
    return NextResponse.json({ ok: false, error: message }, { status: 503 });
  }
}
