import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRoot } from '@/db/seed';
import { SATELLITE_FILES } from '@/db/seed/demo-root-satellites';
import { openRelation, readTablePage } from '@/lib/registry/browser';
import { jobSettled } from '@/lib/registry/jobs';
import { discoverSqliteFiles } from '@/lib/satellites/discover';
import { globMatches } from '@/lib/satellites/glob';
import { buildInventory } from '@/lib/satellites/inventory';
import { readScanRoots } from '@/lib/satellites/roots';
import { ScanRefusedError, inspectFile, startSatelliteScan } from '@/lib/satellites/scan';
import { createDeclared, deleteDeclared, latestScan, listDeclared, scanFiles } from '@/lib/satellites/store';
import { SqliteProcessPool, shutdownSqlitePool } from '@/lib/sql-console/sqlite-process';
import { describeEachDatabase, tempDir } from './support/databases';

const DOCUMENTED = [
  'social_media_orchestrator/memory/orchestrator_posted_streams.db',
  'foundups_vision/data/training/*.db',
  'holo_index/violations.db',
  '**/chroma.sqlite3',
  'modules/foundups/simulator/memory/*/fam_audit.db',
  'modules/gamification/*/data/*.db',
];

const dirs: string[] = [];
function scratch(): string {
  const dir = tempDir('foundups-satellites-');
  dirs.push(dir);
  return dir;
}

const pool = new SqliteProcessPool(1);
afterAll(() => {
  pool.shutdown();
  shutdownSqlitePool();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function makeDb(file: string, journal: 'wal' | 'delete', rows = 3): void {
  const db = new BetterSqlite3(file);
  db.pragma(`journal_mode = ${journal}`);
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE notes (body TEXT)');
  const insert = db.prepare('INSERT INTO items (name) VALUES (?)');
  for (let i = 0; i < rows; i++) insert.run(`item ${i}`);
  db.close();
}

function fingerprint(file: string) {
  return {
    sha256: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
    mtimeMs: fs.statSync(file).mtimeMs,
    size: fs.statSync(file).size,
  };
}

/** Another process that opens `file` the way an agent does and holds BEGIN IMMEDIATE with an uncommitted insert. */
async function holdWriteTransaction(
  file: string,
): Promise<{ child: ChildProcessWithoutNullStreams; commit: () => Promise<string> }> {
  const code = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(file)});
    db.pragma('busy_timeout = 0');
    db.prepare('BEGIN IMMEDIATE').run();
    db.prepare("INSERT INTO items (name) VALUES ('uncommitted')").run();
    process.stdout.write('locked\\n');
    process.stdin.on('data', () => {
      try { db.prepare('COMMIT').run(); process.stdout.write('committed\\n'); }
      catch (e) { process.stdout.write('commit failed: ' + e.message + '\\n'); }
      db.close();
      process.exit(0);
    });`;
  const child = spawn(process.execPath, ['-e', code], { cwd: process.cwd() });
  let output = '';
  const waitFor = (text: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = text.exec(output);
        if (match) resolve(match[0]);
      };
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        check();
      });
      child.on('exit', () => (text.test(output) ? check() : reject(new Error(`writer exited: ${output}`))));
      check();
    });
  await waitFor(/locked/);
  return {
    child,
    commit: async () => {
      child.stdin.write('commit\n');
      return waitFor(/committed|commit failed: .*/);
    },
  };
}

function discovered(file: string, root = path.dirname(file)) {
  const stat = fs.statSync(file);
  return {
    root: { given: root, path: root, real: fs.realpathSync(root) },
    realPath: fs.realpathSync(file),
    relativePath: path.basename(file),
    sizeBytes: stat.size,
    modifiedAt: stat.mtime,
    reason: 'extension' as const,
  };
}

describe('declared satellite patterns', () => {
  it('match the demo root exactly as SCHEMA.md documents them (implicit leading **/, * within a segment)', () => {
    for (const satellite of SATELLITE_FILES.filter((s) => s.kind !== 'ignored')) {
      const matching = DOCUMENTED.filter((pattern) => globMatches(pattern, satellite.path));
      if (satellite.kind === 'documented') expect(matching, satellite.path).toContain(satellite.pattern);
      else expect(matching, satellite.path).toEqual([]);
    }
    expect(globMatches('modules/gamification/*/data/*.db', 'modules/gamification/a/b/data/x.db')).toBe(false);
    expect(globMatches('**/chroma.sqlite3', 'chroma.sqlite3')).toBe(true);
    expect(globMatches('/holo_index/violations.db', 'x/holo_index/violations.db')).toBe(false);
    expect(globMatches('holo_index/violations.db', 'x/holo_index/violations.db')).toBe(true);
    expect(globMatches('holo_index/violations.db', 'holo_index/violations.db.bak')).toBe(false);
    expect(globMatches('data/a.b.db', 'data/aXb.db')).toBe(false);
  });

  it('flag undocumented files, documented-but-missing entries (only once the scan is complete) and missing plans', () => {
    const declared = DOCUMENTED.map((pattern, i) => ({
      id: i + 1,
      pattern,
      owner: `owner ${i}`,
      rationale: 'r',
      phase: null,
      plan: i === 2 ? null : 'p',
      updatedBy: 'x',
      updatedAt: 'x',
    }));
    const file = (relPath: string) => ({
      fileKey: relPath,
      root: '/r',
      relPath,
      sizeBytes: 1,
      modifiedAt: 'x',
      status: 'ok' as const,
      access: null,
      journalMode: null,
      walPresent: false,
      isChroma: false,
      pageSize: null,
      tables: [],
      error: null,
      inspectMs: null,
    });
    const files = [file('holo_index/vectors/chroma.sqlite3'), file('modules/x/data/cache.db')];
    const done = buildInventory(declared, files, true);
    expect(done.files.map((f) => f.declared?.pattern ?? null)).toEqual(['**/chroma.sqlite3', null]);
    expect(
      done.violations
        .filter((v) => v.kind === 'undocumented')
        .map((v) => (v.kind === 'undocumented' ? v.path : '')),
    ).toEqual(['modules/x/data/cache.db']);
    expect(done.violations.filter((v) => v.kind === 'missing')).toHaveLength(5);
    expect(
      done.violations.filter((v) => v.kind === 'no-plan').map((v) => (v.kind === 'no-plan' ? v.pattern : '')),
    ).toEqual(['holo_index/violations.db']);
    expect(buildInventory(declared, files, false).violations.filter((v) => v.kind === 'missing')).toEqual([]);
  });
});

describe('FOUNDUPS_ROOT', () => {
  it('takes several roots separated by the path delimiter, relative to the working directory, and refuses the rest clearly', () => {
    const a = scratch();
    const b = scratch();
    const file = path.join(a, 'plain.txt');
    fs.writeFileSync(file, 'x');
    const ok = readScanRoots({ FOUNDUPS_ROOT: [a, path.relative(process.cwd(), b)].join(path.delimiter) });
    expect(ok.problems).toEqual([]);
    expect(ok.roots.map((root) => root.path)).toEqual([a, b]);
    const bad = readScanRoots({ FOUNDUPS_ROOT: [a, path.join(a, 'missing'), file].join(path.delimiter) });
    expect(bad.problems).toEqual([
      `FOUNDUPS_ROOT entry "${path.join(a, 'missing')}" does not exist (resolved to ${path.join(a, 'missing')}).`,
      `FOUNDUPS_ROOT entry "${file}" is a file, not a folder (${file}).`,
    ]);
    expect(readScanRoots({}).problems[0]).toMatch(/FOUNDUPS_ROOT is not set/);
    // A root inside another one is scanned once.
    fs.mkdirSync(path.join(a, 'inner'));
    expect(
      readScanRoots({ FOUNDUPS_ROOT: [a, path.join(a, 'inner')].join(path.delimiter) }).roots.map(
        (root) => root.path,
      ),
    ).toEqual([a]);
  });
});

describe('discovery', () => {
  it('finds .db/.sqlite/.sqlite3 files and files with the SQLite header, skipping node_modules, .git and links out of the root', async () => {
    const root = scratch();
    const outside = scratch();
    fs.mkdirSync(path.join(root, 'a/b'), { recursive: true });
    fs.mkdirSync(path.join(root, 'node_modules/pkg'), { recursive: true });
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    makeDb(path.join(root, 'a/b/one.sqlite3'), 'delete');
    makeDb(path.join(root, 'a/store'), 'delete');
    makeDb(path.join(root, 'node_modules/pkg/skip.db'), 'delete');
    makeDb(path.join(root, '.git/skip.db'), 'delete');
    makeDb(path.join(outside, 'secret.db'), 'delete');
    fs.writeFileSync(path.join(root, 'a/empty.db'), '');
    fs.writeFileSync(path.join(root, 'a/notes.txt'), 'x'.repeat(1024));
    fs.symlinkSync(outside, path.join(root, 'a/escape'));
    fs.symlinkSync(path.join(outside, 'secret.db'), path.join(root, 'a/secret-link.db'));
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'a/b/loop'));
    const roots = readScanRoots({ FOUNDUPS_ROOT: root }).roots;
    const result = await discoverSqliteFiles(roots);
    expect(result.files.map((file) => [file.relativePath, file.reason])).toEqual([
      ['a/b/one.sqlite3', 'extension'],
      ['a/empty.db', 'extension'],
      ['a/store', 'header'],
    ]);
    expect(result.skippedLinks.toSorted()).toEqual(['a/escape', 'a/secret-link.db']);
  });
});

describe('read-only satellite access', () => {
  it('leaves a closed file byte-for-byte and mtime unchanged and creates no -wal/-shm/-journal, in WAL and rollback mode', async () => {
    for (const journal of ['wal', 'delete'] as const) {
      const dir = scratch();
      const file = path.join(dir, `sat-${journal}.db`);
      makeDb(file, journal);
      const before = fingerprint(file);
      const listing = fs.readdirSync(dir);
      const result = await inspectFile(pool, discovered(file));
      expect(result).toMatchObject({
        status: 'ok',
        access: 'immutable',
        journalMode: journal === 'wal' ? 'wal' : 'rollback',
      });
      expect(result.tables).toEqual([
        expect.objectContaining({ name: 'items', rows: 3 }),
        expect.objectContaining({ name: 'notes', rows: 0 }),
      ]);
      // Browsing its tables goes through the same read-only opening.
      const target = { kind: 'satellite' as const, file };
      const relation = (await openRelation(target, 'items'))!;
      const page = await readTablePage(target, relation, {
        page: 1,
        pageSize: 25,
        sort: { column: 'id', dir: 'desc' },
        filters: [],
      });
      expect(page.rows.map((row) => row[1])).toEqual(['item 2', 'item 1', 'item 0']);
      expect(await openRelation(target, 'items; DROP TABLE items')).toBeNull();
      expect(fingerprint(file)).toEqual(before);
      expect(fs.readdirSync(dir)).toEqual(listing);
    }
  });

  it('reads a file while its owner holds a write transaction, never blocking the owner’s commit', async () => {
    for (const journal of ['wal', 'delete'] as const) {
      const dir = scratch();
      const file = path.join(dir, `busy-${journal}.db`);
      makeDb(file, journal);
      const writer = await holdWriteTransaction(file);
      try {
        const listing = fs.readdirSync(dir).toSorted();
        const during = await inspectFile(pool, discovered(file));
        expect(during.status).toBe('ok');
        // The uncommitted row is not seen; nothing the owner would need was created or locked.
        expect(during.tables.find((table) => table.name === 'items')?.rows).toBe(3);
        expect(during.access).toBe(journal === 'wal' ? 'wal-reader' : 'immutable');
        expect(fs.readdirSync(dir).toSorted()).toEqual(listing);
        // The owner's COMMIT, with no busy timeout at all, goes through; then it closes as usual.
        expect(await writer.commit()).toBe('committed');
        if (writer.child.exitCode === null)
          await new Promise((resolve) => writer.child.once('exit', resolve));
      } finally {
        writer.child.kill();
      }
      const after = await inspectFile(pool, discovered(file));
      expect(
        after.tables.find((table) => table.name === 'items')?.rows,
        `${journal} ${after.access} ${JSON.stringify(after.tables)}`,
      ).toBe(4);
    }
  });

  it('reads a WAL file whose owner crashed with rows still in the -wal, leaving the database file untouched', async () => {
    const dir = scratch();
    const file = path.join(dir, 'crashed.db');
    makeDb(file, 'wal');
    const code = `const Database = require('better-sqlite3'); const db = new Database(${JSON.stringify(file)}); db.prepare("INSERT INTO items (name) VALUES ('in the wal')").run(); process.stdout.write('written\\n'); setInterval(() => {}, 1000);`;
    const owner = spawn(process.execPath, ['-e', code], { cwd: process.cwd() });
    await new Promise((resolve) => owner.stdout.once('data', resolve));
    owner.kill('SIGKILL');
    await new Promise((resolve) => owner.once('exit', resolve));
    const before = fingerprint(file);
    const listing = fs.readdirSync(dir).toSorted();
    expect(listing).toEqual(['crashed.db', 'crashed.db-shm', 'crashed.db-wal']);
    const result = await inspectFile(pool, discovered(file));
    expect(result).toMatchObject({ status: 'ok', access: 'wal-reader', walPresent: true });
    expect(result.tables.find((table) => table.name === 'items')?.rows).toBe(4);
    expect(fingerprint(file)).toEqual(before);
    expect(fs.readdirSync(dir).toSorted()).toEqual(listing);
  });

  it('time-boxes each file: a slow one is stopped (its worker killed) and reported, and the next file is inspected', async () => {
    const dir = scratch();
    const slow = path.join(dir, 'slow.db');
    const db = new BetterSqlite3(slow);
    db.exec(
      "CREATE TABLE a_small (x); INSERT INTO a_small VALUES (1); CREATE TABLE b_big (x INTEGER PRIMARY KEY, pad TEXT); INSERT INTO b_big (pad) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT printf('%020d', x) FROM c",
    );
    db.close();
    const quick = path.join(dir, 'quick.db');
    makeDb(quick, 'delete');
    const started = Date.now();
    const stopped = await inspectFile(pool, discovered(slow), 12);
    expect(stopped.status).toBe('timeout');
    expect(stopped.error).toMatch(/^Stopped after 0.012 s \(\d tables? counted before that\)\.$/);
    expect(stopped.tables.every((table) => table.name === 'a_small')).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await inspectFile(pool, discovered(quick))).status).toBe('ok');
  });
});

let demoRoot: string;
beforeAll(async () => {
  demoRoot = path.join(scratch(), 'root');
  await createDemoRoot(demoRoot, { now: new Date('2025-06-01T12:00:00Z') });
}, 60_000);

describeEachDatabase('satellite scan job and inventory', (use) => {
  it('refuses to start with a bad FOUNDUPS_ROOT, saying why', async () => {
    const roots = readScanRoots({ FOUNDUPS_ROOT: path.join(demoRoot, 'nope') });
    await expect(startSatelliteScan(use().db, 'tester', { roots })).rejects.toBeInstanceOf(ScanRefusedError);
    await expect(startSatelliteScan(use().db, 'tester', { roots })).rejects.toThrow(/does not exist/);
  });

  it('scans the demo root in the background: documented files matched, the undocumented ones and ChromaDB flagged', async () => {
    const { db } = use();
    expect((await listDeclared(db)).map((entry) => entry.pattern).toSorted()).toEqual(DOCUMENTED.toSorted());
    const roots = readScanRoots({ FOUNDUPS_ROOT: demoRoot });
    const { job, started } = await startSatelliteScan(db, 'tester', { roots });
    expect(started).toBe(true);
    expect(job.status).toBe('running');
    // A second start while it runs joins it.
    expect((await startSatelliteScan(db, 'tester', { roots })).job.id).toBe(job.id);
    await jobSettled(job.id);
    const scan = (await latestScan(db))!;
    const expected = SATELLITE_FILES.filter((s) => s.kind !== 'ignored').length;
    expect(scan).toMatchObject({
      id: job.id,
      status: 'done',
      progressDone: expected,
      progressTotal: expected,
    });
    const files = await scanFiles(db, job.id);
    expect(files.map((file) => file.relPath)).not.toContain('node_modules/sqlite-test-fixtures/fixture.db');
    const inventory = buildInventory(await listDeclared(db), files, true);
    const undocumented = inventory.violations.flatMap((v) => (v.kind === 'undocumented' ? [v.path] : []));
    expect(undocumented.toSorted()).toEqual(
      SATELLITE_FILES.filter((s) => s.kind === 'undocumented')
        .map((s) => s.path)
        .toSorted(),
    );
    expect(inventory.violations.filter((v) => v.kind === 'missing')).toEqual([]);
    const chroma = files.find((file) => file.relPath.endsWith('chroma.sqlite3'))!;
    expect(chroma).toMatchObject({ status: 'ok', isChroma: true });
    expect(chroma.tables.find((table) => table.name === 'embeddings')?.rows).toBe(200);
    expect(files.find((file) => file.relPath.endsWith('chat_history.db'))).toMatchObject({
      status: 'empty',
      sizeBytes: 0,
    });
    expect(
      files.filter((file) => file.status === 'ok' && !file.isChroma).every((file) => !file.isChroma),
    ).toBe(true);
  });

  it('reports a declared satellite that is gone as documented but missing, and an admin-declared pattern as documented', async () => {
    const { db } = use();
    const added = await createDeclared(
      db,
      {
        pattern: 'modules/communication/livechat/data/cache.db',
        owner: 'LiveChat',
        rationale: 'API cache',
        phase: 2,
        plan: 'move into modules_livechat_cache',
      },
      'tester',
    );
    const extra = await createDeclared(
      db,
      { pattern: 'nowhere/*.db', owner: 'Nobody', rationale: 'test', phase: null, plan: null },
      'tester',
    );
    await expect(
      createDeclared(
        db,
        { pattern: 'nowhere/*.db', owner: 'x', rationale: 'y', phase: null, plan: null },
        'tester',
      ),
    ).rejects.toThrow(/already declared/);
    const roots = readScanRoots({ FOUNDUPS_ROOT: demoRoot });
    const { job } = await startSatelliteScan(db, 'tester', { roots });
    await jobSettled(job.id);
    const inventory = buildInventory(await listDeclared(db), await scanFiles(db, job.id), true);
    expect(
      inventory.files.find((file) => file.relPath.endsWith('livechat/data/cache.db'))?.declared?.id,
    ).toBe(added.id);
    expect(
      inventory.violations
        .filter((v) => v.kind === 'missing')
        .map((v) => (v.kind === 'missing' ? v.pattern : '')),
    ).toEqual(['nowhere/*.db']);
    await deleteDeclared(db, extra.id);
    await deleteDeclared(db, added.id);
  });
});

describe('declared satellite input', () => {
  it('validates what an admin types, with a message per field', async () => {
    const { declaredInputSchema } = await import('@/lib/satellites/validations');
    const ok = declaredInputSchema.safeParse({
      pattern: ' modules/x/*.db ',
      owner: 'X',
      rationale: 'cache',
      phase: '2',
      plan: '',
    });
    expect(ok.success && ok.data).toEqual({
      pattern: 'modules/x/*.db',
      owner: 'X',
      rationale: 'cache',
      phase: 2,
      plan: null,
    });
    const bad = declaredInputSchema.safeParse({
      pattern: '../outside/*.db',
      owner: '',
      rationale: 'r',
      phase: '12',
    });
    expect(bad.success).toBe(false);
    const messages = bad.success
      ? {}
      : Object.fromEntries(bad.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
    expect(messages).toEqual({
      pattern: 'The pattern must stay inside the root (no ".." segments).',
      owner: 'The owner is required.',
      phase: 'Phases go up to 9.',
    });
    expect(declaredInputSchema.safeParse({ pattern: 'data/', owner: 'a', rationale: 'b' }).success).toBe(
      false,
    );
  });
});
