import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { type Database, type Dialect, type SQL, quoteIdentifier, sql } from '@/db/database';
import { nowIso } from '@/lib/time/format';
import {
  type TimelineSource,
  builtInSource,
  primaryKeySql,
  readCatalogue,
  timeColumnSql,
  zoneAware,
} from '@/lib/timeline/sources';
import {
  DAY_MS,
  dateToKey,
  hasZoneOffsetSql,
  isoLikeSql,
  rawRanges,
  wallKeySql,
  zonedKeySql,
} from '@/lib/timeline/time';

// Retention for high-volume telemetry: per timeline source, rows older than N days are archived to
// compressed JSONL and then deleted. Always in two steps: a dry run (recorded, with the count and the
// archive path) and an execution of that dry run. Each batch is one short write transaction (SQLite:
// BEGIN IMMEDIATE) that selects up to BATCH rows, appends them to the archive as one gzip member and
// fsyncs it, then deletes exactly those rows — so a crash at any point leaves every deleted row in the
// archive. The rollup triggers see ordinary DELETEs, so the timeline's counts stay right.

/** Sources whose rows are telemetry: decisions, posts and the agents' own records are never expired here. */
export const RETENTION_SOURCES = [
  'heartbeats',
  'metrics',
  'errors',
  'browser',
  'chat',
  'confidence',
  'permissions',
  'coordination',
  'breadcrumbs',
] as const;
export type RetentionSourceId = (typeof RETENTION_SOURCES)[number];

export const RETENTION_BATCH_ROWS = 1000;
/** A dry run can be executed for this long; after that the operator looks again. */
export const DRY_RUN_VALID_MS = 60 * 60 * 1000;

export class RetentionError extends Error {
  override name = 'RetentionError';
}

export function isRetentionSource(id: string): id is RetentionSourceId {
  return (RETENTION_SOURCES as readonly string[]).includes(id);
}

function sourceOf(id: string): TimelineSource {
  const source = isRetentionSource(id) ? builtInSource(id) : undefined;
  if (!source)
    throw new RetentionError(
      `"${id}" is not a telemetry source retention can apply to (one of ${RETENTION_SOURCES.join(', ')}).`,
    );
  return source;
}

/** Where archives go: FOUNDUPS_ARCHIVE_DIR, or data/archives (relative to the working directory). */
export function retentionArchiveDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(
    /*turbopackIgnore: true*/ env.FOUNDUPS_ARCHIVE_DIR?.trim() || path.join('data', 'archives'),
  );
}

// ---------------------------------------------------------------------------------------------
// Policies

export interface RetentionPolicy {
  source: RetentionSourceId;
  label: string;
  table: string;
  keepDays: number;
  enabled: boolean;
  updatedBy: string;
  updatedAt: string;
}

export async function listRetentionPolicies(db: Database): Promise<RetentionPolicy[]> {
  const rows = await db.all<{
    source: string;
    keep_days: number;
    enabled: number;
    updated_by: string;
    updated_at: string;
  }>(
    sql`SELECT source, keep_days, enabled, updated_by, updated_at FROM modules_console_retention_policies ORDER BY source`,
  );
  return rows
    .filter((row) => isRetentionSource(row.source))
    .map((row) => {
      const source = sourceOf(row.source);
      return {
        source: row.source as RetentionSourceId,
        label: source.label,
        table: source.table,
        keepDays: Number(row.keep_days),
        enabled: Number(row.enabled) === 1,
        updatedBy: row.updated_by,
        updatedAt: row.updated_at,
      };
    });
}

export async function saveRetentionPolicy(
  db: Database,
  input: { source: string; keepDays: number; enabled: boolean },
  by: string,
): Promise<void> {
  sourceOf(input.source);
  if (!Number.isSafeInteger(input.keepDays) || input.keepDays < 1 || input.keepDays > 36_500)
    throw new RetentionError('Keep days must be a whole number from 1 to 36500.');
  const at = nowIso();
  await db.run(
    sql`INSERT INTO modules_console_retention_policies (source, keep_days, enabled, updated_by, updated_at) VALUES (${input.source}, ${input.keepDays}, ${input.enabled ? 1 : 0}, ${by}, ${at}) ON CONFLICT (source) DO UPDATE SET keep_days = excluded.keep_days, enabled = excluded.enabled, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
  );
}

export async function deleteRetentionPolicy(db: Database, source: string): Promise<boolean> {
  const result = await db.run(sql`DELETE FROM modules_console_retention_policies WHERE source = ${source}`);
  return result.changes > 0;
}

// ---------------------------------------------------------------------------------------------
// Which rows go

/** SQL text: the key a row is ordered and counted by on the timeline (its UTC instant where known). */
function eventKeySql(source: TimelineSource, dialect: Dialect): string {
  const time = timeColumnSql(source);
  return zoneAware(source)
    ? `(CASE WHEN ${hasZoneOffsetSql(time)} THEN ${zonedKeySql(dialect, time)} ELSE ${wallKeySql(time)} END)`
    : wallKeySql(time);
}

/**
 * The rows older than the cutoff key: date-like values only (NULL, epoch numbers and prose are never
 * deleted), narrowed by index range scans that cover a day more than the cutoff (offsets move a value
 * by less than a day), then the exact key.
 */
function expiredCondition(source: TimelineSource, dialect: Dialect, cutoffKey: string): SQL {
  const time = timeColumnSql(source);
  const widened = dateToKey(new Date(new Date(`${cutoffKey.slice(0, 10)}T00:00:00Z`).getTime() + 2 * DAY_MS));
  const ranges = rawRanges(null, widened).map((range) => {
    const parts: SQL[] = [];
    if (range.gte !== undefined) parts.push(sql`${sql.raw(time)} >= ${range.gte}`);
    if (range.lt !== undefined) parts.push(sql`${sql.raw(time)} < ${range.lt}`);
    return sql.join(parts, sql` AND `);
  });
  return sql`${sql.raw(isoLikeSql(time))} AND (${sql.join(
    ranges.map((range) => sql`(${range})`),
    sql` OR `,
  )}) AND ${sql.raw(eventKeySql(source, dialect))} < ${cutoffKey}`;
}

function compactUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

export interface RetentionPlan {
  /** The recorded dry run (modules_console_retention_runs.id). */
  runId: number;
  source: RetentionSourceId;
  table: string;
  keepDays: number;
  /** Rows whose key is before this go ('YYYY-MM-DD HH:MM:SS.ffffff', UTC). */
  cutoff: string;
  rows: number;
  archivePath: string;
  plannedAt: string;
}

/**
 * The dry run: for every enabled policy (or one source), how many rows would go and where they would
 * be archived. Recorded in the history, so the execution can refer to it.
 */
export async function planRetention(
  db: Database,
  options: { source?: string; directory?: string; now?: Date; recordedBy: string },
): Promise<RetentionPlan[]> {
  const now = options.now ?? new Date();
  const directory = options.directory ?? retentionArchiveDirectory();
  if (options.source) sourceOf(options.source);
  const catalogue = await readCatalogue(db, { fresh: true });
  const policies = (await listRetentionPolicies(db)).filter(
    (policy) => policy.enabled && (!options.source || policy.source === options.source),
  );
  const plans: RetentionPlan[] = [];
  for (const policy of policies) {
    const source = sourceOf(policy.source);
    if (!catalogue.tables.has(source.table)) continue;
    const cutoff = dateToKey(new Date(now.getTime() - policy.keepDays * DAY_MS));
    const counted = await db.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM ${sql.raw(quoteIdentifier(source.table))} WHERE ${expiredCondition(source, db.dialect, cutoff)}`,
    );
    const rows = Number(counted?.n ?? 0);
    const archivePath = path.join(
      directory,
      `${policy.source}-${source.table}-before-${compactUtc(new Date(`${cutoff.slice(0, 19).replace(' ', 'T')}Z`))}-${compactUtc(now)}.jsonl.gz`,
    );
    const plannedAt = nowIso(now);
    const inserted = await db.run<{ id: number }>(
      sql`INSERT INTO modules_console_retention_runs (source, table_name, mode, status, keep_days, cutoff, rows_matched, archive_path, started_by, started_at, finished_at) VALUES (${policy.source}, ${source.table}, 'dry-run', 'done', ${policy.keepDays}, ${cutoff}, ${rows}, ${archivePath}, ${options.recordedBy}, ${plannedAt}, ${plannedAt}) RETURNING id`,
    );
    plans.push({
      runId: Number(inserted.rows[0]!.id),
      source: policy.source,
      table: source.table,
      keepDays: policy.keepDays,
      cutoff,
      rows,
      archivePath,
      plannedAt,
    });
  }
  return plans;
}

/** A recorded dry run, to execute (the screen posts its id). */
export async function loadPlan(db: Database, runId: number, now = new Date()): Promise<RetentionPlan> {
  const row = await db.get<{
    id: number;
    source: string;
    table_name: string;
    mode: string;
    keep_days: number;
    cutoff: string;
    rows_matched: number;
    archive_path: string;
    started_at: string;
  }>(
    sql`SELECT id, source, table_name, mode, keep_days, cutoff, rows_matched, archive_path, started_at FROM modules_console_retention_runs WHERE id = ${runId}`,
  );
  if (!row || row.mode !== 'dry-run') throw new RetentionError('That dry run does not exist; run a new one.');
  if (now.getTime() - new Date(row.started_at).getTime() > DRY_RUN_VALID_MS)
    throw new RetentionError(
      'That dry run is more than an hour old; run a new one to see what would go now.',
    );
  const executed = await db.get(
    sql`SELECT id FROM modules_console_retention_runs WHERE mode = 'execute' AND archive_path = ${row.archive_path}`,
  );
  if (executed) throw new RetentionError('That dry run was already executed; run a new one.');
  return {
    runId: Number(row.id),
    source: sourceOf(row.source).id as RetentionSourceId,
    table: row.table_name,
    keepDays: Number(row.keep_days),
    cutoff: row.cutoff,
    rows: Number(row.rows_matched),
    archivePath: row.archive_path,
    plannedAt: row.started_at,
  };
}

export interface RetentionResult {
  runId: number;
  rowsDeleted: number;
  archivePath: string;
  archiveBytes: number;
  archiveSha256: string;
  durationMs: number;
}

function jsonValue(value: unknown): unknown {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array)
    return { $base64: Buffer.from(value).toString('base64') };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Executes a dry run: archives then deletes, batch by batch, the rows that are still before its
 * cutoff. Recorded in the history (who, when, rows, archive, sha256), failed runs included.
 */
export async function executeRetention(
  db: Database,
  plan: RetentionPlan,
  options: { startedBy: string; batchRows?: number; onProgress?: (rowsDone: number) => void },
): Promise<RetentionResult> {
  const source = sourceOf(plan.source);
  const batchRows = options.batchRows ?? RETENTION_BATCH_ROWS;
  const table = sql.raw(quoteIdentifier(source.table));
  const pk = sql.raw(primaryKeySql(source));
  const condition = expiredCondition(source, db.dialect, plan.cutoff);
  if (fs.existsSync(plan.archivePath))
    throw new RetentionError(`The archive ${plan.archivePath} already exists; run a new dry run.`);
  fs.mkdirSync(path.dirname(plan.archivePath), { recursive: true });
  const started = performance.now();
  const inserted = await db.run<{ id: number }>(
    sql`INSERT INTO modules_console_retention_runs (source, table_name, mode, status, keep_days, cutoff, rows_matched, archive_path, started_by, started_at) VALUES (${plan.source}, ${plan.table}, 'execute', 'running', ${plan.keepDays}, ${plan.cutoff}, ${plan.rows}, ${plan.archivePath}, ${options.startedBy}, ${nowIso()}) RETURNING id`,
  );
  const runId = Number(inserted.rows[0]!.id);
  const fd = fs.openSync(plan.archivePath, 'wx');
  let deleted = 0;
  let after: unknown = null;
  try {
    for (;;) {
      let batch: Record<string, unknown>[] = [];
      const results = await db.transaction([
        after === null
          ? sql`SELECT * FROM ${table} WHERE ${condition} ORDER BY ${pk} LIMIT ${batchRows}`
          : sql`SELECT * FROM ${table} WHERE ${pk} > ${after} AND ${condition} ORDER BY ${pk} LIMIT ${batchRows}`,
        (previous) => {
          batch = previous[0]!.rows;
          if (batch.length === 0) return null;
          // Written and synced before the DELETE runs, inside the same short transaction.
          const lines = batch
            .map((row) => JSON.stringify(row, (_key, value: unknown) => jsonValue(value)))
            .join('\n');
          fs.writeSync(fd, zlib.gzipSync(`${lines}\n`));
          fs.fsyncSync(fd);
          const keys = batch.map((row) => row[source.primaryKey.column]);
          return sql`DELETE FROM ${table} WHERE ${pk} IN (${sql.join(
            keys.map((key) => sql`${key}`),
            sql`, `,
          )})`;
        },
      ]);
      if (batch.length === 0) break;
      deleted += results[1]!.changes;
      after = batch.at(-1)![source.primaryKey.column];
      options.onProgress?.(deleted);
      await db.run(
        sql`UPDATE modules_console_retention_runs SET rows_deleted = ${deleted} WHERE id = ${runId}`,
      );
      if (batch.length < batchRows) break;
    }
    fs.closeSync(fd);
    const archiveBytes = fs.statSync(plan.archivePath).size;
    const archiveSha256 = await sha256File(plan.archivePath);
    await db.run(
      sql`UPDATE modules_console_retention_runs SET status = 'done', rows_deleted = ${deleted}, archive_bytes = ${archiveBytes}, archive_sha256 = ${archiveSha256}, finished_at = ${nowIso()} WHERE id = ${runId}`,
    );
    return {
      runId,
      rowsDeleted: deleted,
      archivePath: plan.archivePath,
      archiveBytes,
      archiveSha256,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    const bytes = fs.existsSync(plan.archivePath) ? fs.statSync(plan.archivePath).size : null;
    const hash = bytes ? await sha256File(plan.archivePath) : null;
    await db
      .run(
        sql`UPDATE modules_console_retention_runs SET status = 'failed', rows_deleted = ${deleted}, archive_bytes = ${bytes}, archive_sha256 = ${hash}, error = ${(error as Error).message}, finished_at = ${nowIso()} WHERE id = ${runId}`,
      )
      .catch(() => undefined);
    throw error;
  }
}

export interface RetentionRunRow {
  id: number;
  source: string;
  tableName: string;
  mode: 'dry-run' | 'execute';
  status: 'running' | 'done' | 'failed';
  keepDays: number;
  cutoff: string;
  rowsMatched: number | null;
  rowsDeleted: number;
  archivePath: string | null;
  archiveBytes: number | null;
  archiveSha256: string | null;
  error: string | null;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
}

export async function listRetentionRuns(db: Database, limit = 50): Promise<RetentionRunRow[]> {
  const rows = await db.all<Record<string, unknown>>(
    sql`SELECT id, source, table_name, mode, status, keep_days, cutoff, rows_matched, rows_deleted, archive_path, archive_bytes, archive_sha256, error, started_by, started_at, finished_at FROM modules_console_retention_runs ORDER BY id DESC LIMIT ${limit}`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    source: String(row.source),
    tableName: String(row.table_name),
    mode: row.mode as RetentionRunRow['mode'],
    status: row.status as RetentionRunRow['status'],
    keepDays: Number(row.keep_days),
    cutoff: String(row.cutoff),
    rowsMatched: row.rows_matched === null ? null : Number(row.rows_matched),
    rowsDeleted: Number(row.rows_deleted),
    archivePath: (row.archive_path as string | null) ?? null,
    archiveBytes: row.archive_bytes === null ? null : Number(row.archive_bytes),
    archiveSha256: (row.archive_sha256 as string | null) ?? null,
    error: (row.error as string | null) ?? null,
    startedBy: String(row.started_by),
    startedAt: String(row.started_at),
    finishedAt: (row.finished_at as string | null) ?? null,
  }));
}
