/**
 * Registry benchmark: `npx tsx bench/registry.bench.ts [--gb 1] [--file path] [--runs 15] [--skip-export]`.
 *
 * Generates (once; an existing file is reused) a SQLite database of about --gb gigabytes in the temp
 * folder: the migrated schema, then agents_breadcrumbs (the bulk), agents_memory, an unindexed legacy
 * event table and chat_messages (written through the timeline triggers, as agents would). Then it
 * measures, p50/p95 over --runs runs each, on the warm file:
 * - the registry page's data (getRegistry) next to the raw catalogue queries it is made of, and next
 *   to what it avoids doing on page load (dbstat over the file, count(*) of the biggest table);
 * - table pages (first page, page 1,000, a sort on an indexed column, a filter) next to the same raw
 *   SQL on a plain read-only connection;
 * - export throughput in rows/s (CSV, the whole biggest table, streamed) next to a raw iterate(), with
 *   the process's peak RSS to show memory stays flat.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '@/db/client';
import type { Database } from '@/db/database';
import type { SqliteDatabase } from '@/db/drivers/sqlite';
import { exportTableRows, openRelation, readTablePage } from '@/lib/registry/browser';
import { databaseSource, listRelations } from '@/lib/registry/catalogue';
import type { BrowserState } from '@/lib/registry/browser-params';
import { csvChunks } from '@/lib/registry/export-format';
import { getRegistry } from '@/lib/registry/registry';
import { shutdownSqlitePool } from '@/lib/sql-console/sqlite-process';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const GB = Number(argument('gb') ?? 1);
if (!(GB > 0 && GB <= 64)) throw new Error('--gb must be between 0 and 64.');
const RUNS = Number(argument('runs') ?? 15);
const FILE = argument('file') ?? path.join(os.tmpdir(), 'foundups-registry-bench', `foundups-${GB}gb.db`);
const SKIP_EXPORT = process.argv.includes('--skip-export');
/** agents_breadcrumbs rows take about 430 bytes each with their index. */
const BREADCRUMB_ROWS = Math.round((GB * 1024 ** 3 * 0.95) / 430);
const CHUNK = 250_000;

// ---------------------------------------------------------------------------------------------
// Data

function insertChunks(
  conn: BetterSqlite3.Database,
  label: string,
  total: number,
  statement: (from: number, to: number) => string,
): void {
  const started = performance.now();
  for (let from = 1; from <= total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK - 1);
    conn.exec(`BEGIN IMMEDIATE; ${statement(from, to)}; COMMIT;`);
    process.stdout.write(
      `\r  ${label}: ${to.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} rows`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `\r  ${label}: ${total.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s (${Math.round(total / seconds).toLocaleString('en-US')} rows/s)\n`,
  );
}

const series = (from: number, to: number) =>
  `WITH RECURSIVE c(x) AS (SELECT ${from} UNION ALL SELECT x + 1 FROM c WHERE x < ${to})`;
const AGENT = `(CASE x % 8 WHEN 0 THEN '0102' WHEN 1 THEN 'gemma' WHEN 2 THEN 'qwen' WHEN 3 THEN 'grok' WHEN 4 THEN 'claude_code' WHEN 5 THEN 'holo_index' WHEN 6 THEN 'youtube_dae' ELSE 'ai_overseer' END)`;
/** 90 days back from 2025-06-01, one row every ~2 s for 3.3M rows. */
const TIME = (rows: number) =>
  `strftime('%Y-%m-%d %H:%M:%S', 1748736000 - 7776000 + (x * 7776000 / ${rows}), 'unixepoch')`;

async function generate(): Promise<void> {
  fs.mkdirSync(path.dirname(FILE), { recursive: true });
  console.log(`Generating ${FILE} (~${GB} GB)…`);
  const db = await openDatabase({ dialect: 'sqlite', path: FILE }, { create: true });
  await db.close();
  const conn = new BetterSqlite3(FILE);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = OFF');
  conn.pragma('cache_size = -200000');
  insertChunks(
    conn,
    'agents_breadcrumbs',
    BREADCRUMB_ROWS,
    (
      from,
      to,
    ) => `INSERT INTO agents_breadcrumbs (session_id, timestamp, action, agent_id, query, results, related_docs, contract_id, task_id, data)
      ${series(from, to)} SELECT printf('sess_%08x', x / 50), ${TIME(BREADCRUMB_ROWS)},
        CASE x % 5 WHEN 0 THEN 'holo_search' WHEN 1 THEN 'read_file' WHEN 2 THEN 'edit_file' WHEN 3 THEN 'run_tests' ELSE 'commit' END, ${AGENT},
        CASE WHEN x % 5 = 0 THEN printf('livechat timeout handling %d', x % 997) END,
        printf('[{"path": "modules/communication/livechat/README.md", "score": 0.%03d}, {"path": "modules/communication/livechat/INTERFACE.md", "score": 0.%03d}]', x % 1000, (x * 7) % 1000),
        '["modules/communication/livechat/ModLog.md"]', CASE WHEN x % 3 = 0 THEN printf('contract_%08x', x % 100000) END, NULL,
        printf('{"duration_ms": %d, "ok": %s, "note": "%s"}', x % 9000, CASE WHEN x % 10 = 0 THEN 'false' ELSE 'true' END, substr('abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz', 1 + x % 20, 40))
      FROM c`,
  );
  const memory = Math.round(BREADCRUMB_ROWS / 8);
  insertChunks(
    conn,
    'agents_memory',
    memory,
    (
      from,
      to,
    ) => `INSERT INTO agents_memory (agent_id, pattern_type, pattern_data, learned_at) ${series(from, to)}
      SELECT ${AGENT}, 'timing_pattern', printf('{"pattern": "timing", "weight": 0.%03d, "examples": %d}', x % 1000, x % 40), ${TIME(memory)} FROM c`,
  );
  conn.exec(
    'CREATE TABLE IF NOT EXISTS bench_legacy_events (agent_id TEXT, happened_at TEXT, payload_json TEXT)',
  );
  const legacy = Math.round(BREADCRUMB_ROWS / 4);
  insertChunks(
    conn,
    'bench_legacy_events (no key, no index)',
    legacy,
    (from, to) =>
      `INSERT INTO bench_legacy_events ${series(from, to)} SELECT ${AGENT}, ${TIME(legacy)}, CASE WHEN x % 1000 = 0 THEN '{broken' ELSE '{"n": 1}' END FROM c`,
  );
  const chats = Math.min(500_000, Math.round(BREADCRUMB_ROWS / 10));
  insertChunks(
    conn,
    'chat_messages (through the timeline triggers)',
    chats,
    (
      from,
      to,
    ) => `INSERT INTO chat_messages (user_id, stream_id, sent_at, message, message_type) ${series(from, to)}
      SELECT printf('UC%06d', x % 4096), printf('stream_%d', x % 12), strftime('%Y-%m-%dT%H:%M:%S', 1748736000 - 7776000 + (x * 7776000 / ${chats}), 'unixepoch'), printf('message %d', x), 'chat' FROM c`,
  );
  conn.pragma('wal_checkpoint(TRUNCATE)');
  conn.close();
  console.log(`  file: ${(fs.statSync(FILE).size / 1024 ** 3).toFixed(2)} GB`);
}

// ---------------------------------------------------------------------------------------------
// Measuring

function percentile(values: number[], p: number): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(fn: () => unknown, runs = RUNS): Promise<{ p50: number; p95: number }> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const rows: string[][] = [];
function report(
  name: string,
  timing: { p50: number; p95: number },
  raw?: { p50: number; p95: number },
  note = '',
): void {
  rows.push([
    name,
    timing.p50.toFixed(1),
    timing.p95.toFixed(1),
    raw ? raw.p50.toFixed(1) : '',
    raw ? `${(timing.p50 / Math.max(raw.p50, 0.01)).toFixed(1)}×` : '',
    note,
  ]);
  console.log(
    `  ${name}: p50 ${timing.p50.toFixed(1)} ms, p95 ${timing.p95.toFixed(1)} ms${raw ? ` (raw ${raw.p50.toFixed(1)} ms)` : ''}`,
  );
}

function printTable(): void {
  const header = ['measurement', 'p50 ms', 'p95 ms', 'raw p50 ms', 'ratio', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${line(header)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  if (!fs.existsSync(FILE)) await generate();
  else console.log(`Reusing ${FILE} (delete it to regenerate).`);
  const fileBytes = fs.statSync(FILE).size;
  console.log(`File: ${(fileBytes / 1024 ** 3).toFixed(2)} GB, ${RUNS} runs per measurement (warm cache).`);
  const db: Database = await openDatabase({ dialect: 'sqlite', path: FILE }, { create: false });
  const raw = new BetterSqlite3(FILE, { readonly: true, fileMustExist: true });

  // Registry page.
  console.log('\nRegistry page');
  const registry = await getRegistry(db);
  const biggest = 'agents_breadcrumbs';
  const tables = (await listRelations(databaseSource(db))).filter((relation) => relation.kind === 'table');
  const catalogue = await measure(() => {
    raw.prepare("SELECT name, type, sql FROM sqlite_schema WHERE type IN ('table', 'view')").all();
    raw
      .prepare(
        "SELECT m.name AS tbl, p.* FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p WHERE m.type IN ('table', 'view')",
      )
      .all();
    raw
      .prepare(
        "SELECT m.name AS tbl, il.* FROM sqlite_schema m JOIN pragma_index_list(m.name) il WHERE m.type = 'table'",
      )
      .all();
    raw
      .prepare(
        "SELECT il.name, ii.* FROM sqlite_schema m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii WHERE m.type = 'table'",
      )
      .all();
  });
  const bounded = await measure(() => {
    raw
      .prepare(
        tables
          .map(
            ({ name, hasRowid }) =>
              `SELECT '${name}', (SELECT count(*) FROM (SELECT 1 FROM "${name}" LIMIT 10001)), ${hasRowid ? `(SELECT max(rowid) FROM "${name}")` : 'NULL'}`,
          )
          .join(' UNION ALL '),
      )
      .all();
  });
  const page = await measure(() => getRegistry(db));
  report(
    'registry page data (getRegistry)',
    page,
    { p50: catalogue.p50 + bounded.p50, p95: catalogue.p95 + bounded.p95 },
    `${registry.tables.length} relations; raw = catalogue + bounded counts`,
  );
  report('  raw: catalogue (schema + table_xinfo + index_list + index_info)', catalogue);
  report('  raw: bounded counts + max(rowid) of every table', bounded);
  const dbstat = await measure(
    () => raw.prepare('SELECT name, pgsize FROM dbstat WHERE aggregate = TRUE').all(),
    2,
  );
  report(
    '  avoided on page load: dbstat over the whole file',
    dbstat,
    undefined,
    'runs as a background job instead',
  );
  const fullCount = await measure(() => raw.prepare(`SELECT count(*) FROM ${biggest}`).get(), 2);
  report(
    `  avoided on page load: count(*) of ${biggest}`,
    fullCount,
    undefined,
    '"count exactly" runs it in the background',
  );

  // Table pages.
  console.log('\nTable pages');
  const target = { kind: 'main' as const, db };
  const relation = (await openRelation(target, biggest))!;
  const base: BrowserState = { page: 1, pageSize: 50, sort: null, filters: [] };
  const columns = relation.columns.map((column) => `"${column.name}"`).join(', ');
  const cases: [string, BrowserState, string][] = [
    ['first page', base, `SELECT ${columns} FROM ${biggest} ORDER BY rowid LIMIT 51`],
    [
      'page 1,000',
      { ...base, page: 1000 },
      `SELECT ${columns} FROM ${biggest} ORDER BY rowid LIMIT 51 OFFSET 49950`,
    ],
    [
      'sorted by timestamp desc (indexed)',
      { ...base, sort: { column: 'timestamp', dir: 'desc' } },
      `SELECT ${columns} FROM ${biggest} ORDER BY "timestamp" DESC, rowid DESC LIMIT 51`,
    ],
    [
      'filter agent_id = qwen (+ bounded count)',
      { ...base, filters: [{ column: 'agent_id', op: 'eq', value: 'qwen' }] },
      `SELECT ${columns} FROM ${biggest} WHERE agent_id = 'qwen' ORDER BY rowid LIMIT 51`,
    ],
  ];
  for (const [label, state, rawSql] of cases) {
    const statement = raw.prepare(rawSql);
    const rawTiming = await measure(() => statement.all());
    const timing = await measure(() => readTablePage(target, relation, state));
    report(`table page: ${label}`, timing, rawTiming, 'worker process + bounded count');
  }

  // Export.
  if (!SKIP_EXPORT) {
    console.log('\nExport (CSV, whole table, streamed)');
    const total = (raw.prepare(`SELECT max(rowid) AS n FROM ${biggest}`).get() as { n: number }).n;
    let started = performance.now();
    let rawRows = 0;
    for (const _row of raw.prepare(`SELECT ${columns} FROM ${biggest}`).raw(true).iterate()) rawRows++;
    const rawSeconds = (performance.now() - started) / 1000;
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let bytes = 0;
    let exported = 0;
    started = performance.now();
    const stream = exportTableRows(target, relation, { sort: null, filters: [] });
    const counted = (async function* () {
      for await (const batch of stream.batches) {
        exported += batch.length;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        yield batch;
      }
    })();
    for await (const chunk of csvChunks(stream.columns, counted)) bytes += Buffer.byteLength(chunk);
    const seconds = (performance.now() - started) / 1000;
    rows.push([
      `export CSV: ${exported.toLocaleString('en-US')} rows`,
      (seconds * 1000).toFixed(0),
      '',
      (rawSeconds * 1000).toFixed(0),
      `${(seconds / rawSeconds).toFixed(1)}×`,
      `${Math.round(exported / seconds).toLocaleString('en-US')} rows/s (raw iterate ${Math.round(rawRows / rawSeconds).toLocaleString('en-US')} rows/s), ${(bytes / 1024 ** 2).toFixed(0)} MB, peak RSS +${((peakRss - rssBefore) / 1024 ** 2).toFixed(0)} MB`,
    ]);
    console.log(
      `  ${exported.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s: ${Math.round(exported / seconds).toLocaleString('en-US')} rows/s, ${(bytes / 1024 ** 2 / seconds).toFixed(0)} MB/s; raw iterate ${Math.round(rawRows / rawSeconds).toLocaleString('en-US')} rows/s`,
    );
  }

  printTable();
  raw.close();
  await (db as SqliteDatabase).close();
  shutdownSqlitePool();
}

await main();
