import { describe, expect, it } from 'vitest';
import { sql } from '@/db/database';
import {
  AgentDB,
  FoundUpDB,
  ModuleDB,
  NamespaceError,
  agentTableName,
  assertName,
  classifyTable,
  foundupTableName,
  moduleTableName,
} from '@/db/namespaces';
import { describeEachDatabase } from './support/databases';

const INVALID_NAMES: [string, string][] = [
  ['upper case', 'Chat'],
  ['a leading digit', '1chat'],
  ['a double underscore', 'chat__rules'],
  ['a trailing underscore', 'chat_'],
  ['a leading underscore', '_chat'],
  ['SQL injection', 'x; DROP TABLE agents_social_posts; --'],
  ['a quote', 'x"y'],
  ['a single quote', "o'brien"],
  ['a dash', 'chat-rules'],
  ['a space', 'chat rules'],
  ['a dot', 'main.chat'],
  ['an empty string', ''],
  ['64 characters', `a${'b'.repeat(63)}`],
  ['a non-ASCII letter', 'café'],
];

describe('namespace prefixes', () => {
  it('prefixes the three namespaces', () => {
    expect(moduleTableName('chat_rules', 'moderators')).toBe('modules_chat_rules_moderators');
    expect(foundupTableName('acme', 'users')).toBe('foundups_acme_users');
    expect(agentTableName('social_posts')).toBe('agents_social_posts');
  });

  it('accepts a name of exactly 63 characters', () => {
    const name = `a${'b'.repeat(62)}`;
    expect(assertName('column', name)).toBe(name);
  });

  it.each(INVALID_NAMES)(
    'rejects a name with %s in every position, with a NamespaceError that says what is allowed',
    (_label, bad) => {
      const attempts = [
        () => moduleTableName(bad, 'items'),
        () => moduleTableName('chat', bad),
        () => foundupTableName(bad, 'items'),
        () => foundupTableName('acme', bad),
        () => agentTableName(bad),
      ];
      for (const attempt of attempts) {
        let caught: unknown;
        try {
          attempt();
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(NamespaceError);
        expect((caught as Error).message).toMatch(
          /^Invalid (module|project|table) name .*: use lower-case letters, digits and single underscores, starting with a letter/,
        );
      }
    },
  );

  it('rejects a non-string name', () => {
    expect(() => assertName('table', 42 as unknown as string)).toThrow(NamespaceError);
  });

  it('rejects a full table name longer than 63 characters (PostgreSQL would silently truncate it)', () => {
    const owner = 'm'.repeat(30);
    const table = 't'.repeat(30);
    expect(() => moduleTableName(owner, table)).toThrow(NamespaceError);
    expect(() => moduleTableName(owner, table)).toThrow(/63 characters/);
    expect(() => agentTableName('a'.repeat(57))).toThrow(NamespaceError);
    expect(agentTableName('a'.repeat(56))).toHaveLength(63);
  });
});

describe('classifyTable', () => {
  it('classifies module tables, using the first segment as the owner by default', () => {
    expect(classifyTable('modules_console_operators')).toEqual({
      name: 'modules_console_operators',
      namespace: 'modules',
      owner: 'console',
      table: 'operators',
      compliant: true,
    });
    expect(classifyTable('modules_chat_rules_moderators')).toMatchObject({
      owner: 'chat',
      table: 'rules_moderators',
    });
  });

  it('uses knownOwners to resolve owners that contain underscores, preferring the longest', () => {
    expect(classifyTable('modules_chat_rules_moderators', ['chat_rules'])).toEqual({
      name: 'modules_chat_rules_moderators',
      namespace: 'modules',
      owner: 'chat_rules',
      table: 'moderators',
      compliant: true,
    });
    expect(classifyTable('modules_chat_rules_moderators', ['chat', 'chat_rules'])).toMatchObject({
      owner: 'chat_rules',
      table: 'moderators',
    });
    // A known owner that would leave no table name is not used.
    expect(classifyTable('modules_chat_rules', ['chat_rules'])).toMatchObject({
      owner: 'chat',
      table: 'rules',
    });
    expect(classifyTable('foundups_big_co_users', ['big_co'])).toEqual({
      name: 'foundups_big_co_users',
      namespace: 'foundups',
      owner: 'big_co',
      table: 'users',
      compliant: true,
    });
  });

  it('classifies agents_* tables', () => {
    expect(classifyTable('agents_social_posts')).toEqual({
      name: 'agents_social_posts',
      namespace: 'agents',
      table: 'social_posts',
      compliant: true,
    });
  });

  it('flags the legacy unprefixed tables as non-compliant', () => {
    for (const name of [
      'modules',
      'module_documents',
      'selenium_sessions',
      'permission_events',
      'daemon_health',
      'error_events',
    ]) {
      expect(classifyTable(name)).toEqual({ name, namespace: 'unprefixed', compliant: false });
    }
  });

  it('flags prefixes with nothing after them, or no table part, as unprefixed', () => {
    for (const name of ['agents_', 'modules_chat', 'modules__x', 'foundups_acme', 'Modules_Chat_Rules']) {
      expect(classifyTable(name)).toMatchObject({ namespace: 'unprefixed', compliant: false });
    }
  });

  it('treats engine tables as internal', () => {
    for (const name of ['sqlite_sequence', 'sqlite_stat1', 'pg_stat_statements', '_litestream_seq']) {
      expect(classifyTable(name)).toEqual({ name, namespace: 'internal', compliant: true });
    }
  });
});

describeEachDatabase('namespaced table helpers', (testDb) => {
  it('ModuleDB creates a prefixed table and does insert/select/update/delete/count', async () => {
    const { db } = testDb();
    const chat = new ModuleDB(db, 'chat_rules');
    expect(
      await chat.createTable('moderators', {
        id: { type: 'INTEGER', autoincrement: true },
        name: { type: 'TEXT', notNull: true, unique: true },
        level: { type: 'INTEGER', default: 1 },
        active: { type: 'BOOLEAN', default: null },
        note: { type: 'TEXT', default: "it's fine" },
        added_at: { type: 'DATETIME', default: { currentTimestamp: true } },
      }),
    ).toBe('modules_chat_rules_moderators');
    // Idempotent, like the Python helpers' CREATE TABLE IF NOT EXISTS.
    await chat.createTable('moderators', { id: { type: 'INTEGER', autoincrement: true } });

    expect(await chat.insert('moderators', { name: 'ann', level: 3 })).toBe(1);
    expect(await chat.insert('moderators', { name: 'bob' })).toBe(1);
    expect(await chat.insert('moderators', { name: 'cy', level: 2, note: null })).toBe(1);
    expect(await chat.count('moderators')).toBe(3);
    expect(await chat.count('moderators', { level: 1 })).toBe(1);
    expect(await chat.count('moderators', { note: null })).toBe(1);

    const bob = (
      await chat.select<{ name: string; level: number; note: string; added_at: string }>('moderators', {
        name: 'bob',
      })
    )[0]!;
    expect(bob).toMatchObject({ name: 'bob', level: 1, note: "it's fine" });
    expect(bob.added_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const ordered = await chat.select<{ name: string }>('moderators', undefined, {
      orderBy: 'level',
      descending: true,
      limit: 2,
    });
    expect(ordered.map((row) => row.name)).toEqual(['ann', 'cy']);
    const paged = await chat.select<{ name: string }>(
      'moderators',
      {},
      { orderBy: 'name', limit: 1, offset: 1 },
    );
    expect(paged.map((row) => row.name)).toEqual(['bob']);

    expect(await chat.update('moderators', { name: 'bob' }, { level: 5 })).toBe(1);
    expect(await chat.update('moderators', { name: 'nobody' }, { level: 5 })).toBe(0);
    expect(await chat.count('moderators', { level: 5 })).toBe(1);
    expect(await chat.delete('moderators', { level: 5 })).toBe(1);
    expect(await chat.count('moderators')).toBe(2);

    const tables = await db.all<{ name: string }>(
      db.dialect === 'sqlite'
        ? sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'modules_chat_rules_moderators'`
        : sql`SELECT table_name AS name FROM information_schema.tables WHERE table_name = 'modules_chat_rules_moderators' AND table_schema = current_schema()`,
    );
    expect(tables).toEqual([{ name: 'modules_chat_rules_moderators' }]);
  });

  it('FoundUpDB and AgentDB write to their own prefixed tables', async () => {
    const { db } = testDb();
    const acme = new FoundUpDB(db, 'acme');
    const agents = new AgentDB(db);
    expect(
      await acme.createTable('users', { id: { type: 'INTEGER', primaryKey: true }, email: { type: 'TEXT' } }),
    ).toBe('foundups_acme_users');
    expect(
      await agents.createTable('scratch_notes', {
        key: { type: 'TEXT', primaryKey: true },
        body: { type: 'JSON' },
        score: { type: 'REAL' },
      }),
    ).toBe('agents_scratch_notes');
    await acme.insert('users', { id: 7, email: 'a@acme.test' });
    await agents.insert('scratch_notes', { key: 'k', body: '{"a":1}', score: 0.5 });
    expect(await db.all(sql`SELECT id, email FROM foundups_acme_users`)).toEqual([
      { id: 7, email: 'a@acme.test' },
    ]);
    expect(await agents.select('scratch_notes')).toEqual([{ key: 'k', body: '{"a":1}', score: 0.5 }]);
  });

  it('stores values containing quotes, semicolons and SQL verbatim', async () => {
    const { db } = testDb();
    const notes = new ModuleDB(db, 'quotes');
    await notes.createTable('notes', {
      id: { type: 'INTEGER', autoincrement: true },
      body: { type: 'TEXT' },
    });
    const tricky = [
      `it's "quoted"`,
      `'); DROP TABLE modules_quotes_notes; --`,
      `back\\slash and \n newline`,
      `$1 ? :name %s`,
      `''`,
    ];
    for (const body of tricky) await notes.insert('notes', { body });
    const rows = await notes.select<{ body: string }>('notes', undefined, { orderBy: 'id' });
    expect(rows.map((row) => row.body)).toEqual(tricky);
    expect(await notes.count('notes', { body: tricky[1] })).toBe(1);
    expect(await notes.update('notes', { body: tricky[0] }, { body: `still 'quoted'` })).toBe(1);
    expect(await notes.count('notes', { body: `still 'quoted'` })).toBe(1);
  });

  it('refuses update and delete without a where clause, and changes nothing', async () => {
    const { db } = testDb();
    const guard = new ModuleDB(db, 'guard');
    await guard.createTable('items', { id: { type: 'INTEGER', primaryKey: true }, v: { type: 'TEXT' } });
    await guard.insert('items', { id: 1, v: 'a' });
    await guard.insert('items', { id: 2, v: 'b' });
    await expect(guard.update('items', {}, { v: 'x' })).rejects.toThrow(/Refusing to update every row/);
    await expect(guard.delete('items', {})).rejects.toThrow(/Refusing to delete every row/);
    await expect(guard.update('items', { id: 1 }, {})).rejects.toThrow(NamespaceError);
    await expect(guard.insert('items', {})).rejects.toThrow(NamespaceError);
    expect(await guard.select('items', undefined, { orderBy: 'id' })).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'b' },
    ]);
  });

  it('rejects invalid table, column and owner names before running any SQL', async () => {
    const { db } = testDb();
    const guard = new ModuleDB(db, 'guard2');
    await guard.createTable('items', { id: { type: 'INTEGER', primaryKey: true } });
    expect(() => new ModuleDB(db, 'Bad')).toThrow(NamespaceError);
    expect(() => new FoundUpDB(db, 'x;drop')).toThrow(NamespaceError);
    await expect(guard.createTable('Items', { id: { type: 'INTEGER' } })).rejects.toThrow(NamespaceError);
    await expect(guard.createTable('empty', {})).rejects.toThrow(/at least one column/);
    await expect(guard.createTable('bad_col', { 'id; drop': { type: 'INTEGER' } })).rejects.toThrow(
      NamespaceError,
    );
    await expect(guard.insert('items', { 'id) VALUES (1); --': 1 })).rejects.toThrow(NamespaceError);
    await expect(guard.select('items', { 'id OR 1=1': 1 })).rejects.toThrow(NamespaceError);
    await expect(guard.select('items', undefined, { orderBy: 'id; drop' })).rejects.toThrow(NamespaceError);
    await expect(guard.count('items; drop')).rejects.toThrow(NamespaceError);
    expect(await guard.count('items')).toBe(0);
  });
});
