import { describe, expect, it } from 'vitest';
import { renderQuery, sql } from '@/db/database';
import type { SqliteDatabase } from '@/db/drivers/sqlite';
import { formatAge, formatDateTime, nowIso, parseDbTime, toSqliteTimestamp } from '@/lib/time/format';
import { timeAtOrAfter, timeBefore } from '@/lib/time/sql';
import { describeEachDatabase } from './support/databases';

const iso = (value: unknown) => parseDbTime(value)?.toISOString() ?? null;

describe('parseDbTime', () => {
  it("reads Python's CURRENT_TIMESTAMP form as UTC", () => {
    expect(iso('2025-03-10 12:34:56')).toBe('2025-03-10T12:34:56.000Z');
  });

  it("reads Python's naive isoformat with microseconds (as UTC, to the millisecond)", () => {
    expect(iso('2025-03-10T12:34:56.789123')).toBe('2025-03-10T12:34:56.789Z');
    expect(iso('2025-03-10T12:34:56.5')).toBe('2025-03-10T12:34:56.500Z');
  });

  it('applies a UTC offset', () => {
    expect(iso('2025-03-10T12:34:56+02:00')).toBe('2025-03-10T10:34:56.000Z');
    expect(iso('2025-03-10T12:34:56.250-05:30')).toBe('2025-03-10T18:04:56.250Z');
    expect(iso('2025-03-10T00:30:00+0100')).toBe('2025-03-09T23:30:00.000Z');
    expect(iso('2025-03-10T12:34:56+00:00')).toBe('2025-03-10T12:34:56.000Z');
  });

  it("reads the console's own ISO form with Z", () => {
    expect(iso('2025-03-10T12:34:56.789Z')).toBe('2025-03-10T12:34:56.789Z');
    expect(iso('2025-03-10T12:34:56Z')).toBe('2025-03-10T12:34:56.000Z');
    expect(iso(nowIso(new Date(Date.UTC(2025, 2, 10, 1, 2, 3, 4))))).toBe('2025-03-10T01:02:03.004Z');
  });

  it('reads a bare date and a time without seconds', () => {
    expect(iso('2025-03-10')).toBe('2025-03-10T00:00:00.000Z');
    expect(iso('2025-03-10 07:05')).toBe('2025-03-10T07:05:00.000Z');
  });

  it('reads epoch seconds, epoch milliseconds and Dates', () => {
    expect(iso(1_741_609_200)).toBe('2025-03-10T12:20:00.000Z');
    expect(iso(1_741_609_200_123)).toBe('2025-03-10T12:20:00.123Z');
    expect(iso(new Date('2025-03-10T00:00:00Z'))).toBe('2025-03-10T00:00:00.000Z');
  });

  it.each([
    ['garbage', 'not a date'],
    ['an empty string', ''],
    ['a US date', '03/10/2025'],
    ['a month 13', '2025-13-01 00:00:00'],
    ['February 30', '2025-02-30 10:00:00'],
    ['hour 25', '2025-03-10 25:00:00'],
    ['minute 61', '2025-03-10 10:61:00'],
    ['trailing text', '2025-03-10 10:00:00 tomorrow'],
    ['null', null],
    ['undefined', undefined],
    ['an object', { at: '2025-03-10' }],
    ['NaN', Number.NaN],
    ['an invalid Date', new Date('nope')],
  ])('returns null for %s', (_label, value) => {
    expect(parseDbTime(value)).toBeNull();
  });

  it('accepts 29 February in a leap year only', () => {
    expect(iso('2024-02-29 00:00:00')).toBe('2024-02-29T00:00:00.000Z');
    expect(parseDbTime('2025-02-29 00:00:00')).toBeNull();
  });
});

describe('time formatting', () => {
  it("writes SQLite's CURRENT_TIMESTAMP form", () => {
    expect(toSqliteTimestamp(new Date('2025-03-10T12:34:56.789Z'))).toBe('2025-03-10 12:34:56');
  });

  it('formats ages and date-times', () => {
    const now = new Date('2025-03-10T12:00:00Z');
    expect(formatAge(new Date('2025-03-10T11:59:30Z'), now)).toBe('30s');
    expect(formatAge(new Date('2025-03-10T11:15:00Z'), now)).toBe('45m');
    expect(formatAge(new Date('2025-03-09T12:00:00Z'), now)).toBe('24h');
    expect(formatAge(new Date('2025-03-05T12:00:00Z'), now)).toBe('5d');
    expect(formatAge(new Date('2025-03-10T12:00:05Z'), now)).toBe('0s');
    expect(formatDateTime(new Date('2025-03-10T12:34:56Z'))).toBe('2025-03-10 12:34 UTC');
    expect(formatDateTime(null)).toBe('—');
  });
});

/** Stored values around 2025-03-10 12:00 in every form the agents and the console write. */
const STORED = [
  '2025-03-09 12:00:00',
  '2025-03-09T23:59:59.999999',
  '2025-03-09 23:59:59',
  '2025-03-10 00:00:00',
  '2025-03-10T00:00:00',
  '2025-03-10 07:00:00',
  '2025-03-10T08:00:00',
  '2025-03-10 11:59:59',
  '2025-03-10T11:59:59.999999',
  '2025-03-10T11:59:59.999Z',
  '2025-03-10 12:00:00',
  '2025-03-10 12:00:00.499999',
  '2025-03-10 12:00:00.5',
  '2025-03-10T12:00:00',
  '2025-03-10T12:00:00Z',
  '2025-03-10T12:00:00+00:00',
  '2025-03-10T12:00:00.000001',
  '2025-03-10T12:00:00.05Z',
  '2025-03-10T12:00:00.050',
  '2025-03-10T12:00:00.250+00:00',
  '2025-03-10T12:00:00.499',
  '2025-03-10T12:00:00.5',
  '2025-03-10T12:00:00.500',
  '2025-03-10T12:00:00.500Z',
  '2025-03-10T12:00:00.5Z',
  '2025-03-10T12:00:00.501Z',
  '2025-03-10T12:00:00.505000',
  '2025-03-10 12:00:01',
  '2025-03-10T12:00:01',
  '2025-03-10T13:00:00',
  '2025-03-10 23:00:00',
  '2025-03-10T23:59:59.999',
  '2025-03-11 00:00:00',
  '2025-03-11T00:00:00.000Z',
  null,
];

/** Boundaries with and without milliseconds, mid-second, and at midnight. */
const BOUNDARIES = [
  '2025-03-10T12:00:00.000Z',
  '2025-03-10T12:00:00.500Z',
  '2025-03-10T12:00:00.050Z',
  '2025-03-10T12:00:00.505Z',
  '2025-03-10T12:00:00.499Z',
  '2025-03-10T12:00:00.001Z',
  '2025-03-10T11:59:59.999Z',
  '2025-03-10T00:00:00.000Z',
  '2025-03-11T00:00:00.000Z',
  '2025-03-10T07:30:00.000Z',
];

/** Stored values at or after (or before) a moment, by parseDbTime. */
function expectedIds(predicate: (time: number) => boolean): (string | null)[] {
  return STORED.filter((value) => {
    const time = parseDbTime(value);
    return time !== null && predicate(time.getTime());
  });
}

describeEachDatabase('timeAtOrAfter / timeBefore', (testDb) => {
  const column = sql.raw('at');

  async function storedWhere(condition: ReturnType<typeof sql>): Promise<(string | null)[]> {
    const rows = await testDb().db.all<{ at: string | null }>(
      sql`SELECT at FROM time_probe WHERE ${condition} ORDER BY id`,
    );
    return rows.map((row) => row.at);
  }

  it('match a JavaScript filter on parseDbTime for every stored form and boundary', async () => {
    const { db } = testDb();
    await db.run(sql.raw('CREATE TABLE time_probe (id INTEGER PRIMARY KEY, at TEXT)'));
    await db.run(sql.raw('CREATE INDEX idx_time_probe_at ON time_probe(at)'));
    await db.bulkInsert(
      'time_probe',
      ['id', 'at'],
      STORED.map((at, id) => [id, at]),
    );
    for (const boundary of BOUNDARIES) {
      const at = new Date(boundary).getTime();
      expect(await storedWhere(timeAtOrAfter(column, new Date(at))), `at or after ${boundary}`).toEqual(
        expectedIds((t) => t >= at),
      );
      expect(await storedWhere(timeBefore(column, new Date(at))), `before ${boundary}`).toEqual(
        expectedIds((t) => t < at),
      );
    }
  });

  it('combine into a half-open window', async () => {
    const from = new Date('2025-03-10T08:00:00Z');
    const to = new Date('2025-03-10T12:00:00.5Z');
    const expected = expectedIds((t) => t >= from.getTime() && t < to.getTime());
    expect(await storedWhere(sql`${timeAtOrAfter(column, from)} AND ${timeBefore(column, to)}`)).toEqual(
      expected,
    );
    expect(expected).toContain('2025-03-10T08:00:00');
    expect(expected).toContain('2025-03-10T12:00:00Z');
    expect(expected).not.toContain('2025-03-10 07:00:00');
    expect(expected).not.toContain('2025-03-10T12:00:00.5');
  });

  it('use the index on the time column (SQLite query plan)', async () => {
    const { db } = testDb();
    if (db.dialect !== 'sqlite') return;
    const conn = (db as SqliteDatabase).connection;
    const plan = (condition: ReturnType<typeof sql>) => {
      const query = renderQuery(
        'sqlite',
        sql`EXPLAIN QUERY PLAN SELECT id FROM time_probe WHERE ${condition}`,
      );
      return (conn.prepare(query.sql).all(...query.params) as { detail: string }[])
        .map((row) => row.detail)
        .join(' | ');
    };
    for (const boundary of ['2025-03-10T12:00:00.000Z', '2025-03-10T12:00:00.505Z']) {
      const at = new Date(boundary);
      expect(plan(timeAtOrAfter(column, at))).toMatch(
        /SEARCH time_probe USING (COVERING )?INDEX idx_time_probe_at \(at>\?\)/,
      );
      expect(plan(timeBefore(column, at))).toMatch(
        /SEARCH time_probe USING (COVERING )?INDEX idx_time_probe_at \(at<\?\)/,
      );
    }
  });
});
