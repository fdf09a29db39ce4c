import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { type Database, sql } from '@/db/database';
import type { SqliteDatabase } from '@/db/drivers/sqlite';
import { nowIso } from '@/lib/time/format';
import { consoleLockHolder } from './console-lock';

// Online backups of the SQLite file, and restores. How the copy is taken (see the README's Operations
// section for the measurements behind the choice):
//
// - VACUUM INTO (default) reads one consistent snapshot in one read transaction. In WAL mode a reader
//   never blocks the agents' writers; it runs in a worker thread with its own read-only connection, so
//   the server's event loop stays free, and progress is the copy's size against the live pages.
// - The online backup API (better-sqlite3's db.backup) copies N pages per step, but when another
//   connection writes between two steps SQLite restarts the copy from page 1; with agents writing all
//   day a large file may never finish. It is kept as `--method backup-api` for quiet databases.
//
// Every copy is written under a temporary name, checked with PRAGMA integrity_check, hashed, and only
// then renamed to its final UTC-timestamped name and recorded in modules_console_backups.

export const BACKUP_METHODS = ['vacuum-into', 'backup-api'] as const;
export type BackupMethod = (typeof BACKUP_METHODS)[number];

export const BACKUP_FILE_PATTERN = /^foundups-(\d{8}T\d{6}(?:\d{3})?Z)(?:-(\d+))?\.db$/;

export class BackupError extends Error {
  override name = 'BackupError';
}

/** The folder backups go to: FOUNDUPS_BACKUP_DIR, or data/backups (relative to the working directory). */
export function backupDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(
    /*turbopackIgnore: true*/ env.FOUNDUPS_BACKUP_DIR?.trim() || path.join('data', 'backups'),
  );
}

/** The command to use instead on PostgreSQL (the console does not copy a server's data directory). */
export function pgDumpHint(): string {
  return 'pg_dump --format=custom --file="foundups-$(date -u +%Y%m%dT%H%M%SZ).dump" "$DATABASE_URL" (restore with pg_restore --clean --dbname "$DATABASE_URL" FILE)';
}

function compactUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.(\d{3})Z$/, '$1Z');
}

/** foundups-YYYYMMDDTHHMMSSmmmZ.db; a suffix keeps two backups of the same millisecond apart. */
export function backupFileName(date: Date, existing: (name: string) => boolean = () => false): string {
  const base = `foundups-${compactUtc(date)}`;
  if (!existing(`${base}.db`)) return `${base}.db`;
  for (let i = 2; ; i += 1) if (!existing(`${base}-${i}.db`)) return `${base}-${i}.db`;
}

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface VerifyResult {
  ok: boolean;
  /** 'ok', or what integrity_check (or opening the file) complained about. */
  integrity: string;
  sizeBytes: number;
  sha256: string;
  /** The copy has the console's migrations table: it is a FoundUps database, not any SQLite file. */
  isConsoleDatabase: boolean;
}

/** Opens a copy read-only and runs PRAGMA integrity_check on it (all of it, not quick_check). */
export async function verifyBackupFile(file: string): Promise<VerifyResult> {
  const stat = fs.statSync(file);
  let integrity: string;
  let isConsoleDatabase = false;
  try {
    const conn = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      const rows = conn.pragma('integrity_check') as { integrity_check: string }[];
      integrity = rows
        .map((row) => row.integrity_check)
        .slice(0, 5)
        .join('; ');
      isConsoleDatabase = Boolean(
        conn
          .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'modules_console_migrations'")
          .get(),
      );
    } finally {
      conn.close();
    }
  } catch (error) {
    integrity = `cannot be read as a SQLite database: ${(error as Error).message}`;
  }
  return {
    ok: integrity === 'ok' && isConsoleDatabase,
    integrity:
      integrity === 'ok' && !isConsoleDatabase ? 'ok, but not a FoundUps Console database' : integrity,
    sizeBytes: stat.size,
    sha256: await sha256File(file),
    isConsoleDatabase,
  };
}

export interface BackupProgress {
  phase: 'copying' | 'verifying' | 'hashing' | 'done';
  /** 0..1 while copying (bytes or pages copied against the live database). */
  fraction: number;
  copiedBytes: number;
  totalBytes: number;
}

export interface BackupOptions {
  directory?: string;
  /** Keep only the newest N verified backups in the folder (older ones are deleted); undefined keeps all. */
  keep?: number;
  method?: BackupMethod;
  startedBy: string;
  onProgress?: (progress: BackupProgress) => void;
  now?: () => Date;
}

export interface BackupResult {
  id: number;
  file: string;
  fileName: string;
  method: BackupMethod;
  sizeBytes: number;
  sourceBytes: number;
  sha256: string;
  integrity: string;
  durationMs: number;
  /** Backups deleted by keep-N. */
  pruned: string[];
}

function liveBytes(conn: BetterSqlite3.Database): number {
  const pageSize = Number(conn.pragma('page_size', { simple: true }));
  const pages = Number(conn.pragma('page_count', { simple: true }));
  const free = Number(conn.pragma('freelist_count', { simple: true }));
  return Math.max(pageSize, (pages - free) * pageSize);
}

// The worker is given as source text (not a file) so Next's bundler has nothing to resolve; it runs
// in CommonJS and finds better-sqlite3 from the working directory, like the server does.
const VACUUM_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
try {
  const conn = new Database(workerData.source, { readonly: true, fileMustExist: true, timeout: 5000 });
  try { conn.prepare('VACUUM INTO ?').run(workerData.target); } finally { conn.close(); }
  parentPort.postMessage({ ok: true });
} catch (error) {
  parentPort.postMessage({ ok: false, message: String(error && error.message || error), code: error && error.code });
}
`;

function vacuumInto(
  source: string,
  target: string,
  totalBytes: number,
  onProgress: (copied: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(VACUUM_WORKER, {
      eval: true,
      workerData: {
        source,
        target,
        module: createRequire(path.join(process.cwd(), 'package.json')).resolve('better-sqlite3'),
      },
    });
    const timer = setInterval(() => {
      try {
        onProgress(Math.min(totalBytes, fs.statSync(target).size));
      } catch {
        // not created yet
      }
    }, 200);
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    worker.once('message', (message: { ok: boolean; message?: string; code?: string }) =>
      finish(message.ok ? undefined : new BackupError(`VACUUM INTO failed: ${message.message}`)),
    );
    worker.once('error', (error) => finish(error));
    worker.once('exit', (code) =>
      finish(code === 0 ? undefined : new BackupError(`The backup worker exited with ${code}.`)),
    );
  });
}

async function backupApi(
  conn: BetterSqlite3.Database,
  target: string,
  onProgress: (fraction: number) => void,
): Promise<void> {
  await conn.backup(target, {
    progress: ({ totalPages, remainingPages }) => {
      onProgress(totalPages > 0 ? (totalPages - remainingPages) / totalPages : 0);
      return 256;
    },
  });
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // best effort
  }
}

function sqliteOf(db: Database): SqliteDatabase {
  // By driver, not instanceof: Next may bundle db/drivers/sqlite.ts into more than one chunk.
  if (db.driver !== 'better-sqlite3')
    throw new BackupError(
      `The console backs up SQLite files only. This console uses PostgreSQL: back it up with ${pgDumpHint()}.`,
    );
  return db as SqliteDatabase;
}

/** Takes a verified backup of the database into the backups folder, and records it. */
export async function createBackup(db: Database, options: BackupOptions): Promise<BackupResult> {
  const sqlite = sqliteOf(db);
  const now = options.now ?? (() => new Date());
  const method = options.method ?? 'vacuum-into';
  const directory = options.directory ?? backupDirectory();
  try {
    fs.mkdirSync(directory, { recursive: true });
  } catch (error) {
    throw new BackupError(`Cannot create the backups folder ${directory}: ${(error as Error).message}.`);
  }
  const startedAt = now();
  const fileName = backupFileName(startedAt, (name) => fs.existsSync(path.join(directory, name)));
  const file = path.join(/*turbopackIgnore: true*/ directory, fileName);
  const partial = path.join(directory, `.${fileName}.partial`);
  const totalBytes = liveBytes(sqlite.connection);
  const started = performance.now();
  const inserted = await db.run<{ id: number }>(
    sql`INSERT INTO modules_console_backups (file_name, directory, method, status, source_bytes, started_by, started_at) VALUES (${fileName}, ${directory}, ${method}, 'running', ${totalBytes}, ${options.startedBy}, ${nowIso(startedAt)}) RETURNING id`,
  );
  const id = Number(inserted.rows[0]!.id);
  const progress = (p: BackupProgress) => options.onProgress?.(p);
  try {
    progress({ phase: 'copying', fraction: 0, copiedBytes: 0, totalBytes });
    if (method === 'vacuum-into') {
      await vacuumInto(sqlite.file, partial, totalBytes, (copied) =>
        progress({ phase: 'copying', fraction: copied / totalBytes, copiedBytes: copied, totalBytes }),
      );
    } else {
      await backupApi(sqlite.connection, partial, (fraction) =>
        progress({ phase: 'copying', fraction, copiedBytes: Math.round(fraction * totalBytes), totalBytes }),
      );
    }
    progress({ phase: 'copying', fraction: 1, copiedBytes: totalBytes, totalBytes });
    progress({ phase: 'verifying', fraction: 1, copiedBytes: totalBytes, totalBytes });
    const verified = await verifyBackupFile(partial);
    if (!verified.ok) throw new BackupError(`The copy failed its integrity check: ${verified.integrity}.`);
    progress({ phase: 'hashing', fraction: 1, copiedBytes: totalBytes, totalBytes });
    const fd = fs.openSync(partial, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(partial, file);
    const durationMs = Math.round(performance.now() - started);
    await db.run(
      sql`UPDATE modules_console_backups SET status = 'verified', size_bytes = ${verified.sizeBytes}, sha256 = ${verified.sha256}, integrity = ${verified.integrity}, duration_ms = ${durationMs}, finished_at = ${nowIso(now())} WHERE id = ${id}`,
    );
    const pruned = options.keep !== undefined ? await pruneBackups(db, directory, options.keep) : [];
    progress({ phase: 'done', fraction: 1, copiedBytes: totalBytes, totalBytes });
    return {
      id,
      file,
      fileName,
      method,
      sizeBytes: verified.sizeBytes,
      sourceBytes: totalBytes,
      sha256: verified.sha256,
      integrity: verified.integrity,
      durationMs,
      pruned,
    };
  } catch (error) {
    removeQuietly(partial);
    await db
      .run(
        sql`UPDATE modules_console_backups SET status = 'failed', error = ${(error as Error).message}, duration_ms = ${Math.round(performance.now() - started)}, finished_at = ${nowIso(now())} WHERE id = ${id}`,
      )
      .catch(() => undefined);
    throw error instanceof BackupError
      ? error
      : new BackupError(`The backup failed: ${(error as Error).message}`);
  }
}

/** Backup files in the folder, newest first (by the UTC time in their name). */
export function backupFilesIn(directory: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch {
    return [];
  }
  return names
    .filter((name) => BACKUP_FILE_PATTERN.test(name))
    .toSorted((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

/** Keeps the newest `keep` backup files of the folder and deletes the others; returns the deleted names. */
export async function pruneBackups(db: Database, directory: string, keep: number): Promise<string[]> {
  if (!Number.isSafeInteger(keep) || keep < 1)
    throw new BackupError('keep must be a whole number of at least 1.');
  const doomed = backupFilesIn(directory).slice(keep);
  for (const name of doomed) {
    fs.rmSync(path.join(directory, name), { force: true });
    await db.run(sql`UPDATE modules_console_backups SET pruned_at = ${nowIso()} WHERE file_name = ${name}`);
  }
  return doomed;
}

export interface BackupListItem {
  fileName: string;
  /** On disk now (false: recorded, but deleted or moved). */
  present: boolean;
  sizeBytes: number | null;
  modifiedAt: string | null;
  status: 'running' | 'verified' | 'failed' | 'unrecorded';
  integrity: string | null;
  sha256: string | null;
  method: string | null;
  durationMs: number | null;
  startedBy: string | null;
  startedAt: string | null;
  error: string | null;
}

interface BackupRecordRow {
  file_name: string;
  method: string;
  status: 'running' | 'verified' | 'failed';
  size_bytes: number | null;
  sha256: string | null;
  integrity: string | null;
  duration_ms: number | null;
  error: string | null;
  started_by: string;
  started_at: string;
  pruned_at: string | null;
}

/**
 * The folder's backup files joined with the records (a file restored from elsewhere, or recorded in a
 * database that was since restored, shows as 'unrecorded'); plus recent failed attempts.
 */
export async function listBackups(
  db: Database,
  directory = backupDirectory(),
  limit = 200,
): Promise<BackupListItem[]> {
  const records = await db.all<BackupRecordRow>(
    sql`SELECT file_name, method, status, size_bytes, sha256, integrity, duration_ms, error, started_by, started_at, pruned_at FROM modules_console_backups ORDER BY id DESC LIMIT ${limit}`,
  );
  const byName = new Map(records.map((row) => [row.file_name, row]));
  const items: BackupListItem[] = [];
  const seen = new Set<string>();
  for (const name of backupFilesIn(directory)) {
    seen.add(name);
    const stat = fs.statSync(path.join(directory, name), { throwIfNoEntry: false });
    const record = byName.get(name);
    items.push({
      fileName: name,
      present: Boolean(stat),
      sizeBytes: stat?.size ?? null,
      modifiedAt: stat ? stat.mtime.toISOString() : null,
      status: record?.status ?? 'unrecorded',
      integrity: record?.integrity ?? null,
      sha256: record?.sha256 ?? null,
      method: record?.method ?? null,
      durationMs: record?.duration_ms ?? null,
      startedBy: record?.started_by ?? null,
      startedAt: record?.started_at ?? null,
      error: record?.error ?? null,
    });
  }
  for (const record of records) {
    if (seen.has(record.file_name) || record.pruned_at || record.status === 'verified') continue;
    // Running or failed attempts, which never produced a final file.
    items.push({
      fileName: record.file_name,
      present: false,
      sizeBytes: null,
      modifiedAt: null,
      status: record.status,
      integrity: record.integrity,
      sha256: null,
      method: record.method,
      durationMs: record.duration_ms,
      startedBy: record.started_by,
      startedAt: record.started_at,
      error: record.error,
    });
  }
  return items.toSorted((a, b) =>
    (a.startedAt ?? a.modifiedAt ?? '') < (b.startedAt ?? b.modifiedAt ?? '') ? 1 : -1,
  );
}

/** Resolves a backup name from a URL or form to its file, refusing anything but a backup in the folder. */
export function backupFilePath(name: string, directory = backupDirectory()): string {
  if (!BACKUP_FILE_PATTERN.test(name)) throw new BackupError(`"${name}" is not a backup file name.`);
  const file = path.join(directory, name);
  if (!fs.existsSync(file)) throw new BackupError(`There is no backup ${name} in ${directory}.`);
  return file;
}

// ---------------------------------------------------------------------------------------------
// Restore

export interface DatabaseHolder {
  pid: number;
  command: string;
  /** What it has open: the database, its -wal or its -shm. */
  files: string[];
  /** From /proc/locks: the POSIX locks it holds on those files (read/write), if any. */
  locks: string[];
  /** The console's own server (its lock file names this pid). */
  isConsole: boolean;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Other processes that have the database (or its -wal/-shm) open, from /proc on Linux: every SQLite
 * connection keeps the file open for its whole life, whether it is idle, reading or writing, and
 * WAL-mode connections hold a read lock on the -shm file. /proc/locks says which of them hold locks.
 */
export function findDatabaseHolders(dbFile: string): DatabaseHolder[] {
  const targets = new Map<string, string>();
  for (const suffix of ['', '-wal', '-shm']) {
    const file = `${dbFile}${suffix}`;
    try {
      const stat = fs.statSync(/*turbopackIgnore: true*/ file);
      targets.set(`${stat.dev}:${stat.ino}`, path.basename(file));
    } catch {
      // not there
    }
  }
  if (targets.size === 0 || !fs.existsSync('/proc/self/fd')) return [];
  const inodes = new Map<string, string>();
  for (const [key, name] of targets) inodes.set(key.split(':')[1]!, name);
  const locksByPid = new Map<number, string[]>();
  for (const line of (readText('/proc/locks') ?? '').split('\n')) {
    // "1: POSIX  ADVISORY  READ 12345 08:01:1234567 128 128"
    const parts = line.trim().split(/\s+/);
    if (parts[1] === '->') parts.splice(1, 1); // a waiter queued behind a lock
    if (parts.length < 8 || (parts[1] !== 'POSIX' && parts[1] !== 'OFDLCK')) continue;
    const pid = Number(parts[4]);
    const inode = parts[5]!.split(':')[2]!;
    const name = inodes.get(inode);
    if (!name) continue;
    const list = locksByPid.get(pid) ?? [];
    list.push(`${parts[3]!.toLowerCase()} lock on ${name}`);
    locksByPid.set(pid, list);
  }
  const consolePid = consoleLockHolder(dbFile)?.pid;
  const holders: DatabaseHolder[] = [];
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  for (const entry of pids) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's process
    }
    const files = new Set<string>();
    for (const fd of fds) {
      try {
        const stat = fs.statSync(`/proc/${pid}/fd/${fd}`);
        const name = targets.get(`${stat.dev}:${stat.ino}`);
        if (name) files.add(name);
      } catch {
        // closed meanwhile
      }
    }
    if (files.size === 0) continue;
    const command = (readText(`/proc/${pid}/cmdline`) ?? '')
      .split('\0')
      .filter(Boolean)
      .join(' ')
      .replace(/\s+/g, ' ')
      .slice(0, 120);
    holders.push({
      pid,
      command,
      files: [...files],
      locks: [...new Set(locksByPid.get(pid) ?? [])],
      isConsole: pid === consolePid,
    });
  }
  return holders;
}

/**
 * A portable check on top of /proc: with no busy timeout, can we take the write lock, and can a
 * RESTART checkpoint finish (it cannot while a reader still uses the WAL)? Returns what is in the way.
 */
export function probeDatabaseLocks(dbFile: string): string[] {
  const problems: string[] = [];
  let conn: BetterSqlite3.Database | undefined;
  try {
    conn = new BetterSqlite3(dbFile, { fileMustExist: true, timeout: 0 });
    try {
      conn.prepare('BEGIN IMMEDIATE').run();
      conn.prepare('ROLLBACK').run();
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY'))
        problems.push('another connection holds a write transaction');
      else throw error;
    }
    if (String(conn.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal') {
      const [row] = conn.pragma('wal_checkpoint(RESTART)') as { busy: number }[];
      if (row?.busy) problems.push('another connection is reading (or writing) through the WAL');
    }
  } catch (error) {
    problems.push(`cannot probe the database: ${(error as Error).message}`);
  } finally {
    conn?.close();
  }
  return problems;
}

export class RestoreRefusedError extends BackupError {
  override name = 'RestoreRefusedError';
}

export interface RestoreOptions {
  /** The database file to replace (the configured one). */
  target: string;
  force?: boolean;
  now?: () => Date;
  onStep?: (message: string) => void;
}

export interface RestoreResult {
  restored: string;
  /** Where the replaced database went (with its -wal/-shm beside it under the same name), or null. */
  replacedFile: string | null;
  movedSidecars: string[];
  verification: VerifyResult;
  forcedPast: string[];
}

function describeHolder(holder: DatabaseHolder): string {
  const who = holder.isConsole ? 'the FoundUps Console server' : holder.command || 'a process';
  const locks = holder.locks.length ? `, ${holder.locks.join(', ')}` : '';
  return `pid ${holder.pid} (${who}) has ${holder.files.join(', ')} open${locks}`;
}

/**
 * Replaces the database with a backup. Verifies the backup first; refuses while anyone holds the
 * database (the console's lock file, other processes with the file open, a write lock or WAL readers)
 * unless forced; keeps the replaced file as <db>.replaced-<UTC> with its -wal/-shm renamed with it.
 */
export async function restoreBackup(backupFile: string, options: RestoreOptions): Promise<RestoreResult> {
  const step = options.onStep ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  const target = path.resolve(options.target);
  if (!fs.existsSync(backupFile)) throw new BackupError(`There is no file ${backupFile}.`);
  if (path.resolve(backupFile) === target)
    throw new BackupError('The backup and the database are the same file.');
  step(`Verifying ${backupFile} (integrity_check)…`);
  const verification = await verifyBackupFile(backupFile);
  if (!verification.ok)
    throw new RestoreRefusedError(
      `Refusing to restore ${path.basename(backupFile)}: ${verification.integrity}.`,
    );

  const obstacles: string[] = [];
  if (fs.existsSync(target)) {
    const lock = consoleLockHolder(target);
    if (lock) obstacles.push(`the console server (pid ${lock.pid}, started ${lock.startedAt}) is using it`);
    for (const holder of findDatabaseHolders(target))
      if (!holder.isConsole || !lock) obstacles.push(describeHolder(holder));
    if (obstacles.length === 0) obstacles.push(...probeDatabaseLocks(target));
  }
  if (obstacles.length > 0 && !options.force)
    throw new RestoreRefusedError(
      `Refusing to restore while the database is in use: ${obstacles.join('; ')}. Stop the console and the agents first, or pass --force (the replaced file is kept either way).`,
    );

  let replacedFile: string | null = null;
  const movedSidecars: string[] = [];
  if (fs.existsSync(target)) {
    if (obstacles.length === 0) {
      // Nobody else has it open: fold the WAL into the file so the kept copy is one self-contained file.
      step('Checkpointing the current database…');
      const conn = new BetterSqlite3(target, { fileMustExist: true, timeout: 0 });
      try {
        conn.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        conn.close();
      }
    }
    replacedFile = `${target}.replaced-${compactUtc(now())}`;
    step(`Keeping the current database as ${replacedFile}…`);
    fs.renameSync(target, replacedFile);
    // A -wal/-shm left behind (forced, or a checkpoint that could not finish) belongs to the replaced
    // file: it moves with it, under the names SQLite looks for beside that file.
    for (const suffix of ['-wal', '-shm']) {
      if (fs.existsSync(/*turbopackIgnore: true*/ `${target}${suffix}`)) {
        fs.renameSync(`${target}${suffix}`, `${replacedFile}${suffix}`);
        movedSidecars.push(`${replacedFile}${suffix}`);
      }
    }
  }
  const incoming = `${target}.restoring`;
  step(`Copying ${path.basename(backupFile)} into place…`);
  fs.copyFileSync(backupFile, incoming);
  const fd = fs.openSync(incoming, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(incoming, target);
  return {
    restored: target,
    replacedFile,
    movedSidecars,
    verification,
    forcedPast: options.force ? obstacles : [],
  };
}
