import { type SQL, sql } from 'drizzle-orm';
import { type Database, renderQuery } from '@/db/database';
import type { SqliteDatabase } from '@/db/drivers/sqlite';
import { nowIso } from '@/lib/time/format';
import { type SqliteTarget, getSqlitePool } from '@/lib/sql-console/sqlite-process';
import { type RelationInfo, catalogueIdentifier, workerSource } from './catalogue';
import type { JsonCheckColumn } from './compliance';
import { type JobKind, type StartJobResult, startJob } from './jobs';
import { sqliteSizes } from './sizes';

/**
 * The registry's on-demand work: exact counts and size measurement (background jobs whose results are
 * stored with their time), the bounded JSON check, and the admin's integrity check, ANALYZE and WAL
 * checkpoint. On SQLite every one of them runs in a worker process of its own, so a count of a
 * billion rows or an integrity check of a multi-GB file never holds the server.
 */

/** Long jobs may take this long before their worker is killed. */
export const LONG_JOB_TIME_LIMIT_MS = 6 * 60 * 60 * 1000;
/** The JSON check reads at most this many non-NULL values per column. */
export const JSON_CHECK_LIMIT = 100_000;
export const JSON_CHECK_TIME_LIMIT_MS = 30_000;

function mainTarget(db: Database): SqliteTarget {
  return { kind: 'main', file: (db as SqliteDatabase).file };
}

/** Rows of one statement on the main file, in a worker: its own process for long jobs, the pool's for bounded ones. */
async function sqliteValue(
  db: Database,
  query: SQL,
  timeoutMs: number,
  dedicated = true,
): Promise<unknown[][]> {
  const rendered = renderQuery('sqlite', query);
  const [result] = await getSqlitePool().query(
    mainTarget(db),
    [{ sql: rendered.sql, params: rendered.params }],
    { timeoutMs, dedicated },
  );
  return result?.rows ?? [];
}

export async function exactCount(
  db: Database,
  relation: RelationInfo,
): Promise<{ rows: number; ms: number }> {
  const started = performance.now();
  const query = sql`SELECT count(*) AS n FROM ${catalogueIdentifier(relation.name)}`;
  const rows =
    db.dialect === 'sqlite'
      ? Number((await sqliteValue(db, query, LONG_JOB_TIME_LIMIT_MS))[0]?.[0] ?? 0)
      : Number((await db.get<{ n: number }>(query))?.n ?? 0);
  return { rows, ms: Math.round(performance.now() - started) };
}

/** Starts a background exact count of one table; the result lands in modules_console_table_stats. */
export function startExactCount(
  db: Database,
  relation: RelationInfo,
  startedBy: string,
): Promise<StartJobResult> {
  return startJob(db, { kind: 'count', target: relation.name, startedBy }, async () => {
    const { rows, ms } = await exactCount(db, relation);
    await db.run(
      sql`INSERT INTO modules_console_table_stats (table_name, exact_rows, counted_at, count_ms) VALUES (${relation.name}, ${rows}, ${nowIso()}, ${ms})
          ON CONFLICT (table_name) DO UPDATE SET exact_rows = excluded.exact_rows, counted_at = excluded.counted_at, count_ms = excluded.count_ms`,
    );
    return {
      result: { rows, ms },
      message: `${relation.name}: ${rows.toLocaleString('en-US')} rows, counted in ${(ms / 1000).toFixed(1)} s.`,
    };
  });
}

/** SQLite: measures every table's size with dbstat in a worker and stores it (PostgreSQL sizes are live). */
export function startSizeMeasurement(db: Database, startedBy: string): Promise<StartJobResult> {
  return startJob(db, { kind: 'sizes', startedBy }, async () => {
    if (db.dialect !== 'sqlite') return { message: 'PostgreSQL reports sizes live; nothing to measure.' };
    const started = performance.now();
    const sizes = await sqliteSizes(workerSource(getSqlitePool(), mainTarget(db), LONG_JOB_TIME_LIMIT_MS));
    const at = nowIso();
    await db.transaction(
      [...sizes].map(
        ([table, size]) =>
          sql`INSERT INTO modules_console_table_stats (table_name, total_bytes, index_bytes, sized_at) VALUES (${table}, ${size.totalBytes}, ${size.indexBytes}, ${at})
              ON CONFLICT (table_name) DO UPDATE SET total_bytes = excluded.total_bytes, index_bytes = excluded.index_bytes, sized_at = excluded.sized_at`,
      ),
    );
    const ms = Math.round(performance.now() - started);
    return {
      result: { tables: sizes.size, ms },
      message: `Measured ${sizes.size} tables and indexes in ${(ms / 1000).toFixed(1)} s.`,
    };
  });
}

export type MaintenanceKind = Extract<JobKind, 'quick_check' | 'integrity_check' | 'analyze' | 'checkpoint'>;

export const MAINTENANCE_LABELS: Record<MaintenanceKind, string> = {
  quick_check: 'Quick check',
  integrity_check: 'Integrity check',
  analyze: 'ANALYZE',
  checkpoint: 'WAL checkpoint (TRUNCATE)',
};

/** Which maintenance the engine supports (PostgreSQL has no integrity pragma, and CHECKPOINT needs a superuser). */
export function maintenanceKinds(dialect: Database['dialect']): MaintenanceKind[] {
  return dialect === 'sqlite' ? ['quick_check', 'integrity_check', 'analyze', 'checkpoint'] : ['analyze'];
}

export interface IntegrityResult {
  ok: boolean;
  messages: string[];
  ms: number;
}

export async function startMaintenance(
  db: Database,
  kind: MaintenanceKind,
  startedBy: string,
): Promise<StartJobResult> {
  if (!maintenanceKinds(db.dialect).includes(kind))
    throw new Error(
      `${MAINTENANCE_LABELS[kind]} is not available on ${db.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}.`,
    );
  return startJob(db, { kind, startedBy }, async () => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    if (kind === 'quick_check' || kind === 'integrity_check') {
      // At most 100 problems are listed; "ok" alone means the file is sound.
      const rows = await sqliteValue(db, sql.raw(`PRAGMA ${kind}(100)`), LONG_JOB_TIME_LIMIT_MS);
      const messages = rows.map((row) => String(row[0]));
      const ok = messages.length === 1 && messages[0] === 'ok';
      const result: IntegrityResult = { ok, messages: ok ? [] : messages, ms: elapsed() };
      return {
        result,
        message: ok
          ? `${MAINTENANCE_LABELS[kind]}: ok.`
          : `${MAINTENANCE_LABELS[kind]} found ${messages.length} problem(s).`,
      };
    }
    if (kind === 'analyze') {
      if (db.dialect === 'postgres') {
        await db.run(sql`ANALYZE`);
        return {
          result: { ms: elapsed() },
          message: `ANALYZE finished in ${(elapsed() / 1000).toFixed(1)} s.`,
        };
      }
      const result = await getSqlitePool().call<{ ms: number }>(
        { op: 'maintain', file: mainTarget(db).file, action: 'analyze' },
        { timeoutMs: LONG_JOB_TIME_LIMIT_MS, dedicated: true },
      );
      return {
        result,
        message: `ANALYZE (sampled, analysis_limit=1000) finished in ${(result.ms / 1000).toFixed(1)} s; row estimates are refreshed.`,
      };
    }
    const result = await getSqlitePool().call<{ busy: number; log: number; checkpointed: number }>(
      { op: 'maintain', file: mainTarget(db).file, action: 'checkpoint' },
      { timeoutMs: LONG_JOB_TIME_LIMIT_MS, dedicated: true },
    );
    return {
      result,
      message: result.busy
        ? `Checkpoint could not finish: a reader or writer kept the WAL busy (${result.checkpointed} of ${result.log} frames copied).`
        : `Checkpoint done: ${result.checkpointed} WAL frames copied and the WAL truncated.`,
    };
  });
}

/**
 * Reads at most JSON_CHECK_LIMIT non-NULL values of each JSON column and counts those that are not
 * valid JSON (SQLite json_valid; PostgreSQL modules_console_json_valid, a cast in an exception block),
 * with up to three examples; stores the report with its time.
 */
export async function checkJsonColumns(
  db: Database,
  relation: RelationInfo,
  columns: readonly string[],
): Promise<JsonCheckColumn[]> {
  const report: JsonCheckColumn[] = [];
  const table = catalogueIdentifier(relation.name);
  for (const column of columns) {
    const col = catalogueIdentifier(column);
    const sample = sql`SELECT ${col} AS v FROM ${table} WHERE ${col} IS NOT NULL LIMIT ${JSON_CHECK_LIMIT}`;
    if (db.dialect === 'sqlite') {
      const counts = await sqliteValue(
        db,
        sql`SELECT count(*), coalesce(sum(json_valid(v) = 0), 0) FROM (${sample}) AS s`,
        JSON_CHECK_TIME_LIMIT_MS,
        false,
      );
      const examples = await sqliteValue(
        db,
        sql`SELECT substr(CAST(v AS TEXT), 1, 120) FROM (${sample}) AS s WHERE json_valid(v) = 0 LIMIT 3`,
        JSON_CHECK_TIME_LIMIT_MS,
        false,
      );
      report.push({
        column,
        checked: Number(counts[0]?.[0] ?? 0),
        invalid: Number(counts[0]?.[1] ?? 0),
        examples: examples.map((row) => String(row[0])),
      });
    } else {
      const results = await db.transaction([
        sql`SET TRANSACTION READ ONLY`,
        sql.raw(`SET LOCAL statement_timeout = ${JSON_CHECK_TIME_LIMIT_MS}`),
        sql`SELECT count(*) AS checked, count(*) FILTER (WHERE NOT modules_console_json_valid(CAST(v AS TEXT))) AS invalid FROM (${sample}) AS s`,
        sql`SELECT substr(CAST(v AS TEXT), 1, 120) AS example FROM (${sample}) AS s WHERE NOT modules_console_json_valid(CAST(v AS TEXT)) LIMIT 3`,
      ]);
      const counts = results[2]?.rows[0] as { checked: number; invalid: number } | undefined;
      report.push({
        column,
        checked: Number(counts?.checked ?? 0),
        invalid: Number(counts?.invalid ?? 0),
        examples: ((results[3]?.rows ?? []) as { example: string }[]).map((row) => row.example),
      });
    }
  }
  await db.run(
    sql`INSERT INTO modules_console_table_stats (table_name, json_report, json_checked_at) VALUES (${relation.name}, ${JSON.stringify(report)}, ${nowIso()})
        ON CONFLICT (table_name) DO UPDATE SET json_report = excluded.json_report, json_checked_at = excluded.json_checked_at`,
  );
  return report;
}
