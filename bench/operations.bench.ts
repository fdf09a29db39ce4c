// Backups while an agent writes: which copy method holds the writer less, and how long a backup of a
// ~1 GB file takes. Usage: node --import tsx bench/operations.bench.ts [--gb 1] [--keep-file]
//
// A separate process inserts rows as fast as it can (autocommit, busy_timeout 5000, like the agents)
// for the whole run; its insert latencies are reported for a quiet baseline and during each backup.
// VACUUM INTO runs through the console's own code path (createBackup: worker thread, verification,
// sha256); the online backup API runs with 256-page steps, and its restarts are counted (SQLite
// restarts a backup when another connection writes between two steps).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '@/db/client';
import { createBackup } from '@/lib/operations/backup';

const args = process.argv.slice(2);
const gb = Number(args[args.indexOf('--gb') + 1] ?? 1) || 1;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foundups-bench-ops-'));
const file = path.join(dir, 'foundups.db');
const ROW_BYTES = 1000;

function generate(): void {
  const started = performance.now();
  const conn = new BetterSqlite3(file);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = OFF');
  conn.exec('CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = conn.prepare('INSERT INTO bench_rows (body) VALUES (?)');
  const rows = Math.round((gb * 1024 ** 3) / (ROW_BYTES + 20));
  const chunk = Buffer.alloc(ROW_BYTES);
  for (let done = 0; done < rows;) {
    conn.transaction(() => {
      for (let i = 0; i < 50_000 && done < rows; i += 1, done += 1) {
        for (let j = 0; j < ROW_BYTES; j += 4) chunk.writeUInt32LE((Math.random() * 0xffffffff) >>> 0, j);
        insert.run(chunk.toString('base64', 0, (ROW_BYTES * 3) / 4));
      }
    })();
  }
  conn.pragma('wal_checkpoint(TRUNCATE)');
  conn.close();
  console.log(
    `generated ${rows} rows, ${(fs.statSync(file).size / 1024 ** 2).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

interface WriterStats {
  inserts: number;
  p50: number;
  p99: number;
  max: number;
  over50ms: number;
}

/** The agent stand-in: inserts until told to report, then prints the latencies of that window. */
function startWriter(): Promise<{ child: ChildProcess; window: () => Promise<WriterStats> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(file)}, { timeout: 5000 });
    db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE IF NOT EXISTS agent_rows (id INTEGER PRIMARY KEY, at TEXT, body TEXT)');
    const insert = db.prepare("INSERT INTO agent_rows (at, body) VALUES (datetime('now'), ?)");
    let lat = [];
    process.stdin.on('data', () => {
      const sorted = Float64Array.from(lat).sort();
      const q = (p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : 0;
      process.stdout.write(JSON.stringify({ inserts: lat.length, p50: q(0.5), p99: q(0.99), max: sorted[sorted.length - 1] || 0, over50ms: lat.filter((x) => x > 50).length }) + '\\n');
      lat = [];
    });
    process.stdout.write('ready\\n');
    const tick = () => { for (let i = 0; i < 20; i++) { const t = performance.now(); insert.run('x'.repeat(200)); lat.push(performance.now() - t); } setImmediate(tick); };
    tick();
  `;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: process.cwd(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve) => {
    child.stdout!.once('data', () =>
      resolve({
        child,
        window: () =>
          new Promise((done) => {
            child.stdout!.once('data', (data: Buffer) => done(JSON.parse(data.toString()) as WriterStats));
            child.stdin!.write('x');
          }),
      }),
    );
  });
}

const fmt = (s: WriterStats) =>
  `${s.inserts} inserts, p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, max ${s.max.toFixed(1)} ms, ${s.over50ms} over 50 ms`;

async function main(): Promise<void> {
  generate();
  const writer = await startWriter();
  await writer.window(); // discard warm-up
  await new Promise((resolve) => setTimeout(resolve, 5000));
  console.log(`writer, no backup (5 s):          ${fmt(await writer.window())}`);

  const db = await openDatabase({ dialect: 'sqlite', path: file }, { migrate: true });
  await writer.window();
  let copyDone = 0;
  const started = performance.now();
  const result = await createBackup(db, {
    directory: path.join(dir, 'backups'),
    startedBy: 'bench',
    onProgress: (p) => {
      if (p.phase === 'verifying' && !copyDone) copyDone = performance.now();
    },
  });
  const during = await writer.window();
  console.log(
    `VACUUM INTO (createBackup): copy ${((copyDone - started) / 1000).toFixed(1)} s, total with integrity_check + sha256 ${(result.durationMs / 1000).toFixed(1)} s, ${(result.sizeBytes / 1024 ** 2).toFixed(0)} MB`,
  );
  console.log(`writer during VACUUM INTO backup: ${fmt(during)}`);

  const conn = new BetterSqlite3(file, { timeout: 5000 });
  await writer.window();
  let restarts = 0;
  let lastRemaining = Infinity;
  const apiStarted = performance.now();
  const limitMs = 180_000;
  let finished = true;
  try {
    await conn.backup(path.join(dir, 'api-copy.db'), {
      progress: ({ remainingPages }) => {
        if (remainingPages > lastRemaining) restarts += 1;
        lastRemaining = remainingPages;
        if (performance.now() - apiStarted > limitMs) throw new Error('gave up');
        return 256;
      },
    });
  } catch {
    finished = false;
  }
  const apiDuring = await writer.window();
  console.log(
    `backup API (256-page steps): ${finished ? 'finished' : `gave up after ${limitMs / 1000} s`} in ${((performance.now() - apiStarted) / 1000).toFixed(1)} s, ${restarts} restart(s)`,
  );
  console.log(`writer during backup API:         ${fmt(apiDuring)}`);
  conn.close();
  writer.child.kill();
  await db.close();
  if (!args.includes('--keep-file')) fs.rmSync(dir, { recursive: true, force: true });
}

await main();
