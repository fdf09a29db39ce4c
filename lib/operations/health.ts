import fs from 'node:fs';
import path from 'node:path';
import { type Database, sql } from '@/db/database';
import { type DriverCounters, driverCounters } from '@/db/drivers/observe';
import type { SqliteDatabase } from '@/db/drivers/sqlite';
import {
  type RouteLatency,
  type SlowQuery,
  installQueryMetrics,
  routeLatencies,
  slowQueries,
} from './metrics';

// The health report behind the Health page and /api/health's detailed form.

export interface HealthThresholds {
  /** Warn when a route's p95 query latency over the last hour is above this (ms). */
  p95Ms: number;
  /** Warn when the -wal file is larger than this (bytes). */
  walBytes: number;
  /** Warn when the disk holding the database has less than this share free (percent). */
  diskFreePercent: number;
}

export const DEFAULT_THRESHOLDS: HealthThresholds = { p95Ms: 100, walBytes: 1024 ** 3, diskFreePercent: 5 };

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0)
    throw new Error(`${name} must be a number of at least 0 (got "${value}").`);
  return number;
}

/** FOUNDUPS_HEALTH_P95_MS, FOUNDUPS_HEALTH_WAL_BYTES, FOUNDUPS_HEALTH_DISK_FREE_PERCENT. */
export function readThresholds(env: NodeJS.ProcessEnv = process.env): HealthThresholds {
  return {
    p95Ms: positiveNumber('FOUNDUPS_HEALTH_P95_MS', env.FOUNDUPS_HEALTH_P95_MS, DEFAULT_THRESHOLDS.p95Ms),
    walBytes: positiveNumber(
      'FOUNDUPS_HEALTH_WAL_BYTES',
      env.FOUNDUPS_HEALTH_WAL_BYTES,
      DEFAULT_THRESHOLDS.walBytes,
    ),
    diskFreePercent: positiveNumber(
      'FOUNDUPS_HEALTH_DISK_FREE_PERCENT',
      env.FOUNDUPS_HEALTH_DISK_FREE_PERCENT,
      DEFAULT_THRESHOLDS.diskFreePercent,
    ),
  };
}

export interface WalInfo {
  bytes: number;
  /** From the wal-index (-shm) header: frames in the WAL, and how many a checkpoint has copied back. */
  frames: number | null;
  backfilled: number | null;
  /** The WAL header's checkpoint sequence number (increments each time a checkpoint resets the WAL). */
  checkpointSequence: number | null;
  /** When this process last saw the sequence change (a checkpoint reset the WAL), or null. */
  lastCheckpointSeenAt: string | null;
  /** The -wal file's modification time: when a writer last appended. */
  lastWriteAt: string | null;
}

export interface DiskInfo {
  path: string;
  freeBytes: number;
  totalBytes: number;
  freePercent: number;
}

export interface HealthWarning {
  kind: 'latency' | 'wal' | 'disk' | 'database';
  message: string;
}

export interface HealthReport {
  ok: boolean;
  checkedAt: string;
  database: {
    reachable: boolean;
    error: string | null;
    dialect: Database['dialect'];
    driver: Database['driver'];
    pingMs: number;
    journalMode: string | null;
    location: string | null;
    sizeBytes: number | null;
  };
  wal: WalInfo | null;
  busy: DriverCounters;
  /** Query latency per route (what the thresholds judge). */
  latency: RouteLatency[];
  /** Whole-request durations per route, from the HTTP hook (empty outside `next start`/`next dev`). */
  requests: RouteLatency[];
  slowQueries: SlowQuery[];
  disk: DiskInfo | null;
  thresholds: HealthThresholds;
  warnings: HealthWarning[];
}

interface CheckpointObservation {
  sequence: number | null;
  seenAt: string | null;
}

const globalForHealth = globalThis as typeof globalThis & {
  __foundupsCheckpoints?: Map<string, CheckpointObservation>;
};
const observations = (globalForHealth.__foundupsCheckpoints ??= new Map());

function readBytes(file: string, length: number): Buffer | null {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(length);
    const read = fs.readSync(fd, buffer, 0, length, 0);
    return read === length ? buffer : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** WAL facts read from the files (no lock taken, nothing written): see SQLite's walformat docs. */
export function readWalInfo(dbFile: string): WalInfo {
  const walFile = `${dbFile}-wal`;
  const stat = fs.statSync(walFile, { throwIfNoEntry: false });
  // -shm: WalIndexHdr (48 bytes, twice) then WalCkptInfo; mxFrame at 16, nBackfill at 96. Native order.
  const shm = readBytes(`${dbFile}-shm`, 136);
  const le = shm ? shm.readUInt32LE(0) === 3007000 : true;
  const u32 = (buffer: Buffer, offset: number) =>
    le ? buffer.readUInt32LE(offset) : buffer.readUInt32BE(offset);
  // -wal header: magic, version, page size, checkpoint sequence (big-endian) at 12.
  const header = stat && stat.size >= 32 ? readBytes(walFile, 32) : null;
  const sequence = header ? header.readUInt32BE(12) : null;
  const previous = observations.get(dbFile);
  let seenAt = previous?.seenAt ?? null;
  if (previous && sequence !== null && previous.sequence !== null && sequence !== previous.sequence)
    seenAt = new Date().toISOString();
  observations.set(dbFile, { sequence, seenAt });
  return {
    bytes: stat?.size ?? 0,
    frames: shm ? u32(shm, 16) : null,
    backfilled: shm ? u32(shm, 96) : null,
    checkpointSequence: sequence,
    lastCheckpointSeenAt: seenAt,
    lastWriteAt: stat ? stat.mtime.toISOString() : null,
  };
}

export function readDiskInfo(target: string): DiskInfo | null {
  try {
    const stats = fs.statfsSync(target);
    const total = stats.blocks * stats.bsize;
    const free = stats.bavail * stats.bsize;
    return {
      path: target,
      freeBytes: free,
      totalBytes: total,
      freePercent: total > 0 ? Math.round((free / total) * 10000) / 100 : 0,
    };
  } catch {
    return null;
  }
}

export function healthWarnings(
  report: Pick<HealthReport, 'database' | 'wal' | 'latency' | 'disk'>,
  thresholds: HealthThresholds,
): HealthWarning[] {
  const warnings: HealthWarning[] = [];
  if (!report.database.reachable)
    warnings.push({ kind: 'database', message: `The database is not reachable: ${report.database.error}` });
  for (const route of report.latency)
    if (route.p95 > thresholds.p95Ms)
      warnings.push({
        kind: 'latency',
        message: `${route.route}: p95 query latency ${route.p95} ms over the last hour is above ${thresholds.p95Ms} ms (${route.count} queries).`,
      });
  if (report.wal && report.wal.bytes > thresholds.walBytes)
    warnings.push({
      kind: 'wal',
      message: `The WAL is ${report.wal.bytes} bytes, above ${thresholds.walBytes}: a long reader may be keeping checkpoints from finishing.`,
    });
  if (report.disk && report.disk.freePercent < thresholds.diskFreePercent)
    warnings.push({
      kind: 'disk',
      message: `Only ${report.disk.freePercent}% of the disk holding the database is free (warning below ${thresholds.diskFreePercent}%).`,
    });
  return warnings;
}

export async function collectHealth(
  db: Database,
  env: NodeJS.ProcessEnv = process.env,
): Promise<HealthReport> {
  installQueryMetrics();
  const thresholds = readThresholds(env);
  const started = performance.now();
  let reachable = true;
  let error: string | null = null;
  try {
    await db.get(sql`SELECT 1 AS ok`);
  } catch (caught) {
    reachable = false;
    error = (caught as Error).message;
  }
  const pingMs = Math.round((performance.now() - started) * 100) / 100;
  let journalMode: string | null = null;
  let location: string | null = null;
  let sizeBytes: number | null = null;
  let wal: WalInfo | null = null;
  let disk: DiskInfo | null = null;
  if (db.driver === 'better-sqlite3') {
    // By driver, not instanceof: Next may bundle the driver module into more than one chunk.
    const sqlite = db as SqliteDatabase;
    location = sqlite.file;
    journalMode = reachable ? String(sqlite.connection.pragma('journal_mode', { simple: true })) : null;
    sizeBytes = fs.statSync(sqlite.file, { throwIfNoEntry: false })?.size ?? null;
    wal = readWalInfo(sqlite.file);
    disk = readDiskInfo(path.dirname(sqlite.file));
  } else if (reachable) {
    const row = await db.get<{ bytes: number; name: string }>(
      sql`SELECT pg_database_size(current_database()) AS bytes, current_database() AS name`,
    );
    location = row?.name ?? null;
    sizeBytes = row ? Number(row.bytes) : null;
  }
  const partial = {
    database: {
      reachable,
      error,
      dialect: db.dialect,
      driver: db.driver,
      pingMs,
      journalMode,
      location,
      sizeBytes,
    },
    wal,
    latency: routeLatencies(),
    disk,
  };
  const warnings = healthWarnings(partial, thresholds);
  return {
    ok: reachable,
    checkedAt: new Date().toISOString(),
    ...partial,
    requests: routeLatencies('request'),
    busy: driverCounters(),
    slowQueries: slowQueries(10),
    thresholds,
    warnings,
  };
}
