import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  type DatabasesConfig,
  describeDbConfig,
  inferTone,
  readDatabasesConfig,
  readDbConfig,
} from '@/db/config';
import { DatabaseBusyError, sql } from '@/db/database';
import {
  SQLITE_BUSY_TIMEOUT_MS,
  type SqliteDatabase,
  openSqliteConnection,
  openSqliteDatabase,
} from '@/db/drivers/sqlite';
import { type TestDatabase, describeEachDatabase, openTestDatabase, tempDir } from './support/databases';

/** readDbConfig on exactly these variables (nothing from the real environment). */
function configFor(vars: Record<string, string>) {
  return readDbConfig(vars as NodeJS.ProcessEnv);
}

/** The error readDbConfig throws for an environment, asserting it is a ConfigError. */
function configError(env: Record<string, string>): ConfigError {
  try {
    configFor(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`readDbConfig accepted ${JSON.stringify(env)}`);
}

/** One sentence: no line breaks, ends with a full stop, and does not leak the secret. */
function expectOneClearSentence(error: ConfigError, secret?: string) {
  expect(error.message).not.toMatch(/\n/);
  expect(error.message).toMatch(/\.$/);
  if (secret) expect(error.message).not.toContain(secret);
}

describe('readDbConfig', () => {
  it('defaults to the SQLite file data/foundups.db, resolved against the working directory', () => {
    expect(configFor({})).toEqual({ dialect: 'sqlite', path: path.resolve('data/foundups.db') });
  });

  it('treats a blank DATABASE_URL like an unset one', () => {
    expect(configFor({ DATABASE_URL: '   ' })).toEqual({
      dialect: 'sqlite',
      path: path.resolve('data/foundups.db'),
    });
  });

  it('uses FOUNDUPS_DB_PATH (relative or absolute) for SQLite', () => {
    expect(configFor({ FOUNDUPS_DB_PATH: 'var/agents.db' })).toEqual({
      dialect: 'sqlite',
      path: path.resolve('var/agents.db'),
    });
    const absolute = path.resolve('elsewhere', 'x.db');
    expect(configFor({ FOUNDUPS_DB_PATH: ` ${absolute} ` })).toEqual({ dialect: 'sqlite', path: absolute });
  });

  it('prefers DATABASE_URL over FOUNDUPS_DB_PATH', () => {
    const config = configFor({
      DATABASE_URL: 'postgres://db.internal:5432/foundups',
      FOUNDUPS_DB_PATH: 'ignored.db',
    });
    expect(config.dialect).toBe('postgres');
  });

  it('selects PostgreSQL for postgres:// and postgresql:// URLs, with an optional read replica and schema', () => {
    expect(configFor({ DATABASE_URL: 'postgres://app:pw@db:5432/foundups' })).toEqual({
      dialect: 'postgres',
      url: 'postgres://app:pw@db:5432/foundups',
      readUrl: undefined,
      schema: undefined,
    });
    expect(
      configFor({
        DATABASE_URL: 'postgresql://app@db/foundups',
        DATABASE_READ_URL: 'postgresql://app@replica/foundups',
        FOUNDUPS_PG_SCHEMA: 'console',
      }),
    ).toEqual({
      dialect: 'postgres',
      url: 'postgresql://app@db/foundups',
      readUrl: 'postgresql://app@replica/foundups',
      schema: 'console',
    });
    // A Unix socket given as ?host= has no host part in the URL itself.
    expect(configFor({ DATABASE_URL: 'postgres:///foundups?host=/var/run/postgresql' }).dialect).toBe(
      'postgres',
    );
  });

  it('ignores DATABASE_READ_URL when the primary is SQLite', () => {
    expect(configFor({ DATABASE_READ_URL: 'postgres://replica/foundups' })).toEqual({
      dialect: 'sqlite',
      path: path.resolve('data/foundups.db'),
    });
  });

  it('selects in-memory PGlite for pglite:, pglite:memory and pglite://memory', () => {
    for (const url of ['pglite:', 'pglite:memory', 'pglite://memory']) {
      expect(configFor({ DATABASE_URL: url })).toEqual({ dialect: 'pglite', dataDir: undefined });
    }
  });

  it('selects PGlite on disk for pglite:DIR and pglite:///abs/dir', () => {
    expect(configFor({ DATABASE_URL: 'pglite:data/pg' })).toEqual({
      dialect: 'pglite',
      dataDir: path.resolve('data/pg'),
    });
    const absolute = path.resolve('pg-abs');
    expect(configFor({ DATABASE_URL: `pglite://${absolute}` })).toEqual({
      dialect: 'pglite',
      dataDir: absolute,
    });
  });

  it('selects an explicit SQLite file for sqlite: and file: URLs', () => {
    expect(configFor({ DATABASE_URL: 'sqlite:data/x.db' })).toEqual({
      dialect: 'sqlite',
      path: path.resolve('data/x.db'),
    });
    expect(configFor({ DATABASE_URL: 'file:data/y.db' })).toEqual({
      dialect: 'sqlite',
      path: path.resolve('data/y.db'),
    });
    const absolute = path.resolve('abs.db');
    expect(configFor({ DATABASE_URL: `sqlite://${absolute}` })).toEqual({
      dialect: 'sqlite',
      path: absolute,
    });
  });

  it('rejects other schemes with one sentence that names the accepted ones and hides the password', () => {
    const error = configError({ DATABASE_URL: 'mysql://root:hunter22@db/foundups' });
    expect(error.message).toMatch(
      /DATABASE_URL must start with postgres:\/\/, postgresql:\/\/, pglite: or sqlite:/,
    );
    expect(error.message).toContain('mysql://root:***@db/foundups');
    expectOneClearSentence(error, 'hunter22');
    expectOneClearSentence(configError({ DATABASE_URL: 'mysql://x' }));
  });

  it('rejects a sqlite: URL without a path', () => {
    for (const url of ['sqlite:', 'sqlite://', 'file:']) {
      const error = configError({ DATABASE_URL: url });
      expect(error.message).toMatch(/names no SQLite file/);
      expectOneClearSentence(error);
    }
  });

  it.each([
    ['a password containing a slash (not a URL)', 'postgres://app:pa/ss-secret@db/foundups', 'pa/ss-secret'],
    ['a bad port', 'postgres://app:s3cret-pw@db:99999/foundups', 's3cret-pw'],
    ['no host', 'postgres://app:s3cret-pw@/foundups', 's3cret-pw'],
    ['no database', 'postgres://app:s3cret-pw@db:5432', 's3cret-pw'],
    ['no database (trailing slash)', 'postgres://app:s3cret-pw@db:5432/', 's3cret-pw'],
    ['a space in the host', 'postgres://app:s3cret-pw@d b/foundups', 's3cret-pw'],
    ['an unencoded @ in the password', 'postgres://app:p@ss-secret@db:5432', 'ss-secret'],
  ])('rejects a malformed DATABASE_URL with %s, without echoing the password', (_label, url, secret) => {
    const error = configError({ DATABASE_URL: url });
    expect(error.message).toMatch(/^DATABASE_URL /);
    expectOneClearSentence(error, secret);
  });

  it('checks DATABASE_READ_URL the same way and names it', () => {
    const error = configError({
      DATABASE_URL: 'postgres://db/foundups',
      DATABASE_READ_URL: 'postgres://app:r3plica-pw@replica:5432',
    });
    expect(error.message).toMatch(/^DATABASE_READ_URL names no database/);
    expectOneClearSentence(error, 'r3plica-pw');
  });

  it('rejects a FOUNDUPS_PG_SCHEMA that is not a plain identifier', () => {
    const error = configError({
      DATABASE_URL: 'postgres://db/foundups',
      FOUNDUPS_PG_SCHEMA: 'public; drop table x',
    });
    expect(error.message).toMatch(/FOUNDUPS_PG_SCHEMA/);
    expectOneClearSentence(error);
  });
});

describe('describeDbConfig', () => {
  it('names the database without passwords', () => {
    expect(describeDbConfig({ dialect: 'sqlite', path: '/x/foundups.db' })).toBe('SQLite /x/foundups.db');
    expect(describeDbConfig({ dialect: 'pglite' })).toBe('PGlite (in memory)');
    const text = describeDbConfig({
      dialect: 'postgres',
      url: 'postgres://app:pw-main@db/f',
      readUrl: 'postgres://ro:pw-read@replica/f',
    });
    expect(text).toBe('PostgreSQL postgres://app:***@db/f (reads: postgres://ro:***@replica/f)');
  });
});

describe('readDatabasesConfig (several named databases)', () => {
  function databases(vars: Record<string, string>): DatabasesConfig {
    return readDatabasesConfig(vars as NodeJS.ProcessEnv);
  }
  function databasesError(vars: Record<string, string>): ConfigError {
    try {
      databases(vars);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error(`readDatabasesConfig accepted ${JSON.stringify(vars)}`);
  }

  it('keeps the single DATABASE_URL / FOUNDUPS_DB_PATH form as one database named default', () => {
    expect(databases({ FOUNDUPS_DB_PATH: 'var/a.db' })).toEqual({
      databases: [
        { name: 'default', tone: 'neutral', config: { dialect: 'sqlite', path: path.resolve('var/a.db') } },
      ],
      defaultName: 'default',
    });
    expect(databases({ DATABASE_URL: 'pglite:' }).databases[0]?.config).toEqual({
      dialect: 'pglite',
      dataDir: undefined,
    });
    // FOUNDUPS_DATABASE may name it, and only it.
    expect(databases({ FOUNDUPS_DATABASE: 'default' }).defaultName).toBe('default');
    expect(databasesError({ FOUNDUPS_DATABASE: 'prod' }).message).toBe(
      'There is no database named "prod"; configured: default.',
    );
  });

  it('reads name=url entries separated by ; or new lines, in order, with the first as default', () => {
    const config = databases({
      FOUNDUPS_DATABASES:
        ' prod = file:data/foundups.db ;\nstaging=postgres://app:pw@db:5432/staging;dev=pglite:;',
    });
    expect(config.defaultName).toBe('prod');
    expect(config.databases).toEqual([
      {
        name: 'prod',
        tone: 'production',
        config: { dialect: 'sqlite', path: path.resolve('data/foundups.db') },
      },
      {
        name: 'staging',
        tone: 'staging',
        config: {
          dialect: 'postgres',
          url: 'postgres://app:pw@db:5432/staging',
          readUrl: undefined,
          schema: undefined,
        },
      },
      { name: 'dev', tone: 'development', config: { dialect: 'pglite', dataDir: undefined } },
    ]);
    // readDbConfig (the CLI, background work) is the default one, or the one FOUNDUPS_DATABASE names.
    expect(readDbConfig({ FOUNDUPS_DATABASES: 'prod=sqlite:p.db;staging=sqlite:s.db' } as never)).toEqual({
      dialect: 'sqlite',
      path: path.resolve('p.db'),
    });
    expect(
      readDbConfig({
        FOUNDUPS_DATABASES: 'prod=sqlite:p.db;staging=sqlite:s.db',
        FOUNDUPS_DATABASE: 'staging',
      } as never),
    ).toEqual({ dialect: 'sqlite', path: path.resolve('s.db') });
  });

  it('reads the JSON form inline or from FOUNDUPS_DATABASES_FILE, with replicas, schemas and tones', () => {
    const json = {
      default: 'staging',
      databases: {
        prod: { url: 'postgres://db/prod', readUrl: 'postgres://replica/prod', schema: 'console' },
        staging: 'sqlite:staging.db',
        lab: { url: 'pglite:', tone: 'production' },
      },
    };
    const inline = databases({ FOUNDUPS_DATABASES: JSON.stringify(json) });
    expect(inline.defaultName).toBe('staging');
    expect(inline.databases.map((entry) => [entry.name, entry.tone])).toEqual([
      ['prod', 'production'],
      ['staging', 'staging'],
      ['lab', 'production'],
    ]);
    expect(inline.databases[0]?.config).toEqual({
      dialect: 'postgres',
      url: 'postgres://db/prod',
      readUrl: 'postgres://replica/prod',
      schema: 'console',
    });
    const dir = tempDir();
    try {
      const file = path.join(dir, 'databases.json');
      fs.writeFileSync(file, JSON.stringify(json));
      expect(databases({ FOUNDUPS_DATABASES_FILE: file })).toEqual(inline);
      // FOUNDUPS_DATABASE overrides the file's default.
      expect(databases({ FOUNDUPS_DATABASES_FILE: file, FOUNDUPS_DATABASE: 'prod' }).defaultName).toBe(
        'prod',
      );
      const missing = databasesError({ FOUNDUPS_DATABASES_FILE: path.join(dir, 'nope.json') });
      expect(missing.message).toMatch(/FOUNDUPS_DATABASES_FILE .*nope\.json cannot be read \(ENOENT\)\.$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ FOUNDUPS_DATABASES: 'prod' }, /expected name=url entries separated by ';'/],
    [{ FOUNDUPS_DATABASES: 'Prod=sqlite:a.db' }, /database name "Prod" must be 1–32 lowercase letters/],
    [{ FOUNDUPS_DATABASES: 'prod=' }, /database "prod" has no URL after '='/],
    [{ FOUNDUPS_DATABASES: ' ; ' }, /lists no database/],
    [{ FOUNDUPS_DATABASES: 'a=sqlite:a.db;a=sqlite:b.db' }, /Database "a" is configured twice/],
    [{ FOUNDUPS_DATABASES: 'a=sqlite:x.db;b=file:x.db' }, /Databases "a" and "b" are the same database/],
    [
      { FOUNDUPS_DATABASES: 'prod=sqlite:a.db', FOUNDUPS_DATABASE: 'staging' },
      /no database named "staging" \(FOUNDUPS_DATABASE\); configured: prod/,
    ],
    [
      { FOUNDUPS_DATABASES: 'prod=sqlite:a.db', DATABASE_URL: 'sqlite:b.db' },
      /DATABASE_URL is set as well as FOUNDUPS_DATABASES/,
    ],
    [{ FOUNDUPS_DATABASES: 'prod=sqlite:a.db', FOUNDUPS_DB_PATH: 'b.db' }, /FOUNDUPS_DB_PATH is set as well/],
    [{ FOUNDUPS_DATABASES: 'prod=sqlite:a.db', FOUNDUPS_DATABASES_FILE: 'x.json' }, /not both/],
    [{ FOUNDUPS_DATABASES: '{"databases": {"prod": 3}}' }, /must look like .* \(databases\.prod: /],
    [{ FOUNDUPS_DATABASES: '{"databases": {}, "extra": 1}' }, /must look like/],
    [{ FOUNDUPS_DATABASES: '{"databases": ' }, /FOUNDUPS_DATABASES is not valid JSON/],
    [
      { FOUNDUPS_DATABASES: '{"databases": {"a": {"url": "sqlite:a.db", "readUrl": "postgres://r/a"}}}' },
      /read replica \(readUrl\) needs a postgres:\/\/ database URL/,
    ],
    [
      { FOUNDUPS_DATABASES: '{"databases": {"a": {"url": "postgres://h/a", "schema": "x; drop"}}}' },
      /database "a" schema must be a plain identifier/,
    ],
  ])('refuses %j with one clear sentence', (vars, message) => {
    const error = databasesError(vars);
    expect(error.message).toMatch(message);
    expectOneClearSentence(error);
  });

  it('names the entry and hides its password when a URL is malformed', () => {
    const error = databasesError({
      FOUNDUPS_DATABASES: 'prod=sqlite:a.db;staging=mysql://root:s3cret-x@db/s',
    });
    expect(error.message).toMatch(/^FOUNDUPS_DATABASES database "staging" must start with postgres:\/\//);
    expectOneClearSentence(error, 's3cret-x');
    const noDb = databasesError({ FOUNDUPS_DATABASES: 'prod=postgres://app:s3cret-y@db:5432' });
    expect(noDb.message).toMatch(/^FOUNDUPS_DATABASES database "prod" names no database/);
    expectOneClearSentence(noDb, 's3cret-y');
  });

  it('infers a tone from the name: production red, staging amber, development green', () => {
    expect(['prod', 'production', 'live', 'prod-eu'].map(inferTone)).toEqual(Array(4).fill('production'));
    expect(['staging', 'stag', 'uat', 'qa', 'preprod'].map(inferTone)).toEqual(Array(5).fill('staging'));
    expect(['dev', 'local', 'test', 'demo', 'dev_2'].map(inferTone)).toEqual(Array(5).fill('development'));
    expect(['default', 'eu', 'producer'].map(inferTone)).toEqual(['neutral', 'neutral', 'neutral']);
  });
});

// ---------------------------------------------------------------------------------------------
// Opening the configured database, and what the drivers promise once it is open.

describe('opening a SQLite database', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function openError(file: string, options: { create?: boolean } = { create: true }): ConfigError {
    try {
      openSqliteDatabase(file, options).connection.close();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).not.toMatch(/\n/);
      return error as ConfigError;
    }
    throw new Error(`opened ${file}`);
  }

  it('sets WAL, foreign keys, a busy timeout of at least 5 s and synchronous=NORMAL on every connection', () => {
    const file = path.join(dir, 'foundups.db');
    const first = openSqliteDatabase(file, { create: true });
    const second = openSqliteConnection(file);
    try {
      for (const conn of [first.connection, second]) {
        expect(conn.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(conn.pragma('foreign_keys', { simple: true })).toBe(1);
        expect(conn.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000);
        expect(conn.pragma('synchronous', { simple: true })).toBe(1);
      }
    } finally {
      first.connection.close();
      second.close();
    }
  });

  it('creates a missing file and its folder only when asked to', () => {
    const file = path.join(dir, 'nested', 'deeper', 'foundups.db');
    expect(openError(file, {}).message).toMatch(/does not exist/);
    expect(fs.existsSync(file)).toBe(false);
    openSqliteDatabase(file, { create: true }).connection.close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('refuses a file that is not a SQLite database, and leaves it as it was', () => {
    const file = path.join(dir, 'notes.db');
    const text = 'These are my notes, not a database.\n'.repeat(200);
    fs.writeFileSync(file, text);
    expect(openError(file).message).toMatch(/is not a SQLite database/);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  it('refuses a path it cannot create or write', () => {
    // A folder where a file is expected in the path: cannot be created whatever the user's rights.
    const blocker = path.join(dir, 'blocker');
    fs.writeFileSync(blocker, 'x');
    expect(openError(path.join(blocker, 'sub', 'foundups.db')).message).toMatch(/Cannot create the folder/);
    // A folder in place of the file.
    expect(openError(dir).message).toMatch(/points to a folder/);
  });
});

describeEachDatabase('driver transactions and bulk inserts', (testDb) => {
  beforeAll(async () => {
    const { db } = testDb();
    await db.run(sql.raw('CREATE TABLE drv_items (k TEXT PRIMARY KEY, v TEXT NOT NULL, n INTEGER)'));
    await db.run(
      sql.raw(
        'CREATE TABLE drv_children (id INTEGER PRIMARY KEY, parent TEXT NOT NULL REFERENCES drv_items(k))',
      ),
    );
  });
  beforeEach(async () => {
    const { db } = testDb();
    await db.run(sql`DELETE FROM drv_children`);
    await db.run(sql`DELETE FROM drv_items`);
  });

  async function keys(): Promise<string[]> {
    return (await testDb().db.allPrimary<{ k: string }>(sql`SELECT k FROM drv_items ORDER BY k`)).map(
      (row) => row.k,
    );
  }

  it('commits every step together and gives each function step the earlier results', async () => {
    const { db } = testDb();
    const seen: number[] = [];
    const results = await db.transaction([
      sql`INSERT INTO drv_items (k, v, n) VALUES ('a', 'first', 1) RETURNING n`,
      sql`INSERT INTO drv_items (k, v, n) VALUES ('b', 'second', 2)`,
      (previous) => {
        seen.push(previous.length, Number(previous[0]!.rows[0]!.n), previous[1]!.changes);
        return sql`INSERT INTO drv_items (k, v, n) VALUES ('c', 'third', ${Number(previous[0]!.rows[0]!.n) + 10})`;
      },
      () => null,
      sql`SELECT COUNT(*) AS total FROM drv_items`,
    ]);
    expect(seen).toEqual([2, 1, 1]);
    expect(results).toHaveLength(5);
    expect(results[3]).toEqual({ rows: [], changes: 0 });
    expect(Number(results[4]!.rows[0]!.total)).toBe(3);
    expect(await db.get(sql`SELECT n FROM drv_items WHERE k = 'c'`)).toEqual({ n: 11 });
  });

  it('rolls every step back when a function step throws', async () => {
    const { db } = testDb();
    await expect(
      db.transaction([
        sql`INSERT INTO drv_items (k, v) VALUES ('a', 'kept?')`,
        sql`UPDATE drv_items SET v = 'changed' WHERE k = 'a'`,
        () => {
          throw new Error('business rule says no');
        },
        sql`INSERT INTO drv_items (k, v) VALUES ('never', 'x')`,
      ]),
    ).rejects.toThrow('business rule says no');
    expect(await keys()).toEqual([]);
  });

  it('rolls every step back when a statement fails (constraint, foreign key)', async () => {
    const { db } = testDb();
    await db.run(sql`INSERT INTO drv_items (k, v) VALUES ('existing', 'before')`);
    await expect(
      db.transaction([
        sql`UPDATE drv_items SET v = 'after' WHERE k = 'existing'`,
        sql`INSERT INTO drv_items (k, v) VALUES ('x', NULL)`,
      ]),
    ).rejects.toThrow();
    await expect(
      db.transaction([
        sql`INSERT INTO drv_items (k, v) VALUES ('y', 'y')`,
        sql`INSERT INTO drv_children (id, parent) VALUES (1, 'missing')`,
      ]),
    ).rejects.toThrow();
    expect(await keys()).toEqual(['existing']);
    expect(await db.get(sql`SELECT v FROM drv_items WHERE k = 'existing'`)).toEqual({ v: 'before' });
    // The connection is usable afterwards (no transaction left open).
    await db.run(sql`INSERT INTO drv_items (k, v) VALUES ('after', 'ok')`);
    expect(await keys()).toEqual(['after', 'existing']);
  });

  it('bulkInsert counts only the rows it inserted when ignoring conflicts', async () => {
    const { db } = testDb();
    expect(
      await db.bulkInsert(
        'drv_items',
        ['k', 'v'],
        [
          ['a', '1'],
          ['b', '2'],
        ],
      ),
    ).toBe(2);
    const inserted = await db.bulkInsert(
      'drv_items',
      ['k', 'v'],
      [
        ['a', 'dup'],
        ['c', '3'],
        ['c', 'dup within the batch'],
        ['d', '4'],
      ],
      { ignoreConflicts: true },
    );
    expect(inserted).toBe(2);
    expect(await db.allPrimary(sql`SELECT k, v FROM drv_items ORDER BY k`)).toEqual([
      { k: 'a', v: '1' },
      { k: 'b', v: '2' },
      { k: 'c', v: '3' },
      { k: 'd', v: '4' },
    ]);
    expect(await db.bulkInsert('drv_items', ['k', 'v'], [])).toBe(0);
  });

  it('bulkInsert without ignoreConflicts inserts nothing when one row conflicts', async () => {
    const { db } = testDb();
    await db.run(sql`INSERT INTO drv_items (k, v) VALUES ('b', 'old')`);
    await expect(
      db.bulkInsert(
        'drv_items',
        ['k', 'v'],
        [
          ['a', '1'],
          ['b', 'dup'],
          ['c', '3'],
        ],
      ),
    ).rejects.toThrow();
    expect(await keys()).toEqual(['b']);
  });

  it('bulkInsert ignoring conflicts still refuses (and inserts nothing for) a row that breaks NOT NULL', async () => {
    const { db } = testDb();
    // Only uniqueness conflicts are skipped: a bad row must not vanish silently.
    await expect(
      db.bulkInsert(
        'drv_items',
        ['k', 'v'],
        [
          ['a', '1'],
          ['b', null],
        ],
        { ignoreConflicts: true },
      ),
    ).rejects.toThrow();
    expect(await keys()).toEqual([]);
  });

  it('bulkInsert handles more rows than one statement can bind', async () => {
    const { db } = testDb();
    const rows = Array.from({ length: 40_000 }, (_, i) => [`k${i}`, `v${i}`, i]);
    expect(await db.bulkInsert('drv_items', ['k', 'v', 'n'], rows)).toBe(40_000);
    expect(await db.get(sql`SELECT COUNT(*) AS c, SUM(n) AS s FROM drv_items`)).toEqual({
      c: 40_000,
      s: (39_999 * 40_000) / 2,
    });
  });

  it('bulkInsert refuses unsafe identifiers before touching the database', async () => {
    const { db } = testDb();
    await expect(db.bulkInsert('drv_items; DROP TABLE drv_items', ['k'], [['x']])).rejects.toThrow(
      /Unsafe SQL identifier/,
    );
    await expect(db.bulkInsert('drv_items', ['k"--'], [['x']])).rejects.toThrow(/Unsafe SQL identifier/);
    expect(await keys()).toEqual([]);
  });

  it('stores a Date parameter as the console’s UTC ISO text on every dialect', async () => {
    const { db } = testDb();
    const at = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6));
    await db.run(sql`INSERT INTO drv_items (k, v) VALUES ('date', ${at})`);
    expect(await db.get(sql`SELECT v FROM drv_items WHERE k = 'date'`)).toEqual({
      v: '2025-01-02T03:04:05.006Z',
    });
  });
});

describe('a locked SQLite database', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase('sqlite');
    await test.db.run(sql.raw('CREATE TABLE lock_items (k TEXT PRIMARY KEY)'));
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('fails a write with DatabaseBusyError after the busy timeout, and writes nothing', async () => {
    const { db } = test;
    const conn = (db as SqliteDatabase).connection;
    const other = new BetterSqlite3(test.file!);
    // The real timeout is 5 s; the test shortens it on this connection only.
    conn.pragma('busy_timeout = 150');
    other.prepare('BEGIN IMMEDIATE').run();
    other.prepare("INSERT INTO lock_items (k) VALUES ('other-uncommitted')").run();
    try {
      const started = Date.now();
      await expect(db.run(sql`INSERT INTO lock_items (k) VALUES ('console')`)).rejects.toBeInstanceOf(
        DatabaseBusyError,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
      await expect(db.transaction([sql`INSERT INTO lock_items (k) VALUES ('tx')`])).rejects.toBeInstanceOf(
        DatabaseBusyError,
      );
      await expect(db.bulkInsert('lock_items', ['k'], [['bulk']])).rejects.toThrow(
        /locked by another writer/,
      );
      // Reads still work under WAL while the other connection writes.
      expect(await db.all(sql`SELECT k FROM lock_items`)).toEqual([]);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
      conn.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    }
    expect(conn.inTransaction).toBe(false);
    expect(await db.all(sql`SELECT k FROM lock_items`)).toEqual([]);
    await db.run(sql`INSERT INTO lock_items (k) VALUES ('after the lock')`);
    expect(await db.all(sql`SELECT k FROM lock_items`)).toEqual([{ k: 'after the lock' }]);
  });
});
