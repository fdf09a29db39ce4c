import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@/db/database';
import { EVENTS_MAX_BATCH, ingestApiEvents, validateEventsBody } from '@/lib/ingest/events-api';
import { createApiToken } from '@/lib/review/tokens';
import { describeEachDatabase } from './support/databases';

// POST /api/v1/events' core: field-level validation with the event's index, one transaction,
// idempotency by (token, client_event_id).

const permission = (id: string, extra: Record<string, unknown> = {}) => ({
  table: 'permission_events',
  client_event_id: id,
  agent_id: 'gemma',
  event_type: 'PERMISSION_GRANTED',
  permission_level: 'metrics_write',
  granted_at: '2025-11-20T10:00:00.123456',
  granted_by: '012',
  confidence: 0.81,
  metadata_json: { expires_at: '2025-12-20T10:00:00' },
  ...extra,
});

const EVERY_TABLE = [
  permission('p-1'),
  {
    table: 'confidence_events',
    client_event_id: 'c-1',
    agent_id: 'gemma',
    event_type: 'TESTS_PASSED',
    success: true,
    confidence_before: 0.7,
    confidence_after: 0.72,
    recorded_at: '2025-11-20T10:00:01Z',
  },
  {
    table: 'chat_messages',
    client_event_id: 'm-1',
    user_id: 'UCaaa',
    stream_id: 'Xk3mQ9vLp2A',
    sent_at: '2025-11-20T10:00:02+00:00',
    message: 'hi',
  },
  {
    table: 'selenium_sessions',
    client_event_id: 's-1',
    timestamp: '2025-11-20T10:00:03+00:00',
    url: 'https://x.com/home',
    analysis_json: { ui_state: 'logged_in' },
  },
  {
    table: 'daemon_health',
    client_event_id: 'd-1',
    daemon_name: 'youtube_dae',
    heartbeat_at: '2025-11-20 10:00:04',
    status: 'healthy',
    uptime_seconds: 45,
  },
  {
    table: 'error_events',
    client_event_id: 'e-1',
    source_module: 'livechat',
    raised_at: '2025-11-20T10:00:05',
    severity: 'ERROR',
    message: 'quotaExceeded',
  },
  {
    table: 'metrics_events',
    client_event_id: 'x-1',
    metric_name: 'search_latency_ms',
    value: 120.5,
    unit: 'ms',
    recorded_at: '2025-11-20T10:00:06Z',
    tags_json: '{"env": "prod"}',
  },
];

describe('validateEventsBody', () => {
  it('reports every invalid field with its event index', () => {
    const result = validateEventsBody({
      events: [
        permission('ok'),
        {
          table: 'permission_events',
          client_event_id: '',
          agent_id: 7,
          event_type: 'X',
          granted_at: 'yesterday',
        },
        {
          table: 'metrics_events',
          client_event_id: 'm',
          metric_name: 'x',
          value: '12',
          recorded_at: '2025-11-20T10:00:00Z',
          colour: 'red',
        },
        { table: 'nope', client_event_id: 'z' },
        'not an object',
        {
          table: 'chat_messages',
          client_event_id: 'c',
          user_id: 'u',
          stream_id: 's',
          sent_at: '2025-11-20T10:00:00Z',
          metadata_json: '{not json',
        },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors).sort()).toEqual([
      'events.1.agent_id',
      'events.1.client_event_id',
      'events.1.granted_at',
      'events.2.colour',
      'events.2.value',
      'events.3.table',
      'events.4',
      'events.5.metadata_json',
    ]);
    expect(result.fieldErrors['events.1.granted_at']![0]).toMatch(/Not a timestamp/);
    expect(result.fieldErrors['events.2.colour']![0]).toMatch(/Unknown field/);
    expect(result.fieldErrors['events.3.table']![0]).toMatch(/permission_events/);
  });

  it('refuses an empty batch, a batch over the limit and a body without events', () => {
    expect(validateEventsBody({ events: [] })).toMatchObject({
      ok: false,
      fieldErrors: { events: [expect.stringMatching(/at least one/)] },
    });
    const tooMany = Array.from({ length: EVENTS_MAX_BATCH + 1 }, (_, i) => permission(`p${i}`));
    expect(validateEventsBody({ events: tooMany })).toMatchObject({
      ok: false,
      fieldErrors: { events: [expect.stringMatching(/At most 1000/)] },
    });
    expect(validateEventsBody(null)).toMatchObject({ ok: false });
    expect(validateEventsBody({ rows: [] })).toMatchObject({
      ok: false,
      fieldErrors: { events: [expect.any(String)] },
    });
  });
});

describeEachDatabase('ingestApiEvents', (use) => {
  let tokenA = 0;
  let tokenB = 0;
  beforeAll(async () => {
    const a = await createApiToken(use().db, { name: 'agent-a', scopes: ['events:write'] });
    const b = await createApiToken(use().db, { name: 'agent-b', scopes: ['events:write'] });
    if (!a.ok || !b.ok) throw new Error('token setup failed');
    tokenA = a.token.id;
    tokenB = b.token.id;
  });

  it('writes one event into each telemetry table and reports their ids', async () => {
    const { db } = use();
    const result = await ingestApiEvents(db, tokenA, { events: EVERY_TABLE });
    expect(result).toMatchObject({ ok: true, inserted: 7, duplicates: 0, conflicts: 0 });
    if (!result.ok) return;
    expect(result.results.map((r) => [r.index, r.table, r.status])).toEqual(
      EVERY_TABLE.map((e, i) => [i, e.table, 'inserted']),
    );
    const permissionRow = await db.get<Record<string, unknown>>(
      sql`SELECT * FROM permission_events WHERE id = ${result.results[0]!.id}`,
    );
    expect(permissionRow).toMatchObject({
      agent_id: 'gemma',
      permission_level: 'metrics_write',
      confidence: 0.81,
      metadata_json: '{"expires_at":"2025-12-20T10:00:00"}',
    });
    const confidence = await db.get<{ success: unknown }>(
      sql`SELECT success FROM confidence_events WHERE id = ${result.results[1]!.id}`,
    );
    expect(Boolean(confidence!.success)).toBe(true);
    const chat = await db.get<{ message_type: string }>(
      sql`SELECT message_type FROM chat_messages WHERE id = ${result.results[2]!.id}`,
    );
    expect(chat!.message_type).toBe('chat');
    const metric = await db.get<{ tags_json: string }>(
      sql`SELECT tags_json FROM metrics_events WHERE id = ${result.results[6]!.id}`,
    );
    expect(metric!.tags_json).toBe('{"env": "prod"}');
  });

  it('is idempotent per token: a retried batch inserts nothing and points at the first rows', async () => {
    const { db } = use();
    const count = async () =>
      Number((await db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM permission_events`))!.n);
    const before = await count();
    const first = await ingestApiEvents(db, tokenA, {
      events: [permission('retry-1'), permission('retry-2', { agent_id: 'qwen' })],
    });
    // The retry reorders keys (same event) and adds a new one.
    const { agent_id: _agent, ...rest } = permission('retry-1');
    const retry = await ingestApiEvents(db, tokenA, {
      events: [
        { agent_id: 'gemma', ...rest },
        permission('retry-2', { agent_id: 'qwen' }),
        permission('retry-3'),
      ],
    });
    expect(first.ok && retry.ok).toBe(true);
    if (!first.ok || !retry.ok) return;
    expect(retry.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'inserted']);
    expect(retry.results[0]!.id).toBe(first.results[0]!.id);
    expect(retry.results[1]!.id).toBe(first.results[1]!.id);
    expect(await count()).toBe(before + 3);
    // Another token may use the same client ids: they are its own events.
    const other = await ingestApiEvents(db, tokenB, { events: [permission('retry-1')] });
    expect(other.ok && other.results[0]!.status).toBe('inserted');
  });

  it('flags a reused id with different content as a conflict and writes nothing for it', async () => {
    const { db } = use();
    await ingestApiEvents(db, tokenA, { events: [permission('conflict-1')] });
    const result = await ingestApiEvents(db, tokenA, {
      events: [
        permission('conflict-1', { agent_id: 'someone_else' }),
        permission('dup-in-batch'),
        permission('dup-in-batch'),
        permission('dup-in-batch', { confidence: 0.1 }),
      ],
    });
    expect(result).toMatchObject({ ok: true, inserted: 1, duplicates: 1, conflicts: 2 });
    if (!result.ok) return;
    expect(result.results.map((r) => r.status)).toEqual(['conflict', 'inserted', 'duplicate', 'conflict']);
    expect(result.results[2]!.id).toBe(result.results[1]!.id);
    const rows = await db.all(sql`SELECT id FROM permission_events WHERE agent_id = 'someone_else'`);
    expect(rows).toEqual([]);
  });

  it('writes nothing at all when any event is invalid', async () => {
    const { db } = use();
    const before = Number(
      (await db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM modules_console_event_keys`))!.n,
    );
    const result = await ingestApiEvents(db, tokenA, {
      events: [permission('valid-but-not-written'), { ...permission('bad'), confidence: 'high' }],
    });
    expect(result).toMatchObject({
      ok: false,
      error: 'validation',
      fieldErrors: { 'events.1.confidence': [expect.any(String)] },
    });
    const after = Number(
      (await db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM modules_console_event_keys`))!.n,
    );
    expect(after).toBe(before);
  });
});
