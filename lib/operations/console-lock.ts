import fs from 'node:fs';

// The console server's claim on its database: <db>.console.lock, holding the server's pid. Restore
// reads it to refuse while the console serves the file; a lock whose process is gone is stale.

export interface ConsoleLock {
  pid: number;
  startedAt: string;
}

export function consoleLockPath(dbFile: string): string {
  return `${dbFile}.console.lock`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live console server (another process) holding the database, or null. */
export function consoleLockHolder(dbFile: string): ConsoleLock | null {
  let lock: ConsoleLock;
  try {
    lock = JSON.parse(fs.readFileSync(consoleLockPath(dbFile), 'utf8')) as ConsoleLock;
  } catch {
    return null;
  }
  if (!Number.isSafeInteger(lock.pid) || lock.pid === process.pid || !alive(lock.pid)) return null;
  return lock;
}

/** Called once by the server at start; the file is removed when the process exits normally. */
export function claimConsoleLock(dbFile: string): void {
  const file = consoleLockPath(dbFile);
  const lock: ConsoleLock = { pid: process.pid, startedAt: new Date().toISOString() };
  try {
    fs.writeFileSync(file, `${JSON.stringify(lock)}\n`);
  } catch {
    return; // a read-only folder: restore still sees the server through /proc
  }
  const release = () => {
    try {
      const current = JSON.parse(fs.readFileSync(file, 'utf8')) as ConsoleLock;
      if (current.pid === process.pid) fs.rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
  process.once('exit', release);
}
