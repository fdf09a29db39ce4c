// JSONL ingest benchmark: `npx tsx bench/ingest.bench.ts [--lines N] [--gb X] [--compare-triggers]`.
//
// Generates a JSONL file of metric records (the shape holo_index writes) in a temporary folder,
// ingests it into a fresh, migrated SQLite database with the real engine (ledger, checkpoints, the
// table's four indexes), and samples the process's RSS while it runs to show memory stays flat as
// the file grows. Then loads the same file with Debian's `sqlite-utils insert --nl` into another
// fresh SQLite file and prints both rates side by side, their ratio, and the batch transactions'
// durations (how long the write lock is held at a time). Everything it writes is deleted at the end.
//
// While the timeline's rollups are still kept by per-row AFTER INSERT triggers (before migration
// 0005 replaces them with a refresh after the run), the main measurement drops those triggers on its
// scratch database and says so; --compare-triggers also measures with them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '@/db/client';
import { sql } from '@/db/database';
import { SqliteDatabase } from '@/db/drivers/sqlite';
import { ingestJsonl } from '@/lib/ingest/ingest';
import { formatBytes } from '@/lib/ingest/progress';

interface Args {
  lines: number | null;
  gb: number | null;
  compareTriggers: boolean;
}

function parse(argv: string[]): Args {
  const args: Args = { lines: null, gb: null, compareTriggers: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return Number(next.replaceAll('_', ''));
    };
    if (arg === '--lines') args.lines = value();
    else if (arg === '--gb') args.gb = value();
    else if (arg === '--compare-triggers') args.compareTriggers = true;
    else throw new Error(`Unknown option ${arg} (use --lines N, --gb X, --compare-triggers)`);
  }
  if (args.lines === null && args.gb === null) args.lines = 1_000_000;
  if ((args.lines !== null && !(args.lines > 0)) || (args.gb !== null && !(args.gb > 0)))
    throw new Error('--lines and --gb must be positive');
  return args;
}

const AGENTS = ['0102', 'gemma', 'qwen', 'grok', 'x_agent', 'linkedin_agent', 'holo_dae'];
const METRICS = [
  ['search_latency_ms', 'ms'],
  ['results_returned', 'count'],
  ['tokens_used', 'tokens'],
  ['pattern_recall_ms', 'ms'],
] as const;

function record(i: number): string {
  const [metric, unit] = METRICS[i % METRICS.length]!;
  // Python's json.dumps spacing and datetime.now().isoformat() times, one second apart.
  const at = new Date(Date.UTC(2025, 0, 1) + i * 1000)
    .toISOString()
    .replace('Z', `${String(i % 1000).padStart(3, '0')}`);
  return `{"timestamp": "${at}", "metric": "${metric}", "value": ${(i % 9973) / 10}, "unit": "${unit}", "module": "holo_index", "agent_id": "${AGENTS[i % AGENTS.length]}", "tags": {"env": "prod", "host": "012-desktop"}}`;
}

/** Writes the file in slices (constant memory) and returns how many lines it holds. */
function generate(file: string, args: Args): number {
  const fd = fs.openSync(file, 'w');
  const targetBytes = args.gb !== null ? args.gb * 1024 ** 3 : Infinity;
  const targetLines = args.lines ?? Infinity;
  let lines = 0;
  let bytes = 0;
  try {
    while (lines < targetLines && bytes < targetBytes) {
      const slice: string[] = [];
      for (let k = 0; k < 10_000 && lines < targetLines && bytes < targetBytes; k++) {
        const text = `${record(lines)}\n`;
        slice.push(text);
        bytes += Buffer.byteLength(text);
        lines += 1;
      }
      fs.writeSync(fd, slice.join(''));
    }
  } finally {
    fs.closeSync(fd);
  }
  return lines;
}

interface EngineResult {
  seconds: number;
  cpuSeconds: number;
  linesPerSecond: number;
  peakRss: number;
  rssAt: { lines: number; rss: number }[];
  dbBytes: number;
  batches: { batches: number; p50Ms: number; p95Ms: number; maxMs: number };
  /** Seconds from the start to the last batch's commit: reading, mapping and writing the lines. */
  batchPhaseSeconds: number;
  droppedTriggers: string[];
}

async function runEngine(
  file: string,
  dir: string,
  lines: number,
  label: string,
  dropTriggers: boolean,
): Promise<EngineResult> {
  const dbFile = path.join(dir, `${label}.db`);
  const db = await openDatabase({ dialect: 'sqlite', path: dbFile });
  const droppedTriggers: string[] = [];
  if (dropTriggers && db instanceof SqliteDatabase) {
    for (const { name } of db.connection
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'metrics_events' AND name LIKE 'trg_timeline_%_insert' ORDER BY name",
      )
      .all() as { name: string }[]) {
      db.connection.exec(`DROP TRIGGER "${name}"`);
      droppedTriggers.push(name);
    }
  }
  // RSS at a quarter, half, three quarters and the end of the file: flat means constant memory.
  const marks = [0.25, 0.5, 0.75, 1].map((share) => Math.round(lines * share));
  const rssAt: EngineResult['rssAt'] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let lastPrint = 0;
  let lastBatchAt = started;
  let report: Awaited<ReturnType<typeof ingestJsonl>>;
  try {
    report = await ingestJsonl(db, 'bench', {
      paths: [file],
      root: dir,
      onProgress: (progress) => {
        lastBatchAt = performance.now();
        const rss = process.memoryUsage().rss;
        peakRss = Math.max(peakRss, rss);
        while (marks.length && progress.linesDone >= marks[0]!) rssAt.push({ lines: marks.shift()!, rss });
        if (performance.now() - lastPrint > 5000) {
          lastPrint = performance.now();
          process.stderr.write(
            `  ${label}: ${progress.linesDone.toLocaleString('en-US')} lines, ${progress.linesPerSecond.toLocaleString('en-US')} lines/s, RSS ${formatBytes(rss)}\n`,
          );
        }
      },
    });
    if (report.status !== 'succeeded' || report.totals.inserted !== lines) {
      throw new Error(`ingest did not insert every line: ${JSON.stringify(report.totals)}`);
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const count = await db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM metrics_events`);
  if (Number(count?.n) !== lines) throw new Error(`metrics_events holds ${count?.n} rows, expected ${lines}`);
  await db.close();
  const dbBytes = ['', '-wal'].reduce(
    (sum, suffix) => sum + (fs.existsSync(dbFile + suffix) ? fs.statSync(dbFile + suffix).size : 0),
    0,
  );
  return {
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    linesPerSecond: lines / seconds,
    peakRss,
    rssAt,
    dbBytes,
    batches: report.batchTimings,
    batchPhaseSeconds: (lastBatchAt - started) / 1000,
    droppedTriggers,
  };
}

interface SqliteUtilsResult {
  seconds: number;
  cpuSeconds: number | null;
  linesPerSecond: number;
  peakRss: number | null;
}

function runSqliteUtils(file: string, dir: string, lines: number): SqliteUtilsResult | string {
  const which = spawnSync('sh', ['-c', 'command -v sqlite-utils'], { encoding: 'utf8' });
  if (which.status !== 0)
    return 'skipped: sqlite-utils not installed (Debian: apt-get install -y sqlite-utils)';
  const dbFile = path.join(dir, 'sqlite-utils.db');
  const gnuTime = fs.existsSync('/usr/bin/time');
  const command = gnuTime ? '/usr/bin/time' : 'sqlite-utils';
  const args = [...(gnuTime ? ['-v', 'sqlite-utils'] : []), 'insert', dbFile, 'metrics_events', file, '--nl'];
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0)
    return `failed: sqlite-utils exited ${result.status}: ${result.stderr.slice(-500)}`;
  const field = (name: string) => {
    const match = new RegExp(`${name}:\\s*([\\d.]+)`).exec(result.stderr);
    return match ? Number(match[1]) : null;
  };
  const user = field('User time \\(seconds\\)');
  const system = field('System time \\(seconds\\)');
  const rssKb = field('Maximum resident set size \\(kbytes\\)');
  const counted = spawnSync('sqlite3', [dbFile, 'SELECT COUNT(*) FROM metrics_events'], { encoding: 'utf8' });
  if (counted.status === 0 && Number(counted.stdout.trim()) !== lines)
    return `failed: sqlite-utils loaded ${counted.stdout.trim()} rows, expected ${lines}`;
  return {
    seconds,
    cpuSeconds: user !== null && system !== null ? user + system : null,
    linesPerSecond: lines / seconds,
    peakRss: rssKb !== null ? rssKb * 1024 : null,
  };
}

const n = (value: number) => Math.round(value).toLocaleString('en-US');

async function main() {
  const args = parse(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foundups-ingest-bench-'));
  try {
    const file = path.join(dir, 'holo_index', 'logs', 'search_metrics.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    process.stderr.write('Generating the file…\n');
    const lines = generate(file, args);
    const size = fs.statSync(file).size;
    const load = os.loadavg()[0]!.toFixed(2);
    console.log(
      `File: ${n(lines)} lines, ${formatBytes(size)} (${Math.round(size / lines)} bytes/line); ${os.cpus().length} CPUs, load average ${load} at start; Node ${process.version}`,
    );

    // The engine as it runs once 0005 has landed (no per-row rollup triggers): on a scratch database
    // whose trigger-based rollups, if this checkout still has them, are dropped (and reported).
    const engine = await runEngine(file, dir, lines, 'engine', true);
    const withTriggers = args.compareTriggers
      ? await runEngine(file, dir, lines, 'engine-with-triggers', false)
      : null;
    process.stderr.write('Running sqlite-utils insert --nl…\n');
    const baseline = runSqliteUtils(file, dir, lines);

    const engineLabel = engine.droppedTriggers.length
      ? 'foundups ingest (ledger + checkpoints + 4 indexes; rollup triggers dropped)'
      : 'foundups ingest (ledger + checkpoints + 4 indexes)';
    const rows: string[][] = [
      ['', 'lines/s (wall)', 'wall s', 'CPU s', 'lines/CPU-s', 'peak RSS'],
      [
        engineLabel,
        n(engine.linesPerSecond),
        engine.seconds.toFixed(1),
        engine.cpuSeconds.toFixed(1),
        n(lines / engine.cpuSeconds),
        formatBytes(engine.peakRss),
      ],
    ];
    if (withTriggers) {
      rows.push([
        'foundups ingest with the per-row rollup triggers',
        n(withTriggers.linesPerSecond),
        withTriggers.seconds.toFixed(1),
        withTriggers.cpuSeconds.toFixed(1),
        n(lines / withTriggers.cpuSeconds),
        formatBytes(withTriggers.peakRss),
      ]);
    }
    if (typeof baseline === 'string') {
      rows.push(['sqlite-utils insert --nl', baseline, '', '', '', '']);
    } else {
      rows.push([
        'sqlite-utils insert --nl (one table, no indexes)',
        n(baseline.linesPerSecond),
        baseline.seconds.toFixed(1),
        baseline.cpuSeconds === null ? '?' : baseline.cpuSeconds.toFixed(1),
        baseline.cpuSeconds === null ? '?' : n(lines / baseline.cpuSeconds),
        baseline.peakRss === null ? '?' : formatBytes(baseline.peakRss),
      ]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
    for (const row of rows)
      console.log(
        row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
      );
    if (engine.droppedTriggers.length)
      console.log(
        `\nDropped on the engine's scratch database (until 0005): ${engine.droppedTriggers.join(', ')}.`,
      );
    if (typeof baseline !== 'string') {
      const cpuRatio = baseline.cpuSeconds === null ? null : baseline.cpuSeconds / engine.cpuSeconds;
      console.log(
        `Ratio to sqlite-utils: ${(engine.linesPerSecond / baseline.linesPerSecond).toFixed(2)}x by wall time${cpuRatio === null ? '' : `, ${cpuRatio.toFixed(2)}x by CPU time`}.`,
      );
    }
    console.log(
      `Of the engine's ${engine.seconds.toFixed(1)} s, ${engine.batchPhaseSeconds.toFixed(1)} s went to reading, mapping and writing the lines (${n(lines / engine.batchPhaseSeconds)} lines/s, ${typeof baseline === 'string' ? '' : `${(lines / engine.batchPhaseSeconds / baseline.linesPerSecond).toFixed(2)}x sqlite-utils; `}the rest: the timeline rollup refresh and the final checks).`,
    );
    console.log(
      `Batch transactions (BEGIN IMMEDIATE … COMMIT): ${n(engine.batches.batches)}, p50 ${engine.batches.p50Ms} ms, p95 ${engine.batches.p95Ms} ms, max ${engine.batches.maxMs} ms.`,
    );
    console.log(
      `RSS while ingesting: ${engine.rssAt.map((mark) => `${n(mark.lines)} lines ${formatBytes(mark.rss)}`).join(', ')}.`,
    );
    console.log(
      `Database after ingest: ${formatBytes(engine.dbBytes)}. Load average at the end: ${os.loadavg()[0]!.toFixed(2)}.`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
