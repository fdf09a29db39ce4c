import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@/db/database';
import {
  BACKUP_FILE_PATTERN,
  BackupError,
  RestoreRefusedError,
  backupFileName,
  createBackup,
  findDatabaseHolders,
  listBackups,
  restoreBackup,
  sha256File,
  verifyBackupFile,
} from '@/lib/operations/backup';
import { claimConsoleLock, consoleLockPath } from '@/lib/operations/console-lock';
import { type TestDatabase, openTestDatabase, tempDir } from './support/databases';

const ROOT = path.resolve(import.meta.dirname, '..');

/** A second process holding the file: open, then a read or write transaction, until killed. */
function holder(file: string, mode: 'read' | 'write' | 'idle'): Promise<ChildProcessWithoutNullStreams> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(file)}, { timeout: 5000 });
    if (${JSON.stringify(mode)} === 'read') { db.prepare('BEGIN').run(); db.prepare('SELECT count(*) FROM modules_console_backups').get(); }
    if (${JSON.stringify(mode)} === 'write') { db.prepare('BEGIN IMMEDIATE').run(); db.prepare("INSERT INTO agents_social_posts (platform, content) VALUES ('x', 'held')").run(); }
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`holder exited ${code}: ${child.stderr.read()}`)));
  });
}

function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('backups [sqlite]', () => {
  let t: TestDatabase;
  let dir: string;
  const children: ChildProcessWithoutNullStreams[] = [];

  beforeAll(async () => {
    t = await openTestDatabase('sqlite');
    dir = tempDir('foundups-backups-');
    await t.db.run(
      sql`CREATE TABLE bk_rows (id INTEGER PRIMARY KEY, platform TEXT NOT NULL, content TEXT NOT NULL)`,
    );
    await t.db.bulkInsert(
      'bk_rows',
      ['platform', 'content'],
      Array.from({ length: 2000 }, (_, i) => ['x', `post ${i} ${'lorem '.repeat(20)}`]),
    );
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map(stop));
  });
  afterAll(async () => {
    await t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names backups by UTC time and never reuses a name', () => {
    const date = new Date('2026-03-04T05:06:07.089Z');
    expect(backupFileName(date)).toBe('foundups-20260304T050607089Z.db');
    expect(backupFileName(date, (name) => name === 'foundups-20260304T050607089Z.db')).toBe(
      'foundups-20260304T050607089Z-2.db',
    );
    expect(BACKUP_FILE_PATTERN.test('foundups-20260304T050607089Z-2.db')).toBe(true);
    expect(BACKUP_FILE_PATTERN.test('../foundups.db')).toBe(false);
  });

  it.each(['vacuum-into', 'backup-api'] as const)(
    'takes a verified, recorded copy with %s, reporting progress',
    async (method) => {
      const phases: string[] = [];
      const result = await createBackup(t.db, {
        directory: dir,
        method,
        startedBy: 'tester',
        onProgress: (p) => phases.push(p.phase),
      });
      expect(result.fileName).toMatch(BACKUP_FILE_PATTERN);
      expect(fs.existsSync(result.file)).toBe(true);
      expect(result.integrity).toBe('ok');
      expect(result.sha256).toBe(await sha256File(result.file));
      expect(phases[0]).toBe('copying');
      expect(phases).toContain('verifying');
      expect(phases.at(-1)).toBe('done');
      const copy = new BetterSqlite3(result.file, { readonly: true });
      expect(copy.prepare("SELECT count(*) AS n FROM bk_rows WHERE content LIKE 'post %'").get()).toEqual({
        n: 2000,
      });
      copy.close();
      const record = await t.db.get<{
        status: string;
        sha256: string;
        size_bytes: number;
        started_by: string;
      }>(
        sql`SELECT status, sha256, size_bytes, started_by FROM modules_console_backups WHERE id = ${result.id}`,
      );
      expect(record).toEqual({
        status: 'verified',
        sha256: result.sha256,
        size_bytes: fs.statSync(result.file).size,
        started_by: 'tester',
      });
      expect(fs.readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);
    },
  );

  it('stays consistent while another process inserts as fast as it can', async () => {
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(t.file)}, { timeout: 5000 });
      db.pragma('journal_mode = WAL');
      const insert = db.prepare("INSERT INTO bk_rows (platform, content) VALUES ('w', 'writer')");
      process.stdout.write('ready\\n');
      let n = 0;
      const end = Date.now() + 60000;
      const tick = () => { for (let i = 0; i < 50; i++) { insert.run(); n++; } if (Date.now() < end) setImmediate(tick); };
      process.on('SIGTERM', () => { process.stdout.write('inserted ' + n + '\\n'); process.exit(0); });
      tick();
    `;
    const writer = spawn(process.execPath, ['-e', script], { cwd: ROOT });
    children.push(writer);
    await new Promise((resolve) => writer.stdout.once('data', resolve));
    const result = await createBackup(t.db, { directory: dir, startedBy: 'tester' });
    const output = new Promise<string>((resolve) => {
      let text = '';
      writer.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('inserted')) resolve(text);
      });
    });
    writer.kill('SIGTERM');
    expect(await output).toMatch(/inserted \d+/);
    const verified = await verifyBackupFile(result.file);
    expect(verified.integrity).toBe('ok');
    const copy = new BetterSqlite3(result.file, { readonly: true });
    const copied = (
      copy.prepare("SELECT count(*) AS n FROM bk_rows WHERE platform = 'w'").get() as { n: number }
    ).n;
    copy.close();
    const live = (await t.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM bk_rows WHERE platform = 'w'`))!
      .n;
    expect(copied).toBeGreaterThanOrEqual(0);
    expect(copied).toBeLessThanOrEqual(live);
  });

  it('keeps the newest N backups and lists what is on disk with its verification', async () => {
    await createBackup(t.db, { directory: dir, startedBy: 'tester' });
    const last = await createBackup(t.db, { directory: dir, startedBy: 'tester', keep: 2 });
    const files = fs.readdirSync(dir).filter((name) => BACKUP_FILE_PATTERN.test(name));
    expect(files).toHaveLength(2);
    expect(files).toContain(last.fileName);
    expect(last.pruned.length).toBeGreaterThan(0);
    const listed = await listBackups(t.db, dir);
    const present = listed.filter((item) => item.present);
    expect(present.map((item) => item.fileName).sort()).toEqual(files.sort());
    expect(present.every((item) => item.status === 'verified' && item.integrity === 'ok')).toBe(true);
  });

  it('refuses a file that is not a sound FoundUps database', async () => {
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'not a database at all, just text '.repeat(200));
    const target = path.join(tempDir(), 'target.db');
    fs.copyFileSync(t.file!, target);
    await expect(restoreBackup(junk, { target })).rejects.toThrow(RestoreRefusedError);
    const plain = path.join(dir, 'plain.db');
    new BetterSqlite3(plain).exec('CREATE TABLE a (b)');
    expect((await verifyBackupFile(plain)).integrity).toMatch(/not a FoundUps Console database/);
    await expect(restoreBackup(plain, { target })).rejects.toThrow(/not a FoundUps Console database/);
  });

  describe('restore', () => {
    let backup: string;
    let target: string;
    beforeAll(async () => {
      backup = (await createBackup(t.db, { directory: dir, startedBy: 'tester' })).file;
    });
    beforeAll(() => {
      target = path.join(tempDir('foundups-restore-'), 'foundups.db');
    });

    async function freshTarget(extra: string): Promise<void> {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true });
      const conn = new BetterSqlite3(target);
      conn.pragma('journal_mode = WAL');
      conn.exec(
        `CREATE TABLE modules_console_backups (id INTEGER); CREATE TABLE agents_social_posts (id INTEGER PRIMARY KEY, platform TEXT, content TEXT); INSERT INTO agents_social_posts (platform, content) VALUES ('x', '${extra}')`,
      );
      conn.close();
    }

    it.each(['read', 'write', 'idle'] as const)(
      'refuses while another process holds the database (%s), naming it',
      async (mode) => {
        await freshTarget(`held ${mode}`);
        const child = await holder(target, mode);
        children.push(child);
        const holders = findDatabaseHolders(target);
        expect(holders.map((h) => h.pid)).toContain(child.pid);
        if (mode !== 'idle')
          expect(holders.find((h) => h.pid === child.pid)!.locks.join(' ')).toMatch(/lock on/);
        await expect(restoreBackup(backup, { target })).rejects.toThrow(
          new RegExp(`in use: .*pid ${child.pid}.*--force`),
        );
        // Nothing was touched.
        const conn = new BetterSqlite3(target, { readonly: true });
        expect(conn.prepare('SELECT content FROM agents_social_posts').pluck().all()).toEqual([
          `held ${mode}`,
        ]);
        conn.close();
      },
    );

    it('refuses while the console server claims the database', async () => {
      await freshTarget('console');
      // The lock names a live process other than this one: a child standing in for the server.
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
      children.push(child as ChildProcessWithoutNullStreams);
      fs.writeFileSync(consoleLockPath(target), JSON.stringify({ pid: child.pid, startedAt: 'now' }));
      await expect(restoreBackup(backup, { target })).rejects.toThrow(/console server \(pid \d+/);
      await stop(child as ChildProcessWithoutNullStreams);
      // A stale lock (its process is gone) is not in the way.
      await restoreBackup(backup, { target });
      fs.rmSync(consoleLockPath(target), { force: true });
    });

    it('replaces the database when nobody holds it and keeps the replaced file', async () => {
      await freshTarget('before restore');
      const result = await restoreBackup(backup, { target, now: () => new Date('2026-01-02T03:04:05Z') });
      expect(result.replacedFile).toBe(`${target}.replaced-20260102T030405000Z`);
      const kept = new BetterSqlite3(result.replacedFile!, { readonly: true });
      expect(kept.prepare('SELECT content FROM agents_social_posts').pluck().all()).toEqual([
        'before restore',
      ]);
      kept.close();
      expect(await sha256File(target)).toBe(await sha256File(backup));
      expect(fs.existsSync(`${target}-wal`)).toBe(false);
    });

    it('with --force, moves the held file together with its -wal and -shm', async () => {
      await freshTarget('forced');
      const child = await holder(target, 'write');
      children.push(child);
      expect(fs.existsSync(`${target}-wal`)).toBe(true);
      const result = await restoreBackup(backup, { target, force: true });
      expect(result.forcedPast.join(' ')).toMatch(new RegExp(`pid ${child.pid}`));
      expect(result.movedSidecars.map((f) => path.basename(f))).toEqual([
        `${path.basename(result.replacedFile!)}-wal`,
        `${path.basename(result.replacedFile!)}-shm`,
      ]);
      expect(await sha256File(target)).toBe(await sha256File(backup));
      expect((await verifyBackupFile(target)).integrity).toBe('ok');
    });
  });

  it('claims and releases the console lock', () => {
    const file = path.join(tempDir(), 'x.db');
    claimConsoleLock(file);
    expect(JSON.parse(fs.readFileSync(consoleLockPath(file), 'utf8')).pid).toBe(process.pid);
  });
});

describe('backups [pglite]', () => {
  it('refuses with the pg_dump command to use instead', { timeout: 120_000 }, async () => {
    const t = await openTestDatabase('pglite');
    try {
      await expect(createBackup(t.db, { startedBy: 'x', directory: tempDir() })).rejects.toThrow(BackupError);
      await expect(createBackup(t.db, { startedBy: 'x', directory: tempDir() })).rejects.toThrow(
        /pg_dump --format=custom/,
      );
    } finally {
      await t.cleanup();
    }
  });
});
