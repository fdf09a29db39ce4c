import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Database, sql } from '@/db/database';
import { databaseSource, findRelation } from '@/lib/registry/catalogue';
import { exportTableRows } from '@/lib/registry/browser';
import { csvChunks } from '@/lib/registry/export-format';
import {
  CONSOLE_ROW_CAP,
  ConsoleRefusal,
  QUERY_EXPORT_ROW_CAP,
  exportConsoleQuery,
  runConsoleQuery,
} from '@/lib/sql-console/run-query';
import { shutdownSqlitePool } from '@/lib/sql-console/sqlite-process';
import { describeEachDatabase } from './support/databases';

// Streamed reads (Database.iterate) and the exports built on them, on SQLite, PGlite and (with
// TEST_DATABASE_URL) PostgreSQL: 100k-row results arrive in bounded batches, exactly, and rows are
// produced only as the consumer asks for them.

afterAll(() => shutdownSqlitePool());

const ROWS = 100_000;

/** PostgreSQL: milliseconds since the epoch as each row is produced (clock_timestamp() is per call). */
function rowClock() {
  return sql.raw(`(extract(epoch from clock_timestamp()) * 1000)`);
}

async function fillTable(db: Database, rows: number): Promise<void> {
  await db.run(
    sql.raw('CREATE TABLE modules_test_stream (id INTEGER PRIMARY KEY, label TEXT NOT NULL, note TEXT)'),
  );
  // One statement generates the rows: tests measure reading, not inserting.
  await db.run(
    db.dialect === 'sqlite'
      ? sql.raw(
          `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
           INSERT INTO modules_test_stream (id, label, note) SELECT i, 'row ' || i, CASE WHEN i % 10 = 0 THEN NULL ELSE 'n' END FROM n`,
        )
      : sql.raw(
          `INSERT INTO modules_test_stream (id, label, note)
           SELECT i, 'row ' || i, CASE WHEN i % 10 = 0 THEN NULL ELSE 'n' END FROM generate_series(1, ${rows}) AS i`,
        ),
  );
}

describeEachDatabase('streamed reads and exports', (use) => {
  beforeAll(async () => {
    await fillTable(use().db, ROWS);
  }, 120_000);

  it('iterate() hands out a 100k-row result in batches, exactly and in order', async () => {
    const { db } = use();
    const sizes: number[] = [];
    let expected = 1;
    let mismatches = 0;
    for await (const batch of db.iterate<{ id: number; label: string }>(
      sql`SELECT id, label FROM modules_test_stream ORDER BY id`,
      { batchSize: 1_000 },
    )) {
      sizes.push(batch.length);
      for (const row of batch) {
        if (Number(row.id) !== expected || row.label !== `row ${expected}`) mismatches++;
        expected++;
      }
    }
    expect(mismatches).toBe(0);
    expect(expected - 1).toBe(ROWS);
    expect(sizes).toHaveLength(ROWS / 1_000);
    expect(Math.max(...sizes)).toBe(1_000);
  }, 120_000);

  it('produces rows only as they are asked for (the last batch is read after the pause, not before)', async () => {
    const { db } = use();
    if (db.dialect === 'sqlite') {
      // SQLite fixes 'now' for a whole statement, so the proof here is the reader's snapshot: while the
      // iteration is paused it still holds its read mark, so a checkpoint cannot copy frames written
      // after it began; once the loop ends the same checkpoint completes.
      const checkpoint = () =>
        db.get<{ busy: number; log: number; checkpointed: number }>(
          sql.raw('PRAGMA wal_checkpoint(PASSIVE)'),
        );
      await checkpoint();
      const iterator = db.iterate<{ id: number }>(sql`SELECT id FROM modules_test_stream ORDER BY id`, {
        batchSize: 1_000,
      });
      const first = await iterator.next();
      expect(first.value).toHaveLength(1_000);
      await db.run(sql`UPDATE modules_test_stream SET note = 'during' WHERE id = 2`);
      const during = (await checkpoint())!;
      expect(during.checkpointed).toBeLessThan(during.log);
      let rows = first.value!.length;
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        rows += next.value.length;
      }
      expect(rows).toBe(ROWS);
      const after = (await checkpoint())!;
      expect(after.checkpointed).toBe(after.log);
      return;
    }
    const iterator = db.iterate<{ id: number; at: number }>(
      sql`SELECT id, ${rowClock()} AS at FROM modules_test_stream ORDER BY id`,
      { batchSize: 1_000 },
    );
    const first = await iterator.next();
    expect(first.done).toBe(false);
    const firstAt = Number(first.value![first.value!.length - 1]!.at);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const resumedAt = Date.now();
    let last: { id: number; at: number } | undefined;
    let rows = first.value!.length;
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      rows += next.value.length;
      last = next.value[next.value.length - 1];
    }
    expect(rows).toBe(ROWS);
    // A read-everything-first implementation would have produced the last row before the first batch
    // was even handed out, i.e. before the pause. (The server's clock is this machine's.)
    expect(Number(last!.at) - firstAt).toBeGreaterThanOrEqual(350);
    expect(Number(last!.at)).toBeGreaterThanOrEqual(resumedAt - 50);
  }, 120_000);

  it('stopping early releases the connection, and the database stays usable', async () => {
    const { db } = use();
    for (let round = 0; round < 12; round++) {
      // More rounds than the pool has clients: a leaked client would hang here.
      for await (const batch of db.iterate(sql`SELECT id FROM modules_test_stream ORDER BY id`, {
        batchSize: 500,
      })) {
        expect(batch).toHaveLength(500);
        break;
      }
    }
    const aborted = new AbortController();
    let seen = 0;
    for await (const batch of db.iterate(sql`SELECT id FROM modules_test_stream`, {
      batchSize: 100,
      signal: aborted.signal,
    })) {
      seen += batch.length;
      if (seen >= 300) aborted.abort();
    }
    expect(seen).toBe(300);
    await db.run(sql`UPDATE modules_test_stream SET note = 'after' WHERE id = 1`);
    expect(await db.get(sql`SELECT note FROM modules_test_stream WHERE id = 1`)).toEqual({ note: 'after' });
  }, 60_000);

  it('binds parameters and reports errors from the statement', async () => {
    const { db } = use();
    const rows: unknown[] = [];
    for await (const batch of db.iterate(
      sql`SELECT id FROM modules_test_stream WHERE id <= ${3} ORDER BY id`,
    ))
      rows.push(...batch);
    expect(rows.map((row) => Number((row as { id: number }).id))).toEqual([1, 2, 3]);
    await expect(async () => {
      for await (const batch of db.iterate(sql`SELECT nope FROM modules_test_stream`)) void batch;
    }).rejects.toThrow(/nope/);
  });

  it('a table export streams the filtered view of 100k rows in batches, every row exactly once', async () => {
    const { db } = use();
    const relation = (await findRelation(databaseSource(db), 'modules_test_stream'))!;
    const exported = exportTableRows({ kind: 'main', db }, relation, {
      sort: { column: 'id', dir: 'desc' },
      filters: [{ column: 'note', op: 'notnull', value: '' }],
    });
    let batches = 0;
    let rows = 0;
    let previous = Infinity;
    let ordered = true;
    for await (const batch of exported.batches) {
      batches++;
      for (const row of batch) {
        const id = Number(row[0]);
        if (!(id < previous) || id % 10 === 0) ordered = false;
        previous = id;
        rows++;
      }
    }
    expect(rows).toBe(ROWS - ROWS / 10);
    expect(ordered).toBe(true);
    expect(batches).toBeGreaterThan(10);
  }, 120_000);

  it('a query export streams up to its row cap; CSV holds the header plus every row', async () => {
    const { db } = use();
    const exported = await exportConsoleQuery(db, 'SELECT id, label FROM modules_test_stream ORDER BY id');
    let text = '';
    let chunks = 0;
    for await (const chunk of csvChunks(exported.columns(), exported.batches)) {
      text += chunk;
      chunks++;
    }
    const lines = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('id,label');
    expect(lines).toHaveLength(Math.min(ROWS, QUERY_EXPORT_ROW_CAP) + 1);
    expect(lines[1]).toBe('1,row 1');
    expect(lines[lines.length - 1]).toBe(`${ROWS},row ${ROWS}`);
    expect(chunks).toBeGreaterThan(10);
  }, 120_000);

  it('a query export stops at QUERY_EXPORT_ROW_CAP and still refuses writes before anything is sent', async () => {
    const { db } = use();
    await db.run(
      db.dialect === 'sqlite'
        ? sql.raw(
            `INSERT INTO modules_test_stream (id, label) WITH RECURSIVE n(i) AS (SELECT ${ROWS + 1} UNION ALL SELECT i + 1 FROM n WHERE i < ${QUERY_EXPORT_ROW_CAP + 50}) SELECT i, 'x' FROM n`,
          )
        : sql.raw(
            `INSERT INTO modules_test_stream (id, label) SELECT i, 'x' FROM generate_series(${ROWS + 1}, ${QUERY_EXPORT_ROW_CAP + 50}) AS i`,
          ),
    );
    const exported = await exportConsoleQuery(db, 'SELECT id FROM modules_test_stream ORDER BY id');
    let rows = 0;
    for await (const batch of exported.batches) rows += batch.length;
    expect(rows).toBe(QUERY_EXPORT_ROW_CAP);
    await expect(exportConsoleQuery(db, 'DELETE FROM modules_test_stream')).rejects.toBeInstanceOf(
      ConsoleRefusal,
    );
    await expect(exportConsoleQuery(db, 'SELECT 1; SELECT 2')).rejects.toBeInstanceOf(ConsoleRefusal);
    expect(await db.get(sql`SELECT count(*) AS n FROM modules_test_stream`)).toEqual({
      n: QUERY_EXPORT_ROW_CAP + 50,
    });
  }, 120_000);

  it('a query export of an endless statement is stopped by its time limit, and the database answers after', async ({
    skip,
  }) => {
    const { db } = use();
    // PGlite runs in this process without timers for statement_timeout (the console says so).
    if (db.driver === 'pglite') skip();
    const started = performance.now();
    const endless = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';
    const error = await exportConsoleQuery(db, endless, undefined, { timeLimitMs: 1_500 }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConsoleRefusal);
    expect((error as ConsoleRefusal).code).toBe('TIMEOUT');
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await db.get(sql`SELECT count(*) AS n FROM modules_test_stream WHERE id <= 10`)).toEqual({
      n: 10,
    });
  }, 30_000);

  it('the SQL console keeps its row cap on the same table', async () => {
    const { db } = use();
    const result = await runConsoleQuery(db, 'SELECT id FROM modules_test_stream ORDER BY id');
    expect(result.rows).toHaveLength(CONSOLE_ROW_CAP);
    expect(result.truncated).toBe(true);
  }, 60_000);
});
