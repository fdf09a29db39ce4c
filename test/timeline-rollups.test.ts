// Rollups stay equal to a direct GROUP BY whoever writes and however: raw SQL as the Python agents
// write it, bulk inserts, updates that move a row to another hour or change a dimension, deletes, and
// a rebuild after the rollups were lost. The zone side table follows along. On SQLite the helpers that
// read the tables directly refresh first (inserts are folded by refreshRollups, not by triggers);
// verifyRollups checks what readers see, rollups plus the tail, without refreshing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { type Database, sql } from '@/db/database';
import {
  ROLLUPS_COMPLETE_KEY_PREFIX,
  ROLLUPS_TABLE,
  ensureRollups,
  maintainedSources,
  rebuildRollups,
  refreshRollups,
  rollupsComplete,
  verifyRollups,
} from '@/lib/timeline/rollups';
import { ZONED_ROWS_TABLE } from '@/lib/timeline/sources';
import { describeEachDatabase, tempDir } from './support/databases';

async function rollupRows(db: Database, source: string): Promise<Record<string, number>> {
  await refreshRollups(db);
  const rows = await db.all<{
    bucket_start: string;
    module: string;
    actor: string;
    type: string;
    severity: string;
    count: number;
  }>(
    sql`SELECT bucket_start, module, actor, type, severity, count FROM ${sql.raw(ROLLUPS_TABLE)} WHERE source = ${source} ORDER BY bucket_start, module, actor, type, severity`,
  );
  return Object.fromEntries(
    rows.map((row) => [
      `${row.bucket_start}|${row.module}|${row.actor}|${row.type}|${row.severity}`,
      Number(row.count),
    ]),
  );
}

async function zonedRows(db: Database, source?: string): Promise<[string, number, string][]> {
  await refreshRollups(db);
  const rows = await db.all<{ tl_source: string; tl_pk: number; tl_key: string }>(
    sql`SELECT tl_source, tl_pk, tl_key FROM ${sql.raw(ZONED_ROWS_TABLE)}${source ? sql` WHERE tl_source = ${source}` : sql``} ORDER BY tl_source, tl_pk`,
  );
  return rows.map((row) => [row.tl_source, Number(row.tl_pk), row.tl_key]);
}

async function expectConsistent(db: Database): Promise<void> {
  expect(await verifyRollups(db)).toEqual({ differences: [], zoned: [] });
}

describeEachDatabase('timeline rollups', (use) => {
  it('an empty database starts with complete rollups for every maintained source', async () => {
    for (const source of maintainedSources()) expect(await rollupsComplete(use().db, source.id)).toBe(true);
    await expectConsistent(use().db);
  });

  it('counts rows inserted with raw SQL, as the agents write them, in every time form', async () => {
    const { db } = use();
    await db.run(sql`INSERT INTO error_events (source_module, raised_at, severity, error_type, message) VALUES
      ('livechat', '2025-04-01 10:15:00', 'ERROR', 'HttpError', 'a'),
      ('livechat', '2025-04-01T10:59:59.999999', 'ERROR', 'HttpError', 'b'),
      ('livechat', '2025-04-01T10:30:00.000+00:00', 'WARNING', 'KeyError', 'c'),
      ('holo_index', '2025-04-01T11:00:00.000Z', 'CRITICAL', 'RuntimeError', 'd'),
      ('holo_index', '2025-04-01T12:30:00+02:00', 'ERROR', 'HttpError', 'e'),
      ('holo_index', '2025-04-01T23:30:00-03:00', 'ERROR', 'HttpError', 'f'),
      ('holo_index', 'not a time', 'ERROR', 'HttpError', 'g')`);
    expect(await rollupRows(db, 'errors')).toEqual({
      '2025-04-01 10:00:00|holo_index|holo_index|HttpError|error': 1,
      '2025-04-01 10:00:00|livechat|livechat|HttpError|error': 2,
      '2025-04-01 10:00:00|livechat|livechat|KeyError|warning': 1,
      '2025-04-01 11:00:00|holo_index|holo_index|RuntimeError|critical': 1,
      '2025-04-02 02:00:00|holo_index|holo_index|HttpError|error': 1,
    });
    expect(await zonedRows(db)).toEqual([
      ['errors', 5, '2025-04-01 10:30:00.000000'],
      ['errors', 6, '2025-04-02 02:30:00.000000'],
    ]);
    await expectConsistent(db);
  });

  it('counts bulk inserts and sums the values charts average', async () => {
    const { db } = use();
    const rows = Array.from({ length: 600 }, (_, i) => [
      'qwen',
      0.5,
      0.5 + (i % 3) / 100,
      'TESTS_PASSED',
      i % 4 !== 0,
      'ok',
      `2025-04-02T${String(i % 24).padStart(2, '0')}:10:00.${String(i).padStart(6, '0')}`,
    ]);
    await db.bulkInsert(
      'confidence_events',
      [
        'agent_id',
        'confidence_before',
        'confidence_after',
        'event_type',
        'success',
        'validation',
        'recorded_at',
      ],
      rows,
    );
    await refreshRollups(db);
    const sums = await db.all<{ count: number; a_sum: number; a_n: number; b_sum: number; severity: string }>(
      sql`SELECT SUM(count) AS count, SUM(a_sum) AS a_sum, SUM(a_n) AS a_n, SUM(b_sum) AS b_sum, severity FROM ${sql.raw(ROLLUPS_TABLE)} WHERE source = 'confidence' GROUP BY severity ORDER BY severity`,
    );
    expect(sums.map((row) => [row.severity, Number(row.count), Number(row.a_n)])).toEqual([
      ['info', 450, 450],
      ['warning', 150, 150],
    ]);
    expect(sums.reduce((sum, row) => sum + Number(row.b_sum), 0)).toBeCloseTo(
      600 * 0.5 + 200 * 0.01 + 200 * 0.02,
      6,
    );
    await db.bulkInsert(
      'chat_messages',
      ['user_id', 'stream_id', 'sent_at', 'message', 'message_type'],
      Array.from({ length: 300 }, (_, i) => [
        `UC${i}`,
        's',
        i % 2
          ? `2025-04-02 05:${String(i % 60).padStart(2, '0')}:00`
          : `2025-04-02T05:${String(i % 60).padStart(2, '0')}:00+05:30`,
        'hi',
        i % 10 ? 'chat' : 'bot_response',
      ]),
    );
    const chat = await rollupRows(db, 'chat');
    expect(Object.values(chat).reduce((a, b) => a + b, 0)).toBe(300);
    // Odd rows are written in UTC at 05:xx; even ones at 05:xx+05:30, i.e. 23:30–00:29 UTC.
    expect(chat['2025-04-02 05:00:00|chat||chat|info']).toBe(150);
    expect(chat['2025-04-02 05:00:00|chat||bot_response|info']).toBeUndefined();
    expect(chat['2025-04-01 23:00:00|chat||chat|info']! + chat['2025-04-02 00:00:00|chat||chat|info']!).toBe(
      120,
    );
    expect(
      chat['2025-04-01 23:00:00|chat||bot_response|info']! +
        chat['2025-04-02 00:00:00|chat||bot_response|info']!,
    ).toBe(30);
    expect((await zonedRows(db, 'chat')).length).toBe(150);
    await expectConsistent(db);
  });

  it('updates move counts: a new time moves the event to its new hour, a new dimension to its new group', async () => {
    const { db } = use();
    const before = await rollupRows(db, 'errors');
    await db.run(sql`UPDATE error_events SET raised_at = '2025-04-01 15:00:00' WHERE message = 'a'`);
    const moved = await rollupRows(db, 'errors');
    expect(moved['2025-04-01 10:00:00|livechat|livechat|HttpError|error']).toBe(1);
    expect(moved['2025-04-01 15:00:00|livechat|livechat|HttpError|error']).toBe(1);
    await db.run(sql`UPDATE error_events SET severity = 'WARNING' WHERE message = 'b'`);
    const regrouped = await rollupRows(db, 'errors');
    expect(regrouped['2025-04-01 10:00:00|livechat|livechat|HttpError|error']).toBeUndefined();
    expect(regrouped['2025-04-01 10:00:00|livechat|livechat|HttpError|warning']).toBe(1);
    // Unrelated columns change nothing; an offset added or removed updates the zone side table.
    await db.run(sql`UPDATE error_events SET stack_trace = 'Traceback…' WHERE source_module = 'holo_index'`);
    expect(await rollupRows(db, 'errors')).toEqual(regrouped);
    await db.run(sql`UPDATE error_events SET raised_at = '2025-04-01T12:30:00' WHERE message = 'e'`);
    await db.run(sql`UPDATE error_events SET raised_at = '2025-04-01T16:00:00+01:00' WHERE message = 'a'`);
    expect(await zonedRows(db, 'errors')).toEqual([
      ['errors', 1, '2025-04-01 15:00:00.000000'],
      ['errors', 6, '2025-04-02 02:30:00.000000'],
    ]);
    // Many rows in one statement (PostgreSQL: one trigger call with transition tables).
    await db.run(
      sql`UPDATE chat_messages SET sent_at = '2025-04-03 00:00:00' WHERE message_type = 'bot_response'`,
    );
    expect((await rollupRows(db, 'chat'))['2025-04-03 00:00:00|chat||bot_response|info']).toBe(30);
    expect((await zonedRows(db, 'chat')).length).toBe(120);
    expect(before).not.toEqual(await rollupRows(db, 'errors'));
    await expectConsistent(db);
  });

  it('deletes subtract, and a group that reaches zero disappears', async () => {
    const { db } = use();
    await db.run(sql`DELETE FROM error_events WHERE message = 'c'`);
    expect(
      (await rollupRows(db, 'errors'))['2025-04-01 10:00:00|livechat|livechat|KeyError|warning'],
    ).toBeUndefined();
    await db.run(sql`DELETE FROM error_events WHERE message IN ('f', 'a')`);
    expect(await zonedRows(db, 'errors')).toEqual([]);
    await db.run(sql`DELETE FROM chat_messages WHERE user_id LIKE 'UC1%'`);
    const chat = await rollupRows(db, 'chat');
    expect(Object.values(chat).reduce((a, b) => a + b, 0)).toBe(300 - 111);
    await expectConsistent(db);
  });

  it('verifyRollups reports lost or wrong rollups; rebuildRollups restores them, source by source', async () => {
    const { db } = use();
    const before = {
      errors: await rollupRows(db, 'errors'),
      chat: await rollupRows(db, 'chat'),
      confidence: await rollupRows(db, 'confidence'),
    };
    await db.run(
      sql`INSERT INTO error_events (source_module, raised_at, severity, message) VALUES ('x', '2025-04-05T08:00:00+03:00', 'ERROR', 'zoned')`,
    );
    const zoned = await zonedRows(db);
    const zonedError = (await zonedRows(db, 'errors'))[0]!;
    // Lose everything, and damage one count: what a database filled before migration 0002 looks like.
    await db.run(sql`DELETE FROM ${sql.raw(ROLLUPS_TABLE)} WHERE source = 'errors'`);
    await db.run(sql`DELETE FROM ${sql.raw(ZONED_ROWS_TABLE)} WHERE tl_source = 'errors'`);
    await db.run(
      sql`UPDATE ${sql.raw(ROLLUPS_TABLE)} SET count = count + 5 WHERE source = 'chat' AND type = 'bot_response'`,
    );
    await db.run(sql`DELETE FROM modules_console_meta WHERE key = ${`${ROLLUPS_COMPLETE_KEY_PREFIX}errors`}`);
    const broken = await verifyRollups(db);
    expect(new Set(broken.differences.map((d) => d.source))).toEqual(new Set(['errors', 'chat']));
    expect(broken.differences.find((d) => d.source === 'chat')).toMatchObject({
      type: 'bot_response',
      expected: { count: 19 },
      actual: { count: 24 },
    });
    expect(broken.zoned).toEqual([
      { source: 'errors', pk: zonedError[1], expectedKey: '2025-04-05 05:00:00.000000', actualKey: null },
    ]);
    // A range check looks at that range only.
    expect(
      (
        await verifyRollups(db, {
          source: 'chat',
          from: new Date('2025-04-01T00:00:00Z'),
          to: new Date('2025-04-02T00:00:00Z'),
        })
      ).differences,
    ).toEqual([]);
    expect(await rollupsComplete(db, 'errors')).toBe(false);

    const reports = await ensureRollups(db);
    expect(reports.map((report) => report.source)).toEqual(['errors']);
    expect(reports[0]).toMatchObject({ zonedRows: 1 });
    expect(await rollupsComplete(db, 'errors')).toBe(true);
    await rebuildRollups(db, 'chat');
    await expectConsistent(db);
    expect(await rollupRows(db, 'chat')).toEqual(before.chat);
    expect(await rollupRows(db, 'confidence')).toEqual(before.confidence);
    expect(await zonedRows(db)).toEqual(zoned);
    await expect(rebuildRollups(db, 'nope')).rejects.toThrow(/not a source with rollups/);
    // And the triggers keep going after a rebuild.
    await db.run(
      sql`INSERT INTO error_events (source_module, raised_at, severity, message) VALUES ('x', '2025-04-05 09:00:00', 'ERROR', 'after')`,
    );
    await expectConsistent(db);
  });
});

describeEachDatabase("timeline rollups of the agents' tables", (use) => {
  it('count text-keyed rows, posts whose status changes (review triggers included) and their history', async () => {
    const { db } = use();
    await db.run(
      sql`INSERT INTO agents_coordination_events (event_id, event_type, initiator_agent, timestamp) VALUES ('e1', 'handoff', 'qwen', '2025-04-01 10:00:00'), ('e2', 'handoff', 'qwen', '2025-04-01T10:30:00+02:00')`,
    );
    await db.run(
      sql`INSERT INTO agents_memory (agent_id, pattern_type, learned_at) VALUES ('gemma', 'fix', '2025-04-01 11:00:00')`,
    );
    await db.run(
      sql`INSERT INTO agents_social_posts (post_id, platform, post_type, identity, content, status, created_at) VALUES ('p1', 'x', 'reply', 'UnDaoDu', 'hi', 'pending_review', '2025-04-01 12:00:00')`,
    );
    expect(await rollupRows(db, 'posts')).toEqual({
      '2025-04-01 12:00:00|social_posts|UnDaoDu|reply|info': 1,
    });
    // The agents' reject_post: the post's severity changes, and the history gets a row (its own source).
    await db.run(
      sql`UPDATE agents_social_posts SET status = 'rejected', review_notes = 'off-topic', reviewed_at = '2025-04-01T14:00:00.123456' WHERE post_id = 'p1'`,
    );
    expect(await rollupRows(db, 'posts')).toEqual({
      '2025-04-01 12:00:00|social_posts|UnDaoDu|reply|warning': 1,
    });
    expect(Object.values(await rollupRows(db, 'reviews')).reduce((a, b) => a + b, 0)).toBe(2);
    // A text-keyed source places an offset value by the clock time it shows, in its list and its rollups alike.
    expect(await rollupRows(db, 'coordination')).toEqual({
      '2025-04-01 10:00:00|coordination|qwen||info': 2,
    });
    await db.run(sql`DELETE FROM agents_coordination_events WHERE event_id = 'e1'`);
    await expectConsistent(db);
  });
});

const pythonMissing = spawnSync('python3', ['--version'], { encoding: 'utf8' }).error !== undefined;

describe.skipIf(pythonMissing)(
  `rollups of rows the Python agents write with sqlite3${pythonMissing ? ' (skipped: python3 is not on PATH)' : ''}`,
  () => {
    let dir = '';
    let db: Database | undefined;
    beforeAll(async () => {
      dir = tempDir('foundups-timeline-py-');
      db = await openDatabase({ dialect: 'sqlite', path: path.join(dir, 'foundups.db') });
    });
    afterAll(async () => {
      await db?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('are folded like any others: the rollups (plus the tail) match a direct count', async () => {
      const script = `
import sqlite3, sys
from datetime import datetime, timezone, timedelta
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA foreign_keys=ON"); conn.execute("PRAGMA busy_timeout=5000")
start = datetime(2025, 4, 10, 9, 0, 0)
for i in range(200):
    at = start + timedelta(minutes=7 * i)
    text = at.isoformat() if i % 3 == 0 else (at.replace(tzinfo=timezone.utc).isoformat() if i % 3 == 1 else at.strftime("%Y-%m-%d %H:%M:%S"))
    conn.execute("INSERT INTO permission_events (agent_id, event_type, granted_at, confidence) VALUES (?, ?, ?, ?)",
                 ("gemma" if i % 2 else "qwen", "PERMISSION_DOWNGRADE" if i % 5 == 0 else "PERMISSION_GRANTED", text, 0.9))
    conn.commit()
conn.execute("DELETE FROM permission_events WHERE id % 10 = 0"); conn.commit()
conn.execute("UPDATE permission_events SET granted_at = '2025-04-20 00:00:00' WHERE id % 10 = 1"); conn.commit()
conn.close()
`;
      const file = path.join(dir, 'foundups.db');
      const result = spawnSync('python3', ['-c', script, file], { encoding: 'utf8', timeout: 60_000 });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(await verifyRollups(db!)).toEqual({ differences: [], zoned: [] });
      await refreshRollups(db!);
      expect(await verifyRollups(db!)).toEqual({ differences: [], zoned: [] });
      const total = await db!.get<{ n: number }>(
        sql`SELECT SUM(count) AS n FROM ${sql.raw(ROLLUPS_TABLE)} WHERE source = 'permissions'`,
      );
      expect(Number(total?.n)).toBe(180);
      const moved = await db!.get<{ n: number }>(
        sql`SELECT SUM(count) AS n FROM ${sql.raw(ROLLUPS_TABLE)} WHERE source = 'permissions' AND bucket_start = '2025-04-20 00:00:00'`,
      );
      expect(Number(moved?.n)).toBe(20);
    });
  },
);
