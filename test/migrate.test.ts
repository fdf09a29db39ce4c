import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { ConfigError } from '@/db/config';
import { type Database, sql } from '@/db/database';
import { openSqliteDatabase } from '@/db/drivers/sqlite';
import { MIGRATIONS_TABLE, type Migration, loadMigrations, migrate } from '@/db/migrate';
import { describeEachDatabase, openTestDatabase, tempDir, testTargets } from './support/databases';

async function appliedTags(db: Database): Promise<{ tag: string; n: number }[]> {
  const rows = await db.allPrimary<{ tag: string; n: number }>(
    sql`SELECT tag, COUNT(*) AS n FROM ${sql.raw(MIGRATIONS_TABLE)} GROUP BY tag ORDER BY tag`,
  );
  return rows.map((row) => ({ tag: row.tag, n: Number(row.n) }));
}

async function tableExists(db: Database, name: string): Promise<boolean> {
  const rows = await db.allPrimary(
    db.dialect === 'sqlite'
      ? sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ${name}`
      : sql`SELECT table_name FROM information_schema.tables WHERE table_name = ${name} AND table_schema = current_schema()`,
  );
  return rows.length > 0;
}

/** A migrations folder in drizzle-kit's layout, written for one test. */
function writeMigrations(dir: string, entries: { tag: string; when: number; sql: string }[]): string {
  fs.mkdirSync(path.join(dir, 'meta'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'meta', '_journal.json'),
    JSON.stringify({
      version: '7',
      dialect: 'sqlite',
      entries: entries.map((entry, idx) => ({
        idx,
        version: '6',
        when: entry.when,
        tag: entry.tag,
        breakpoints: true,
      })),
    }),
  );
  for (const entry of entries) fs.writeFileSync(path.join(dir, `${entry.tag}.sql`), entry.sql);
  return dir;
}

describe('loadMigrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the committed journals for both dialects, in journal order, with the same tags', () => {
    const sqlite = loadMigrations('sqlite');
    const postgres = loadMigrations('postgres');
    expect(sqlite.length).toBeGreaterThan(0);
    expect(sqlite.map((m) => m.tag)).toEqual(postgres.map((m) => m.tag));
    expect(sqlite[0]!.tag).toBe('0000_agents_contract_and_console_core');
    for (const list of [sqlite, postgres]) {
      expect(list.map((m) => m.when)).toEqual(list.map((m) => m.when).toSorted((a, b) => a - b));
      for (const migration of list) {
        expect(migration.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(migration.statements.length).toBeGreaterThan(0);
        for (const statement of migration.statements) expect(statement).not.toMatch(/statement-breakpoint/);
      }
    }
  });

  it('splits on statement breakpoints, drops comment lines and sorts by journal time', () => {
    writeMigrations(dir, [
      { tag: '0001_second', when: 20, sql: 'CREATE TABLE b (x INTEGER);' },
      {
        tag: '0000_first',
        when: 10,
        sql: "-- why this table exists\nCREATE TABLE a (x TEXT DEFAULT '--not a comment');\n--> statement-breakpoint\n  -- indented comment\nCREATE INDEX a_x ON a(x);\n",
      },
    ]);
    const migrations = loadMigrations('sqlite', dir);
    expect(migrations.map((m) => m.tag)).toEqual(['0000_first', '0001_second']);
    expect(migrations[0]!.statements).toEqual([
      "CREATE TABLE a (x TEXT DEFAULT '--not a comment');",
      'CREATE INDEX a_x ON a(x);',
    ]);
  });

  it('reports a missing or unreadable journal as a ConfigError', () => {
    expect(() => loadMigrations('sqlite', dir)).toThrow(ConfigError);
    fs.mkdirSync(path.join(dir, 'meta'));
    fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), '{ not json');
    expect(() => loadMigrations('sqlite', dir)).toThrow(/Cannot read the migrations journal/);
  });
});

describeEachDatabase('migrate', (testDb) => {
  it('has applied every committed migration exactly once', async () => {
    const { db } = testDb();
    const tags = loadMigrations(db.dialect).map((m) => m.tag);
    expect(await appliedTags(db)).toEqual(tags.map((tag) => ({ tag, n: 1 })));
  });

  it('is idempotent: a second run applies nothing', async () => {
    const { db } = testDb();
    const total = loadMigrations(db.dialect).length;
    expect(await migrate(db)).toEqual({ applied: [], alreadyApplied: total });
    expect(await migrate(db)).toEqual({ applied: [], alreadyApplied: total });
    expect((await appliedTags(db)).every((row) => row.n === 1)).toBe(true);
  });

  it('refuses a database migrated by a newer console, naming the unknown migration', async () => {
    const { db } = testDb();
    await db.run(
      sql`INSERT INTO ${sql.raw(MIGRATIONS_TABLE)} (tag, hash, created_at, applied_at) VALUES ('9999_from_the_future', 'x', 9999999999999, '2099-01-01T00:00:00.000Z')`,
    );
    try {
      const error = await migrate(db).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/newer FoundUps Console/);
      expect((error as Error).message).toContain('9999_from_the_future');
    } finally {
      await db.run(sql`DELETE FROM ${sql.raw(MIGRATIONS_TABLE)} WHERE tag = '9999_from_the_future'`);
    }
  });

  it('applies only the new migrations of a longer list, and each in order', async () => {
    const { db } = testDb();
    const committed = loadMigrations(db.dialect);
    const extra: Migration[] = [
      {
        tag: '9000_extra_b',
        when: 9_000_000_000_002,
        hash: 'b',
        statements: [
          'CREATE TABLE mig_extra_b (id INTEGER)',
          'INSERT INTO mig_extra_b (id) SELECT COUNT(*) FROM mig_extra_a',
        ],
      },
      {
        tag: '9000_extra_a',
        when: 9_000_000_000_001,
        hash: 'a',
        statements: ['CREATE TABLE mig_extra_a (id INTEGER)'],
      },
    ];
    const sorted = [...committed, ...extra].toSorted((a, b) => a.when - b.when);
    expect(await migrate(db, sorted)).toEqual({
      applied: ['9000_extra_a', '9000_extra_b'],
      alreadyApplied: committed.length,
    });
    expect(await tableExists(db, 'mig_extra_b')).toBe(true);
    // Leave the shared database as the committed migrations made it.
    await db.run(sql.raw('DROP TABLE mig_extra_a'));
    await db.run(sql.raw('DROP TABLE mig_extra_b'));
    await db.run(sql`DELETE FROM ${sql.raw(MIGRATIONS_TABLE)} WHERE tag IN ('9000_extra_a', '9000_extra_b')`);
  });

  it('rolls a failing migration back entirely and records nothing for it', async () => {
    const { db } = testDb();
    const committed = loadMigrations(db.dialect);
    const broken: Migration = {
      tag: '9001_broken',
      when: 9_000_000_000_010,
      hash: 'c',
      statements: [
        'CREATE TABLE mig_half_done (id INTEGER)',
        'INSERT INTO mig_half_done (id) VALUES (1)',
        'INSERT INTO no_such_table (id) VALUES (1)',
      ],
    };
    await expect(migrate(db, [...committed, broken])).rejects.toThrow(/no_such_table/);
    expect(await tableExists(db, 'mig_half_done')).toBe(false);
    expect((await appliedTags(db)).map((row) => row.tag)).toEqual(committed.map((m) => m.tag));
  });
});

describe('migrate on a fresh database', () => {
  it.each(testTargets())('creates every table of the contract and the console on %s', async (target) => {
    const test = await openTestDatabase(target, { migrate: false });
    try {
      expect(await tableExists(test.db, 'agents_social_posts')).toBe(false);
      const result = await migrate(test.db);
      expect(result).toEqual({
        applied: loadMigrations(test.db.dialect).map((m) => m.tag),
        alreadyApplied: 0,
      });
      for (const table of [
        'agents_social_posts',
        'daemon_health',
        'error_events',
        'modules_console_operators',
        'modules_console_sessions',
      ]) {
        expect(await tableExists(test.db, table), table).toBe(true);
      }
    } finally {
      await test.cleanup();
    }
  });

  it('applies every migration exactly once when two connections migrate one new SQLite file at the same time', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'foundups.db');
    const first = openSqliteDatabase(file, { create: true });
    const second = openSqliteDatabase(file);
    try {
      const results = await Promise.all([migrate(first), migrate(second)]);
      const tags = loadMigrations('sqlite').map((m) => m.tag);
      // Both read "nothing applied" before either applied anything: the re-check under the write lock decided.
      expect(results.map((result) => result.alreadyApplied)).toEqual([0, 0]);
      expect([...results[0]!.applied, ...results[1]!.applied].toSorted()).toEqual(tags.toSorted());
      expect(await appliedTags(first)).toEqual(tags.map((tag) => ({ tag, n: 1 })));
      expect(await migrate(second)).toEqual({ applied: [], alreadyApplied: tags.length });
    } finally {
      await first.close();
      await second.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('openDatabase refuses a newer database with a ConfigError and leaves it unchanged', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'foundups.db');
    try {
      const db = await openDatabase({ dialect: 'sqlite', path: file });
      await db.run(
        sql`INSERT INTO ${sql.raw(MIGRATIONS_TABLE)} (tag, hash, created_at, applied_at) VALUES ('9999_newer', 'x', 9999999999999, 'x')`,
      );
      await db.close();
      await expect(openDatabase({ dialect: 'sqlite', path: file })).rejects.toThrow(/newer FoundUps Console/);
      const again = await openDatabase({ dialect: 'sqlite', path: file }, { migrate: false });
      expect((await appliedTags(again)).map((row) => row.tag)).toContain('9999_newer');
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
