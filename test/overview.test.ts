import { expect, it } from 'vitest';
import { sql } from '@/db/database';
import { getOverview } from '@/lib/overview/queries';
import { describeEachDatabase } from './support/databases';

// Mid-second on purpose: the 24 h window starts at 2025-03-09T12:00:00.250Z.
const NOW = new Date('2025-03-10T12:00:00.250Z');

describeEachDatabase('getOverview', (testDb) => {
  it('reports zeros and empty lists on an empty database', async () => {
    const overview = await getOverview(testDb().db, NOW);
    expect(overview).toMatchObject({
      pendingPosts: 0,
      oldestPendingAt: null,
      eventsByModule: [],
      eventsLast24h: 0,
      errorsLast24h: 0,
      errorsBySeverity: [],
      heartbeats: [],
      since: new Date('2025-03-09T12:00:00.250Z'),
    });
  });

  it('gives exact figures for rows in and out of the window, in both time forms', async () => {
    const { db, target, file } = testDb();
    const posts: [string, string, string][] = [
      ['p1', 'pending_review', '2025-03-02 09:00:00'],
      ['p2', 'pending_review', '2025-03-01 08:00:00'],
      ['p3', 'pending_review', '2025-03-05 10:00:00'],
      ['p4', 'approved', '2025-02-01 00:00:00'],
      ['p5', 'draft', '2025-02-01 00:00:00'],
    ];
    for (const [postId, status, createdAt] of posts) {
      await db.run(sql`INSERT INTO agents_social_posts (post_id, platform, post_type, content, status, created_at)
        VALUES (${postId}, 'linkedin', 'comment', 'text', ${status}, ${createdAt})`);
    }
    await db.bulkInsert(
      'error_events',
      ['source_module', 'raised_at', 'severity'],
      [
        ['youtube', '2025-03-10 11:00:00', 'error'],
        ['youtube', '2025-03-09T12:00:00.300', 'warning'],
        ['youtube', '2025-03-10T11:30:00+00:00', 'error'],
        ['youtube', '2025-03-09 12:00:00', 'error'], // before 12:00:00.250: out
        ['linkedin', '2025-03-10T09:00:00.000Z', 'critical'],
        ['linkedin', '2025-03-09T12:00:00.100', 'critical'], // out
        ['linkedin', '2025-03-08 23:00:00', 'error'], // out
      ],
    );
    await db.bulkInsert(
      'metrics_events',
      ['metric_name', 'value', 'source_module', 'recorded_at'],
      [
        ['latency', 1, null, '2025-03-10 00:00:00'],
        ['latency', 2, 'youtube', '2025-03-09T23:00:00'],
        ['latency', 3, 'youtube', '2025-03-09 11:59:59'], // out
      ],
    );
    await db.bulkInsert(
      'daemon_health',
      ['daemon_name', 'heartbeat_at', 'status'],
      [
        // alpha's latest is the space form, on the same day as later-sorting T forms.
        ['alpha', '2025-03-10T08:00:00', 'ok'],
        ['alpha', '2025-03-10T09:30:00.123456', 'degraded'],
        ['alpha', '2025-03-10 10:15:00', 'running'],
        ['alpha', '2025-03-08 10:00:00', 'ok'], // out
        ['beta', '2025-03-09T12:30:00Z', 'ok'],
        ['beta', '2025-03-07 00:00:00', 'down'], // out
        // gamma's latest is a T form; an earlier space form of the same day must not win.
        ['gamma', '2025-03-10 07:00:00', 'starting'],
        ['gamma', '2025-03-10T07:30:00', 'ok'],
      ],
    );
    await db.bulkInsert(
      'permission_events',
      ['agent_id', 'event_type', 'granted_at'],
      [
        ['a1', 'grant', '2025-03-10 06:00:00'],
        ['a1', 'grant', '2025-03-09 06:00:00'], // out
      ],
    );
    await db.bulkInsert(
      'confidence_events',
      ['agent_id', 'event_type', 'recorded_at'],
      [['a1', 'update', '2025-03-10T11:59:59.999999']],
    );
    await db.bulkInsert(
      'chat_messages',
      ['user_id', 'stream_id', 'sent_at'],
      [
        ['u1', 's1', '2025-03-10 12:00:00'],
        ['u1', 's1', '2025-03-09T12:00:00.250'], // exactly the start of the window: in
      ],
    );
    await db.bulkInsert(
      'selenium_sessions',
      ['timestamp', 'url'],
      [['2025-03-09T12:00:00.249999', 'https://example.test']],
    ); // out

    const overview = await getOverview(db, NOW);
    expect(overview.pendingPosts).toBe(3);
    expect(overview.oldestPendingAt).toEqual(new Date('2025-03-01T08:00:00Z'));
    expect(overview.eventsByModule).toEqual([
      // The posts and their review history are timeline sources too (lane "review").
      { module: 'review', events: 5 },
      { module: 'youtube', events: 4 },
      { module: 'alpha', events: 3 },
      { module: 'chat', events: 2 },
      { module: 'gamma', events: 2 },
      { module: 'beta', events: 1 },
      { module: 'confidence', events: 1 },
      { module: 'linkedin', events: 1 },
      { module: 'metrics', events: 1 },
      { module: 'permissions', events: 1 },
    ]);
    expect(overview.eventsLast24h).toBe(21);
    expect(overview.errorsLast24h).toBe(4);
    expect(overview.errorsBySeverity[0]).toEqual({ severity: 'error', count: 2 });
    expect(overview.errorsBySeverity.toSorted((a, b) => a.severity.localeCompare(b.severity))).toEqual([
      { severity: 'critical', count: 1 },
      { severity: 'error', count: 2 },
      { severity: 'warning', count: 1 },
    ]);
    expect(overview.heartbeats).toEqual([
      {
        daemon: 'alpha',
        at: new Date('2025-03-10T10:15:00Z'),
        raw: '2025-03-10 10:15:00',
        status: 'running',
      },
      { daemon: 'beta', at: new Date('2025-03-09T12:30:00Z'), raw: '2025-03-09T12:30:00Z', status: 'ok' },
      { daemon: 'gamma', at: new Date('2025-03-10T07:30:00Z'), raw: '2025-03-10T07:30:00', status: 'ok' },
    ]);
    expect(overview.storage.databaseBytes).toBeGreaterThan(0);
    if (target === 'sqlite') {
      expect(overview.storage).toMatchObject({ dialect: 'sqlite', location: file });
      expect(overview.storage.walBytes).not.toBeNull();
    } else {
      expect(overview.storage).toMatchObject({ dialect: 'postgres', walBytes: null });
    }
  });

  it('moves the window with `now`', async () => {
    const { db } = testDb();
    const later = await getOverview(db, new Date('2025-03-11T10:00:00.000Z'));
    // Window from 2025-03-10T10:00:00Z: alpha 10:15, youtube 11:00 + 11:30, confidence 11:59:59.999999, chat 12:00.
    expect(later.eventsByModule).toEqual([
      { module: 'review', events: 5 },
      { module: 'youtube', events: 2 },
      { module: 'alpha', events: 1 },
      { module: 'chat', events: 1 },
      { module: 'confidence', events: 1 },
    ]);
    expect(later.errorsBySeverity).toEqual([{ severity: 'error', count: 2 }]);
    expect(later.heartbeats.map((row) => row.daemon)).toEqual(['alpha', 'beta', 'gamma']);
  });
});
