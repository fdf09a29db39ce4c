/**
 * Rollup maintenance benchmark: `node --conditions=react-server --import tsx bench/rollups.bench.ts
 * [--rows N] [--batch N]` (or `npm run bench -- rollups`). What the timeline's rollups cost writers.
 *
 * Three SQLite files get the same raw prepared INSERTs (better-sqlite3 statements, as the Python agents
 * write with sqlite3), N rows (default 400,000) in transactions of --batch rows (default 50,000), spread
 * over the timeline's busiest source tables (errors, chat, metrics, confidence):
 *   baseline — only migration 0000 (the agents' tables and their indexes, no console triggers);
 *   watermark — every migration (0005: inserts fire nothing, refreshRollups folds them later);
 *   triggers — migrations up to 0004 (the per-row insert triggers of 0002), for comparison.
 * Batches alternate between the files so the shared machine's noise hits all three alike. Then the
 * refresh that folds the watermark file's rows (rows/s), a verifyRollups check, and a chart read
 * with a large unfolded tail next to the same read after the refresh. With --postgres URL, the
 * same inserts on PostgreSQL with and without its statement-level triggers (see postgresInserts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openDatabase } from '@/db/client';
import type { SqliteDatabase } from '@/db/drivers/sqlite';
import { loadMigrations, migrate } from '@/db/migrate';
import { getEventVolume } from '@/lib/timeline/charts';
import { refreshRollups, verifyRollups, watermarkMigrationStatements } from '@/lib/timeline/rollups';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const ROWS = Number(argument('rows') ?? 400_000);
const BATCH = Number(argument('batch') ?? 50_000);
if (!Number.isInteger(ROWS) || ROWS < 10_000) throw new Error('--rows must be a whole number ≥ 10000.');
if (!Number.isInteger(BATCH) || BATCH < 100) throw new Error('--batch must be a whole number ≥ 100.');

const NOW = Date.parse('2025-06-30T00:00:00Z');
const SPAN = 30 * 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** Time text in the forms the agents write: naive ISO, SQLite's CURRENT_TIMESTAMP, UTC and offset ISO. */
function timeText(i: number, step: number): string {
  const date = new Date(NOW - SPAN + i * step);
  const iso = date.toISOString().slice(0, 19);
  switch (i % 4) {
    case 0:
      return `${iso}.${String(i % 1_000_000).padStart(6, '0')}`;
    case 1:
      return iso.replace('T', ' ');
    case 2:
      return `${iso}+00:00`;
    default: {
      const local = new Date(date.getTime() + 2 * 3_600_000);
      return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}+02:00`;
    }
  }
}

const INSERTS: { sql: string; row: (i: number, at: string) => unknown[] }[] = [
  {
    sql: 'INSERT INTO error_events (source_module, raised_at, severity, error_type, message) VALUES (?, ?, ?, ?, ?)',
    row: (i, at) => [`module_${i % 12}`, at, i % 10 ? 'ERROR' : 'WARNING', `Error${i % 9}`, `failure ${i}`],
  },
  {
    sql: 'INSERT INTO chat_messages (user_id, stream_id, sent_at, message, message_type) VALUES (?, ?, ?, ?, ?)',
    row: (i, at) => [`UC${i % 5000}`, `stream${i % 7}`, at, `message ${i}`, i % 20 ? 'chat' : 'bot_response'],
  },
  {
    sql: 'INSERT INTO metrics_events (metric_name, value, unit, source_module, agent_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
    row: (i, at) => [`metric_${i % 15}`, (i % 1000) / 10, 'ms', `module_${i % 12}`, `agent${i % 6}`, at],
  },
  {
    sql: 'INSERT INTO confidence_events (agent_id, confidence_before, confidence_after, event_type, success, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
    row: (i, at) => [`agent${i % 6}`, 0.5, 0.5 + (i % 10) / 100, 'TESTS_PASSED', i % 5 ? 1 : 0, at],
  },
];

interface Target {
  name: string;
  db: SqliteDatabase;
  insert: (from: number, to: number) => void;
  seconds: number;
}

const POSTGRES = argument('postgres');

/**
 * PostgreSQL (with --postgres URL): the same rows through prepared single-row INSERTs in BATCH-row
 * transactions (what an agent's executemany sends: one statement, so one statement-trigger call, per
 * row) and through multi-row INSERTs (db.bulkInsert), into a schema with migration 0000 only and into
 * a fully migrated one (statement-level triggers with transition tables, 0002). Rows: --pg-rows.
 */
async function postgresInserts(url: string): Promise<void> {
  const rows = Number(argument('pg-rows') ?? 40_000);
  const all = loadMigrations('postgres');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const schemas: [string, string | null][] = [
    [`bench_rollups_base_${process.pid}`, '0000_agents_contract_and_console_core'],
    [`bench_rollups_full_${process.pid}`, null],
  ];
  const step = SPAN / rows;
  try {
    const results: Record<string, { single: number; bulk: number }> = {};
    for (const [schema, upTo] of schemas) {
      await admin.query(`CREATE SCHEMA ${schema}`);
      const db = await openDatabase({ dialect: 'postgres', url, schema }, { migrate: false });
      await migrate(db, upTo ? all.filter((m) => m.tag <= upTo) : all);
      await db.close();
      const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema},public` });
      await client.connect();
      const toPg = (text: string) => {
        let n = 0;
        return text.replace(/\?/g, () => `$${++n}`);
      };
      let started = performance.now();
      for (let from = 0; from < rows; from += BATCH) {
        await client.query('BEGIN');
        for (let i = from; i < Math.min(rows, from + BATCH); i++) {
          const insert = INSERTS[i % 4]!;
          await client.query({
            name: `i${i % 4}`,
            text: toPg(insert.sql),
            values: insert.row(i, timeText(i, step)).map((v, k) => (i % 4 === 3 && k === 4 ? v === 1 : v)),
          });
        }
        await client.query('COMMIT');
      }
      const single = rows / ((performance.now() - started) / 1000);
      const opened = await openDatabase({ dialect: 'postgres', url, schema }, { migrate: false });
      started = performance.now();
      for (let from = 0; from < rows; from += BATCH) {
        for (let t = 0; t < 4; t++) {
          const insert = INSERTS[t]!;
          const columns = /\(([^)]*)\)/.exec(insert.sql)![1]!.split(', ');
          const table = /INTO (\w+)/.exec(insert.sql)![1]!;
          const batch: unknown[][] = [];
          for (let i = from + t; i < Math.min(rows, from + BATCH); i += 4)
            batch.push(insert.row(i, timeText(i, step)).map((v, k) => (t === 3 && k === 4 ? v === 1 : v)));
          await opened.bulkInsert(table, columns, batch);
        }
      }
      const bulk = rows / ((performance.now() - started) / 1000);
      await opened.close();
      await client.end();
      results[upTo ? 'baseline (0000 only)' : 'statement triggers (all migrations)'] = { single, bulk };
    }
    console.log(`\nPostgreSQL, ${rows.toLocaleString('en-US')} rows into the same 4 tables (rows/s)`);
    console.log('| schema | single-row prepared INSERTs | multi-row INSERTs (bulkInsert) |');
    console.log('|---|---|---|');
    for (const [name, result] of Object.entries(results))
      console.log(
        `| ${name} | ${Math.round(result.single).toLocaleString('en-US')} | ${Math.round(result.bulk).toLocaleString('en-US')} |`,
      );
    const [base, full] = Object.values(results) as [
      { single: number; bulk: number },
      { single: number; bulk: number },
    ];
    console.log(
      `Ratios with triggers: single-row ${(full.single / base.single).toFixed(2)}, multi-row ${(full.bulk / base.bulk).toFixed(2)}`,
    );
  } finally {
    for (const [schema] of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foundups-bench-rollups-'));
try {
  const all = loadMigrations('sqlite');
  const open = async (name: string, upTo: string | null): Promise<Target> => {
    const db = (await openDatabase(
      { dialect: 'sqlite', path: path.join(dir, `${name}.db`) },
      { migrate: false },
    )) as SqliteDatabase;
    await migrate(db, upTo ? all.filter((m) => m.tag <= upTo) : all);
    const statements = INSERTS.map((insert) => db.connection.prepare(insert.sql));
    const step = SPAN / ROWS;
    const insert = db.connection.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++)
        statements[i % 4]!.run(INSERTS[i % 4]!.row(i, timeText(i % ROWS, step)));
    });
    return { name, db, insert: (from, to) => insert(from, to), seconds: 0 };
  };
  const targets = [
    await open('baseline', '0000_agents_contract_and_console_core'),
    await open('watermark', null),
    await open('triggers', '0004_registry'),
  ];
  // The readers expect migration 0005's table; without watermark rows they add no tail, which is right
  // for a file whose triggers count every row.
  targets[2]!.db.connection.exec(watermarkMigrationStatements('sqlite')[0]!);
  for (let from = 0; from < ROWS; from += BATCH) {
    const to = Math.min(ROWS, from + BATCH);
    // Rotate who goes first: the shared machine's noise and the files' checkpoints hit all alike.
    const batch = from / BATCH;
    for (const target of [...targets.slice(batch % 3), ...targets.slice(0, batch % 3)]) {
      const started = performance.now();
      target.insert(from, to);
      target.seconds += (performance.now() - started) / 1000;
    }
  }
  const rate = (target: Target) => ROWS / target.seconds;
  const [baseline, watermark, triggers] = targets as [Target, Target, Target];
  console.log(
    `\nRaw prepared INSERTs, ${ROWS.toLocaleString('en-US')} rows in ${BATCH.toLocaleString('en-US')}-row transactions into 4 source tables (rows/s)`,
  );
  console.log('| file | rows/s | ratio to baseline |');
  console.log('|---|---|---|');
  for (const target of targets)
    console.log(
      `| ${target.name} | ${Math.round(rate(target)).toLocaleString('en-US')} | ${(rate(target) / rate(baseline)).toFixed(2)} |`,
    );

  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const started = performance.now();
    const result = await fn();
    return [result, performance.now() - started];
  };
  const [refreshed, refreshMs] = await timed(() => refreshRollups(watermark.db));
  const folded = refreshed.reduce((sum, report) => sum + report.rows, 0);
  console.log(
    `\nrefreshRollups folded ${folded.toLocaleString('en-US')} rows in ${(refreshMs / 1000).toFixed(2)} s: ${Math.round(folded / (refreshMs / 1000)).toLocaleString('en-US')} rows/s (${refreshed.reduce((sum, report) => sum + report.chunks, 0)} transactions)`,
  );
  // The event volume chart over the whole span (daily buckets from rollups), warm, median of 5.
  const filters = { from: new Date(NOW - SPAN), to: new Date(NOW + 86_400_000) };
  const chart = async (target: Target) => {
    const samples: number[] = [];
    let total = 0;
    for (let i = 0; i < 6; i++) {
      const [volume, ms] = await timed(() => getEventVolume(target.db, filters));
      total = volume.buckets.reduce((sum, bucket) => sum + bucket.total, 0);
      if (i > 0) samples.push(ms);
    }
    return { ms: samples.sort((a, b) => a - b)[2]!, total };
  };
  const afterRefresh = await chart(watermark);
  const trigger = await chart(triggers);
  // Rows not folded yet, fewer than LARGE_TAIL_ROWS: added up from the rows in the same statement.
  watermark.insert(ROWS, ROWS + 4_000);
  const smallTail = await chart(watermark);
  console.log('\nEvent volume chart, 31 days, daily buckets (ms, median of 5 warm runs; total events)');
  console.log('| file | ms | total |');
  console.log('|---|---|---|');
  console.log(`| watermark, all rows folded | ${afterRefresh.ms.toFixed(1)} | ${afterRefresh.total} |`);
  console.log(`| watermark, 4,000-row tail unfolded | ${smallTail.ms.toFixed(1)} | ${smallTail.total} |`);
  console.log(`| triggers (0002) | ${trigger.ms.toFixed(1)} | ${trigger.total} |`);
  // A large tail (an ingest just wrote 200,000 rows): the first read folds it (bounded) before reading.
  watermark.insert(ROWS + 4_000, ROWS + 204_000);
  const [large, largeMs] = await timed(() => getEventVolume(watermark.db, filters));
  console.log(
    `First chart read after 200,000 unfolded rows (folds them first): ${largeMs.toFixed(0)} ms, total ${large.buckets.reduce((sum, bucket) => sum + bucket.total, 0)}`,
  );
  const check = await verifyRollups(watermark.db);
  console.log(
    `verifyRollups (rollups + tail vs a direct GROUP BY): ${check.differences.length} differences, ${check.zoned.length} zone differences`,
  );
  for (const target of targets) await target.db.close();
  if (POSTGRES) await postgresInserts(POSTGRES);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
