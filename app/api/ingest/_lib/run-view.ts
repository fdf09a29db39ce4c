import 'server-only';
import os from 'node:os';
import path from 'node:path';
import { type Database, sql } from '@/db/database';
import {
  type FileIngestStatus,
  type IngestProgress,
  type IngestRunStatus,
  STALE_RUN_MS,
} from '@/lib/ingest/ingest';
import { type IngestFileStatus, getIngestRun, listIngestFiles } from '@/lib/ingest/queries';
import { RUNS_TABLE } from '@/lib/ingest/writers';
import { activeIngestRunIds } from './background-runs';
import { commonFolder } from './targets';

// One run as the screen shows it, live or finished: counters, progress (rows, rows/s, ETA), the files
// it covers with how far each has got, and whether the counts reconcile. Plain data, so the page can
// render it on the server and the poll route can send the same shape as JSON.

/** Files listed per run on the progress panel; the validation report lists all of them. */
export const RUN_FILES_SHOWN = 100;

export interface RunCountersView {
  files: number;
  linesRead: number;
  inserted: number;
  alreadyPresent: number;
  rejected: number;
  blank: number;
  pendingPartial: number;
  bytesRead: number;
}

export type RunFileState = 'waiting' | 'reading' | FileIngestStatus;

export interface RunFileView {
  path: string;
  relativePath: string;
  state: RunFileState;
  /** Share of the file committed (0–1), when known. */
  fraction: number | null;
  fileId: number | null;
  targetTable: string | null;
  linesRead: number;
  alreadyPresent: number;
  inserted: number;
  rejected: number;
  blank: number;
  pendingPartial: number;
  reconciled: boolean | null;
  message: string | null;
}

export interface RunView {
  id: number;
  status: IngestRunStatus;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  heartbeatAt: string;
  error: string | null;
  counters: RunCountersView;
  progress: IngestProgress | null;
  durationMs: number | null;
  /** Every file's lines add up (finished runs); null while running. */
  reconciled: boolean | null;
  /** What was asked: one file's name, or how many files. */
  scope: string;
  domain: string | null;
  finalize: boolean;
  acceptRewrite: boolean;
  files: RunFileView[];
  filesTotal: number;
  /** The file being read now, as shown (relative to the run's files' common folder). */
  currentFile: string | null;
  /** Started by this server process, so the screen can stop it. */
  stoppable: boolean;
}

/** How a run's files are named on screen: relative to the folder they share (a lone file by its name). */
function displayNames(paths: readonly string[]): (file: string) => string {
  if (paths.length <= 1) return (file) => path.basename(file);
  const base = commonFolder(paths.map((file) => path.dirname(file)));
  return (file) => {
    const relative = path.relative(base, file);
    return relative && !relative.startsWith('..') ? relative : path.basename(file);
  };
}

function fileView(
  file: IngestFileStatus | undefined,
  filePath: string,
  state: RunFileState,
  name: string,
): RunFileView {
  return {
    path: filePath,
    relativePath: name,
    state,
    fraction: file ? file.fractionDone : null,
    fileId: file?.id ?? null,
    targetTable: file?.targetTable ?? null,
    linesRead: file?.linesCommitted ?? 0,
    alreadyPresent: 0,
    inserted: file?.inserted ?? 0,
    rejected: file?.rejected ?? 0,
    blank: file?.blank ?? 0,
    pendingPartial: file && file.pendingBytes > 0 ? 1 : 0,
    reconciled: null,
    message: file?.stateDetail ?? null,
  };
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code !== 'EPERM';
  }
}

/**
 * Whether a run recorded as running has in fact stopped: its process on this host is gone (or is this
 * server, which no longer works on it), or it has been silent for STALE_RUN_MS. The next run to start
 * records it as interrupted; until then the screen already says so instead of polling forever.
 */
async function runIsDead(db: Database, runId: number, heartbeatAt: string, now: Date): Promise<boolean> {
  if (activeIngestRunIds().includes(runId)) return false;
  if (now.getTime() - Date.parse(heartbeatAt) > STALE_RUN_MS) return true;
  const [row] = await db.allPrimary<{ host: string; pid: number }>(
    sql`SELECT host, pid FROM ${sql.raw(RUNS_TABLE)} WHERE id = ${runId}`,
  );
  if (!row || String(row.host) !== os.hostname()) return false;
  const pid = Number(row.pid);
  return pid === process.pid || processGone(pid);
}

export async function getRunView(
  db: Database,
  runId: number,
  now: Date = new Date(),
): Promise<RunView | null> {
  const stored = await getIngestRun(db, runId);
  if (!stored) return null;
  const run =
    stored.status === 'running' && (await runIsDead(db, runId, stored.heartbeatAt, now))
      ? {
          ...stored,
          status: 'interrupted' as const,
          error:
            'The process running it stopped before it finished (restarted, killed or crashed). Its committed batches are kept; the next run resumes after them.',
        }
      : stored;
  const paths = Array.isArray(run.options.paths)
    ? run.options.paths.filter((p): p is string => typeof p === 'string')
    : [];
  let files: RunFileView[];
  let filesTotal: number;
  let reconciled: boolean | null = null;
  const nameOf = displayNames(paths);
  if (run.report) {
    filesTotal = run.report.files.length;
    files = run.report.files.slice(0, RUN_FILES_SHOWN).map((file) => ({
      path: file.path,
      relativePath: file.relativePath,
      state: file.status,
      fraction: file.sizeAtStart > 0 ? Math.min(1, file.committedOffset / file.sizeAtStart) : null,
      fileId: file.fileId,
      targetTable: file.targetTable,
      linesRead: file.linesRead,
      alreadyPresent: file.alreadyPresent,
      inserted: file.inserted,
      rejected: file.rejected,
      blank: file.blank,
      pendingPartial: file.pendingPartial,
      reconciled: file.reconciled && file.databaseCheck?.ok !== false,
      message: file.message,
    }));
    reconciled = run.report.files.every((file) => file.reconciled && file.databaseCheck?.ok !== false);
  } else {
    // Running (or stopped without a report): each file's checkpoint says how far it has got.
    const statuses = new Map((await listIngestFiles(db)).map((file) => [file.path, file]));
    filesTotal = paths.length;
    files = paths.slice(0, RUN_FILES_SHOWN).map((filePath) => {
      const status = statuses.get(filePath);
      const touched = status?.lastRunId === run.id;
      const state: RunFileState =
        run.progress?.currentFile === filePath ? 'reading' : touched ? 'ingested' : 'waiting';
      return fileView(touched ? status : undefined, filePath, state, nameOf(filePath));
    });
  }
  const counters: RunCountersView = {
    files: run.files || paths.length,
    linesRead: run.linesRead,
    inserted: run.inserted,
    alreadyPresent: run.alreadyPresent,
    rejected: run.rejected,
    blank: run.blank,
    pendingPartial: run.pendingPartial,
    bytesRead: run.bytesRead,
  };
  const end = run.finishedAt ? Date.parse(run.finishedAt) : null;
  return {
    id: run.id,
    status: run.status,
    startedBy: run.startedBy,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    heartbeatAt: run.heartbeatAt,
    error: run.error,
    counters,
    progress: run.progress,
    durationMs: run.report?.durationMs ?? (end !== null ? end - Date.parse(run.startedAt) : null),
    reconciled,
    scope: paths.length === 1 ? path.basename(paths[0]!) : `${paths.length} files`,
    domain: typeof run.options.domain === 'string' ? run.options.domain : null,
    finalize: run.options.finalize === true,
    acceptRewrite: run.options.acceptRewrite === true,
    files,
    filesTotal,
    currentFile: run.progress?.currentFile ? nameOf(run.progress.currentFile) : null,
    stoppable: run.status === 'running' && activeIngestRunIds().includes(run.id),
  };
}
