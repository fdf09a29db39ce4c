// The merged timeline list on every database: ordering across sources and time forms, keyset pages
// (no gaps, no repeats, ties on equal timestamps), each filter, time zones, the per-agent view, the
// event detail and its correlation, the live count, and the export.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Database, sql } from '@/db/database';
import { parseDbTime } from '@/lib/time/format';
import { InvalidCursorError, decodeCursor } from '@/lib/timeline/cursor';
import { csvField, exportTimeline, timelineCsv, timelineJson } from '@/lib/timeline/export';
import {
  type TimelineEvent,
  type TimelineFilters,
  countNewerEvents,
  getActorTimeline,
  getCorrelatedEvents,
  getFilterValues,
  getTimelineEvent,
  getTimelinePage,
} from '@/lib/timeline/list';
import { BUILT_IN_SOURCES } from '@/lib/timeline/sources';
import { describeEachDatabase } from './support/databases';

const DAY = '2025-03-10';

/** What the timeline's key must be, computed independently of the SQL: UTC for zone-aware sources. */
function expectedKey(raw: string, zoneAware: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return `${raw} 00:00:00.000000`;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/.exec(raw);
  if (!match) throw new Error(`unexpected test time ${raw}`);
  const [, day, minute, seconds = ':00', fraction = '', zone] = match;
  const frac = fraction.padEnd(6, '0').slice(0, 6);
  if (zoneAware && zone && zone !== 'Z' && zone.slice(1) !== '00:00') {
    const utc = parseDbTime(raw)!.toISOString();
    return `${utc.slice(0, 10)} ${utc.slice(11, 19)}.${frac}`;
  }
  return `${day} ${minute}${seconds}.${frac}`;
}

interface Inserted {
  source: string;
  id: string;
  raw: string;
  key: string;
}

const ZONE_AWARE = new Set(BUILT_IN_SOURCES.filter((s) => s.maintained).map((s) => s.id));

/** Every row of the timeline's test sources with its expected key, in the list's order. */
async function oracle(db: Database): Promise<Inserted[]> {
  const reads: [string, string, string, string][] = [
    ['permissions', 'permission_events', 'id', 'granted_at'],
    ['chat', 'chat_messages', 'id', 'sent_at'],
    ['errors', 'error_events', 'id', 'raised_at'],
    ['heartbeats', 'daemon_health', 'id', 'heartbeat_at'],
    ['memory', 'agents_memory', 'id', 'learned_at'],
    ['coordination', 'agents_coordination_events', 'event_id', 'timestamp'],
  ];
  const rows: Inserted[] = [];
  for (const [source, table, pk, time] of reads) {
    const found = await db.all<{ pk: string | number; t: string }>(
      sql`SELECT ${sql.raw(`"${pk}"`)} AS pk, ${sql.raw(`"${time}"`)} AS t FROM ${sql.raw(table)}`,
    );
    for (const row of found)
      rows.push({ source, id: String(row.pk), raw: row.t, key: expectedKey(row.t, ZONE_AWARE.has(source)) });
  }
  const pkOrder = (a: Inserted, b: Inserted) =>
    a.source === 'coordination' ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : Number(b.id) - Number(a.id);
  return rows.sort((a, b) =>
    a.key !== b.key
      ? a.key < b.key
        ? 1
        : -1
      : a.source !== b.source
        ? a.source < b.source
          ? -1
          : 1
        : pkOrder(a, b),
  );
}

async function allPages(db: Database, filters: TimelineFilters, limit: number): Promise<TimelineEvent[][]> {
  const pages: TimelineEvent[][] = [];
  let cursor: string | null = null;
  do {
    const page = await getTimelinePage(db, filters, { cursor, limit });
    pages.push(page.events);
    cursor = page.nextCursor;
    if (pages.length > 500) throw new Error('runaway pagination');
  } while (cursor);
  return pages;
}

const ids = (events: TimelineEvent[]) => events.map((e) => `${e.source}:${e.id}`);

async function seed(db: Database): Promise<void> {
  // 40 permission events in one second, half written as Python's isoformat (T), half as CURRENT_TIMESTAMP.
  for (let i = 0; i < 40; i++) {
    const at = i % 2 ? `${DAY}T12:00:00` : `${DAY} 12:00:00`;
    const type = i % 5 === 0 ? 'PERMISSION_DOWNGRADE' : 'PERMISSION_GRANTED';
    await db.run(
      sql`INSERT INTO permission_events (agent_id, event_type, permission_level, granted_at, granted_by) VALUES (${i % 3 === 0 ? 'gemma' : 'qwen'}, ${type}, 'edit_access_tests', ${at}, '012')`,
    );
  }
  // 30 chat messages in the same second, UTC-designated; two carry text for the search filter.
  for (let i = 0; i < 30; i++) {
    const message = i === 3 ? 'Progress: 100%_done' : i === 4 ? 'HELLO from 100 percent done' : `hello ${i}`;
    await db.run(
      sql`INSERT INTO chat_messages (user_id, stream_id, sent_at, message) VALUES (${i % 2 ? 'gemma' : 'UCviewer'}, 'stream-1', ${`${DAY}T12:00:00+00:00`}, ${message})`,
    );
  }
  // Errors across the day in both forms, with fractions, one just before midnight and one the next day.
  const errorTimes = [
    `${DAY} 23:00:00`,
    `${DAY}T01:00:00.250000`,
    `${DAY}T12:00:00.000001`,
    `${DAY} 11:59:59`,
    `${DAY}T11:59:59.999999`,
    '2025-03-09T23:59:59.999999',
    '2025-03-11 00:30:00',
    `${DAY}T12:00:00.5Z`,
    `${DAY} 12:00:00.123`,
  ];
  for (const [i, at] of errorTimes.entries()) {
    await db.run(
      sql`INSERT INTO error_events (source_module, raised_at, severity, error_type, message) VALUES (${i % 2 ? 'livechat' : 'holo_index'}, ${at}, ${i === 0 ? 'CRITICAL' : 'ERROR'}, 'HttpError', ${`error ${i}`})`,
    );
  }
  // A heartbeat with an offset: 13:30 at +02:00 is 11:30 UTC.
  await db.run(
    sql`INSERT INTO daemon_health (daemon_name, heartbeat_at, status) VALUES ('youtube_dae', ${`${DAY}T13:30:00+02:00`}, 'healthy')`,
  );
  await db.run(
    sql`INSERT INTO daemon_health (daemon_name, heartbeat_at, status, errors_detected) VALUES ('youtube_dae', ${`${DAY}T11:00:00.000Z`}, 'degraded', 2)`,
  );
  // Agent tables as Python fills them (CURRENT_TIMESTAMP form), one with a text primary key.
  for (let i = 0; i < 12; i++) {
    await db.run(
      sql`INSERT INTO agents_memory (agent_id, pattern_type, pattern_data, learned_at) VALUES ('gemma', 'fix', ${JSON.stringify({ n: i })}, ${`${DAY} 12:00:00`})`,
    );
  }
  // A date-only value (an agent's DATETIME column may hold one): midnight.
  await db.run(
    sql`INSERT INTO agents_memory (agent_id, pattern_type, pattern_data, learned_at) VALUES ('gemma', 'day', NULL, ${DAY})`,
  );
  for (const id of ['evt-a', 'evt-b', 'evt-c']) {
    await db.run(
      sql`INSERT INTO agents_coordination_events (event_id, event_type, initiator_agent, target_agents, payload, timestamp) VALUES (${id}, 'handoff', 'qwen', '["gemma"]', '{"task": 1}', ${`${DAY} 12:00:00`})`,
    );
  }
}

describeEachDatabase('timeline list', (use) => {
  let expected: Inserted[] = [];
  beforeAll(async () => {
    await seed(use().db);
    expected = await oracle(use().db);
  });

  it('merges every source into one order: time, then source, then primary key (newest first)', async () => {
    const { db } = use();
    const page = await getTimelinePage(db, {}, { limit: 500 });
    expect(page.nextCursor).toBeNull();
    expect(ids(page.events)).toEqual(expected.map((row) => `${row.source}:${row.id}`));
    expect(page.events.map((e) => e.key)).toEqual(expected.map((row) => row.key));
    expect(new Set(page.events.map((e) => e.source))).toEqual(
      new Set(['permissions', 'chat', 'errors', 'heartbeats', 'memory', 'coordination']),
    );
  });

  it('orders mixed time forms by their instant, across the day boundary', async () => {
    const { db } = use();
    const errors = (await getTimelinePage(db, { sources: ['errors'] }, { limit: 50 })).events;
    expect(errors.map((e) => e.time)).toEqual([
      '2025-03-11 00:30:00',
      `${DAY} 23:00:00`,
      `${DAY}T12:00:00.5Z`,
      `${DAY} 12:00:00.123`,
      `${DAY}T12:00:00.000001`,
      `${DAY}T11:59:59.999999`,
      `${DAY} 11:59:59`,
      `${DAY}T01:00:00.250000`,
      '2025-03-09T23:59:59.999999',
    ]);
    for (const event of errors) expect(event.at).toBe(parseDbTime(event.time)!.toISOString());
  });

  it('pages with the cursor: no gaps, no repeats, ties on one second spread over many pages', async () => {
    const { db } = use();
    const pages = await allPages(db, {}, 7);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const flat = pages.flat();
    expect(new Set(ids(flat)).size).toBe(flat.length);
    expect(ids(flat)).toEqual(expected.map((row) => `${row.source}:${row.id}`));
    // At least one page lies entirely inside the 12:00:00 tie.
    expect(
      pages.some(
        (page) => page.length === 7 && page.every((e) => e.key.startsWith(`${DAY} 12:00:00.000000`)),
      ),
    ).toBe(true);
  });

  it('resumes from any event: its cursor starts the page right after it', async () => {
    const { db } = use();
    const all = (await getTimelinePage(db, {}, { limit: 500 })).events;
    for (const index of [0, 5, 39, 60, all.length - 2]) {
      const next = await getTimelinePage(db, {}, { cursor: all[index]!.cursor, limit: 3 });
      expect(ids(next.events)).toEqual(ids(all.slice(index + 1, index + 4)));
    }
    const end = await getTimelinePage(db, {}, { cursor: all.at(-1)!.cursor, limit: 3 });
    expect(end.events).toEqual([]);
    expect(end.nextCursor).toBeNull();
  });

  it('refuses a damaged cursor with a clear error, and a bad page size', async () => {
    const { db } = use();
    await expect(getTimelinePage(db, {}, { cursor: 'not a cursor!' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    const forged = Buffer.from(JSON.stringify({ k: 'x', s: 'chat', p: 1 })).toString('base64url');
    await expect(getTimelinePage(db, {}, { cursor: forged })).rejects.toThrow(/not valid/);
    await expect(getTimelinePage(db, {}, { limit: 0 })).rejects.toThrow(RangeError);
  });

  it('filters by time range [from, to)', async () => {
    const { db } = use();
    const from = new Date(`${DAY}T11:59:59.000Z`);
    const to = new Date(`${DAY}T12:00:00.000Z`);
    const events = (await getTimelinePage(db, { from, to }, { limit: 500 })).events;
    const want = expected.filter(
      (row) => row.key >= '2025-03-10 11:59:59.000000' && row.key < '2025-03-10 12:00:00.000000',
    );
    expect(ids(events)).toEqual(want.map((row) => `${row.source}:${row.id}`));
    expect(events.map((e) => e.time).sort()).toEqual([`${DAY} 11:59:59`, `${DAY}T11:59:59.999999`].sort());
    const whole = await allPages(
      db,
      { from: new Date('2025-03-10T00:00:00Z'), to: new Date('2025-03-11T00:00:00Z') },
      9,
    );
    expect(whole.flat().length).toBe(expected.filter((row) => row.key.startsWith(DAY)).length);
  });

  it('filters by actor (one or several), source, module, type, severity and free text', async () => {
    const { db } = use();
    const gemma = (await getTimelinePage(db, { actors: ['gemma'] }, { limit: 500 })).events;
    expect(gemma.length).toBe(14 + 15 + 13);
    expect(new Set(gemma.map((e) => e.actor))).toEqual(new Set(['gemma']));
    expect(new Set(gemma.map((e) => e.source))).toEqual(new Set(['permissions', 'chat', 'memory']));
    const two = (await getTimelinePage(db, { actors: ['gemma', 'qwen'] }, { limit: 500 })).events;
    expect(two.length).toBe(40 + 15 + 13 + 3);
    expect(ids(two)).toEqual(
      expected
        .filter((row) => ids(two).includes(`${row.source}:${row.id}`))
        .map((row) => `${row.source}:${row.id}`),
    );

    const bySource = (await getTimelinePage(db, { sources: ['memory', 'coordination'] }, { limit: 500 }))
      .events;
    expect(bySource.length).toBe(16);
    const byModule = (await getTimelinePage(db, { modules: ['livechat'] }, { limit: 500 })).events;
    expect(byModule.map((e) => e.source)).toEqual(['errors', 'errors', 'errors', 'errors']);
    const byType = (await getTimelinePage(db, { types: ['PERMISSION_DOWNGRADE'] }, { limit: 500 })).events;
    expect(byType.length).toBe(8);
    expect(byType.every((e) => e.severity === 'warning')).toBe(true);
    const critical = (await getTimelinePage(db, { severities: ['critical'] }, { limit: 500 })).events;
    expect(critical.map((e) => e.time)).toEqual([`${DAY} 23:00:00`]);
    const warnings = (await getTimelinePage(db, { severities: ['warning'] }, { limit: 500 })).events;
    expect(warnings.map((e) => e.source).sort()).toEqual(
      [...Array(8).fill('permissions'), 'heartbeats'].sort(),
    );

    // Wildcards are literal, case does not matter.
    const literal = (await getTimelinePage(db, { q: '100%_done' }, { limit: 500 })).events;
    expect(literal.map((e) => e.summary)).toEqual(['Progress: 100%_done']);
    const caseless = (await getTimelinePage(db, { q: 'hello FROM' }, { limit: 500 })).events;
    expect(caseless.map((e) => e.summary)).toEqual(['HELLO from 100 percent done']);
    const combined = (
      await getTimelinePage(db, { actors: ['gemma'], sources: ['chat'], q: 'hello 1' }, { limit: 500 })
    ).events;
    expect(combined.map((e) => e.summary).sort()).toEqual(
      ['hello 1', 'hello 11', 'hello 13', 'hello 15', 'hello 17', 'hello 19'].sort(),
    );
  });

  it('per-agent view: everything one agent did across sources, paged', async () => {
    const { db } = use();
    const pages: TimelineEvent[] = [];
    let cursor: string | null = null;
    do {
      const page = await getActorTimeline(db, 'gemma', {}, { cursor, limit: 4 });
      pages.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.length).toBe(42);
    expect(ids(pages)).toEqual(
      expected
        .filter((row) => ids(pages).includes(`${row.source}:${row.id}`))
        .map((row) => `${row.source}:${row.id}`),
    );
  });

  it('time zones: an offset value is placed, filtered and shown at its UTC instant', async () => {
    const { db } = use();
    const beats = (await getTimelinePage(db, { sources: ['heartbeats'] }, { limit: 10 })).events;
    expect(beats.map((e) => [e.time, e.at, e.key])).toEqual([
      [`${DAY}T13:30:00+02:00`, `${DAY}T11:30:00.000Z`, `${DAY} 11:30:00.000000`],
      [`${DAY}T11:00:00.000Z`, `${DAY}T11:00:00.000Z`, `${DAY} 11:00:00.000000`],
    ]);
    const inUtcHour = (
      await getTimelinePage(db, {
        sources: ['heartbeats'],
        from: new Date(`${DAY}T11:15:00Z`),
        to: new Date(`${DAY}T11:45:00Z`),
      })
    ).events;
    expect(inUtcHour.map((e) => e.time)).toEqual([`${DAY}T13:30:00+02:00`]);
    const atWallClock = (
      await getTimelinePage(db, {
        sources: ['heartbeats'],
        from: new Date(`${DAY}T13:00:00Z`),
        to: new Date(`${DAY}T14:00:00Z`),
      })
    ).events;
    expect(atWallClock).toEqual([]);
    // Between two errors at 01:00 and 11:59:59 UTC in the merged list.
    const all = (
      await getTimelinePage(db, { from: new Date(`${DAY}T11:29:00Z`), to: new Date(`${DAY}T11:31:00Z`) })
    ).events;
    expect(all.map((e) => e.source)).toEqual(['heartbeats']);
  });

  it('event detail: every column, JSON parsed, and the other sources within ±5 minutes', async () => {
    const { db } = use();
    const beat = (await getTimelinePage(db, { sources: ['heartbeats'] })).events.find((e) =>
      e.time.endsWith('Z'),
    )!;
    const detail = await getTimelineEvent(db, 'heartbeats', beat.id);
    expect(detail).toMatchObject({
      source: 'heartbeats',
      id: beat.id,
      table: 'daemon_health',
      primaryKeyColumn: 'id',
      key: beat.key,
      severity: 'warning',
    });
    expect(detail!.summary).toBe('degraded · 2 errors');
    expect(detail!.columns.map((c) => c.name)).toEqual([
      'id',
      'daemon_name',
      'heartbeat_at',
      'status',
      'video_id',
      'errors_detected',
      'uptime_seconds',
      'metrics_json',
      'created_at',
    ]);
    const memory = (await getTimelinePage(db, { sources: ['memory'] }, { limit: 1 })).events[0]!;
    const memoryDetail = await getTimelineEvent(db, 'memory', memory.id);
    expect(memoryDetail!.columns.find((c) => c.name === 'pattern_data')).toMatchObject({ json: { n: 11 } });
    const coordination = await getTimelineEvent(db, 'coordination', 'evt-b');
    expect(coordination!.columns.find((c) => c.name === 'target_agents')).toMatchObject({
      value: '["gemma"]',
      json: ['gemma'],
    });

    expect(await getTimelineEvent(db, 'heartbeats', '999999')).toBeNull();
    expect(await getTimelineEvent(db, 'heartbeats', 'not-a-number')).toBeNull();
    expect(await getTimelineEvent(db, 'nope', '1')).toBeNull();

    // 11:00Z: within ±5 minutes lie no other sources' events; at 12:00 lie many.
    expect(await getCorrelatedEvents(db, detail!)).toEqual([]);
    const noon = (await getTimelinePage(db, { sources: ['memory'] }, { limit: 1 })).events[0]!;
    const related = await getCorrelatedEvents(db, noon, { limit: 500 });
    expect(related.length).toBe(40 + 30 + 5 + 3);
    expect(related.every((e) => e.source !== 'memory')).toBe(true);
  });

  it('live mode: counts what is newer than the event at the top, without moving the list', async () => {
    const { db } = use();
    const top = (await getTimelinePage(db, {}, { limit: 1 })).events[0]!;
    expect(await countNewerEvents(db, {}, { cursor: top.cursor })).toEqual({ count: 0, capped: false });
    const tenth = (await getTimelinePage(db, {}, { limit: 10 })).events[9]!;
    expect(await countNewerEvents(db, {}, { cursor: tenth.cursor })).toEqual({ count: 9, capped: false });
    expect(await countNewerEvents(db, {}, { at: new Date(`${DAY}T12:00:00Z`) }, 3)).toEqual({
      count: 3,
      capped: true,
    });
    expect(
      (await countNewerEvents(db, { sources: ['errors'] }, { at: new Date(`${DAY}T12:00:00Z`) })).count,
    ).toBe(5);
  });

  it('filter pickers: distinct actors and types, with a prefix', async () => {
    const { db } = use();
    const actors = await getFilterValues(db, 'actor');
    expect(actors.values.map((v) => v.value)).toEqual(
      expect.arrayContaining(['gemma', 'qwen', 'UCviewer', 'youtube_dae', 'livechat', 'holo_index']),
    );
    expect(actors.values.find((v) => v.value === 'gemma')!.sources).toEqual([
      'chat',
      'memory',
      'permissions',
    ]);
    const prefixed = await getFilterValues(db, 'actor', { prefix: 'q' });
    expect(prefixed.values.map((v) => v.value)).toEqual(['qwen']);
    const types = await getFilterValues(db, 'type', { sources: ['permissions'] });
    expect(types).toEqual({
      values: [
        { value: 'PERMISSION_DOWNGRADE', sources: ['permissions'] },
        { value: 'PERMISSION_GRANTED', sources: ['permissions'] },
      ],
      complete: true,
    });
  });

  it('export streams exactly the filtered list, as CSV and JSON', async () => {
    const { db } = use();
    const filters: TimelineFilters = { actors: ['gemma'], from: new Date(`${DAY}T00:00:00Z`) };
    const listed = (await getTimelinePage(db, filters, { limit: 500 })).events;
    const exported = [];
    for await (const page of exportTimeline(db, filters, { pageSize: 6 })) exported.push(...page);
    expect(ids(exported)).toEqual(ids(listed));
    let csv = '';
    for await (const chunk of timelineCsv(exportTimeline(db, filters, { pageSize: 7 }))) csv += chunk;
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('at,time,source,id,module,actor,type,severity,summary');
    expect(lines.length).toBe(listed.length + 1);
    let json = '';
    for await (const chunk of timelineJson(exportTimeline(db, filters, { pageSize: 5 }))) json += chunk;
    const parsed = JSON.parse(json) as { source: string; id: string }[];
    expect(parsed.map((e) => `${e.source}:${e.id}`)).toEqual(ids(listed));
    let empty = '';
    for await (const chunk of timelineJson(exportTimeline(db, { actors: ['nobody'] }))) empty += chunk;
    expect(JSON.parse(empty)).toEqual([]);
  });
});

describe('CSV export escaping', () => {
  it('quotes separators, quotes and newlines, and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });

  it('cursors are opaque but checked', () => {
    expect(() => decodeCursor('')).toThrow(InvalidCursorError);
    expect(() => decodeCursor('%%%')).toThrow(InvalidCursorError);
    expect(() => decodeCursor(Buffer.from('[1,2]').toString('base64url'))).toThrow(InvalidCursorError);
    expect(
      decodeCursor(
        Buffer.from(JSON.stringify({ k: '2025-01-01 00:00:00.000000', s: 'chat', p: 3 })).toString(
          'base64url',
        ),
      ),
    ).toEqual({
      key: '2025-01-01 00:00:00.000000',
      source: 'chat',
      pk: 3,
    });
  });
});

/** The wall key as time.ts defines it, computed in JS for any text (well-formed or not). */
function jsWallKey(value: string): string {
  const bare = value.replaceAll('+00:00', '').replaceAll('Z', '');
  const fraction = bare.charAt(19) === '.' ? `${bare}00000`.slice(19, 26) : '.000000';
  const clock =
    value.length >= 19 ? value.slice(11, 19) : value.length >= 16 ? `${value.slice(11, 16)}:00` : '00:00:00';
  return `${value.slice(0, 10)} ${clock}${fraction}`;
}

describeEachDatabase('timeline list at minute and day boundaries', (use) => {
  // Values around the minutes the cursors, bounds and guards split on: both text forms, date-only and
  // minute-only values, fractions, midnight and 23:59, and two that are date-like but not times (an
  // hour without minutes, 'YYYY-MM-DD HH', is not a form time.ts reads).
  const values = [
    '2025-03-10',
    '2025-03-10 00:00',
    '2025-03-10 00:00:00',
    '2025-03-10T00:00',
    '2025-03-10T00:00:00.000001',
    '2025-03-10 11:59',
    '2025-03-10 11:59:59.999999',
    '2025-03-10T11:59:30',
    '2025-03-10 12:00',
    '2025-03-10 12:00:00',
    '2025-03-10T12:00:00',
    '2025-03-10T12:00:00.5',
    '2025-03-10 12:00:59',
    '2025-03-10T12:00:59.999999',
    '2025-03-10 12:01',
    '2025-03-10T12:01:00Z',
    '2025-03-10 23:59',
    '2025-03-10T23:59:59.999999',
    '2025-03-10 23:59:59',
    '2025-03-11',
    '2025-03-11 00:00:00',
    '2025-03-11T00:00:00.000000+00:00',
    '2025-03-11 ab:cd:ef',
    '2025-03-1x 10:00:00',
    '2025-03-09T23:59:59.999999',
  ];
  const rows: { id: string; key: string }[] = [];

  beforeAll(async () => {
    const { db } = use();
    // Each value three times (ties on equal keys across pages), in a source without offsets.
    for (let copy = 0; copy < 3; copy++)
      for (const value of values)
        await db.run(
          sql`INSERT INTO agents_breadcrumbs (session_id, timestamp, action, agent_id) VALUES ('s', ${value}, 'edge', 'edge_agent')`,
        );
    const stored = await db.all<{ id: number; t: string }>(
      sql`SELECT id, "timestamp" AS t FROM agents_breadcrumbs`,
    );
    for (const row of stored) rows.push({ id: String(row.id), key: jsWallKey(row.t) });
    rows.sort((a, b) => (a.key !== b.key ? (a.key < b.key ? 1 : -1) : Number(b.id) - Number(a.id)));
  });

  const listed = async (db: Database, filters: TimelineFilters, limit: number) =>
    (await allPages(db, { ...filters, sources: ['breadcrumbs'] }, limit)).flat().map((e) => e.id);

  it('pages through every value exactly once in key order, at every page size', async () => {
    for (const limit of [1, 2, 3, 5, 7, 50])
      expect(await listed(use().db, {}, limit), `page size ${limit}`).toEqual(rows.map((row) => row.id));
  });

  it('ranges [from, to) that start or end on the boundary minutes hold exactly their keys', async () => {
    const edges = [
      '2025-03-10T00:00:00.000Z',
      '2025-03-10T00:00:00.001Z',
      '2025-03-10T11:59:00.000Z',
      '2025-03-10T12:00:00.000Z',
      '2025-03-10T12:00:30.000Z',
      '2025-03-10T12:01:00.000Z',
      '2025-03-10T23:59:00.000Z',
      '2025-03-10T23:59:59.999Z',
      '2025-03-11T00:00:00.000Z',
    ].map((text) => new Date(text));
    for (const from of edges)
      for (const to of edges) {
        if (to <= from) continue;
        const lo = `${from.toISOString().slice(0, 10)} ${from.toISOString().slice(11, 23)}000`;
        const hi = `${to.toISOString().slice(0, 10)} ${to.toISOString().slice(11, 23)}000`;
        const want = rows.filter((row) => row.key >= lo && row.key < hi).map((row) => row.id);
        expect(await listed(use().db, { from, to }, 4), `${lo} – ${hi}`).toEqual(want);
      }
  });

  it('resumes after any row and counts what is newer than it', async () => {
    const { db } = use();
    const all = (await getTimelinePage(db, { sources: ['breadcrumbs'] }, { limit: 500 })).events;
    expect(all.map((e) => e.id)).toEqual(rows.map((row) => row.id));
    for (const [index, event] of all.entries()) {
      const next = await getTimelinePage(
        db,
        { sources: ['breadcrumbs'] },
        { cursor: event.cursor, limit: 2 },
      );
      expect(next.events.map((e) => e.id)).toEqual(all.slice(index + 1, index + 3).map((e) => e.id));
      const newer = await countNewerEvents(db, { sources: ['breadcrumbs'] }, { cursor: event.cursor });
      expect(newer.count).toBe(index);
    }
  });
});
