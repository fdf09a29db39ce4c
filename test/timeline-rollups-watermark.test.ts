// SQLite rollups by watermark (migration 0005): inserts fire nothing, refreshRollups folds the rows
// above each source's watermark, and readers (verifyRollups here, charts and the list elsewhere) add
// that tail themselves. The hard cases: rowids reused after the newest rows were deleted, updates above
// and below the watermark, rows inserted below it with an explicit id, a table created again, a
// database migrated from 0004 with data, and a randomized Python-like writer on its own connection.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, sql } from '@/db/database';
import { loadMigrations, migrate } from '@/db/migrate';
import {
  ROLLUPS_TABLE,
  WATERMARKS_TABLE,
  ensureRollups,
  maintainedSources,
  refreshRollups,
  verifyRollups,
  watermarkMigrationStatements,
  watermarked,
} from '@/lib/timeline/rollups';
import { getEventVolume } from '@/lib/timeline/charts';
import { getTimelineEvent, getTimelinePage } from '@/lib/timeline/list';
import { ZONED_ROWS_TABLE } from '@/lib/timeline/sources';
import { type TestDatabase, openTestDatabase } from './support/databases';

const MIGRATIONS = path.join(import.meta.dirname, '..', 'db', 'migrations');

function committedStatements(dialect: 'sqlite' | 'postgres'): string[] {
  const text = fs.readFileSync(path.join(MIGRATIONS, dialect, '0005_timeline_watermarks.sql'), 'utf8');
  return text
    .split('--> statement-breakpoint')
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}

describe('migration 0005_timeline_watermarks', () => {
  it.each(['sqlite', 'postgres'] as const)('%s: the committed file is the generated DDL', (dialect) => {
    expect(committedStatements(dialect)).toEqual(watermarkMigrationStatements(dialect));
  });

  it('the journals list it between 0004 and the migrations after it', () => {
    for (const dialect of ['sqlite', 'postgres']) {
      const tags = loadMigrations(dialect as 'sqlite' | 'postgres').map((m) => m.tag);
      expect(tags.indexOf('0005_timeline_watermarks')).toBe(tags.indexOf('0004_registry') + 1);
    }
  });

  it('integer-keyed sources follow a watermark on SQLite only; text-keyed ones keep their triggers', () => {
    expect(
      maintainedSources()
        .filter((source) => !watermarked(source, 'sqlite'))
        .map((source) => source.id),
    ).toEqual(['coordination', 'contracts', 'tasks']);
    expect(maintainedSources().some((source) => watermarked(source, 'postgres'))).toBe(false);
  });
});

const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const entry of opened.splice(0)) await entry.cleanup();
});

/**
 * A migrated SQLite file. With `reuseRowids`, error_events is created first as an older agent might
 * have created it, without AUTOINCREMENT: SQLite then reuses max(rowid)+1 after the newest rows go.
 */
async function sqliteDb(options: { reuseRowids?: boolean; upTo?: string } = {}): Promise<TestDatabase> {
  const entry = await openTestDatabase('sqlite', { migrate: false });
  opened.push(entry);
  if (options.reuseRowids)
    await entry.db.execScript([
      `CREATE TABLE error_events (id INTEGER PRIMARY KEY, source_module TEXT NOT NULL, raised_at TEXT NOT NULL, severity TEXT NOT NULL, error_type TEXT, message TEXT, stack_trace TEXT, payload_json TEXT, created_at TEXT DEFAULT (datetime('now')))`,
    ]);
  const all = loadMigrations('sqlite');
  await migrate(entry.db, options.upTo ? all.filter((m) => m.tag <= options.upTo!) : all);
  return entry;
}

async function expectExact(db: Database): Promise<void> {
  expect(await verifyRollups(db)).toEqual({ differences: [], zoned: [] });
}

async function watermark(db: Database, source: string): Promise<{ last: number; folded: number }> {
  const row = await db.get<{ last_rowid: number; folded_rows: number }>(
    sql`SELECT last_rowid, folded_rows FROM ${sql.raw(WATERMARKS_TABLE)} WHERE source = ${source}`,
  );
  return { last: Number(row?.last_rowid), folded: Number(row?.folded_rows) };
}

async function storedCount(db: Database, source: string): Promise<number> {
  const row = await db.get<{ n: number | null }>(
    sql`SELECT SUM(count) AS n FROM ${sql.raw(ROLLUPS_TABLE)} WHERE source = ${source}`,
  );
  return Number(row?.n ?? 0);
}

const insertError = (db: Database, at: string, message: string, severity = 'ERROR') =>
  db.run(
    sql`INSERT INTO error_events (source_module, raised_at, severity, error_type, message) VALUES ('livechat', ${at}, ${severity}, 'HttpError', ${message})`,
  );

describe('rollups by watermark on SQLite', () => {
  it('inserts leave the rollups alone; readers add the tail; refresh folds it in bounded chunks', async () => {
    const { db } = await sqliteDb();
    for (let i = 0; i < 250; i++)
      await insertError(
        db,
        `2025-05-01T${String(i % 24).padStart(2, '0')}:10:00${i % 5 ? '' : '+02:00'}`,
        `m${i}`,
      );
    expect(await storedCount(db, 'errors')).toBe(0);
    expect(await watermark(db, 'errors')).toEqual({ last: 0, folded: 0 });
    await expectExact(db);

    const first = await refreshRollups(db, 'errors', { chunkRows: 100, maxChunks: 2 });
    expect(first).toMatchObject([{ source: 'errors', rows: 200, chunks: 2, watermark: 200 }]);
    expect(await storedCount(db, 'errors')).toBe(200);
    await expectExact(db);
    const rest = await refreshRollups(db, 'errors', { chunkRows: 100 });
    expect(rest).toMatchObject([{ rows: 50, chunks: 1, watermark: 250 }]);
    expect(await watermark(db, 'errors')).toEqual({ last: 250, folded: 250 });
    expect(await storedCount(db, 'errors')).toBe(250);
    const zoned = await db.get<{ n: number }>(
      sql`SELECT COUNT(*) AS n FROM ${sql.raw(ZONED_ROWS_TABLE)} WHERE tl_source = 'errors'`,
    );
    expect(Number(zoned?.n)).toBe(50);
    expect(await refreshRollups(db, 'errors')).toMatchObject([{ rows: 0, chunks: 0, watermark: 250 }]);
    await expectExact(db);
    await expect(refreshRollups(db, 'nope')).rejects.toThrow(/not a source with rollups/);
  });

  it('updates: above the watermark nothing happens until the fold; below it counts move at once', async () => {
    const { db } = await sqliteDb();
    await insertError(db, '2025-05-01 10:00:00', 'folded');
    await refreshRollups(db);
    await insertError(db, '2025-05-01 11:00:00', 'tail');
    const before = await storedCount(db, 'errors');
    await db.run(sql`UPDATE error_events SET raised_at = '2025-05-02 11:00:00' WHERE message = 'tail'`);
    expect(await storedCount(db, 'errors')).toBe(before);
    await expectExact(db);
    // A folded row moved to another hour, another severity, and given an offset.
    await db.run(
      sql`UPDATE error_events SET raised_at = '2025-05-03T09:00:00+05:00', severity = 'WARNING' WHERE message = 'folded'`,
    );
    const moved = await db.all<{ bucket_start: string; severity: string; count: number }>(
      sql`SELECT bucket_start, severity, count FROM ${sql.raw(ROLLUPS_TABLE)} WHERE source = 'errors'`,
    );
    expect(moved).toEqual([{ bucket_start: '2025-05-03 04:00:00', severity: 'warning', count: 1 }]);
    await expectExact(db);
    // An update that moves a row's rowid across the watermark, both ways.
    await db.run(sql`UPDATE error_events SET id = 1000 WHERE message = 'folded'`);
    expect(await watermark(db, 'errors')).toEqual({ last: 0, folded: 0 });
    await expectExact(db);
    await refreshRollups(db);
    expect(await watermark(db, 'errors')).toEqual({ last: 1000, folded: 2 });
    await db.run(sql`UPDATE error_events SET id = 5 WHERE message = 'folded'`);
    await expectExact(db);
    expect(await watermark(db, 'errors')).toEqual({ last: 5, folded: 2 });
    await refreshRollups(db);
    await expectExact(db);
  });

  it('deletes subtract folded rows; deleting the newest rows lowers the watermark so reused rowids are not skipped', async () => {
    const { db } = await sqliteDb({ reuseRowids: true });
    for (let i = 1; i <= 10; i++) await insertError(db, `2025-05-01 0${i % 10}:00:00`, `m${i}`);
    await refreshRollups(db);
    expect(await watermark(db, 'errors')).toEqual({ last: 10, folded: 10 });
    await db.run(sql`DELETE FROM error_events WHERE id IN (3, 9, 10)`);
    expect(await watermark(db, 'errors')).toEqual({ last: 8, folded: 7 });
    expect(await storedCount(db, 'errors')).toBe(7);
    // Without AUTOINCREMENT the next row gets id 9 again: above the lowered watermark, so it is folded.
    await insertError(db, '2025-05-01 23:00:00', 'reused');
    const reused = await db.get<{ id: number }>(sql`SELECT id FROM error_events WHERE message = 'reused'`);
    expect(reused?.id).toBe(9);
    await expectExact(db);
    await refreshRollups(db);
    expect(await watermark(db, 'errors')).toEqual({ last: 9, folded: 8 });
    expect(await storedCount(db, 'errors')).toBe(8);
    // Everything deleted: the watermark goes back to 0 and the next row (id 1) is folded too.
    await db.run(sql`DELETE FROM error_events`);
    expect(await watermark(db, 'errors')).toEqual({ last: 0, folded: 0 });
    expect(await storedCount(db, 'errors')).toBe(0);
    await insertError(db, '2025-05-02 00:00:00', 'again');
    await expectExact(db);
    await refreshRollups(db);
    expect(await watermark(db, 'errors')).toEqual({ last: 1, folded: 1 });
    await expectExact(db);
  });

  it('a row inserted below the watermark with an explicit id is reported by verify and repaired by ensureRollups', async () => {
    const { db } = await sqliteDb();
    for (let i = 1; i <= 5; i++) await insertError(db, '2025-05-01 10:00:00', `m${i}`);
    await refreshRollups(db);
    await db.run(sql`DELETE FROM error_events WHERE id = 2`);
    await db.run(
      sql`INSERT INTO error_events (id, source_module, raised_at, severity, message) VALUES (2, 'livechat', '2025-05-01 12:00:00', 'ERROR', 'restored')`,
    );
    const broken = await verifyRollups(db, { source: 'errors' });
    expect(broken.differences).toMatchObject([
      { granularity: 'hour', bucketStart: '2025-05-01 12:00:00', expected: { count: 1 }, actual: null },
      { granularity: 'day', bucketStart: '2025-05-01', expected: { count: 1 }, actual: null },
    ]);
    expect(await ensureRollups(db)).toMatchObject([{ source: 'errors' }]);
    await expectExact(db);
    expect(await ensureRollups(db)).toEqual([]);
  });

  it('a table dropped and created again gets its triggers back and is recounted', async () => {
    const { db } = await sqliteDb();
    for (let i = 1; i <= 4; i++) await insertError(db, '2025-05-01 10:00:00', `m${i}`);
    await refreshRollups(db);
    await db.execScript([
      'DROP TABLE error_events',
      `CREATE TABLE error_events (id INTEGER PRIMARY KEY AUTOINCREMENT, source_module TEXT NOT NULL, raised_at TEXT NOT NULL, severity TEXT NOT NULL, error_type TEXT, message TEXT, stack_trace TEXT, payload_json TEXT, created_at TEXT DEFAULT (datetime('now')))`,
    ]);
    await insertError(db, '2025-05-01 11:00:00', 'new table');
    expect((await verifyRollups(db, { source: 'errors' })).differences.length).toBeGreaterThan(0);
    expect(await ensureRollups(db)).toMatchObject([{ source: 'errors' }]);
    const triggers = await db.all<{ name: string }>(
      sql`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'error_events' ORDER BY name`,
    );
    expect(triggers.map((t) => t.name)).toEqual([
      'trg_timeline_error_events_folded_delete',
      'trg_timeline_error_events_folded_update',
    ]);
    await db.run(sql`DELETE FROM error_events WHERE message = 'new table'`);
    await insertError(db, '2025-05-01 12:00:00', 'after');
    await expectExact(db);
    await refreshRollups(db);
    expect(await storedCount(db, 'errors')).toBe(1);
    await expectExact(db);
  });

  it('a database filled under 0002–0004 triggers keeps its counts: the watermark starts at the newest row', async () => {
    const { db } = await sqliteDb({ upTo: '0004_registry' });
    for (let i = 1; i <= 30; i++)
      await insertError(db, `2025-05-01T10:${String(i).padStart(2, '0')}:00+01:00`, `m${i}`);
    await db.run(sql`DELETE FROM error_events WHERE id > 27`);
    expect(await storedCount(db, 'errors')).toBe(27);
    await migrate(db);
    expect(await watermark(db, 'errors')).toEqual({ last: 27, folded: 27 });
    expect(await storedCount(db, 'errors')).toBe(27);
    await expectExact(db);
    expect(await refreshRollups(db, 'errors')).toMatchObject([{ rows: 0 }]);
    expect(await ensureRollups(db)).toEqual([]);
    await insertError(db, '2025-05-01 11:00:00', 'after 0005');
    expect(await storedCount(db, 'errors')).toBe(27);
    await refreshRollups(db);
    expect(await storedCount(db, 'errors')).toBe(28);
    await expectExact(db);
  });

  it('readers are exact before the fold: charts add the tail, the list places tail rows with offsets by UTC', async () => {
    const { db } = await sqliteDb();
    for (let i = 0; i < 48; i++)
      await insertError(
        db,
        `2025-05-0${1 + Math.floor(i / 24)}T${String(i % 24).padStart(2, '0')}:30:00`,
        `m${i}`,
      );
    await refreshRollups(db);
    // Not folded yet: one at 23:30+02:00 (21:30 UTC on May 1st), one plain, one in a new day.
    await insertError(db, '2025-05-01T23:30:00+02:00', 'tail offset');
    await insertError(db, '2025-05-01 21:45:00', 'tail plain');
    await insertError(db, '2025-05-03T01:00:00', 'tail next day');
    const filters = { from: new Date('2025-04-30T00:00:00Z'), to: new Date('2025-05-05T00:00:00Z') };
    const before = await getEventVolume(db, filters);
    expect(before.buckets.map((bucket) => bucket.total)).toEqual([0, 26, 24, 1, 0]);
    const hours = await getEventVolume(db, {
      from: new Date('2025-05-01T00:00:00Z'),
      to: new Date('2025-05-02T00:00:00Z'),
    });
    expect(hours.buckets.find((b) => b.start === '2025-05-01T21:00:00.000Z')?.total).toBe(3);
    const page = await getTimelinePage(
      db,
      { sources: ['errors'], to: new Date('2025-05-01T22:00:00Z') },
      { limit: 3 },
    );
    expect(page.events.map((event) => event.summary)).toEqual([
      'HttpError: tail plain',
      'HttpError: tail offset',
      'HttpError: m21',
    ]);
    const detail = await getTimelineEvent(db, 'errors', page.events[1]!.id);
    expect(detail?.key).toBe('2025-05-01 21:30:00.000000');
    await refreshRollups(db);
    expect(await storedCount(db, 'errors')).toBe(51);
    expect(await getEventVolume(db, filters)).toEqual(before);
    const after = await getTimelinePage(
      db,
      { sources: ['errors'], to: new Date('2025-05-01T22:00:00Z') },
      { limit: 3 },
    );
    expect(after.events).toEqual(page.events);
    expect((await getTimelineEvent(db, 'errors', page.events[2]!.id))?.key).toBe(
      '2025-05-01 21:30:00.000000',
    );
  });

  it('a randomized Python-like writer on its own connection: inserts, updates, deletes, reused rowids, interleaved refreshes', async () => {
    const entry = await sqliteDb({ reuseRowids: true });
    const { db } = entry;
    const writer = new BetterSqlite3(entry.file!);
    writer.pragma('busy_timeout = 5000');
    let seed = 20251122;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const time = () => {
      const day = 1 + Math.floor(random() * 3);
      const hour = Math.floor(random() * 24);
      const base = `2025-06-0${day}T${String(hour).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00`;
      return pick([
        base,
        base.replace('T', ' '),
        `${base}+00:00`,
        `${base}+05:30`,
        `${base}-03:00`,
        'bad time',
      ]);
    };
    const insert = {
      errors: writer.prepare(
        'INSERT INTO error_events (source_module, raised_at, severity, error_type, message) VALUES (?, ?, ?, ?, ?)',
      ),
      chat: writer.prepare(
        'INSERT INTO chat_messages (user_id, stream_id, sent_at, message, message_type) VALUES (?, ?, ?, ?, ?)',
      ),
      confidence: writer.prepare(
        'INSERT INTO confidence_events (agent_id, confidence_before, confidence_after, event_type, success, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
    };
    const tables = {
      errors: ['error_events', 'raised_at'],
      chat: ['chat_messages', 'sent_at'],
      confidence: ['confidence_events', 'recorded_at'],
    } as const;
    let refreshes = 0;
    for (let step = 0; step < 160; step++) {
      const source = pick(['errors', 'chat', 'confidence'] as const);
      const [table, column] = tables[source];
      const action = random();
      if (action < 0.45) {
        writer.transaction(() => {
          for (let i = 0, n = 1 + Math.floor(random() * 40); i < n; i++) {
            if (source === 'errors')
              insert.errors.run(
                pick(['a', 'b']),
                time(),
                pick(['ERROR', 'WARNING', 'critical']),
                pick(['X', 'Y']),
                'm',
              );
            else if (source === 'chat')
              insert.chat.run(`u${i % 3}`, 's', time(), 'hi', pick(['chat', 'bot']));
            else
              insert.confidence.run(
                pick(['qwen', 'gemma']),
                random(),
                random(),
                'E',
                random() < 0.5 ? 1 : 0,
                time(),
              );
          }
        })();
      } else if (action < 0.65) {
        const set =
          column === 'raised_at' && random() < 0.5
            ? `severity = '${pick(['ERROR', 'WARNING'])}'`
            : `${column} = '${time()}'`;
        writer
          .prepare(
            `UPDATE ${table} SET ${set} WHERE id IN (SELECT id FROM ${table} ORDER BY random() LIMIT ?)`,
          )
          .run(1 + Math.floor(random() * 5));
      } else if (action < 0.78) {
        writer
          .prepare(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} ORDER BY random() LIMIT ?)`)
          .run(1 + Math.floor(random() * 5));
      } else if (action < 0.86) {
        // The newest rows go (retention from the top, corrections): error_events will reuse their rowids.
        writer
          .prepare(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} ORDER BY id DESC LIMIT ?)`)
          .run(1 + Math.floor(random() * 6));
      } else {
        await refreshRollups(db, undefined, {
          chunkRows: 1 + Math.floor(random() * 30),
          maxChunks: 1 + Math.floor(random() * 3),
        });
        refreshes++;
      }
      if (step % 40 === 39) await expectExact(db);
    }
    writer.close();
    expect(refreshes).toBeGreaterThan(5);
    await expectExact(db);
    await refreshRollups(db);
    await expectExact(db);
    for (const [source, [table]] of Object.entries(tables)) {
      const state = await watermark(db, source);
      const counted = await db.get<{ n: number; max: number | null }>(
        sql`SELECT COUNT(*) AS n, MAX(id) AS max FROM ${sql.raw(table)}`,
      );
      expect({ source, ...state }).toEqual({
        source,
        last: Number(counted?.max ?? 0),
        folded: Number(counted?.n),
      });
    }
    expect(await ensureRollups(db)).toEqual([]);
  });
});
