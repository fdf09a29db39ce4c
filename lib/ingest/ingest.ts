import fsp, { type FileHandle } from 'node:fs/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Database, sql } from '@/db/database';
import { nowIso } from '@/lib/time/format';
import { refreshRollups } from '@/lib/timeline/rollups';
import {
  DOMAIN_TABLES,
  DomainEvidence,
  type IngestDomain,
  type KnownDomain,
  REJECT_CODES,
  type RejectCode,
  type TargetTable,
  decideDomain,
  mapperFor,
  parseRecord,
} from './domains';
import {
  DEFAULT_LINE_HASH,
  DEFAULT_MAX_LINE_BYTES,
  type RawLine,
  contentHash,
  hashFileRange,
  lineHasher,
  readLineBatches,
} from './reader';
import { walkRoots } from './walk';
import {
  type BatchTimingSummary,
  type BatchWrite,
  type BatchWriter,
  FILES_TABLE,
  LINES_TABLE,
  REJECTS_TABLE,
  RUNS_TABLE,
  type RejectToWrite,
  type RowToWrite,
  type RunCounters,
  createBatchWriter,
} from './writers';

// The ingest engine: streams each JSONL file from its checkpoint, maps every complete line to its
// domain's table (or quarantines it with a reason), and commits in batches — rows, ledger, rejects,
// checkpoint and run counters in one transaction each. Source files are opened read-only and never
// changed. Re-running inserts only lines past the checkpoint; a file rewritten or truncated in place
// is detected (size, first 4 KB, last committed line) and reported instead of being ingested twice.

export const DEFAULT_BATCH_LINES = 5000;
/**
 * Without --batch, batches adapt so that each write transaction holds the lock for about this long:
 * on a busy machine a 5,000-line batch can take several hundred milliseconds, and agents wait on
 * the lock meanwhile. The size shrinks (to MIN_ADAPTIVE_BATCH_LINES at least) or grows back (to
 * DEFAULT_BATCH_LINES at most) from the last transactions' durations.
 */
export const TARGET_BATCH_MS = 100;
const MIN_ADAPTIVE_BATCH_LINES = 250;
/** Bytes of a file's start fingerprinted to recognise it on later runs. */
export const HEAD_BYTES = 4096;
/** Bytes read from a new file's start to decide its domain. */
const SAMPLE_BYTES = 1024 * 1024;
const SAMPLE_LINES = 2000;
/** A batch is also cut at this many bytes, so huge lines do not pile up in memory. */
const BATCH_MAX_BYTES = 32 * 1024 * 1024;
/** A 'running' run without a heartbeat for this long (and not provably alive) was interrupted. */
export const STALE_RUN_MS = 15 * 60_000;

export interface IngestProgress {
  runId: number;
  filesTotal: number;
  filesDone: number;
  currentFile: string | null;
  bytesTotal: number;
  bytesDone: number;
  linesDone: number;
  inserted: number;
  rejected: number;
  /** Lines per second since the run started. */
  linesPerSecond: number;
  etaSeconds: number | null;
  elapsedMs: number;
}

export interface IngestOptions {
  /** JSONL files and/or folders (searched for *.jsonl as the audit does). */
  paths: readonly string[];
  /** Folder that relative paths of files given one by one are taken from (default: the working directory). */
  root?: string;
  /** Force this domain instead of detecting it (needed for files the detection calls unknown). */
  domain?: KnownDomain;
  batchLines?: number;
  /** The writers are stopped: take an unterminated last line as complete instead of leaving it pending. */
  finalize?: boolean;
  /** Ingest a file found rewritten or truncated in place as a new generation (its earlier rows stay). */
  acceptRewrite?: boolean;
  maxLineBytes?: number;
  chunkBytes?: number;
  /** Called after each committed batch; a returned promise is awaited before the next batch. */
  onProgress?: (progress: IngestProgress) => void | Promise<void>;
  /** Stops after the batch being written (the run is then 'interrupted'). */
  signal?: AbortSignal;
}

export type FileIngestStatus = 'ingested' | 'up_to_date' | 'changed' | 'skipped' | 'failed' | 'interrupted';

export interface FileIngestReport {
  path: string;
  relativePath: string;
  status: FileIngestStatus;
  message: string | null;
  fileId: number | null;
  generation: number | null;
  domain: IngestDomain | null;
  targetTable: TargetTable | null;
  domainReason: string | null;
  sizeAtStart: number;
  startOffset: number;
  committedOffset: number;
  /** Lines of the file up to where this run stopped: those accounted before it plus those it read. */
  linesRead: number;
  /** Lines read by this run (from the checkpoint on). */
  linesScanned: number;
  bytesScanned: number;
  inserted: number;
  /** Lines already accounted for (inserted, quarantined or blank) by earlier runs. */
  alreadyPresent: number;
  rejected: number;
  rejectsByReason: Partial<Record<RejectCode, number>>;
  blank: number;
  /** 1 when the last line has no newline yet: left for the next run, neither inserted nor rejected. */
  pendingPartial: number;
  pendingBytes: number;
  bomLines: number;
  crlfLines: number;
  /** linesRead = alreadyPresent + inserted + rejected + blank + pendingPartial. */
  reconciled: boolean;
  /** The database's own count agrees: ledger rows + rejects + blank lines = lines committed. */
  databaseCheck: {
    ledgerRows: number;
    rejectRows: number;
    blank: number;
    linesCommitted: number;
    ok: boolean;
  } | null;
}

export type IngestRunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

export interface IngestRunReport {
  runId: number;
  status: Exclude<IngestRunStatus, 'running'>;
  startedBy: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  totals: RunCounters & { changed: number; failed: number; skipped: number };
  files: FileIngestReport[];
  /** Duration of the batch write transactions (the time the write lock was held per batch). */
  batchTimings: BatchTimingSummary;
  error: string | null;
}

/** A problem with what was asked (bad path, bad option), as opposed to a failure while ingesting. */
export class IngestUsageError extends Error {
  override name = 'IngestUsageError';
}

interface FileRow {
  id: number;
  path: string;
  relative_path: string;
  generation: number;
  domain: string;
  target_table: string;
  domain_reason: string;
  state: string;
  state_detail: string | null;
  size: number;
  mtime_ms: number;
  dev: string;
  inode: string;
  head_len: number;
  head_hash: string;
  tail_hash: string | null;
  /** How this file's ledger entries fingerprint lines (see LINE_HASHES). */
  line_hash: string;
  committed_offset: number;
  lines_committed: number;
  inserted: number;
  rejected: number;
  blank: number;
}

const NUMERIC_FILE_FIELDS = [
  'id',
  'generation',
  'size',
  'mtime_ms',
  'head_len',
  'committed_offset',
  'lines_committed',
  'inserted',
  'rejected',
  'blank',
] as const;

function toFileRow(row: Record<string, unknown>): FileRow {
  const out = { ...row } as Record<string, unknown>;
  for (const key of NUMERIC_FILE_FIELDS) out[key] = Number(row[key]);
  return out as unknown as FileRow;
}

async function currentFileRow(db: Database, filePath: string): Promise<FileRow | undefined> {
  const row = await db.get<Record<string, unknown>>(
    sql`SELECT * FROM ${sql.raw(FILES_TABLE)} WHERE path = ${filePath} ORDER BY generation DESC LIMIT 1`,
  );
  return row ? toFileRow(row) : undefined;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Marks runs left 'running' by a process that is gone (killed, crashed) as interrupted. Their
 * committed batches stay; the next run resumes after them.
 */
export async function markStaleRuns(db: Database, now: Date = new Date()): Promise<number> {
  const running = await db.allPrimary<{ id: number; host: string; pid: number; heartbeat_at: string }>(
    sql`SELECT id, host, pid, heartbeat_at FROM ${sql.raw(RUNS_TABLE)} WHERE status = 'running'`,
  );
  let marked = 0;
  for (const run of running) {
    const silentFor = now.getTime() - Date.parse(run.heartbeat_at);
    // On this host a vanished pid is proof; anywhere, a run silent for this long is gone (or its pid was reused).
    const dead = (run.host === os.hostname() && !processAlive(Number(run.pid))) || silentFor > STALE_RUN_MS;
    if (!dead) continue;
    const result = await db.run(
      sql`UPDATE ${sql.raw(RUNS_TABLE)} SET status = 'interrupted', finished_at = ${nowIso(now)}, error = COALESCE(error, ${'The process running it stopped (killed or crashed) before it finished. Its committed batches are kept; the next run resumes after them.'}) WHERE id = ${Number(run.id)} AND status = 'running'`,
    );
    marked += result.changes;
  }
  return marked;
}

/** Records a new run (status running) and returns its id; runIngest then does the work. */
export async function startIngestRun(
  db: Database,
  startedBy: string,
  options: Pick<IngestOptions, 'paths' | 'domain' | 'batchLines' | 'finalize' | 'acceptRewrite'>,
): Promise<number> {
  await markStaleRuns(db);
  const now = nowIso();
  const optionsJson = JSON.stringify({
    paths: options.paths,
    domain: options.domain ?? null,
    batchLines: options.batchLines ?? 'auto',
    finalize: options.finalize ?? false,
    acceptRewrite: options.acceptRewrite ?? false,
  });
  const result = await db.run<{ id: number }>(
    sql`INSERT INTO ${sql.raw(RUNS_TABLE)} (started_by, started_at, heartbeat_at, status, host, pid, options_json) VALUES (${startedBy}, ${now}, ${now}, 'running', ${os.hostname()}, ${process.pid}, ${optionsJson}) RETURNING id`,
  );
  return Number(result.rows[0]!.id);
}

/** Starts a run and ingests: the one call the CLI makes. */
export async function ingestJsonl(
  db: Database,
  startedBy: string,
  options: IngestOptions,
): Promise<IngestRunReport> {
  validateOptions(options);
  const runId = await startIngestRun(db, startedBy, options);
  return runIngest(db, runId, options);
}

function validateOptions(options: IngestOptions): void {
  if (options.paths.length === 0)
    throw new IngestUsageError('Name at least one JSONL file or folder to ingest.');
  if (options.domain && !(options.domain in DOMAIN_TABLES))
    throw new IngestUsageError(`Unknown domain "${String(options.domain)}".`);
  const batch = options.batchLines ?? DEFAULT_BATCH_LINES;
  if (!Number.isSafeInteger(batch) || batch < 1 || batch > 1_000_000)
    throw new IngestUsageError('The batch size must be between 1 and 1,000,000 lines.');
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isSafeInteger(maxLine) || maxLine < 1024)
    throw new IngestUsageError('The line length limit must be at least 1024 bytes.');
}

interface Target {
  path: string;
  relativePath: string;
}

/** The files a list of paths names: folders are walked like the audit walks them. */
export function resolveIngestTargets(paths: readonly string[], root: string = process.cwd()): Target[] {
  const targets = new Map<string, Target>();
  for (const given of paths) {
    const absolute = path.resolve(given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new IngestUsageError(`${given}: no such file or folder.`);
    }
    if (stat.isDirectory()) {
      for (const file of walkRoots([absolute]).jsonl) {
        const real = fs.realpathSync(file);
        if (!targets.has(real))
          targets.set(real, { path: real, relativePath: toPosix(path.relative(absolute, file)) });
      }
    } else if (stat.isFile()) {
      const real = fs.realpathSync(absolute);
      const base = path.resolve(/*turbopackIgnore: true*/ root);
      const relative = path.relative(base, absolute);
      const inside = relative && !relative.startsWith('..') && !path.isAbsolute(relative);
      if (!targets.has(real))
        targets.set(real, { path: real, relativePath: toPosix(inside ? relative : path.basename(absolute)) });
    } else {
      throw new IngestUsageError(`${given}: not a file or folder.`);
    }
  }
  return [...targets.values()];
}

const toPosix = (p: string) => p.split(path.sep).join('/');

function emptyCounters(): RunCounters {
  return {
    files: 0,
    linesRead: 0,
    inserted: 0,
    alreadyPresent: 0,
    rejected: 0,
    blank: 0,
    pendingPartial: 0,
    bytesRead: 0,
  };
}

interface RunContext {
  db: Database;
  runId: number;
  writer: BatchWriter;
  options: IngestOptions;
  /** Lines per batch now; adapted after each commit unless the caller fixed it. */
  batchLines: number;
  adaptiveBatches: boolean;
  maxLineBytes: number;
  totals: RunCounters;
  startedMs: number;
  bytesTotal: number;
  bytesDone: number;
  filesTotal: number;
  filesDone: number;
  currentFile: string | null;
}

function progressOf(ctx: RunContext): IngestProgress {
  const elapsedMs = Math.max(1, Date.now() - ctx.startedMs);
  const linesDone = ctx.totals.linesRead - ctx.totals.alreadyPresent;
  const bytesPerMs = ctx.bytesDone / elapsedMs;
  const remaining = Math.max(0, ctx.bytesTotal - ctx.bytesDone);
  return {
    runId: ctx.runId,
    filesTotal: ctx.filesTotal,
    filesDone: ctx.filesDone,
    currentFile: ctx.currentFile,
    bytesTotal: ctx.bytesTotal,
    bytesDone: ctx.bytesDone,
    linesDone,
    inserted: ctx.totals.inserted,
    rejected: ctx.totals.rejected,
    linesPerSecond: Math.round((linesDone * 1000) / elapsedMs),
    etaSeconds: bytesPerMs > 0 ? Math.round(remaining / bytesPerMs / 1000) : null,
    elapsedMs,
  };
}

/** Does the work of a run created by startIngestRun, and records its outcome. */
export async function runIngest(
  db: Database,
  runId: number,
  options: IngestOptions,
): Promise<IngestRunReport> {
  validateOptions(options);
  const run = await db.get<{ started_by: string; started_at: string }>(
    sql`SELECT started_by, started_at FROM ${sql.raw(RUNS_TABLE)} WHERE id = ${runId}`,
  );
  if (!run) throw new IngestUsageError(`No ingest run ${runId}.`);
  const ctx: RunContext = {
    db,
    runId,
    writer: createBatchWriter(db),
    options,
    batchLines: options.batchLines ?? DEFAULT_BATCH_LINES,
    adaptiveBatches: options.batchLines === undefined,
    maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    totals: emptyCounters(),
    startedMs: Date.now(),
    bytesTotal: 0,
    bytesDone: 0,
    filesTotal: 0,
    filesDone: 0,
    currentFile: null,
  };
  const files: FileIngestReport[] = [];
  let status: IngestRunReport['status'] = 'succeeded';
  let error: string | null = null;
  let thrown: unknown;
  try {
    const targets = resolveIngestTargets(options.paths, options.root);
    ctx.filesTotal = targets.length;
    ctx.totals.files = targets.length;
    // Bytes still to read, for the ETA: each file's size minus its checkpoint.
    const checkpoints = new Map(
      (
        await db.all<{ path: string; committed_offset: number }>(
          sql`SELECT path, committed_offset FROM ${sql.raw(FILES_TABLE)} WHERE state <> 'superseded'`,
        )
      ).map((row) => [row.path, Number(row.committed_offset)] as const),
    );
    for (const target of targets) {
      try {
        ctx.bytesTotal += Math.max(0, fs.statSync(target.path).size - (checkpoints.get(target.path) ?? 0));
      } catch {
        // Reported when the file is opened.
      }
    }
    for (const target of targets) {
      if (options.signal?.aborted) {
        status = 'interrupted';
        break;
      }
      ctx.currentFile = target.path;
      const report = await ingestFile(ctx, target);
      files.push(report);
      ctx.filesDone += 1;
      if (report.status === 'interrupted') {
        status = 'interrupted';
        break;
      }
    }
    const failed = files.filter((file) => file.status === 'failed');
    if (status === 'succeeded' && failed.length > 0) {
      status = 'failed';
      error = `${failed.length} of ${targets.length} files failed: ${failed.map((file) => `${file.relativePath}: ${file.message}`).join('; ')}`;
    }
    if (status === 'interrupted')
      error = 'Stopped on request after the last committed batch; run again to continue.';
  } catch (caught) {
    status = 'failed';
    error = (caught as Error).message;
    thrown = caught;
  }
  ctx.writer.close();
  const finishedAt = nowIso();
  const totals = {
    ...ctx.totals,
    files: files.length,
    changed: files.filter((file) => file.status === 'changed').length,
    failed: files.filter((file) => file.status === 'failed').length,
    skipped: files.filter((file) => file.status === 'skipped').length,
  };
  const report: IngestRunReport = {
    runId,
    status,
    startedBy: run.started_by,
    startedAt: run.started_at,
    finishedAt,
    durationMs: Date.now() - ctx.startedMs,
    totals,
    files,
    batchTimings: ctx.writer.timings.summary(),
    error,
  };
  ctx.currentFile = null;
  await db.run(
    sql`UPDATE ${sql.raw(RUNS_TABLE)} SET status = ${status}, finished_at = ${finishedAt}, heartbeat_at = ${finishedAt}, files = ${totals.files}, lines_read = ${totals.linesRead}, inserted = ${totals.inserted}, already_present = ${totals.alreadyPresent}, rejected = ${totals.rejected}, blank = ${totals.blank}, pending_partial = ${totals.pendingPartial}, bytes_read = ${totals.bytesRead}, progress_json = ${JSON.stringify(progressOf(ctx))}, report_json = ${JSON.stringify(report)}, error = ${error} WHERE id = ${runId}`,
  );
  // Fold the committed rows into the timeline rollups (on SQLite inserts fire no rollup work).
  await refreshRollups(db).catch((e: unknown) =>
    console.error(`Ingest run ${runId}: refreshing timeline rollups failed: ${(e as Error).message}`),
  );
  if (thrown) throw thrown;
  return report;
}

function newReport(target: Target): FileIngestReport {
  return {
    path: target.path,
    relativePath: target.relativePath,
    status: 'ingested',
    message: null,
    fileId: null,
    generation: null,
    domain: null,
    targetTable: null,
    domainReason: null,
    sizeAtStart: 0,
    startOffset: 0,
    committedOffset: 0,
    linesRead: 0,
    linesScanned: 0,
    bytesScanned: 0,
    inserted: 0,
    alreadyPresent: 0,
    rejected: 0,
    rejectsByReason: {},
    blank: 0,
    pendingPartial: 0,
    pendingBytes: 0,
    bomLines: 0,
    crlfLines: 0,
    reconciled: true,
    databaseCheck: null,
  };
}

/** Decides a new file's domain from its first lines. */
async function sampleDomain(handle: FileHandle, relativePath: string, size: number, maxLineBytes: number) {
  const evidence = new DomainEvidence();
  let lines = 0;
  outer: for await (const batch of readLineBatches(handle, {
    start: 0,
    end: Math.min(size, SAMPLE_BYTES),
    firstLineNo: 1,
    maxLineBytes,
  })) {
    for (const line of batch) {
      if (!line.terminated || line.overlong || !line.utf8) continue;
      const parsed = parseRecord(line.buf.toString('utf8', line.start, line.end));
      if (parsed.ok) evidence.add(parsed.record);
      if (++lines >= SAMPLE_LINES) break outer;
    }
  }
  return decideDomain(relativePath, evidence);
}

/** Why a file no longer continues what was ingested from it, or null when it does. */
async function detectChange(handle: FileHandle, size: number, row: FileRow): Promise<string | null> {
  if (size < row.committed_offset) {
    return `truncated: it is ${size} bytes now, but ${row.committed_offset} bytes of it were already ingested`;
  }
  if (row.head_len > 0) {
    if (size < row.head_len)
      return `truncated: it is ${size} bytes now, shorter than its first ${row.head_len} bytes seen before`;
    if ((await hashFileRange(handle, 0, row.head_len)) !== row.head_hash)
      return `replaced: its first ${row.head_len} bytes differ from what was ingested`;
  }
  if (row.tail_hash) {
    const [start, length, hash] = row.tail_hash.split(':');
    if ((await hashFileRange(handle, Number(start), Number(length))) !== `${length}:${hash}`) {
      return `rewritten: the last ingested line (at byte ${start}) is no longer the same`;
    }
  }
  return null;
}

function sqlLiteralSafeText(text: string): string {
  // Readable form of a rejected line: NUL is not allowed in PostgreSQL text, so it is shown as ␀.
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\u2400') : text;
}

interface Batch {
  rows: RowToWrite[];
  rejects: RejectToWrite[];
  blank: number;
  lines: number;
  bytes: number;
  endOffset: number;
  /** The batch's last line, whose bytes fingerprint the checkpoint. */
  tailLine: RawLine | null;
  byReason: Partial<Record<RejectCode, number>>;
}

/** Scales the next batch towards TARGET_BATCH_MS of write transaction, smoothed so one slow commit does not halve it. */
function adaptBatchSize(ctx: RunContext, lines: number, ms: number): void {
  const ideal = (lines * TARGET_BATCH_MS) / Math.max(ms, 1);
  const next = Math.round((ctx.batchLines + ideal) / 2);
  ctx.batchLines = Math.min(DEFAULT_BATCH_LINES, Math.max(MIN_ADAPTIVE_BATCH_LINES, next));
}

function newBatch(offset: number): Batch {
  return {
    rows: [],
    rejects: [],
    blank: 0,
    lines: 0,
    bytes: 0,
    endOffset: offset,
    tailLine: null,
    byReason: {},
  };
}

function isBlank(line: RawLine): boolean {
  for (let i = line.start; i < line.end; i++) {
    const byte = line.buf[i]!;
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x0b && byte !== 0x0c) return false;
  }
  return true;
}

async function ingestFile(ctx: RunContext, target: Target): Promise<FileIngestReport> {
  const { db, options } = ctx;
  const report = newReport(target);
  let handle: FileHandle;
  try {
    // Read-only: the source files are never modified.
    handle = await fsp.open(target.path, 'r');
  } catch (error) {
    report.status = 'failed';
    report.message = `cannot open: ${(error as Error).message}`;
    return report;
  }
  try {
    const stat = await handle.stat();
    report.sizeAtStart = stat.size;
    if (!stat.isFile()) {
      report.status = 'failed';
      report.message = 'not a regular file';
      return report;
    }
    let row = await currentFileRow(db, target.path);
    if (row && options.domain && options.domain !== row.domain) {
      report.status = 'failed';
      report.message = `already ingested as ${row.domain} (into ${row.target_table}); it cannot switch to ${options.domain}`;
      return report;
    }
    if (row) {
      const change = await detectChange(handle, stat.size, row);
      if (change) {
        if (!options.acceptRewrite) {
          await db.run(
            sql`UPDATE ${sql.raw(FILES_TABLE)} SET state = 'changed', state_detail = ${change}, last_run_id = ${ctx.runId}, updated_at = ${nowIso()} WHERE id = ${row.id}`,
          );
          report.status = 'changed';
          report.message = `${change}. Nothing was ingested from it; its ${row.lines_committed} earlier lines stay. Run again with --accept-rewrite to ingest it as a new generation.`;
          Object.assign(report, {
            fileId: row.id,
            generation: row.generation,
            domain: row.domain,
            targetTable: row.target_table,
            domainReason: row.domain_reason,
          });
          return report;
        }
        await db.run(
          sql`UPDATE ${sql.raw(FILES_TABLE)} SET state = 'superseded', state_detail = ${change}, updated_at = ${nowIso()} WHERE id = ${row.id}`,
        );
        report.message = `${change}; ingested as generation ${row.generation + 1} (the earlier generation's rows stay).`;
        row = await createFileRow(
          ctx,
          handle,
          target,
          stat,
          { domain: row.domain as KnownDomain, reason: row.domain_reason },
          row.generation + 1,
        );
      } else if (row.state === 'changed') {
        await db.run(
          sql`UPDATE ${sql.raw(FILES_TABLE)} SET state = 'active', state_detail = NULL WHERE id = ${row.id}`,
        );
      }
      if (row.head_len < HEAD_BYTES && stat.size > row.head_len) {
        // The file has grown past the fingerprint taken when it was small: extend it (appends do not change it).
        const headLen = Math.min(HEAD_BYTES, stat.size);
        const headHash = await hashFileRange(handle, 0, headLen);
        await db.run(
          sql`UPDATE ${sql.raw(FILES_TABLE)} SET head_len = ${headLen}, head_hash = ${headHash} WHERE id = ${row.id}`,
        );
      }
      if (String(stat.ino) !== row.inode || String(stat.dev) !== row.dev) {
        await db.run(
          sql`UPDATE ${sql.raw(FILES_TABLE)} SET dev = ${String(stat.dev)}, inode = ${String(stat.ino)} WHERE id = ${row.id}`,
        );
        report.message ??=
          'the file was replaced by a copy with the same content (new inode); ingest continues from the checkpoint';
      }
    } else {
      const decision = options.domain
        ? { domain: options.domain, reason: 'chosen by the operator (--domain)' }
        : await sampleDomain(handle, target.relativePath, stat.size, ctx.maxLineBytes);
      if (decision.domain === 'unknown') {
        report.status = 'skipped';
        report.domain = 'unknown';
        report.domainReason = decision.reason;
        report.message = `unknown domain (${decision.reason}); choose one with --domain to ingest it`;
        return report;
      }
      row = await createFileRow(
        ctx,
        handle,
        target,
        stat,
        { domain: decision.domain, reason: decision.reason },
        1,
      );
    }
    Object.assign(report, {
      fileId: row.id,
      generation: row.generation,
      domain: row.domain,
      targetTable: row.target_table,
      domainReason: row.domain_reason,
      startOffset: row.committed_offset,
      committedOffset: row.committed_offset,
      alreadyPresent: row.lines_committed,
      linesRead: row.lines_committed,
    });
    ctx.totals.alreadyPresent += row.lines_committed;
    ctx.totals.linesRead += row.lines_committed;
    await streamFile(ctx, handle, row, stat, report);
    report.reconciled =
      report.linesRead ===
      report.alreadyPresent + report.inserted + report.rejected + report.blank + report.pendingPartial;
    report.databaseCheck = await databaseCheck(db, row.id);
    if (!report.databaseCheck.ok) {
      report.status = 'failed';
      report.message = `the database's counts for this file disagree: ${JSON.stringify(report.databaseCheck)}`;
    }
    if (report.status === 'ingested' && report.inserted + report.rejected + report.blank === 0)
      report.status = 'up_to_date';
    return report;
  } catch (error) {
    report.status = 'failed';
    report.message = (error as Error).message;
    return report;
  } finally {
    await handle.close();
  }
}

async function createFileRow(
  ctx: RunContext,
  handle: FileHandle,
  target: Target,
  stat: fs.Stats,
  decision: { domain: KnownDomain; reason: string },
  generation: number,
): Promise<FileRow> {
  const headLen = Math.min(HEAD_BYTES, stat.size);
  const headHash = await hashFileRange(handle, 0, headLen);
  const now = nowIso();
  // ON CONFLICT: two runs meeting a new file at once create one row; both then read it back.
  await ctx.db.run(
    sql`INSERT INTO ${sql.raw(FILES_TABLE)} (path, relative_path, generation, domain, target_table, domain_reason, state, size, mtime_ms, dev, inode, head_len, head_hash, line_hash, last_run_id, created_at, updated_at)
        VALUES (${target.path}, ${target.relativePath}, ${generation}, ${decision.domain}, ${DOMAIN_TABLES[decision.domain]}, ${decision.reason}, 'active', ${stat.size}, ${Math.trunc(stat.mtimeMs)}, ${String(stat.dev)}, ${String(stat.ino)}, ${headLen}, ${headHash}, ${DEFAULT_LINE_HASH}, ${ctx.runId}, ${now}, ${now})
        ON CONFLICT (path, generation) DO NOTHING`,
  );
  const row = await currentFileRow(ctx.db, target.path);
  if (!row) throw new Error(`could not record ${target.path}`);
  return row;
}

async function databaseCheck(
  db: Database,
  fileId: number,
): Promise<NonNullable<FileIngestReport['databaseCheck']>> {
  const [counts] = await db.allPrimary<{
    ledger: number;
    rejects: number;
    blank: number;
    lines: number;
    inserted: number;
    rejected: number;
  }>(
    sql`SELECT (SELECT COUNT(*) FROM ${sql.raw(LINES_TABLE)} WHERE file_id = ${fileId}) AS ledger,
               (SELECT COUNT(*) FROM ${sql.raw(REJECTS_TABLE)} WHERE file_id = ${fileId}) AS rejects,
               f.blank AS blank, f.lines_committed AS lines, f.inserted AS inserted, f.rejected AS rejected
        FROM ${sql.raw(FILES_TABLE)} f WHERE f.id = ${fileId}`,
  );
  const ledgerRows = Number(counts?.ledger ?? 0);
  const rejectRows = Number(counts?.rejects ?? 0);
  const blank = Number(counts?.blank ?? 0);
  const linesCommitted = Number(counts?.lines ?? 0);
  return {
    ledgerRows,
    rejectRows,
    blank,
    linesCommitted,
    ok:
      ledgerRows === Number(counts?.inserted) &&
      rejectRows === Number(counts?.rejected) &&
      ledgerRows + rejectRows + blank === linesCommitted,
  };
}

function rejectFor(line: RawLine, code: RejectCode, reason: string, maxLineBytes: number): RejectToWrite {
  let rawText: string;
  let rawBase64: string | null = null;
  let hash: string;
  if (line.overlong) {
    rawText = sqlLiteralSafeText(line.buf.toString('utf8', line.start, line.end));
    hash = line.overlong.hash;
    reason = `${reason}: ${line.overlong.contentLength} bytes, over the ${maxLineBytes}-byte limit; the first ${line.end - line.start} bytes are kept`;
  } else {
    const bytes = line.buf.subarray(line.start, line.end);
    rawText = bytes.toString('utf8');
    hash = contentHash(line.buf, line.start, line.end);
    // The text is not the exact bytes (invalid UTF-8 or NUL): keep the bytes too.
    if (!line.utf8 || rawText.includes('\u0000')) {
      rawBase64 = bytes.toString('base64');
      rawText = sqlLiteralSafeText(rawText);
    }
  }
  return {
    lineNo: line.lineNo,
    offset: line.offset,
    byteLength: line.byteLength,
    hash,
    rawText,
    rawBase64,
    code,
    reason: sqlLiteralSafeText(reason),
  };
}

async function streamFile(
  ctx: RunContext,
  handle: FileHandle,
  row: FileRow,
  stat: fs.Stats,
  report: FileIngestReport,
): Promise<void> {
  const table = row.target_table as TargetTable;
  const mapper = mapperFor(table, { relativePath: row.relative_path });
  const hashLine = lineHasher(row.line_hash);
  let committedOffset = row.committed_offset;
  let batch = newBatch(committedOffset);
  let pendingBytes = 0;
  let stop = false;

  const commit = async (final: boolean) => {
    const scanned = batch.lines + (final ? report.pendingPartial : 0);
    const run: RunCounters = {
      ...ctx.totals,
      linesRead: ctx.totals.linesRead + scanned,
      inserted: ctx.totals.inserted + batch.rows.length,
      rejected: ctx.totals.rejected + batch.rejects.length,
      blank: ctx.totals.blank + batch.blank,
      pendingPartial: ctx.totals.pendingPartial + (final ? report.pendingPartial : 0),
      bytesRead: ctx.totals.bytesRead + batch.bytes,
    };
    const write: BatchWrite = {
      runId: ctx.runId,
      fileId: row.id,
      table,
      expectedOffset: committedOffset,
      newOffset: batch.endOffset,
      lines: batch.lines,
      rows: batch.rows,
      rejects: batch.rejects,
      blank: batch.blank,
      tailHash: batch.tailLine
        ? `${batch.tailLine.offset}:${batch.tailLine.byteLength}:${contentHash(batch.tailLine.buf, batch.tailLine.rawStart, batch.tailLine.rawStart + batch.tailLine.byteLength)}`
        : null,
      pendingBytes,
      size: stat.size,
      mtimeMs: Math.trunc(stat.mtimeMs),
      now: nowIso(),
      run,
      progressJson: JSON.stringify(
        progressOf({ ...ctx, totals: run, bytesDone: ctx.bytesDone + batch.bytes }),
      ),
    };
    const started = performance.now();
    const result = await ctx.writer.commit(write);
    if (ctx.adaptiveBatches && batch.lines > 0) adaptBatchSize(ctx, batch.lines, performance.now() - started);
    if (!result.ok) {
      report.status = 'skipped';
      report.message = `another run moved this file's checkpoint (to byte ${result.committedOffset}) while this one was reading it; this run stopped on the file and wrote nothing twice`;
      stop = true;
      return;
    }
    committedOffset = batch.endOffset;
    ctx.totals = run;
    ctx.bytesDone += batch.bytes;
    report.committedOffset = committedOffset;
    report.linesScanned += scanned;
    report.linesRead += scanned;
    report.bytesScanned += batch.bytes;
    report.inserted += batch.rows.length;
    report.rejected += batch.rejects.length;
    report.blank += batch.blank;
    for (const [code, count] of Object.entries(batch.byReason)) {
      report.rejectsByReason[code as RejectCode] = (report.rejectsByReason[code as RejectCode] ?? 0) + count;
    }
    batch = newBatch(committedOffset);
    await ctx.options.onProgress?.(progressOf(ctx));
    // Let other work of this process (web requests) run between batches.
    await new Promise((resolve) => setImmediate(resolve));
    if (ctx.options.signal?.aborted && !final) {
      report.status = 'interrupted';
      stop = true;
    }
  };

  const reject = (line: RawLine, code: RejectCode, reason: string) => {
    batch.rejects.push(rejectFor(line, code, reason, ctx.maxLineBytes));
    batch.byReason[code] = (batch.byReason[code] ?? 0) + 1;
  };

  reading: for await (const lines of readLineBatches(handle, {
    start: committedOffset,
    end: stat.size,
    firstLineNo: row.lines_committed + 1,
    chunkBytes: ctx.options.chunkBytes,
    maxLineBytes: ctx.maxLineBytes,
  })) {
    for (const line of lines) {
      if (!line.terminated && !ctx.options.finalize) {
        // A writer may still be finishing this line: leave it for the next run.
        report.pendingPartial = 1;
        pendingBytes = line.byteLength;
        report.pendingBytes = pendingBytes;
        break reading;
      }
      if (line.bom) report.bomLines += 1;
      if (line.crlf) report.crlfLines += 1;
      if (line.overlong) {
        reject(line, 'line_too_long', REJECT_CODES.line_too_long);
      } else if (!line.utf8) {
        reject(
          line,
          'invalid_utf8',
          'invalid UTF-8 bytes (shown as U+FFFD; the exact bytes are kept in base64)',
        );
      } else if (isBlank(line)) {
        batch.blank += 1;
      } else {
        const text = line.buf.toString('utf8', line.start, line.end);
        const parsed = parseRecord(text);
        if (!parsed.ok) {
          reject(line, parsed.code, parsed.reason);
        } else {
          const mapped = mapper(parsed.record, text);
          if (mapped.ok)
            batch.rows.push({
              values: mapped.values,
              offset: line.offset,
              lineNo: line.lineNo,
              hash: hashLine(line.buf, line.start, line.end),
            });
          else reject(line, mapped.code, mapped.reason);
        }
      }
      batch.lines += 1;
      batch.bytes += line.byteLength;
      batch.endOffset = line.offset + line.byteLength;
      // Fingerprinted once per batch, at commit (an over-long line's bytes are not held: keep the one before).
      if (!line.overlong) batch.tailLine = line;
      if (batch.lines >= ctx.batchLines || batch.bytes >= BATCH_MAX_BYTES) {
        await commit(false);
        if (stop) return;
      }
    }
  }
  // The last batch, even when empty: it records the pending tail, size and run on the checkpoint.
  await commit(true);
}
