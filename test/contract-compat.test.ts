// Compatibility with the Python agents (their data contract): the console must create the agents'
// tables identically, adopt a file the agents created and filled without changing a row, and leave
// the agents' own code working. test/fixtures/agents_contract.py plays the agents with the
// standard-library sqlite3 module and the contract's exact statements.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { ConfigError } from '@/db/config';
import { type Database, sql } from '@/db/database';
import { MIGRATIONS_TABLE, loadMigrations, migrate } from '@/db/migrate';
import { agentsSocialPosts } from '@/db/schema';
import { tempDir } from './support/databases';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const CONTRACT_DDL = fs.readFileSync(path.join(FIXTURES, 'agents-contract.sql'), 'utf8');
const AGENTS_SCRIPT = path.join(FIXTURES, 'agents_contract.py');

const PYTHON = 'python3';
const pythonMissing = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' }).error !== undefined;

/** Runs one command of the agents' stand-in and returns the JSON it printed. */
function runAgents<T>(command: 'create' | 'fingerprint' | 'workflow', file: string): T {
  const result = spawnSync(PYTHON, [AGENTS_SCRIPT, command, file], { encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(`agents_contract.py ${command} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

type ColumnInfo = [name: string, type: string, notnull: number, dflt_value: string | null, pk: number];

function tableInfo(conn: BetterSqlite3.Database, table: string): ColumnInfo[] {
  return (
    conn
      .prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid')
      .all(table) as {
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }[]
  ).map((c) => [c.name, c.type, c.notnull, c.dflt_value, c.pk]);
}

/** Explicit indexes of a table as "name unique? (columns)" and its UNIQUE constraints as "(columns)". */
function indexesOf(conn: BetterSqlite3.Database, table: string): { indexes: string[]; uniques: string[] } {
  const list = conn.prepare('SELECT name, "unique", origin FROM pragma_index_list(?)').all(table) as {
    name: string;
    unique: number;
    origin: string;
  }[];
  const describe = (name: string) =>
    (
      conn
        .prepare('SELECT name, "desc" FROM pragma_index_xinfo(?) WHERE "key" = 1 ORDER BY seqno')
        .all(name) as { name: string; desc: number }[]
    )
      .map((c) => `${c.name}${c.desc ? ' desc' : ''}`)
      .join(', ');
  return {
    indexes: list
      .filter((i) => i.origin === 'c')
      .map((i) => `${i.name}${i.unique ? ' unique' : ''} (${describe(i.name)})`),
    uniques: list.filter((i) => i.origin === 'u').map((i) => `(${describe(i.name)})`),
  };
}

function foreignKeysOf(conn: BetterSqlite3.Database, table: string): string[] {
  return (
    conn
      .prepare('SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq')
      .all(table) as Record<string, string>[]
  ).map((fk) => `${fk.from} -> ${fk.table}(${fk.to}) on delete ${fk.on_delete}`);
}

/** The agents' own tables, built from the contract DDL alone: the reference everything is compared with. */
const reference = new BetterSqlite3(':memory:');
reference.exec(CONTRACT_DDL);
const CONTRACT_TABLES = (
  reference
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[]
).map((t) => t.name);
afterAll(() => reference.close());

/**
 * Every agents' column is there with the same name, declared type, NOT NULL, default and key, in the
 * agents' order (their SELECT * readers index rows by position). Columns the console adds come after
 * them and are nullable or defaulted, so the agents' INSERTs, which name only their columns, still work.
 */
function expectAgentsColumns(conn: BetterSqlite3.Database, table: string): void {
  const want = tableInfo(reference, table);
  const got = tableInfo(conn, table);
  expect(got.slice(0, want.length), `${table}: the agents' columns`).toEqual(want);
  for (const [name, , notnull, dflt] of got.slice(want.length)) {
    expect(
      notnull === 0 || dflt !== null,
      `${table}.${name} is added by the console, so it must be nullable or have a default`,
    ).toBe(true);
  }
}

/** Every statement that shapes the file (tables, indexes, triggers), to show a second migration changes nothing. */
function schemaSnapshot(file: string): unknown[] {
  const conn = new BetterSqlite3(file, { readonly: true });
  try {
    return conn.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();
  } finally {
    conn.close();
  }
}

function journalMode(file: string): string {
  const conn = new BetterSqlite3(file, { readonly: true });
  try {
    return String(conn.pragma('journal_mode', { simple: true }));
  } finally {
    conn.close();
  }
}

interface PythonPost {
  id: number;
  post_id: string;
  platform: string;
  content: string;
  status: string | null;
  review_notes: string | null;
  reviewed_at: string | null;
  posted_at: string | null;
  created_at: string;
  metadata: string | null;
  [column: string]: unknown;
}

interface WorkflowResult {
  ids: { approved_then_posted: string; rejected: string; pending: string };
  ok: boolean[];
  pending_ids: string[];
  pending_youtube_ids: string[];
  rows: Record<string, PythonPost>;
}

type Fingerprint = Record<string, [rows: number, sha256: string]>;

/** Python's datetime.now().isoformat(): microseconds, except that isoformat drops them when they are 0. */
const PYTHON_ISOFORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/;
/** SQLite's CURRENT_TIMESTAMP, which the agents' created_at defaults to. */
const SQLITE_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

async function readPosts(db: Database, postIds: readonly string[]): Promise<Record<string, PythonPost>> {
  const rows: PythonPost[] = [];
  for (const postId of postIds) {
    rows.push(
      ...(await db.all<PythonPost>(
        sql`SELECT * FROM ${agentsSocialPosts} WHERE ${agentsSocialPosts.postId} = ${postId}`,
      )),
    );
  }
  return Object.fromEntries(rows.map((row) => [row.post_id, row]));
}

/** The workflow's effects as the agents expect them, whoever created the file. */
async function expectWorkflowReadBack(db: Database, result: WorkflowResult): Promise<void> {
  const { approved_then_posted: posted, rejected, pending } = result.ids;
  // approve, mark posted, reject all changed a row; approving an unknown post changed nothing.
  expect(result.ok).toEqual([true, true, true, false]);
  expect(result.pending_ids).toContain(pending);
  expect(result.pending_ids).not.toContain(posted);
  expect(result.pending_ids).not.toContain(rejected);
  expect(result.pending_youtube_ids).toContain(pending);
  expect(result.rows[posted]).toMatchObject({ status: 'posted', review_notes: 'good pushback \u2705' });
  expect(result.rows[rejected]).toMatchObject({
    status: 'rejected',
    review_notes: 'off-topic',
    posted_at: null,
  });
  expect(result.rows[pending]).toMatchObject({
    status: 'pending_review',
    reviewed_at: null,
    posted_at: null,
  });

  // The console reads exactly the text Python wrote, every column.
  const read = await readPosts(db, [posted, rejected, pending]);
  expect(read).toEqual(result.rows);
  const times = [read[posted]!.reviewed_at, read[posted]!.posted_at, read[rejected]!.reviewed_at];
  for (const time of times) expect(time).toMatch(PYTHON_ISOFORMAT);
  expect(times.some((time) => /\.\d{6}$/.test(time ?? ''))).toBe(true);
  for (const id of [posted, rejected, pending]) expect(read[id]!.created_at).toMatch(SQLITE_TIMESTAMP);
  expect(read[posted]!.content).toBe('Your VC model is dead <b>really</b> \u{1F480} "quote"');
  expect(JSON.parse(read[posted]!.metadata ?? 'null')).toEqual({ thread: 'vc', score: 0.9 });
}

describe('a database the console creates', () => {
  let dir = '';
  let file = '';
  let created: BetterSqlite3.Database;
  beforeAll(async () => {
    dir = tempDir('foundups-contract-');
    file = path.join(dir, 'foundups.db');
    const db = await openDatabase({ dialect: 'sqlite', path: file });
    await db.close();
    created = new BetterSqlite3(file, { readonly: true });
  });
  afterAll(() => {
    created?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('knows every contract table', () => {
    expect(CONTRACT_TABLES.length).toBeGreaterThan(20);
    const tables = (
      created.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((t) => t.name);
    expect(CONTRACT_TABLES.filter((table) => !tables.includes(table))).toEqual([]);
  });

  it.each(CONTRACT_TABLES)(
    "%s has the agents' columns: name, declared type, NOT NULL, default, key",
    (table) => {
      expectAgentsColumns(created, table);
    },
  );

  it.each(CONTRACT_TABLES)("%s has the agents' indexes, unique constraints and foreign keys", (table) => {
    const want = indexesOf(reference, table);
    const got = indexesOf(created, table);
    expect(got.uniques.toSorted()).toEqual(want.uniques.toSorted());
    // The console may add indexes of its own; the agents' must all be there, on the same columns.
    expect(got.indexes).toEqual(expect.arrayContaining(want.indexes));
    expect(foreignKeysOf(created, table)).toEqual(foreignKeysOf(reference, table));
  });

  it('is in WAL mode, persistently (a new connection, as the agents open one, sees it)', () => {
    expect(journalMode(file)).toBe('wal');
  });
});

describe.skipIf(pythonMissing)(
  `adopting a database the agents created and filled${pythonMissing ? ' (skipped: python3 is not on PATH)' : ''}`,
  () => {
    let dir = '';
    let file = '';
    let db: Database | undefined;
    let written: PythonPost[] = [];
    let before: Fingerprint = {};

    beforeAll(() => {
      dir = tempDir('foundups-adopt-');
      file = path.join(dir, 'foundups.db');
      written = runAgents<{ posts: PythonPost[] }>('create', file).posts;
      before = runAgents<Fingerprint>('fingerprint', file);
    });
    afterAll(async () => {
      await db?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('the agents filled every contract table', () => {
      expect(Object.keys(before).toSorted()).toEqual(CONTRACT_TABLES);
      for (const [table, [rows]] of Object.entries(before)) expect(rows, table).toBeGreaterThan(0);
    });

    it('opens and migrates it without changing a single contract row', async () => {
      db = await openDatabase({ dialect: 'sqlite', path: file }, { create: false });
      const applied = await db.all<{ tag: string }>(
        sql`SELECT tag FROM ${sql.raw(MIGRATIONS_TABLE)} ORDER BY created_at`,
      );
      expect(applied.map((m) => m.tag)).toEqual(loadMigrations('sqlite').map((m) => m.tag));
      expect(runAgents<Fingerprint>('fingerprint', file)).toEqual(before);
      const conn = new BetterSqlite3(file, { readonly: true });
      try {
        for (const table of CONTRACT_TABLES) expectAgentsColumns(conn, table);
      } finally {
        conn.close();
      }
      expect(journalMode(file)).toBe('wal');
    });

    it('migrating again (and opening again) is a no-op', async () => {
      const snapshot = schemaSnapshot(file);
      const again = await migrate(db!);
      expect(again).toEqual({ applied: [], alreadyApplied: loadMigrations('sqlite').length });
      const second = await openDatabase({ dialect: 'sqlite', path: file }, { create: false });
      await second.close();
      expect(schemaSnapshot(file)).toEqual(snapshot);
      expect(runAgents<Fingerprint>('fingerprint', file)).toEqual(before);
    });

    it('reads every post exactly as Python wrote it (markup, quotes, emoji, other scripts, empty and long text)', async () => {
      expect(written.length).toBeGreaterThan(30);
      const read = await db!.all<PythonPost>(
        sql`SELECT * FROM ${agentsSocialPosts} ORDER BY ${agentsSocialPosts.id}`,
      );
      expect(
        read.map((row) =>
          Object.fromEntries(Object.keys(written[0]!).map((column) => [column, row[column]])),
        ),
      ).toEqual(written);
      const contents = read.map((row) => row.content);
      expect(contents).toContain(
        '<script>alert("xss")</script> <b>bold</b> & <a href="javascript:alert(1)">link</a>',
      );
      expect(contents).toContain(
        'Launch day \u{1F680}\u{1F525} caf\u00e9 na\u00efve \u65e5\u672c\u8a9e \u0645\u0631\u062d\u0628\u0627 \u{1F469}\u200D\u{1F4BB}',
      );
      expect(contents).toContain('');
      expect(new Set(read.map((row) => row.status))).toEqual(
        new Set(['draft', 'pending_review', 'approved', 'rejected', 'posted', 'scheduled']),
      );
    });

    it('Python keeps working while the console has it open: record, approve, mark posted, reject, read back', async () => {
      const result = runAgents<WorkflowResult>('workflow', file);
      await expectWorkflowReadBack(db!, result);
    });
  },
);

describe.skipIf(pythonMissing)(
  `the agents writing into a database the console created${pythonMissing ? ' (skipped: python3 is not on PATH)' : ''}`,
  () => {
    let dir = '';
    let db: Database | undefined;
    let file = '';
    beforeAll(async () => {
      dir = tempDir('foundups-fresh-');
      file = path.join(dir, 'foundups.db');
      db = await openDatabase({ dialect: 'sqlite', path: file });
    });
    afterAll(async () => {
      await db?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("run their own statements, and the console reads back Python's exact text", async () => {
      const result = runAgents<WorkflowResult>('workflow', file);
      await expectWorkflowReadBack(db!, result);
    });

    it('can still run their start-up script on it: the DDL changes nothing and their inserts work', () => {
      const snapshot = schemaSnapshot(file);
      const postsBefore = runAgents<Fingerprint>('fingerprint', file).agents_social_posts![0];
      const written = runAgents<{ posts: PythonPost[] }>('create', file).posts;
      expect(schemaSnapshot(file)).toEqual(snapshot);
      expect(written.length).toBeGreaterThan(postsBefore);
    });
  },
);

describe('a database migrated by a newer console', () => {
  let dir = '';
  beforeAll(() => {
    dir = tempDir('foundups-newer-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is refused with a ConfigError saying so, and left as it was', async () => {
    const file = path.join(dir, 'foundups.db');
    const db = await openDatabase({ dialect: 'sqlite', path: file });
    await db.run(
      sql`INSERT INTO ${sql.raw(MIGRATIONS_TABLE)} (tag, hash, created_at, applied_at) VALUES ('9999_from_the_future', 'abc', ${Date.now()}, ${new Date().toISOString()})`,
    );
    await db.run(
      sql`INSERT INTO ${agentsSocialPosts} (post_id, platform, post_type, content) VALUES ('keep-me', 'x', 'post', 'still here')`,
    );
    await db.close();
    const snapshot = schemaSnapshot(file);

    const opening = openDatabase({ dialect: 'sqlite', path: file }, { create: false });
    await expect(opening).rejects.toBeInstanceOf(ConfigError);
    await expect(opening).rejects.toThrow(/migrated by a newer FoundUps Console.*9999_from_the_future/);

    expect(schemaSnapshot(file)).toEqual(snapshot);
    const conn = new BetterSqlite3(file, { readonly: true });
    try {
      expect(
        conn.prepare(`SELECT tag FROM ${MIGRATIONS_TABLE} WHERE tag = '9999_from_the_future'`).all(),
      ).toHaveLength(1);
      expect(conn.prepare("SELECT content FROM agents_social_posts WHERE post_id = 'keep-me'").get()).toEqual(
        { content: 'still here' },
      );
    } finally {
      conn.close();
    }
  });
});
