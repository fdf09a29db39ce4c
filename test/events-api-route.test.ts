import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/v1/events/route';
import { closeDb, getDb } from '@/db/client';
import { sql } from '@/db/database';
import { createApiToken } from '@/lib/review/tokens';
import { tempDir } from './support/databases';

// POST /api/v1/events end to end through the route handler: token scope, body limits, validation,
// idempotency by client_event_id. The engine itself is covered in ingest-events-api.test.ts.

const URL_ = 'http://console.test/api/v1/events';
let dir: string;
let savedPath: string | undefined;
let savedUrl: string | undefined;

async function token(scopes: ('events:write' | 'posts:read')[]): Promise<string> {
  const created = await createApiToken(await getDb(), { name: `t-${scopes.join('-')}`, scopes });
  if (!created.ok) throw new Error(created.message);
  return created.secret;
}

function post(body: unknown, secret: string | null, headers: Record<string, string> = {}): Promise<Response> {
  return POST(
    new Request(URL_, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret ? { authorization: `Bearer ${secret}` } : {}),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

const event = (id: string) => ({
  table: 'error_events',
  client_event_id: id,
  source_module: 'livechat',
  raised_at: '2026-11-20T10:00:00',
  severity: 'ERROR',
  message: 'boom',
});

describe('POST /api/v1/events', () => {
  beforeAll(async () => {
    savedPath = process.env.FOUNDUPS_DB_PATH;
    savedUrl = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    dir = tempDir('foundups-events-');
    process.env.FOUNDUPS_DB_PATH = path.join(dir, 'foundups.db');
    await closeDb();
  });
  afterAll(async () => {
    await closeDb();
    fs.rmSync(dir, { recursive: true, force: true });
    if (savedPath === undefined) delete process.env.FOUNDUPS_DB_PATH;
    else process.env.FOUNDUPS_DB_PATH = savedPath;
    if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
  });

  it('refuses a missing token (401) and a token without events:write (403)', async () => {
    expect((await post({ events: [event('a')] }, null)).status).toBe(401);
    expect((await post({ events: [event('a')] }, await token(['posts:read']))).status).toBe(403);
  });

  it('inserts a batch once and reports a resend as duplicates', async () => {
    const secret = await token(['events:write']);
    const first = await post({ events: [event('e1'), event('e2')] }, secret);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ok: true, inserted: 2, duplicates: 0 });
    const again = await post({ events: [event('e1'), event('e2')] }, secret);
    expect(await again.json()).toMatchObject({ ok: true, inserted: 0, duplicates: 2 });
    const db = await getDb();
    const rows = await db.all<{ n: number }>(
      sql`SELECT COUNT(*) AS n FROM error_events WHERE message = 'boom'`,
    );
    expect(Number(rows[0]!.n)).toBe(2);
  });

  it('answers 400 with field errors and writes nothing when one event is invalid', async () => {
    const secret = await token(['events:write']);
    const response = await post({ events: [event('ok-1'), { ...event('bad-1'), severity: 42 }] }, secret);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { fieldErrors: Record<string, string[]> } };
    expect(Object.keys(body.error.fieldErrors).some((key) => key.startsWith('events.1.'))).toBe(true);
    const db = await getDb();
    const rows = await db.all<{ n: number }>(
      sql`SELECT COUNT(*) AS n FROM error_events WHERE message = 'boom' AND raised_at = '2026-11-20T10:00:00'`,
    );
    expect(Number(rows[0]!.n)).toBe(2);
  });

  it('refuses malformed JSON (400), a wrong content type (415) and an oversized body (413)', async () => {
    const secret = await token(['events:write']);
    expect((await post('{"events": [', secret)).status).toBe(400);
    expect((await post({ events: [] }, secret, { 'content-type': 'text/plain' })).status).toBe(415);
    const huge = { events: [{ ...event('big'), message: 'x'.repeat(1_100_000) }] };
    expect((await post(huge, secret)).status).toBe(413);
  });
});
