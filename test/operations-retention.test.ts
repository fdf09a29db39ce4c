import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect, it } from 'vitest';
import { sql } from '@/db/database';
import {
  RetentionError,
  executeRetention,
  listRetentionPolicies,
  listRetentionRuns,
  loadPlan,
  planRetention,
  saveRetentionPolicy,
} from '@/lib/operations/retention';
import { sha256File } from '@/lib/operations/backup';
import { verifyRollups } from '@/lib/timeline/rollups';
import { describeEachDatabase, tempDir } from './support/databases';

const NOW = new Date('2026-06-30T12:00:00Z');
// keep 30 days → cutoff 2026-05-31 12:00:00 UTC.
const OLD = [
  '2026-05-01 10:00:00', // SQLite CURRENT_TIMESTAMP form
  '2026-05-31T11:59:59.999999', // naive isoformat, just before the cutoff
  '2026-04-02T08:00:00+00:00',
  '2026-05-20T00:00:00Z',
  '2026-05-31T20:00:00+09:00', // 11:00 UTC: before the cutoff although its clock says 20:00
  '2026-05-31', // date only: midnight
];
const KEPT = [
  '2026-05-31 12:00:00', // exactly the cutoff: kept
  '2026-05-31T06:00:00-07:00', // 13:00 UTC: after the cutoff although its clock says 06:00
  '2026-06-29T10:00:00',
  '2026-06-30 11:00:00',
  'not a time', // never an event, never deleted
  '1715000000', // epoch text: not a date, kept
];

describeEachDatabase('retention', (use) => {
  it('has the heartbeats policy by default and validates edits', async () => {
    const { db } = use();
    const policies = await listRetentionPolicies(db);
    expect(policies).toEqual([
      expect.objectContaining({ source: 'heartbeats', keepDays: 30, enabled: true, table: 'daemon_health' }),
    ]);
    await expect(
      saveRetentionPolicy(db, { source: 'posts', keepDays: 5, enabled: true }, 'admin'),
    ).rejects.toThrow(RetentionError);
    await expect(
      saveRetentionPolicy(db, { source: 'errors', keepDays: 0, enabled: true }, 'admin'),
    ).rejects.toThrow(/1 to 36500/);
    await saveRetentionPolicy(db, { source: 'errors', keepDays: 90, enabled: false }, 'admin');
    expect((await listRetentionPolicies(db)).map((p) => [p.source, p.keepDays, p.enabled])).toEqual([
      ['errors', 90, false],
      ['heartbeats', 30, true],
    ]);
  });

  it('dry-runs, then archives every column of exactly the old rows before deleting them in batches; rollups stay right', async () => {
    const { db } = use();
    const rows = [...OLD, ...KEPT].map((time, i) => [
      `daemon-${i % 3}`,
      time,
      i % 2 ? 'ok' : 'degraded',
      i,
      `{"n":${i}}`,
    ]);
    await db.bulkInsert(
      'daemon_health',
      ['daemon_name', 'heartbeat_at', 'status', 'uptime_seconds', 'metrics_json'],
      rows,
    );
    const before = await db.all<Record<string, unknown>>(sql`SELECT * FROM daemon_health ORDER BY id`);
    const dir = tempDir('foundups-archive-');

    const [plan] = await planRetention(db, { directory: dir, now: NOW, recordedBy: 'admin' });
    expect(plan).toMatchObject({
      source: 'heartbeats',
      table: 'daemon_health',
      rows: OLD.length,
      keepDays: 30,
    });
    expect(plan!.cutoff).toBe('2026-05-31 12:00:00.000000');
    expect(plan!.archivePath).toMatch(
      /^.*\/heartbeats-daemon_health-before-20260531T120000Z-20260630T120000Z\.jsonl\.gz$/,
    );
    // A dry run deletes nothing.
    expect((await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM daemon_health`))!.n).toBe(
      before.length,
    );
    expect(fs.existsSync(plan!.archivePath)).toBe(false);

    const loaded = await loadPlan(db, plan!.runId, NOW);
    const result = await executeRetention(db, loaded, { startedBy: 'admin', batchRows: 4 });
    expect(result.rowsDeleted).toBe(OLD.length);

    const archived = zlib
      .gunzipSync(fs.readFileSync(result.archivePath))
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const expected = before.filter((row) => OLD.includes(String(row.heartbeat_at)));
    const normalise = (list: Record<string, unknown>[]) =>
      list.map((row) => ({ ...row, id: Number(row.id), uptime_seconds: Number(row.uptime_seconds) }));
    expect(normalise(archived)).toEqual(normalise(expected));
    expect(Object.keys(archived[0]!).sort()).toEqual(Object.keys(before[0]!).sort());

    const left = await db.all<{ heartbeat_at: string }>(
      sql`SELECT heartbeat_at FROM daemon_health ORDER BY id`,
    );
    expect(left.map((row) => row.heartbeat_at)).toEqual(KEPT);

    const rollups = await verifyRollups(db, { source: 'heartbeats' });
    expect(rollups.differences).toEqual([]);
    expect(rollups.zoned).toEqual([]);

    const [run] = await listRetentionRuns(db, 1);
    expect(run).toMatchObject({
      mode: 'execute',
      status: 'done',
      source: 'heartbeats',
      rowsDeleted: OLD.length,
      archivePath: result.archivePath,
      archiveSha256: await sha256File(result.archivePath),
      startedBy: 'admin',
    });
    expect(run!.archiveBytes).toBe(fs.statSync(result.archivePath).size);

    // The same dry run cannot be executed twice, and a new one finds nothing left.
    await expect(loadPlan(db, plan!.runId, NOW)).rejects.toThrow(/already executed/);
    const [again] = await planRetention(db, { directory: dir, now: NOW, recordedBy: 'admin' });
    expect(again!.rows).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a stale dry run', async () => {
    const { db } = use();
    const [plan] = await planRetention(db, {
      directory: path.join(tempDir(), 'a'),
      now: NOW,
      recordedBy: 'admin',
    });
    await expect(loadPlan(db, plan!.runId, new Date(NOW.getTime() + 2 * 60 * 60 * 1000))).rejects.toThrow(
      /more than an hour old/,
    );
    await expect(loadPlan(db, 987654)).rejects.toThrow(/does not exist/);
  });
});
