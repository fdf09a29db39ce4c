import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '@/lib/auth/roles';

// The Ingest screen's server side end to end, as the browser reaches it: the actions (audit, start,
// stop) and the routes (run polling, rejects downloads, uploads), signed in as each role. Only the
// session lookup is replaced (a test has no cookies); authorisation, validation, the database, the
// files and the engine are the real ones.

const session = vi.hoisted(() => ({ role: 'admin' as Role | null }));

vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));
vi.mock('@/lib/auth/current', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/auth/current')>();
  const { roleAtLeast } = await import('@/lib/auth/roles');
  return {
    ...actual,
    authorize: async (required: Role = 'viewer') => {
      if (!session.role) throw new actual.UnauthenticatedError();
      if (!roleAtLeast(session.role, required)) throw new actual.ForbiddenError(required);
      return {
        id: 1,
        username: `test-${session.role}`,
        displayName: null,
        role: session.role,
        disabledAt: null,
        createdAt: '2026-01-01T00:00:00.000Z',
      };
    },
  };
});

const { runAuditAction, startIngestAction, stopIngestRunAction } = await import('@/lib/ingest/actions');
const { GET: getRun } = await import('@/app/api/ingest/runs/[id]/route');
const { GET: getRejects } = await import('@/app/api/ingest/rejects/route');
const { POST: createUploadRoute } = await import('@/app/api/ingest/uploads/route');
const uploadRoute = await import('@/app/api/ingest/uploads/[id]/route');
const { ingestRunSettled } = await import('@/app/api/ingest/_lib/background-runs');
const { closeDb, getDb } = await import('@/db/client');
const { sql } = await import('@/db/database');
const { getLatestAudit, listIngestRejects } = await import('@/lib/ingest/queries');
const { tempDir } = await import('./support/databases');

const BASE = 'http://console.test';
const FIXTURES = path.join(__dirname, 'fixtures', 'jsonl');
const saved: Record<string, string | undefined> = {};
const VARS = [
  'FOUNDUPS_DB_PATH',
  'DATABASE_URL',
  'DATABASE_READ_URL',
  'FOUNDUPS_ROOT',
  'FOUNDUPS_UPLOAD_DIR',
];
let dir: string;
let root: string;
let uploads: string;

const params = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

async function count(table: string): Promise<number> {
  const db = await getDb();
  const row = await db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM ${sql.raw(table)}`);
  return Number(row?.n ?? 0);
}

async function startAndFinish(input: Parameters<typeof startIngestAction>[0]): Promise<number> {
  const result = await startIngestAction(input);
  if (!result.ok || !('runId' in result) || result.runId === undefined)
    throw new Error(`did not start: ${JSON.stringify(result)}`);
  await ingestRunSettled(result.runId);
  return result.runId;
}

beforeAll(async () => {
  for (const name of VARS) saved[name] = process.env[name];
  dir = tempDir('foundups-ingest-routes-');
  root = path.join(dir, 'root');
  uploads = path.join(dir, 'uploads');
  fs.cpSync(FIXTURES, root, { recursive: true });
  delete process.env.DATABASE_URL;
  delete process.env.DATABASE_READ_URL;
  process.env.FOUNDUPS_DB_PATH = path.join(dir, 'foundups.db');
  process.env.FOUNDUPS_ROOT = root;
  process.env.FOUNDUPS_UPLOAD_DIR = uploads;
  await closeDb();
});

afterAll(async () => {
  await closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const name of VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

beforeEach(() => {
  session.role = 'admin';
});

describe('the Ingest screen for viewers and reviewers', () => {
  it('refuses every action and route, and changes nothing', async () => {
    for (const role of ['viewer', 'reviewer'] as const) {
      session.role = role;
      expect(await runAuditAction({})).toEqual({ ok: false, error: 'This needs the admin role.' });
      expect(await startIngestAction({ scope: 'all' })).toEqual({
        ok: false,
        error: 'This needs the admin role.',
      });
      expect(await stopIngestRunAction({ runId: 1 })).toEqual({
        ok: false,
        error: 'This needs the admin role.',
      });
      for (const response of [
        await getRun(new Request(`${BASE}/api/ingest/runs/1`), params(1)),
        await getRejects(new Request(`${BASE}/api/ingest/rejects?format=csv`)),
        await createUploadRoute(
          new Request(`${BASE}/api/ingest/uploads`, {
            method: 'POST',
            body: JSON.stringify({ name: 'a.jsonl', size: 10 }),
          }),
        ),
        await uploadRoute.POST(new Request(`${BASE}/api/ingest/uploads/x`, { method: 'POST' }), params('x')),
      ]) {
        expect(response.status).toBe(403);
        expect(await json(response)).toEqual({
          error: { code: 'forbidden', message: 'Only admins can use the Ingest screen.' },
        });
      }
    }
    session.role = null;
    expect((await getRun(new Request(`${BASE}/api/ingest/runs/1`), params(1))).status).toBe(401);
    expect(await runAuditAction({})).toEqual({ ok: false, error: 'Sign in first.' });
    expect(await count('modules_console_ingest_audits')).toBe(0);
    expect(await count('modules_console_ingest_runs')).toBe(0);
    expect(fs.existsSync(uploads)).toBe(false);
  });
});

describe('the Ingest screen for admins', () => {
  let runId: number;

  it('audits FOUNDUPS_ROOT and records who did it', async () => {
    const result = await runAuditAction({});
    expect(result).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^Audited \d+ files in \d+ domains/),
    });
    const audit = await getLatestAudit(await getDb());
    expect(audit?.createdBy).toBe('test-admin');
    expect(audit?.report.roots).toEqual([root]);
    const db = await getDb();
    const activity = await db.get<{ action: string; actor: string }>(
      sql`SELECT action, actor FROM modules_console_activity ORDER BY id DESC LIMIT 1`,
    );
    expect(activity).toEqual({ action: 'ingest.audit', actor: 'operator:test-admin' });
  });

  it('validates what to ingest before anything starts', async () => {
    const bad = await startIngestAction({ scope: 'domain', domain: 'nonsense' as 'metrics' });
    expect(bad).toMatchObject({
      ok: false,
      fieldErrors: { domain: [expect.stringContaining('Choose one of')] },
    });
    expect(await startIngestAction({ scope: 'file', path: '/etc/passwd' })).toEqual({
      ok: false,
      error: expect.stringContaining('lists no such file'),
    });
    expect(await stopIngestRunAction({ runId: 'x' as unknown as number })).toMatchObject({ ok: false });
    expect(await count('modules_console_ingest_runs')).toBe(0);
  });

  it('ingests a domain in the background; the poll route shows it reconciled', async () => {
    const form = new FormData();
    form.set('scope', 'domain');
    form.set('domain', 'metrics');
    runId = await startAndFinish(form as never);
    const response = await getRun(new Request(`${BASE}/api/ingest/runs/${runId}`), params(runId));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { run } = (await json(response)) as {
      run: Record<string, unknown> & { counters: Record<string, number> };
    };
    expect(run).toMatchObject({ id: runId, status: 'succeeded', startedBy: 'test-admin', reconciled: true });
    const c = run.counters;
    expect(c.linesRead).toBe(c.alreadyPresent! + c.inserted! + c.rejected! + c.blank! + c.pendingPartial!);
    expect(c.rejected).toBeGreaterThan(0);
    expect((await getRun(new Request(`${BASE}/api/ingest/runs/999`), params(999))).status).toBe(404);
    expect((await getRun(new Request(`${BASE}/api/ingest/runs/abc`), params('abc'))).status).toBe(400);
    expect(await stopIngestRunAction({ runId })).toEqual({
      ok: false,
      error: expect.stringContaining('not running'),
    });
  });

  it('streams the rejects as CSV and JSON, every one matching the filters', async () => {
    const db = await getDb();
    const expected = await listIngestRejects(db, { runId, pageSize: 500 });
    expect(expected.total).toBeGreaterThan(0);

    const csv = await getRejects(new Request(`${BASE}/api/ingest/rejects?format=csv&run=${runId}`));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(
      new RegExp(`attachment; filename="ingest-rejects-run-${runId}-.*\\.csv"`),
    );
    const bytes = Buffer.from(await csv.arrayBuffer());
    // A byte-order mark first, so spreadsheets read UTF-8 (Response.text() would hide it).
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      'file,line_no,byte_offset,byte_length,reason_code,reason,raw_text,raw_base64,run_id',
    );
    for (const reject of expected.rows) expect(text).toContain(`,${reject.lineNo},${reject.byteOffset},`);

    const body = await getRejects(new Request(`${BASE}/api/ingest/rejects?format=json&run=${runId}`));
    const records = JSON.parse(await body.text()) as {
      line_no: number;
      raw_text: string;
      reason_code: string;
    }[];
    expect(records.map((record) => record.line_no)).toEqual(expected.rows.map((reject) => reject.lineNo));
    expect(records.map((record) => record.raw_text)).toEqual(expected.rows.map((reject) => reject.rawText));

    const reason = expected.rows[0]!.reasonCode;
    const filtered = await getRejects(
      new Request(`${BASE}/api/ingest/rejects?format=json&run=${runId}&reason=${reason}`),
    );
    const only = JSON.parse(await filtered.text()) as { reason_code: string }[];
    expect(only.length).toBe(expected.rows.filter((reject) => reject.reasonCode === reason).length);
    expect(new Set(only.map((record) => record.reason_code))).toEqual(new Set([reason]));

    const none = await getRejects(new Request(`${BASE}/api/ingest/rejects?format=json&run=424242`));
    expect(await none.text()).toBe('[]\n');
    expect((await getRejects(new Request(`${BASE}/api/ingest/rejects?format=xml`))).status).toBe(400);
    expect((await getRejects(new Request(`${BASE}/api/ingest/rejects?format=csv&run=abc`))).status).toBe(400);
    expect((await getRejects(new Request(`${BASE}/api/ingest/rejects?format=csv&reason=bogus`))).status).toBe(
      400,
    );
  });

  it('uploads a file in chunks, stores it under its own name and ingests it', async () => {
    const lines = [
      '{"timestamp": "2026-11-20T10:00:00", "metric": "upload_latency_ms", "value": 12.5}',
      '{"timestamp": "2026-11-20T10:00:01", "metric": "upload_latency_ms", "value": "slow"}',
      '{"timestamp": "2026-11-20T10:00:02", "metric": "upload_latency_ms", "value": 13.5}',
      '{"timestamp": "2026-11-20T10:00:03", "metric": "upload_latency_ms", "value": 9',
    ];
    // No newline at the end: "the file is complete" reads the last line as whole (it is malformed).
    const content = Buffer.from(lines.join('\n'));
    const created = await createUploadRoute(
      new Request(`${BASE}/api/ingest/uploads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: BASE },
        body: JSON.stringify({ name: '../../my metrics.jsonl', size: content.length, domain: '' }),
      }),
    );
    expect(created.status).toBe(201);
    const { id } = (await json(created)) as { id: string };
    const put = (start: number, end: number) =>
      uploadRoute.PUT(
        new Request(`${BASE}/api/ingest/uploads/${id}?offset=${start}`, {
          method: 'PUT',
          headers: { 'content-length': String(end - start) },
          body: content.subarray(start, end),
        }),
        params(id),
      );
    expect(await json(await put(0, 100))).toEqual({ received: 100, size: content.length });
    const repeated = await put(0, 100);
    expect(repeated.status).toBe(409);
    expect(((await json(repeated)).error as { expectedOffset: number }).expectedOffset).toBe(100);
    expect((await put(100, content.length)).status).toBe(200);

    const done = await uploadRoute.POST(
      new Request(`${BASE}/api/ingest/uploads/${id}`, { method: 'POST' }),
      params(id),
    );
    expect(done.status).toBe(200);
    const outcome = (await json(done)) as { name: string; runId: number; message: string };
    expect(outcome.name).toMatch(/^\d{8}T\d{9}Z-my_metrics\.jsonl$/);
    expect(fs.readFileSync(path.join(uploads, outcome.name)).equals(content)).toBe(true);
    await ingestRunSettled(outcome.runId);
    const { run } = (await json(
      await getRun(new Request(`${BASE}/api/ingest/runs/${outcome.runId}`), params(outcome.runId)),
    )) as {
      run: { status: string; reconciled: boolean; counters: Record<string, number> };
    };
    expect(run).toMatchObject({ status: 'succeeded', reconciled: true });
    expect(run.counters).toMatchObject({ linesRead: 4, inserted: 2, rejected: 2, pendingPartial: 0 });

    // The stored upload can be ingested again from the list: nothing new.
    const again = await startAndFinish({ scope: 'upload', name: outcome.name });
    const { run: second } = (await json(
      await getRun(new Request(`${BASE}/api/ingest/runs/${again}`), params(again)),
    )) as {
      run: { counters: Record<string, number> };
    };
    expect(second.counters).toMatchObject({ inserted: 0, alreadyPresent: 4 });
  });

  it('refuses uploads that are too big, not JSONL, cross-site or unknown', async () => {
    process.env.FOUNDUPS_UPLOAD_MAX_BYTES = '1000';
    try {
      const big = await createUploadRoute(
        new Request(`${BASE}/api/ingest/uploads`, {
          method: 'POST',
          body: JSON.stringify({ name: 'big.jsonl', size: 5000 }),
        }),
      );
      expect(big.status).toBe(413);
      expect(((await json(big)).error as { message: string }).message).toContain('limited to 1000 bytes');
    } finally {
      delete process.env.FOUNDUPS_UPLOAD_MAX_BYTES;
    }
    const wrongType = await createUploadRoute(
      new Request(`${BASE}/api/ingest/uploads`, {
        method: 'POST',
        body: JSON.stringify({ name: 'x.db', size: 5 }),
      }),
    );
    expect(wrongType.status).toBe(400);
    expect(((await json(wrongType)).error as { message: string }).message).toContain('Only JSONL files');
    const notJson = await createUploadRoute(
      new Request(`${BASE}/api/ingest/uploads`, { method: 'POST', body: 'name=x' }),
    );
    expect(notJson.status).toBe(400);
    const crossSite = await createUploadRoute(
      new Request(`${BASE}/api/ingest/uploads`, {
        method: 'POST',
        headers: { origin: 'https://evil.example' },
        body: JSON.stringify({ name: 'a.jsonl', size: 5 }),
      }),
    );
    expect(crossSite.status).toBe(403);
    const unknown = await uploadRoute.PUT(
      new Request(`${BASE}/api/ingest/uploads/../../foundups.db?offset=0`, {
        method: 'PUT',
        headers: { 'content-length': '2' },
        body: '{}',
      }),
      params('../../foundups.db'),
    );
    expect(unknown.status).toBe(404);
    const cancelled = await uploadRoute.DELETE(
      new Request(`${BASE}/api/ingest/uploads/00000000-0000-4000-8000-000000000000`, { method: 'DELETE' }),
      params('00000000-0000-4000-8000-000000000000'),
    );
    expect(cancelled.status).toBe(404);
  });
});
