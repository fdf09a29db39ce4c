import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from '@/db/database';
import { ingestJsonl } from '@/lib/ingest/ingest';
import { contentHash, sha1Prefix52 } from '@/lib/ingest/reader';
import { formatVerifyReport } from '@/lib/ingest/report';
import { verifyIngested } from '@/lib/ingest/verify';
import { parseArgs } from '@/scripts/cli/args';
import { ingestCommand } from '@/scripts/cli/ingest-commands';
import { describeEachDatabase, openTestDatabase, tempDir, testTargets } from './support/databases';

// `foundups ingest --verify`: every committed line is re-read and checked against the ledger, its row
// and the rejects; a file edited after ingest, a deleted or edited row, and shifted lines are reported.

const METRICS = 'holo_index/logs/search_metrics.jsonl';

function metric(i: number, value = i): string {
  return `{"timestamp": "2025-11-20T10:${String(i).padStart(2, '0')}:00", "metric": "search_latency_ms", "value": ${value}, "unit": "ms", "agent_id": "qwen"}`;
}

/** 10 good lines, a blank line and two rejects (malformed, wrong type) in the middle. */
function fileText(): string {
  const lines = [metric(0), metric(1), metric(2), '', '{"timestamp": "2025-11-20T10:', metric(3)];
  lines.push('{"timestamp": "2025-11-20T10:04:00", "metric": "x", "value": "fast"}');
  for (let i = 4; i < 10; i++) lines.push(metric(i));
  return `${lines.join('\n')}\n`;
}

describeEachDatabase('ingest --verify', (use) => {
  let root = '';
  let file = '';
  beforeAll(async () => {
    root = tempDir('foundups-verify-');
    file = path.join(root, METRICS);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, fileText());
    const report = await ingestJsonl(use().db, 'test', { paths: [root] });
    expect(report.totals).toMatchObject({ inserted: 10, rejected: 2, blank: 1 });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('verifies an ingested file: every line matched (rows, rejects, blank), exit status ok', async () => {
    const report = await verifyIngested(use().db, [root]);
    expect(report.ok).toBe(true);
    expect(report.files).toHaveLength(1);
    expect(report.files[0]).toMatchObject({
      status: 'ok',
      linesChecked: 13,
      rowsMatched: 10,
      rejectsMatched: 2,
      blank: 1,
      bytesNotYetIngested: 0,
      counts: { line_missing: 0, line_changed: 0, row_missing: 0, row_changed: 0, extra: 0 },
    });
    expect(formatVerifyReport(report)).toMatch(/Verified: 1 files \(1 ok/);
  });

  it('lines appended since are not a mismatch: they are reported as not yet ingested', async () => {
    fs.appendFileSync(file, `${metric(10)}\n`);
    const report = await verifyIngested(use().db, [file], { root });
    expect(report.ok).toBe(true);
    expect(report.files[0]!.bytesNotYetIngested).toBe(metric(10).length + 1);
  });

  it('reports a line changed in the file after ingest (same length), with its line number', async () => {
    const { db } = use();
    const original = fs.readFileSync(file, 'utf8');
    // Line 2's value 1 becomes 7: same byte length, different content.
    fs.writeFileSync(file, original.replace(metric(1), metric(1, 7)));
    try {
      const report = await verifyIngested(db, [file], { root });
      expect(report.ok).toBe(false);
      expect(report.files[0]).toMatchObject({ status: 'mismatch', rowsMatched: 9 });
      expect(report.files[0]!.counts).toMatchObject({ line_changed: 1, line_missing: 0, extra: 0 });
      expect(report.files[0]!.issues[0]).toMatchObject({ kind: 'line_changed', lineNo: 2 });
      expect(formatVerifyReport(report)).toMatch(/NOT verified[\s\S]*1 lines changed since ingest/);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('reports a line inserted in the middle: the line at its offset changed, the shifted ones missing + extra', async () => {
    const { db } = use();
    const original = fs.readFileSync(file, 'utf8');
    const lines = original.split('\n');
    lines.splice(1, 0, metric(42, 12345));
    fs.writeFileSync(file, lines.join('\n'));
    try {
      const report = await verifyIngested(db, [file], { root });
      const counts = report.files[0]!.counts;
      expect(report.ok).toBe(false);
      // Line 2 now starts where the old line 2 did (changed); every later line moved (missing), and the
      // old entries point between lines (extra) — the blank line 5 is not a problem.
      expect(counts.line_changed).toBe(1);
      expect(counts.line_missing).toBe(10);
      expect(counts.extra).toBe(10);
      expect(report.files[0]!.issues[0]).toMatchObject({ kind: 'line_changed', lineNo: 2 });
      expect(report.files[0]!.issues[1]).toMatchObject({ kind: 'extra', lineNo: 3 });
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('reports a target row edited or deleted after ingest', async () => {
    const { db } = use();
    const ids = (
      await db.all<{ id: number }>(
        sql`SELECT target_id AS id FROM modules_console_ingest_lines ORDER BY byte_offset`,
      )
    ).map((row) => Number(row.id));
    await db.run(sql`UPDATE metrics_events SET tags_json = '{}' WHERE id = ${ids[0]!}`);
    await db.run(sql`DELETE FROM metrics_events WHERE id = ${ids[9]!}`);
    const report = await verifyIngested(db, [file], { root });
    expect(report.ok).toBe(false);
    expect(report.files[0]!.counts).toMatchObject({ row_changed: 1, row_missing: 1, line_changed: 0 });
    expect(report.files[0]!.issues.map((issue) => [issue.kind, issue.lineNo])).toEqual([
      ['row_changed', 1],
      ['row_missing', 13],
    ]);
  });

  it('says when a file was never ingested (not a mismatch)', async () => {
    const other = path.join(root, 'other', 'never.jsonl');
    fs.mkdirSync(path.dirname(other), { recursive: true });
    fs.writeFileSync(other, `${metric(1)}\n`);
    const report = await verifyIngested(use().db, [other], { root });
    expect(report.files[0]).toMatchObject({ status: 'not_ingested' });
    expect(report.ok).toBe(true);
    fs.rmSync(path.dirname(other), { recursive: true });
  });
});

describe('foundups ingest --verify (CLI exit codes) [sqlite]', () => {
  let dir = '';
  const saved = { db: process.env.FOUNDUPS_DB_PATH, url: process.env.DATABASE_URL };
  let output: string[] = [];
  beforeAll(() => {
    dir = tempDir('foundups-verify-cli-');
    process.env.FOUNDUPS_DB_PATH = path.join(dir, 'foundups.db');
    delete process.env.DATABASE_URL;
  });
  afterAll(() => {
    if (saved.db === undefined) delete process.env.FOUNDUPS_DB_PATH;
    else process.env.FOUNDUPS_DB_PATH = saved.db;
    if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => vi.restoreAllMocks());
  const capture = () => {
    output = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void output.push(args.join(' ')));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  };

  it('exits 0 when every line matches and 1 once the file was modified after ingest', async () => {
    const root = path.join(dir, 'root');
    const file = path.join(root, METRICS);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, fileText());
    capture();
    expect(await ingestCommand(parseArgs(['ingest', root]))).toBe(0);
    capture();
    expect(await ingestCommand(parseArgs(['ingest', '--verify', root]))).toBe(0);
    expect(output.join('\n')).toMatch(/Verified: 1 files/);
    fs.writeFileSync(file, fileText().replace(metric(5), metric(5, 9)));
    capture();
    expect(await ingestCommand(parseArgs(['ingest', '--verify', root, '--json']))).toBe(1);
    const report = JSON.parse(output.join('\n'));
    expect(report.ok).toBe(false);
    expect(report.files[0].issues[0]).toMatchObject({ kind: 'line_changed', lineNo: 9 });
    await expect(
      ingestCommand(parseArgs(['ingest', '--verify', root, '--domain', 'metrics'])),
    ).rejects.toThrow(/--domain does not apply to --verify/);
  });
});

describe.each(testTargets().filter((target) => target !== 'postgres'))(
  'migration 0007 converts a ledger written before it [%s]',
  (target) => {
    it('keeps idempotency and verification for a file ingested with the old hex-hash ledger', async () => {
      const { db, cleanup } = await openTestDatabase(target);
      const root = tempDir('foundups-ledger-0007-');
      try {
        const file = path.join(root, METRICS);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, fileText());
        await ingestJsonl(db, 'test', { paths: [root] });
        // Turn the ledger back into its pre-0007 shape (sha1 prefix as 16 hex digits, file marked sha1-52),
        // as a database ingested before 0007 holds it, then run 0007's conversion again on it.
        const lines = await db.all<{ byte_offset: number }>(
          sql`SELECT byte_offset FROM modules_console_ingest_lines ORDER BY byte_offset`,
        );
        const bytes = fs.readFileSync(file);
        const hexOf = (offset: number) => {
          const end = bytes.indexOf(0x0a, offset);
          return contentHash(bytes, offset, end);
        };
        const migration = fs.readFileSync(
          path.join(
            __dirname,
            '..',
            'db',
            'migrations',
            db.dialect === 'sqlite' ? 'sqlite' : 'postgres',
            '0007_ingest_compact_ledger.sql',
          ),
          'utf8',
        );
        const statements = migration
          .split('--> statement-breakpoint')
          .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
          .filter(Boolean)
          .slice(1); // the line_hash column exists already
        const old = [
          'CREATE TABLE old_lines AS SELECT file_id, byte_offset, line_no, content_hash, target_id, run_id FROM modules_console_ingest_lines',
          'DROP TABLE modules_console_ingest_lines',
          db.dialect === 'sqlite'
            ? 'CREATE TABLE modules_console_ingest_lines (file_id INTEGER NOT NULL REFERENCES modules_console_ingest_files(id) ON DELETE CASCADE, byte_offset INTEGER NOT NULL, line_no INTEGER NOT NULL, content_hash TEXT NOT NULL, target_table TEXT NOT NULL, target_id INTEGER NOT NULL, run_id INTEGER NOT NULL, PRIMARY KEY (file_id, byte_offset)) WITHOUT ROWID'
            : 'CREATE TABLE modules_console_ingest_lines (file_id BIGINT NOT NULL REFERENCES modules_console_ingest_files(id) ON DELETE CASCADE, byte_offset BIGINT NOT NULL, line_no BIGINT NOT NULL, content_hash TEXT NOT NULL, target_table TEXT NOT NULL, target_id BIGINT NOT NULL, run_id BIGINT NOT NULL, PRIMARY KEY (file_id, byte_offset))',
          "INSERT INTO modules_console_ingest_lines SELECT file_id, byte_offset, line_no, 'x', 'metrics_events', target_id, run_id FROM old_lines",
          'DROP TABLE old_lines',
          "UPDATE modules_console_ingest_files SET line_hash = 'sha1-52'",
        ];
        await db.execScript(old);
        for (const { byte_offset } of lines) {
          await db.run(
            sql`UPDATE modules_console_ingest_lines SET content_hash = ${hexOf(Number(byte_offset))} WHERE byte_offset = ${Number(byte_offset)}`,
          );
        }
        await db.execScript(statements);

        const converted = await db.all<{ byte_offset: number; content_hash: number }>(
          sql`SELECT byte_offset, content_hash FROM modules_console_ingest_lines ORDER BY byte_offset`,
        );
        expect(converted).toHaveLength(10);
        for (const row of converted) {
          const offset = Number(row.byte_offset);
          expect(Number(row.content_hash)).toBe(sha1Prefix52(bytes, offset, bytes.indexOf(0x0a, offset)));
        }
        expect((await verifyIngested(db, [root])).files[0]).toMatchObject({ status: 'ok', rowsMatched: 10 });
        // Re-running inserts nothing; a grown file inserts only the new line, hashed the file's old way.
        expect((await ingestJsonl(db, 'test', { paths: [root] })).totals.inserted).toBe(0);
        fs.appendFileSync(file, `${metric(11)}\n`);
        expect((await ingestJsonl(db, 'test', { paths: [root] })).totals).toMatchObject({
          inserted: 1,
          alreadyPresent: 13,
        });
        const verified = await verifyIngested(db, [root]);
        expect(verified.files[0]).toMatchObject({ status: 'ok', rowsMatched: 11 });
      } finally {
        await cleanup();
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  },
);
