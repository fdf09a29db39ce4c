import { afterAll, describe, expect, it } from 'vitest';
import { sql } from '@/db/database';
import { chartShape } from '@/lib/sql-console/chart';
import { STARTER_QUERY } from '@/lib/sql-console/examples';
import {
  CONSOLE_ROW_CAP,
  ConsoleRefusal,
  exportConsoleQuery,
  runConsoleQuery,
} from '@/lib/sql-console/run-query';
import { shutdownSqlitePool } from '@/lib/sql-console/sqlite-process';
import { checkReadStatement } from '@/lib/sql-console/statement-check';
import { describeEachDatabase } from './support/databases';

afterAll(() => shutdownSqlitePool());

const ENDLESS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c';

describe('statement check', () => {
  it.each([
    ['SELECT 1', 'SELECT'],
    ['  -- a comment\n  select * from t;  ', 'SELECT'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'WITH'],
    ['EXPLAIN QUERY PLAN SELECT 1', 'EXPLAIN'],
    ['VALUES (1, 2)', 'VALUES'],
    ["SELECT ';' AS semicolon, 'it''s' -- ; trailing\n", 'SELECT'],
    ['SELECT 1;;', 'SELECT'],
    ['(SELECT 1)', 'SELECT'],
    ["SELECT replace(name, 'a', 'b'), \"update\" FROM t", 'SELECT'],
  ])('accepts %j', (text, keyword) => {
    expect(checkReadStatement(text, 'sqlite')).toMatchObject({ ok: true, keyword });
  });

  it.each([
    ['INSERT INTO t VALUES (1)', 'NOT_READ_ONLY'],
    ["ATTACH DATABASE '/tmp/x.db' AS x", 'NOT_READ_ONLY'],
    ['DETACH x', 'NOT_READ_ONLY'],
    ['PRAGMA writable_schema = 1', 'NOT_READ_ONLY'],
    ['VACUUM', 'NOT_READ_ONLY'],
    ['REINDEX', 'NOT_READ_ONLY'],
    ['CREATE TABLE t (x)', 'NOT_READ_ONLY'],
    ['DROP TABLE agents_social_posts', 'NOT_READ_ONLY'],
    ['SELECT 1; DELETE FROM agents_social_posts', 'MULTIPLE_STATEMENTS'],
    ['SELECT 1; SELECT 2', 'MULTIPLE_STATEMENTS'],
    ["SELECT 'unterminated", 'UNTERMINATED'],
    ['WITH x AS (SELECT 1) DELETE FROM t', 'NOT_READ_ONLY'],
    ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', 'NOT_READ_ONLY'],
    ['SELECT * FROM t FOR UPDATE', 'NOT_READ_ONLY'],
    ['   ', 'EMPTY'],
    ['/* only a comment */', 'EMPTY'],
  ])('refuses %j (%s)', (text, code) => {
    expect(checkReadStatement(text, 'sqlite')).toMatchObject({ ok: false, code });
  });

  it('knows PostgreSQL quoting and refuses functions that act in a read-only transaction', () => {
    expect(checkReadStatement("SELECT $$a;b$$, E'it\\'s;'", 'postgres')).toMatchObject({ ok: true });
    expect(checkReadStatement('SELECT $tag$ ; DROP TABLE x $tag$', 'postgres')).toMatchObject({ ok: true });
    expect(
      checkReadStatement('SELECT pg_terminate_backend(pid) FROM pg_stat_activity', 'postgres'),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN_FUNCTION' });
    expect(checkReadStatement("SELECT \"set_config\"('a', 'b', false)", 'postgres')).toMatchObject({
      ok: false,
      code: 'FORBIDDEN_FUNCTION',
    });
    expect(checkReadStatement('/* a /* nested */ comment */ SELECT 1', 'postgres')).toMatchObject({
      ok: true,
    });
  });

  it('finds chart-ready numeric columns and a label column', () => {
    const columns = [
      { name: 'agent', type: null },
      { name: 'n', type: null },
      { name: 'avg', type: null },
    ];
    expect(
      chartShape(columns, [
        ['a', 1, null],
        ['b', 2, 0.5],
      ]),
    ).toEqual({ labelColumn: 'agent', numericColumns: ['n', 'avg'] });
    expect(chartShape(columns, [['a', 'x', null]])).toBeNull();
    expect(chartShape(columns, [])).toBeNull();
  });
});

describeEachDatabase('SQL console: read-only, capped, time-limited', (use) => {
  it('runs the starter cross-module query and says which columns can be charted', async () => {
    const { db } = use();
    await db.run(
      sql`INSERT INTO permission_events (agent_id, event_type, granted_at, confidence) VALUES ('gemma', 'PERMISSION_GRANTED', '2025-01-01T00:00:00+00:00', 0.9)`,
    );
    await db.run(
      sql`INSERT INTO confidence_events (agent_id, event_type, recorded_at, confidence_after) VALUES ('gemma', 'TESTS_PASSED', '2025-01-01T00:00:00', 0.8), ('qwen', 'TESTS_FAILED', '2025-01-01T00:00:00', 0.4)`,
    );
    const result = await runConsoleQuery(db, STARTER_QUERY.sql);
    expect(result.columns.map((column) => column.name)).toEqual([
      'agent_id',
      'permission_events',
      'confidence_events',
      'avg_confidence_after',
    ]);
    expect(result.rows).toEqual([
      ['gemma', 1, 1, 0.8],
      ['qwen', 0, 1, 0.4],
    ]);
    expect(result.truncated).toBe(false);
    expect(result.chart).toEqual({
      labelColumn: 'agent_id',
      numericColumns: ['permission_events', 'confidence_events', 'avg_confidence_after'],
    });
  });

  it.each([
    ['INSERT', "INSERT INTO permission_events (agent_id, event_type, granted_at) VALUES ('x', 'y', 'z')"],
    ['UPDATE', "UPDATE agents_social_posts SET status = 'approved'"],
    ['DELETE', 'DELETE FROM agents_social_posts'],
    ['ATTACH', "ATTACH DATABASE 'elsewhere.db' AS other"],
    ['PRAGMA writable_schema', 'PRAGMA writable_schema = 1'],
    ['multiple statements', 'SELECT 1; DELETE FROM agents_social_posts'],
    ['DROP', 'DROP TABLE agents_social_posts'],
    ['a write hidden behind WITH', "WITH x AS (SELECT 1) UPDATE agents_social_posts SET status = 'approved'"],
  ])('refuses %s and changes nothing', async (_label, text) => {
    const { db } = use();
    const before = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM agents_social_posts`);
    await expect(runConsoleQuery(db, text)).rejects.toBeInstanceOf(ConsoleRefusal);
    const tables = await db.all(sql`SELECT 1 FROM modules_console_saved_queries LIMIT 1`);
    expect(tables).toBeDefined();
    expect(await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM agents_social_posts`)).toEqual(before);
  });

  it('refuses a write even when it gets past the statement check (the engine has the last word)', async () => {
    const { db } = use();
    // nextval() passes the keyword check but writes a sequence: PostgreSQL's read-only transaction refuses it.
    // On SQLite, a function that writes does not exist; the read-only worker connection is checked directly below.
    if (db.dialect === 'postgres') {
      await db.run(sql.raw('CREATE SEQUENCE IF NOT EXISTS console_test_seq'));
      const error = await runConsoleQuery(db, "SELECT nextval('console_test_seq')").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConsoleRefusal);
      expect((error as Error).message).toMatch(/read-only transaction/);
    } else {
      const { getSqlitePool } = await import('@/lib/sql-console/sqlite-process');
      const file = (db as unknown as { file: string }).file;
      // Even without the console's checks, the worker's connection cannot write.
      await expect(
        getSqlitePool().query(
          { kind: 'main', file },
          [{ sql: 'DELETE FROM agents_social_posts RETURNING id' }],
          { timeoutMs: 5000 },
        ),
      ).rejects.toThrow(/readonly|read-only/i);
    }
  });

  it('caps the result at 1,000 rows and says so', async () => {
    const { db } = use();
    const text =
      db.dialect === 'sqlite'
        ? 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) SELECT x FROM c'
        : 'SELECT x FROM generate_series(1, 5000) AS x';
    const result = await runConsoleQuery(db, text);
    expect(result.rows).toHaveLength(CONSOLE_ROW_CAP);
    expect(result.truncated).toBe(true);
    expect(result.rowCap).toBe(CONSOLE_ROW_CAP);
    const exact = await runConsoleQuery(db, text.replace('5000', String(CONSOLE_ROW_CAP)));
    expect(exact.truncated).toBe(false);
  });

  it('exports a query result with the same refusals', async () => {
    const { db } = use();
    const out = await exportConsoleQuery(db, 'SELECT agent_id FROM permission_events ORDER BY agent_id');
    const rows: unknown[][] = [];
    for await (const batch of out.batches) rows.push(...batch);
    expect(out.columns()).toEqual(['agent_id']);
    expect(rows).toEqual([['gemma']]);
    await expect(exportConsoleQuery(db, 'DELETE FROM permission_events')).rejects.toBeInstanceOf(
      ConsoleRefusal,
    );
  });

  it('stops an endless query at the time limit while the server keeps answering', async (context) => {
    const { db } = use();
    // PGlite runs in this process: nothing can interrupt it, and the console says so (see run-query.ts).
    if (db.driver === 'pglite') return context.skip();
    const text = db.dialect === 'sqlite' ? ENDLESS : 'SELECT count(*) FROM generate_series(1, 1000000000000)';
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    const started = Date.now();
    const endless = runConsoleQuery(db, text, { timeLimitMs: 1500 }).catch((error: unknown) => error);
    // While it runs, other requests are answered promptly.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answerStarted = Date.now();
    expect(await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM agents_social_posts`)).toBeDefined();
    const quick = await runConsoleQuery(db, 'SELECT 42 AS answer');
    expect(quick.rows).toEqual([[42]]);
    expect(Date.now() - answerStarted).toBeLessThan(1000);
    const error = await endless;
    clearInterval(ticker);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ConsoleRefusal);
    expect((error as ConsoleRefusal).code).toBe('TIMEOUT');
    expect((error as Error).message).toMatch(/Stopped after 1\.5 s/);
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(5000);
    // The event loop kept turning the whole time (50 ms ticks over ≥1.5 s).
    expect(ticks).toBeGreaterThan(elapsed / 50 / 3);
    // And the console works again right after.
    expect((await runConsoleQuery(db, 'SELECT 1 AS one')).rows).toEqual([[1]]);
  });
});

describeEachDatabase('SQL console: saved queries', (use) => {
  it('saves, replaces by name, lists and deletes, recording who did it', async () => {
    const { db } = use();
    const { deleteSavedQuery, listSavedQueries, saveQuery } = await import('@/lib/sql-console/saved-queries');
    await saveQuery(db, { name: 'Starter', sql: STARTER_QUERY.sql, description: null }, 'alice');
    await saveQuery(db, { name: 'Starter', sql: 'SELECT 1', description: 'replaced' }, 'alice');
    const saved = await listSavedQueries(db);
    expect(saved).toMatchObject([
      { name: 'Starter', sql: 'SELECT 1', description: 'replaced', createdBy: 'alice' },
    ]);
    expect(await deleteSavedQuery(db, saved[0]!.id, 'alice')).toBe(true);
    expect(await deleteSavedQuery(db, saved[0]!.id, 'alice')).toBe(false);
    expect(await listSavedQueries(db)).toEqual([]);
    const activity = await db.all<{ action: string }>(
      sql`SELECT action FROM modules_console_activity WHERE action LIKE 'sql.%' ORDER BY id`,
    );
    expect(activity.map((row) => row.action)).toEqual(['sql.save', 'sql.save', 'sql.delete']);
  });
});
