import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { sql } from '@/db/database';
import { ingestJsonl } from '@/lib/ingest/ingest';
import { getIngestRun } from '@/lib/ingest/queries';
import { tempDir } from './support/databases';

// kill -9 in the middle of an ingest, then resume: nothing lost, nothing twice, the database intact,
// the source untouched — and an agent writing to the same database all along is never locked out.

const PROJECT = path.resolve(__dirname, '..');
const LINES = 300_000;

function line(i: number): string {
  return JSON.stringify({
    timestamp: new Date(Date.UTC(2025, 10, 1) + i * 1000).toISOString(),
    metric: i % 2 ? 'search_latency_ms' : 'results_returned',
    value: i,
    unit: 'ms',
    module: 'holo_index',
    agent_id: `agent_${i % 17}`,
    tags: { env: 'prod', seq: i },
  });
}

const sha256 = (data: Buffer | string) => crypto.createHash('sha256').update(data).digest('hex');

describe('ingest survives kill -9 [sqlite]', () => {
  let dir = '';
  let dbFile = '';
  let jsonl = '';
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dir = tempDir('foundups-ingest-kill-');
    dbFile = path.join(dir, 'foundups.db');
    jsonl = path.join(dir, 'holo_index', 'logs', 'search_metrics.jsonl');
    fs.mkdirSync(path.dirname(jsonl), { recursive: true });
    const chunks: string[] = [];
    for (let i = 0; i < LINES; i++) chunks.push(line(i));
    fs.writeFileSync(jsonl, `${chunks.join('\n')}\n`);
    const db = await openDatabase({ dialect: 'sqlite', path: dbFile });
    await db.close();
    // The child runs the real CLI command through tsx, as `foundups ingest` does.
    fs.writeFileSync(
      path.join(dir, 'ingest-child.mts'),
      `import { parseArgs } from ${JSON.stringify(pathToFileURL(path.join(PROJECT, 'scripts/cli/args.ts')).href)};
import { ingestCommand } from ${JSON.stringify(pathToFileURL(path.join(PROJECT, 'scripts/cli/ingest-commands.ts')).href)};
process.exitCode = await ingestCommand(parseArgs(['ingest', ...process.argv.slice(2)]));
`,
    );
  });

  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('resumes at the last committed batch: no loss, no duplicates, integrity ok, source unchanged', async () => {
    const sourceBefore = { hash: sha256(fs.readFileSync(jsonl)), mtime: fs.statSync(jsonl).mtimeMs };
    const stderr: string[] = [];
    child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(dir, 'ingest-child.mts'), jsonl, '--batch', '2000', '--root', dir],
      {
        cwd: PROJECT,
        env: { ...process.env, FOUNDUPS_DB_PATH: dbFile, DATABASE_URL: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const exited = new Promise<void>((resolve) => child!.on('exit', () => resolve()));

    // An agent: its own connection with the agents' pragmas, writing while the ingest runs.
    const agent = new BetterSqlite3(dbFile, { timeout: 5000 });
    agent.pragma('busy_timeout = 5000');
    const breadcrumb = agent.prepare(
      "INSERT INTO agents_breadcrumbs (session_id, action, agent_id) VALUES ('kill-test', 'tick', '0102')",
    );
    const checkpoint = agent.prepare(
      'SELECT committed_offset, lines_committed FROM modules_console_ingest_files',
    );
    let agentWrites = 0;
    let killedAt: { committed_offset: number; lines_committed: number } | undefined;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && child.exitCode === null) {
      breadcrumb.run();
      agentWrites += 1;
      const row = checkpoint.get() as { committed_offset: number; lines_committed: number } | undefined;
      // Kill once a few batches are in, well before the end.
      if (row && row.lines_committed >= 10_000) {
        child.kill('SIGKILL');
        killedAt = row;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await exited;
    agent.close();
    expect(stderr.join('')).not.toMatch(/Error/);
    expect(child.signalCode).toBe('SIGKILL');
    expect(killedAt).toBeDefined();
    expect(agentWrites).toBeGreaterThan(0);

    const db = await openDatabase({ dialect: 'sqlite', path: dbFile });
    try {
      // What the kill left: whole batches only, the checkpoint on a batch boundary, ledger = rows.
      const [left] = await db.all<{ rows: number; ledger: number; committed: number; lines: number }>(
        sql`SELECT (SELECT COUNT(*) FROM metrics_events) AS rows, (SELECT COUNT(*) FROM modules_console_ingest_lines) AS ledger,
                   f.committed_offset AS committed, f.lines_committed AS lines FROM modules_console_ingest_files f`,
      );
      expect(left!.rows).toBe(left!.ledger);
      expect(left!.rows).toBe(left!.lines);
      expect(left!.lines % 2000).toBe(0);
      expect(left!.lines).toBeLessThan(LINES);
      expect(left!.committed).toBe(
        Buffer.byteLength(`${Array.from({ length: left!.lines }, (_, i) => line(i)).join('\n')}\n`),
      );
      expect(await db.all(sql`PRAGMA integrity_check`)).toEqual([{ integrity_check: 'ok' }]);

      const resumed = await ingestJsonl(db, 'test-resume', { paths: [jsonl], root: dir });
      expect(resumed.status).toBe('succeeded');
      expect(resumed.files[0]).toMatchObject({
        alreadyPresent: left!.lines,
        inserted: LINES - left!.lines,
        rejected: 0,
        linesRead: LINES,
        reconciled: true,
      });
      // The killed run is recorded as interrupted (its process is gone).
      const killedRun = await db.get<{ id: number }>(
        sql`SELECT id FROM modules_console_ingest_runs WHERE started_by <> 'test-resume' ORDER BY id LIMIT 1`,
      );
      expect((await getIngestRun(db, Number(killedRun!.id)))!.status).toBe('interrupted');

      // Count by content: every line exactly once.
      const [counts] = await db.all<{
        n: number;
        distinct_lines: number;
        distinct_values: number;
        ledger: number;
      }>(
        sql`SELECT COUNT(*) AS n, COUNT(DISTINCT tags_json) AS distinct_lines, COUNT(DISTINCT value) AS distinct_values,
                   (SELECT COUNT(*) FROM modules_console_ingest_lines) AS ledger FROM metrics_events`,
      );
      expect(counts).toEqual({ n: LINES, distinct_lines: LINES, distinct_values: LINES, ledger: LINES });
      const stored = (
        await db.all<{ tags_json: string }>(sql`SELECT tags_json FROM metrics_events ORDER BY value`)
      ).map((row) => row.tags_json);
      expect(sha256(stored.join('\n'))).toBe(
        sha256(Array.from({ length: LINES }, (_, i) => line(i)).join('\n')),
      );
      expect(await db.all(sql`PRAGMA integrity_check`)).toEqual([{ integrity_check: 'ok' }]);
      const ticks = await db.get<{ n: number }>(
        sql`SELECT COUNT(*) AS n FROM agents_breadcrumbs WHERE session_id = 'kill-test'`,
      );
      expect(Number(ticks!.n)).toBe(agentWrites);
    } finally {
      await db.close();
    }
    expect({ hash: sha256(fs.readFileSync(jsonl)), mtime: fs.statSync(jsonl).mtimeMs }).toEqual(sourceBefore);
  }, 180_000);
});
