import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '@/db/client';
import { sql } from '@/db/database';
import type { IngestProgress } from '@/lib/ingest/ingest';
import { createProgressReporter, formatDuration, progressLine } from '@/lib/ingest/progress';
import { UsageError, parseArgs } from '@/scripts/cli/args';
import { auditCommand, ingestCommand } from '@/scripts/cli/ingest-commands';
import { tempDir } from './support/databases';

// `foundups audit` and `foundups ingest` as an operator runs them: output, stored report, exit codes.

const FIXTURES = path.join(__dirname, 'fixtures', 'jsonl');

describe('foundups audit / ingest', () => {
  let dir = '';
  let root = '';
  let dbFile = '';
  const saved = {
    db: process.env.FOUNDUPS_DB_PATH,
    url: process.env.DATABASE_URL,
    root: process.env.FOUNDUPS_ROOT,
  };
  let output: string[] = [];

  beforeAll(() => {
    dir = tempDir('foundups-ingest-cli-');
    root = path.join(dir, 'root');
    fs.cpSync(FIXTURES, root, { recursive: true });
    dbFile = path.join(dir, 'foundups.db');
    process.env.FOUNDUPS_DB_PATH = dbFile;
    delete process.env.DATABASE_URL;
    delete process.env.FOUNDUPS_ROOT;
  });
  afterAll(() => {
    for (const [key, value] of [
      ['FOUNDUPS_DB_PATH', saved.db],
      ['DATABASE_URL', saved.url],
      ['FOUNDUPS_ROOT', saved.root],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const capture = () => {
    output = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void output.push(args.join(' ')));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  };
  afterEach(() => vi.restoreAllMocks());

  it('audit writes the JSON report, prints the table and stores the report (not with --dry-run)', async () => {
    capture();
    const out = path.join(dir, 'reports', 'audit.json');
    expect(await auditCommand(parseArgs(['audit', root, '--out', out, '--dry-run']))).toBe(0);
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(report.totals.files).toBe(8);
    const text = output.join('\n');
    expect(text).toMatch(/8 JSONL files/);
    expect(text).toMatch(/Unknown domain \(ingest with --domain\)/);
    expect(text).toMatch(/Not stored \(--dry-run\)/);
    const db = await openDatabase({ dialect: 'sqlite', path: dbFile });
    try {
      expect(await db.all(sql`SELECT id FROM modules_console_ingest_audits`)).toEqual([]);
      capture();
      expect(await auditCommand(parseArgs(['audit', root]))).toBe(0);
      expect(await db.all(sql`SELECT files FROM modules_console_ingest_audits`)).toEqual([{ files: 8 }]);
    } finally {
      await db.close();
    }
  });

  it('ingest prints the validation report; a re-run inserts nothing; a boolean flag before a path keeps the path', async () => {
    capture();
    expect(await ingestCommand(parseArgs(['ingest', root]))).toBe(0);
    const text = output.join('\n');
    expect(text).toMatch(
      /51 lines read = 0 already present \+ 25 inserted \+ 21 rejected \+ 4 blank \+ 1 pending partial/,
    );
    expect(text).toMatch(/quarantined in modules_console_ingest_rejects/);
    expect(text).not.toMatch(/MISMATCH/);
    capture();
    // `--finalize PATH`: the parser hands PATH to the flag; the command takes it back as a path.
    expect(
      await ingestCommand(
        parseArgs([
          'ingest',
          '--finalize',
          path.join(root, 'modules/ai_intelligence/agent_permissions/memory/permission_events.jsonl'),
          '--root',
          root,
        ]),
      ),
    ).toBe(0);
    expect(output.join('\n')).toMatch(
      /19 lines read = 18 already present \+ 0 inserted \+ 1 rejected \+ 0 blank \+ 0 pending partial\./,
    );
    capture();
    expect(await ingestCommand(parseArgs(['ingest', root, '--json']))).toBe(0);
    const report = JSON.parse(output.join('\n'));
    expect(report.totals).toMatchObject({ inserted: 0, rejected: 0, alreadyPresent: 51 });
  });

  it('exits 1 when a file was rewritten in place, and refuses bad options with a usage error', async () => {
    fs.writeFileSync(
      path.join(root, 'holo_index/logs/search_metrics.jsonl'),
      '{"timestamp": "2025-11-22T00:00:00", "metric": "m", "value": 1}\n',
    );
    capture();
    expect(await ingestCommand(parseArgs(['ingest', root]))).toBe(1);
    expect(output.join('\n')).toMatch(/--accept-rewrite/);
    await expect(ingestCommand(parseArgs(['ingest', root, '--domain', 'weather']))).rejects.toThrow(
      UsageError,
    );
    await expect(ingestCommand(parseArgs(['ingest']))).rejects.toThrow(/needs a folder or file/);
    await expect(ingestCommand(parseArgs(['ingest', path.join(dir, 'missing.jsonl')]))).rejects.toThrow(
      /no such file or folder/,
    );
    await expect(auditCommand(parseArgs(['audit', path.join(dir, 'missing')]))).rejects.toThrow(
      /no such file or folder/,
    );
  });
});

describe('progress display', () => {
  const progress = (done: number): IngestProgress => ({
    runId: 1,
    filesTotal: 3,
    filesDone: 1,
    currentFile: '/x/logs/youtube_dae_heartbeat.jsonl',
    bytesTotal: 1000,
    bytesDone: done,
    linesDone: done * 10,
    inserted: done * 9,
    rejected: done,
    linesPerSecond: 250_000,
    etaSeconds: 75,
    elapsedMs: 1000,
  });

  it('formats rate, ETA and file', () => {
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('--:--');
    const { bar, text } = progressLine(progress(500), 10);
    expect(bar).toBe('[====>     ]');
    expect(text).toBe(
      ' 50.0% 5,000 lines (4,500 in, 500 rejected) 250,000 lines/s ETA 1:15 2/3 youtube_dae_heartbeat.jsonl',
    );
  });

  it('redraws in place on a terminal and prints plain lines elsewhere', () => {
    let clock = 0;
    const tty: string[] = [];
    const bar = createProgressReporter(
      { isTTY: true, columns: 200, write: (s: string) => tty.push(s) },
      { now: () => clock },
    );
    bar.onProgress(progress(100));
    clock += 50;
    bar.onProgress(progress(200)); // within 100 ms: not drawn
    clock += 100;
    bar.onProgress(progress(300));
    bar.done();
    // Two redraws; done() adds no third copy of what is shown, only the newline.
    expect(tty.filter((s) => s.startsWith('\r'))).toHaveLength(2);
    expect(tty.at(-1)).toBe('\n');
    const plain: string[] = [];
    clock = 0;
    const log = createProgressReporter(
      { isTTY: false, write: (s: string) => plain.push(s) },
      { now: () => clock, plainEveryMs: 5000 },
    );
    log.onProgress(progress(100));
    clock += 1000;
    log.onProgress(progress(200));
    clock += 5000;
    log.onProgress(progress(300));
    clock += 1000;
    log.onProgress(progress(400)); // not printed yet: done() prints it
    log.done();
    expect(
      plain.every((line) => line.startsWith('ingest: ') && line.endsWith('\n') && !line.includes('\r')),
    ).toBe(true);
    expect(plain).toHaveLength(3);
  });
});
