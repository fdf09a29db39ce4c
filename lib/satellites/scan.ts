import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '@/db/database';
import { type StartJobResult, startJob } from '@/lib/registry/jobs';
import { SqliteProcessPool, SqliteTimeoutError } from '@/lib/sql-console/sqlite-process';
import { type DiscoveredFile, discoverSqliteFiles } from './discover';
import type { SatelliteTable, ScannedFile } from './inventory';
import { type RootsConfig, isInside, readScanRoots } from './roots';
import { recordScannedFile } from './store';

/**
 * The satellite scan, a background job: walk the roots (async I/O), then inspect each SQLite file in a
 * worker process — opened strictly read-only (immutable, or as a WAL reader when its owner has it
 * open; never creating -wal/-shm files or taking a lock the owner could wait on) — with a time limit
 * per file after which the worker is killed and the tables counted so far are kept. Each file's result
 * is stored as soon as it is known, so the page shows the scan filling in.
 */

export const FILE_TIME_LIMIT_MS = 5_000;

export class ScanRefusedError extends Error {
  override name = 'ScanRefusedError';
  constructor(readonly problems: string[]) {
    super(`The scan did not start: ${problems.join(' ')}`);
  }
}

export function fileKeyOf(realPath: string): string {
  return crypto.createHash('sha256').update(realPath).digest('hex').slice(0, 16);
}

interface InspectResult {
  sqlite: boolean;
  sizeBytes: number;
  header?: { pageSize: number; walMode: boolean };
  access?: string;
  walPresent?: boolean;
  tables?: SatelliteTable[];
  chroma?: boolean;
}

function base(file: DiscoveredFile): Omit<ScannedFile, 'status' | 'tables' | 'error' | 'inspectMs'> {
  return {
    fileKey: fileKeyOf(file.realPath),
    root: file.root.path,
    relPath: file.relativePath,
    sizeBytes: file.sizeBytes,
    modifiedAt: file.modifiedAt.toISOString(),
    access: null,
    journalMode: null,
    walPresent: fs.existsSync(`${file.realPath}-wal`),
    isChroma: false,
    pageSize: null,
  };
}

export async function inspectFile(
  pool: SqliteProcessPool,
  file: DiscoveredFile,
  timeoutMs = FILE_TIME_LIMIT_MS,
): Promise<ScannedFile> {
  const started = performance.now();
  const partial: SatelliteTable[] = [];
  const elapsed = () => Math.round(performance.now() - started);
  if (file.sizeBytes === 0) {
    return {
      ...base(file),
      status: 'empty',
      tables: [],
      error:
        'Empty file (0 bytes): not a database yet, e.g. what a connect() to a mistyped path leaves behind.',
      inspectMs: 0,
    };
  }
  try {
    const result = await pool.call<InspectResult>(
      { op: 'inspect', file: file.realPath },
      {
        timeoutMs,
        onProgress: (message) => {
          if (message.table) partial.push(message.table as SatelliteTable);
        },
      },
    );
    if (!result.sqlite) {
      return {
        ...base(file),
        status: 'not-sqlite',
        tables: [],
        error: 'The file has a database name but no SQLite header.',
        inspectMs: elapsed(),
      };
    }
    return {
      ...base(file),
      status: 'ok',
      access: result.access ?? null,
      journalMode: result.header?.walMode ? 'wal' : 'rollback',
      walPresent: Boolean(result.walPresent),
      isChroma: Boolean(result.chroma),
      pageSize: result.header?.pageSize ?? null,
      tables: result.tables ?? [],
      error: null,
      inspectMs: elapsed(),
    };
  } catch (error) {
    const timedOut = error instanceof SqliteTimeoutError;
    return {
      ...base(file),
      status: timedOut ? 'timeout' : 'error',
      tables: partial,
      error: timedOut
        ? `Stopped after ${timeoutMs / 1000} s (${partial.length} table${partial.length === 1 ? '' : 's'} counted before that).`
        : (error as Error).message,
      inspectMs: elapsed(),
    };
  }
}

export interface ScanSummary {
  roots: string[];
  files: number;
  entriesSeen: number;
  skippedLinks: string[];
  errors: string[];
  ms: number;
}

export interface ScanOptions {
  roots?: RootsConfig;
  fileTimeLimitMs?: number;
}

export async function startSatelliteScan(
  db: Database,
  startedBy: string,
  options: ScanOptions = {},
): Promise<StartJobResult> {
  const config = options.roots ?? readScanRoots();
  if (config.problems.length > 0) throw new ScanRefusedError(config.problems);
  return startJob(db, { kind: 'satellite_scan', startedBy }, async (job) => {
    const started = performance.now();
    await job.progress(
      0,
      null,
      `Looking for SQLite files under ${config.roots.map((root) => root.path).join(', ')}…`,
      true,
    );
    const found = await discoverSqliteFiles(config.roots, {
      onProgress: (seen, count) =>
        void job.progress(
          0,
          null,
          `Walked ${seen.toLocaleString('en-US')} entries, found ${count} SQLite files so far…`,
        ),
    });
    await job.progress(
      0,
      found.files.length,
      `Found ${found.files.length} SQLite files; inspecting them read-only…`,
      true,
    );
    const pool = new SqliteProcessPool(1);
    try {
      for (const [i, file] of found.files.entries()) {
        // The file may have moved out of its root since the walk (a symlink swapped): never open it then.
        const real = await fs.promises.realpath(file.realPath).catch(() => null);
        const inspected =
          real && isInside(file.root.real, real)
            ? await inspectFile(pool, file, options.fileTimeLimitMs)
            : {
                ...base(file),
                status: 'error' as const,
                tables: [],
                error: 'The file disappeared or moved out of its root during the scan.',
                inspectMs: 0,
              };
        await recordScannedFile(db, job.id, inspected);
        await job.progress(
          i + 1,
          found.files.length,
          `Inspected ${path.basename(file.relativePath)} (${i + 1} of ${found.files.length})`,
          true,
        );
      }
    } finally {
      pool.shutdown();
    }
    const summary: ScanSummary = {
      roots: config.roots.map((root) => root.path),
      files: found.files.length,
      entriesSeen: found.entriesSeen,
      skippedLinks: found.skippedLinks,
      errors: found.errors,
      ms: Math.round(performance.now() - started),
    };
    return {
      result: summary,
      message: `Scanned ${summary.entriesSeen.toLocaleString('en-US')} entries; ${summary.files} SQLite files inspected.`,
    };
  });
}
