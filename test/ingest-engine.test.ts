import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@/db/database';
import {
  type FileIngestReport,
  type IngestRunReport,
  ingestJsonl,
  markStaleRuns,
  startIngestRun,
} from '@/lib/ingest/ingest';
import {
  getIngestRun,
  listIngestFiles,
  listIngestRejects,
  exportIngestRejects,
  countIngestRejectsByReason,
  listIngestRuns,
} from '@/lib/ingest/queries';
import { getActorTimeline, getTimelinePage } from '@/lib/timeline/list';
import { describeEachDatabase, tempDir } from './support/databases';

// The ingest engine against the nasty corpus in test/fixtures/jsonl, on every database: exact counts
// per file, the mapping of each shape, idempotent re-runs, growth, a completed partial line, files
// rewritten in place, and sources left untouched.

const FIXTURES = path.join(__dirname, 'fixtures', 'jsonl');

const PERMISSIONS = 'modules/ai_intelligence/agent_permissions/memory/permission_events.jsonl';
const CONFIDENCE = 'modules/ai_intelligence/agent_permissions/memory/confidence_events.jsonl';
const HEARTBEAT = 'logs/youtube_dae_heartbeat.jsonl';
const CHAT = 'modules/communication/livechat/memory/chat_logs/Xk3mQ9vLp2A.jsonl';
const VISION = 'modules/infrastructure/foundups_vision/memory/vision_sessions.jsonl';
const ERRORS = 'logs/errors/livechat_errors.jsonl';
const METRICS = 'holo_index/logs/search_metrics.jsonl';
const UNKNOWN = 'modules/ai_intelligence/pqn_alignment/data/pqn_research_log.jsonl';

/** What each fixture must come to: [status, table, read, inserted, rejected, blank, pending]. */
const EXPECTED: Record<string, [string, string | null, number, number, number, number, number]> = {
  [PERMISSIONS]: ['ingested', 'permission_events', 19, 5, 11, 2, 1],
  [CONFIDENCE]: ['ingested', 'confidence_events', 8, 5, 3, 0, 0],
  [HEARTBEAT]: ['ingested', 'daemon_health', 6, 4, 2, 0, 0],
  [CHAT]: ['ingested', 'chat_messages', 4, 3, 1, 0, 0],
  [VISION]: ['ingested', 'selenium_sessions', 3, 2, 1, 0, 0],
  [ERRORS]: ['ingested', 'error_events', 5, 3, 1, 1, 0],
  [METRICS]: ['ingested', 'metrics_events', 6, 3, 2, 1, 0],
  [UNKNOWN]: ['skipped', null, 0, 0, 0, 0, 0],
};

function copyFixtures(): string {
  const dir = tempDir('foundups-ingest-');
  fs.cpSync(FIXTURES, dir, { recursive: true });
  return dir;
}

function fingerprint(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else
        out[path.relative(root, full)] =
          `${crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex')} ${fs.statSync(full).mtimeMs}`;
    }
  };
  visit(root);
  return out;
}

const byFile = (report: IngestRunReport) => new Map(report.files.map((file) => [file.relativePath, file]));

function summary(file: FileIngestReport | undefined) {
  if (!file) return undefined;
  return [
    file.status,
    file.targetTable,
    file.linesRead,
    file.inserted,
    file.rejected,
    file.blank,
    file.pendingPartial,
  ];
}

/** The lines of a fixture as the JSON column must hold them: no BOM, no CR/LF. */
function fixtureLines(relative: string): string[] {
  const bytes = fs.readFileSync(path.join(FIXTURES, relative));
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  return text.split('\n').map((line) => line.replace(/\r$/, ''));
}

describeEachDatabase('ingest engine: the nasty corpus', (use) => {
  let root = '';
  let before: Record<string, string> = {};
  let first: IngestRunReport;

  beforeAll(async () => {
    root = copyFixtures();
    before = fingerprint(root);
    first = await ingestJsonl(use().db, 'test', { paths: [root] });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reconciles every file exactly: lines read = inserted + already present + rejected + blank + pending', () => {
    const files = byFile(first);
    for (const [relative, expected] of Object.entries(EXPECTED)) {
      expect(summary(files.get(relative)), relative).toEqual(expected);
    }
    for (const file of first.files.filter((f) => f.status === 'ingested')) {
      expect(file.reconciled, file.relativePath).toBe(true);
      expect(file.databaseCheck?.ok, file.relativePath).toBe(true);
    }
    expect(first.status).toBe('succeeded');
    expect(first.totals).toMatchObject({
      files: 8,
      linesRead: 51,
      inserted: 25,
      alreadyPresent: 0,
      rejected: 21,
      blank: 4,
      pendingPartial: 1,
      skipped: 1,
    });
  });

  it('files each reject with its reason, line number, offset and raw text (exact bytes for invalid UTF-8)', async () => {
    const { db } = use();
    const permissions = byFile(first).get(PERMISSIONS)!;
    expect(permissions.rejectsByReason).toEqual({
      malformed_json: 4,
      not_an_object: 2,
      missing_field: 1,
      wrong_type: 3,
      invalid_utf8: 1,
    });
    const page = await listIngestRejects(db, { fileId: permissions.fileId!, pageSize: 100 });
    expect(page.total).toBe(11);
    const byLine = new Map(page.rows.map((row) => [row.lineNo, row]));
    expect([...byLine.keys()].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10, 11, 13, 14, 16, 17]);
    expect(byLine.get(6)!.reason).toMatch(/Python repr/);
    expect(byLine.get(7)!.reasonCode).toBe('not_an_object');
    expect(byLine.get(9)!.reason).toBe('missing required field "agent_id"');
    expect(byLine.get(10)!.reason).toBe('field "agent_id" should be a string, got number 102');
    expect(byLine.get(11)!.reason).toMatch(/"granted_at" is not a timestamp/);
    expect(byLine.get(14)!.reason).toMatch(/NaN/);
    expect(byLine.get(16)!.reason).toMatch(/NUL/);
    expect(byLine.get(16)!.rawText.startsWith('\u2400\u2400\u2400\u2400{')).toBe(true);
    expect(Buffer.from(byLine.get(16)!.rawBase64!, 'base64').subarray(0, 4)).toEqual(Buffer.alloc(4));
    expect(byLine.get(17)!.reasonCode).toBe('wrong_type');
    // Invalid UTF-8: the text shows U+FFFD, base64 keeps the bytes, and the offset points at them in the file.
    const bad = byLine.get(13)!;
    expect(bad.reasonCode).toBe('invalid_utf8');
    expect(bad.rawText).toContain('\uFFFD');
    const exact = Buffer.from(bad.rawBase64!, 'base64');
    expect(exact.includes(Buffer.from([0xe9, 0x20, 0xff]))).toBe(true);
    const source = fs.readFileSync(path.join(root, PERMISSIONS));
    expect(source.subarray(bad.byteOffset, bad.byteOffset + bad.byteLength)).toEqual(
      Buffer.concat([exact, Buffer.from('\n')]),
    );
    const reasons = await countIngestRejectsByReason(db, { runId: first.runId });
    expect(reasons.reduce((sum, r) => sum + r.count, 0)).toBe(21);
    const exported: string[] = [];
    for await (const line of exportIngestRejects(db, { runId: first.runId }, 5)) exported.push(line);
    expect(exported).toHaveLength(21);
    expect(JSON.parse(exported[0]!)).toHaveProperty('reason_code');
  });

  it('maps each shape to typed columns and keeps the complete original line in the JSON column', async () => {
    const { db } = use();
    const permissions = await db.all<Record<string, unknown>>(
      sql`SELECT agent_id, event_type, permission_level, granted_at, granted_by, confidence, justification, approval_signature, metadata_json FROM permission_events ORDER BY id`,
    );
    expect(permissions.map((row) => row.event_type)).toEqual([
      'PERMISSION_GRANTED',
      'PERMISSION_DOWNGRADE',
      'PERMISSION_GRANTED',
      'PERMISSION_REVOKED',
      'PERMISSION_GRANTED',
    ]);
    const lines = fixtureLines(PERMISSIONS);
    expect(permissions.map((row) => row.metadata_json)).toEqual([
      lines[0],
      lines[1],
      lines[11],
      lines[14],
      lines[17],
    ]);
    expect(permissions[0]).toMatchObject({
      agent_id: 'gemma',
      permission_level: 'metrics_write',
      granted_at: '2025-11-20T10:00:00.123456',
      granted_by: '012',
      confidence: 0.81,
    });
    // A downgrade: the level left, its time and who did it, the reason as justification.
    expect(permissions[1]).toMatchObject({
      agent_id: 'x_agent',
      permission_level: 'social_post_draft',
      granted_at: '2025-11-20T11:00:00.5',
      granted_by: 'system_automatic',
      justification: 'confidence_below_threshold',
      approval_signature: null,
    });
    // Epoch seconds become the console's UTC ISO form.
    expect(permissions[3]).toMatchObject({
      granted_at: new Date(1763650800250).toISOString(),
      granted_by: '012',
      permission_level: 'social_post_publish',
    });

    const confidence = await db.all<Record<string, unknown>>(
      sql`SELECT agent_id, confidence_before, confidence_after, event_type, success, validation, recorded_at FROM confidence_events ORDER BY id`,
    );
    expect(confidence.map((row) => [row.agent_id, Boolean(row.success), row.recorded_at])).toEqual([
      ['gemma', true, '2025-11-20T10:01:00.000001'],
      ['gemma', false, '2025-11-20T10:02:00.000001'],
      ['gemma', true, new Date(1763633160000).toISOString()],
      ['gemma', false, '2025-11-20T10:07:00.000001'],
      ['qwen', true, '2025-11-20T10:08:00.000001'],
    ]);
    expect(confidence[3]).toMatchObject({ success: null, confidence_before: null, confidence_after: 0.71 });

    // Two writers' heartbeat shapes and a lifecycle line, all under the daemon named by the file.
    const heartbeats = await db.all<Record<string, unknown>>(
      sql`SELECT daemon_name, status, video_id, errors_detected, uptime_seconds, metrics_json FROM daemon_health ORDER BY id`,
    );
    expect(
      heartbeats.map((row) => [
        row.daemon_name,
        row.status,
        row.video_id,
        Number(row.errors_detected),
        row.uptime_seconds === null ? null : Number(row.uptime_seconds),
      ]),
    ).toEqual([
      ['youtube_dae', 'healthy', 'Xk3mQ9vLp2A', 1, 45],
      ['youtube_dae', 'running', null, 0, 240],
      ['youtube_dae', 'daemon_restart', null, 0, null],
      ['youtube_dae', 'degraded', 'Xk3mQ9vLp2A', 4, 45],
    ]);
    expect(JSON.parse(String(heartbeats[1]!.metrics_json))).toMatchObject({
      heartbeat_count: 2,
      chat_messages_per_min: 12,
    });

    const chat = await db.all<Record<string, unknown>>(
      sql`SELECT user_id, stream_id, message, message_type, metadata_json FROM chat_messages ORDER BY id`,
    );
    expect(chat.map((row) => [row.user_id, row.stream_id, row.message_type])).toEqual([
      ['UCaaa', 'Xk3mQ9vLp2A', 'chat'],
      ['UCbbb', 'Xk3mQ9vLp2A', 'chat'],
      ['UCddd', 'Xk3mQ9vLp2A', 'superchat'],
    ]);
    expect(chat[0]!.message).toBe('こんにちは！ 🔥');
    // An escaped NUL: the typed column gets U+FFFD (PostgreSQL text cannot hold NUL), the record keeps the escape.
    expect(chat[2]!.message).toBe('line with \uFFFD escaped NUL');
    expect(String(chat[2]!.metadata_json)).toContain('\\u0000');

    const sessions = await db.all<Record<string, unknown>>(
      sql`SELECT timestamp, url, screenshot_hash, screenshot_path, analysis_json FROM selenium_sessions ORDER BY id`,
    );
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toMatchObject({
      url: 'https://x.com/home',
      screenshot_hash: 'f'.repeat(64),
      screenshot_path: 'modules/infrastructure/foundups_vision/data/screenshots/abc.png',
    });
    expect(JSON.parse(String(sessions[0]!.analysis_json))).toMatchObject({
      event: 'vision_analyze',
      analysis: { ui_state: 'logged_in' },
    });

    const errors = await db.all<Record<string, unknown>>(
      sql`SELECT source_module, severity, error_type, message, stack_trace FROM error_events ORDER BY id`,
    );
    expect(errors.map((row) => [row.source_module, row.severity, row.error_type])).toEqual([
      ['livechat', 'ERROR', 'HttpError'],
      ['livechat', 'ERROR', null],
      ['livechat', 'CRITICAL', 'RuntimeError'],
    ]);
    expect(String(errors[2]!.stack_trace).length).toBeGreaterThan(80_000);

    const metrics = await db.all<Record<string, unknown>>(
      sql`SELECT metric_name, value, unit, source_module, agent_id, tags_json FROM metrics_events ORDER BY id`,
    );
    expect(metrics.map((row) => [row.metric_name, Number(row.value), row.unit, row.source_module])).toEqual([
      ['search_latency_ms', 121.5, 'ms', 'holo_index'],
      ['results_returned', 7, 'count', 'holo_index'],
      ['search_latency_ms', 125.5, 'ms', 'holo_index'],
    ]);
    expect(JSON.parse(String(metrics[0]!.tags_json))).toMatchObject({
      tags: { env: 'prod' },
      metric: 'search_latency_ms',
    });
  });

  it('answers the cross-module query over permissions and confidence with the migrated rows', async () => {
    const rows = await use().db.all<{ agent_id: string; kind: string; at: string }>(
      sql`SELECT agent_id, kind, at FROM (
            SELECT agent_id, 'permission' AS kind, granted_at AS at FROM permission_events
            UNION ALL
            SELECT agent_id, 'confidence' AS kind, recorded_at AS at FROM confidence_events
          ) AS events WHERE agent_id = ${'gemma'} ORDER BY kind, at`,
    );
    expect(rows.filter((row) => row.kind === 'permission')).toHaveLength(3);
    expect(rows.filter((row) => row.kind === 'confidence')).toHaveLength(4);
  });

  it('shows the migrated events on the timeline, per agent across permissions and confidence', async () => {
    const { db } = use();
    const page = await getTimelinePage(db, {}, { limit: 100 });
    const sources = new Set(page.events.map((event) => event.source));
    for (const source of ['permissions', 'confidence', 'chat', 'heartbeats', 'errors', 'metrics', 'browser'])
      expect(sources, source).toContain(source);
    const gemma = await getActorTimeline(db, 'gemma', {}, { limit: 100 });
    expect(new Set(gemma.events.map((event) => event.source))).toEqual(
      new Set(['permissions', 'confidence']),
    );
  });

  it('re-running inserts nothing and counts every line as already present', async () => {
    const { db } = use();
    const counts = async () =>
      (await db.get<{ n: number }>(
        sql`SELECT (SELECT COUNT(*) FROM permission_events) + (SELECT COUNT(*) FROM confidence_events) + (SELECT COUNT(*) FROM modules_console_ingest_rejects) AS n`,
      ))!.n;
    const rowsBefore = Number(await counts());
    const again = await ingestJsonl(db, 'test', { paths: [root] });
    expect(again.totals).toMatchObject({
      inserted: 0,
      rejected: 0,
      blank: 0,
      alreadyPresent: 50,
      pendingPartial: 1,
      linesRead: 51,
    });
    expect(byFile(again).get(CONFIDENCE)!.status).toBe('up_to_date');
    expect(Number(await counts())).toBe(rowsBefore);
  });

  it('never modifies the source files (bytes and mtime)', () => {
    expect(fingerprint(root)).toEqual(before);
  });

  it('after appends, inserts only the new lines — and the completed partial line exactly once', async () => {
    const { db } = use();
    fs.appendFileSync(
      path.join(root, METRICS),
      '{"timestamp": "2025-11-20T11:00:00", "metric": "search_latency_ms", "value": 99.5, "unit": "ms"}\n\n',
    );
    fs.appendFileSync(path.join(root, PERMISSIONS), 'en", "granted_at": "2025-11-22T10:00:00"}\n');
    const grown = await ingestJsonl(db, 'test', { paths: [root] });
    const files = byFile(grown);
    expect(summary(files.get(METRICS))).toEqual(['ingested', 'metrics_events', 8, 1, 0, 1, 0]);
    expect(files.get(METRICS)!.alreadyPresent).toBe(6);
    expect(summary(files.get(PERMISSIONS))).toEqual(['ingested', 'permission_events', 19, 1, 0, 0, 0]);
    expect(files.get(PERMISSIONS)!.alreadyPresent).toBe(18);
    const tail = await db.get<{ agent_id: string; line_no: number }>(
      sql`SELECT p.agent_id, l.line_no FROM modules_console_ingest_lines l JOIN modules_console_ingest_files f ON f.id = l.file_id JOIN permission_events p ON p.id = l.target_id WHERE f.target_table = 'permission_events' ORDER BY l.line_no DESC LIMIT 1`,
    );
    expect({ ...tail, line_no: Number(tail!.line_no) }).toEqual({ agent_id: 'qwen', line_no: 19 });
    expect(grown.totals.inserted).toBe(2);
    const third = await ingestJsonl(db, 'test', { paths: [root] });
    expect(third.totals.inserted).toBe(0);
  });

  it('detects a file rewritten or truncated in place, ingests nothing from it, and takes it as a new generation on request', async () => {
    const { db } = use();
    const chatPath = path.join(root, CHAT);
    fs.writeFileSync(
      chatPath,
      '{"timestamp": "2025-11-21T09:00:00+00:00", "user_id": "UCzzz", "stream_id": "Xk3mQ9vLp2A", "message": "a different file now"}\n',
    );
    fs.truncateSync(path.join(root, VISION), 10);
    const run = await ingestJsonl(db, 'test', { paths: [root] });
    const files = byFile(run);
    expect(files.get(CHAT)!.status).toBe('changed');
    expect(files.get(CHAT)!.message).toMatch(/replaced|rewritten|truncated/);
    expect(files.get(VISION)!.status).toBe('changed');
    expect(files.get(VISION)!.message).toMatch(/^truncated/);
    expect(run.totals.inserted).toBe(0);
    const states = new Map((await listIngestFiles(db)).map((file) => [file.relativePath, file.state]));
    expect(states.get(CHAT)).toBe('changed');
    const accepted = await ingestJsonl(db, 'test', {
      paths: [path.join(root, CHAT)],
      root,
      acceptRewrite: true,
    });
    expect(summary(accepted.files[0])).toEqual(['ingested', 'chat_messages', 1, 1, 0, 0, 0]);
    expect(accepted.files[0]!.generation).toBe(2);
    const all = await listIngestFiles(db, { includeSuperseded: true });
    expect(
      all.filter((file) => file.relativePath === CHAT).map((file) => [file.generation, file.state]),
    ).toEqual([
      [2, 'active'],
      [1, 'superseded'],
    ]);
    expect(Number((await db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM chat_messages`))!.n)).toBe(4);
  });

  it('ingests an unknown-domain file only when a domain is chosen, and never switches a file to another domain', async () => {
    const { db } = use();
    const unknown = path.join(root, UNKNOWN);
    const forced = await ingestJsonl(db, 'test', { paths: [unknown], root, domain: 'metrics' });
    // pqn lines have no metric/value: quarantined with the reason, not lost.
    expect(summary(forced.files[0])).toEqual(['ingested', 'metrics_events', 5, 0, 5, 0, 0]);
    expect(forced.files[0]!.domainReason).toMatch(/--domain/);
    const switched = await ingestJsonl(db, 'test', {
      paths: [path.join(root, METRICS)],
      root,
      domain: 'errors',
    });
    expect(switched.files[0]!.status).toBe('failed');
    expect(switched.files[0]!.message).toMatch(/already ingested as metrics/);
    expect(switched.status).toBe('failed');
  });

  it('records runs with who started them, their counts and the validation report', async () => {
    const { db } = use();
    const run = await getIngestRun(db, first.runId);
    expect(run).toMatchObject({
      status: 'succeeded',
      startedBy: 'test',
      inserted: 25,
      rejected: 21,
      blank: 4,
      pendingPartial: 1,
      linesRead: 51,
    });
    expect(run!.report!.files).toHaveLength(8);
    expect(run!.progress).toMatchObject({ linesDone: 51 });
    expect(run!.finishedAt).not.toBeNull();
    const page = await listIngestRuns(db, { pageSize: 2 });
    expect(page.total).toBeGreaterThanOrEqual(6);
    expect(page.rows).toHaveLength(2);
    expect(page.rows[0]!.id).toBeGreaterThan(page.rows[1]!.id);
    expect(page.rows.every((row) => row.status !== 'running')).toBe(true);
  });
});

describeEachDatabase('ingest engine: limits, finalize and interrupted runs', (use) => {
  let root = '';
  beforeAll(() => {
    root = copyFixtures();
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('quarantines a line over the length limit with its start, and takes an unterminated last line with --finalize', async () => {
    const { db } = use();
    const report = await ingestJsonl(db, 'test', {
      paths: [path.join(root, ERRORS), path.join(root, PERMISSIONS)],
      root,
      maxLineBytes: 16 * 1024,
      chunkBytes: 4096,
      finalize: true,
    });
    const files = byFile(report);
    expect(summary(files.get(ERRORS))).toEqual(['ingested', 'error_events', 5, 2, 2, 1, 0]);
    expect(files.get(ERRORS)!.rejectsByReason).toEqual({ malformed_json: 1, line_too_long: 1 });
    const long = (await listIngestRejects(db, { reasonCode: 'line_too_long' })).rows[0]!;
    expect(long.lineNo).toBe(4);
    expect(long.byteLength).toBeGreaterThan(80_000);
    expect(long.reason).toMatch(/over the 16384-byte limit/);
    expect(long.rawText.startsWith('{"timestamp": "2025-11-20T10:00:03"')).toBe(true);
    // With --finalize the cut last line is judged now: it is malformed JSON, quarantined rather than pending.
    expect(summary(files.get(PERMISSIONS))).toEqual(['ingested', 'permission_events', 19, 5, 12, 2, 0]);
  });

  it('marks a run whose process is gone as interrupted', async () => {
    const { db } = use();
    const id = await startIngestRun(db, 'ghost', { paths: [root] });
    // A process id that cannot exist on this host.
    await db.run(sql`UPDATE modules_console_ingest_runs SET pid = ${2 ** 22 + 12345} WHERE id = ${id}`);
    expect(await markStaleRuns(db)).toBe(1);
    expect((await getIngestRun(db, id))!.status).toBe('interrupted');
    expect((await getIngestRun(db, id))!.error).toMatch(/resumes/);
  });

  it('stops after the current batch when asked, and the next run finishes the file', async () => {
    const { db } = use();
    const big = path.join(root, 'holo_index/logs/big_metrics.jsonl');
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({
        timestamp: new Date(Date.UTC(2025, 10, 20) + i * 1000).toISOString(),
        metric: 'm',
        value: i,
      }),
    );
    fs.writeFileSync(big, `${lines.join('\n')}\n`);
    const controller = new AbortController();
    const stopped = await ingestJsonl(db, 'test', {
      paths: [big],
      root,
      batchLines: 500,
      onProgress: (progress) => {
        if (progress.linesDone >= 1000) controller.abort();
      },
      signal: controller.signal,
    });
    expect(stopped.status).toBe('interrupted');
    expect(stopped.files[0]!.inserted).toBe(1000);
    const rest = await ingestJsonl(db, 'test', { paths: [big], root, batchLines: 500 });
    expect(rest.files[0]).toMatchObject({
      inserted: 2000,
      alreadyPresent: 1000,
      linesRead: 3000,
      reconciled: true,
    });
    const count = await db.get<{ n: number; d: number }>(
      sql`SELECT COUNT(*) AS n, COUNT(DISTINCT value) AS d FROM metrics_events WHERE metric_name = 'm'`,
    );
    expect([Number(count!.n), Number(count!.d)]).toEqual([3000, 3000]);
  });
});

describeEachDatabase('ingest engine: two runs on one file', (use) => {
  it('refuses a batch when another run moved the checkpoint: the file stops, nothing is written twice', async () => {
    const { db } = use();
    const root = copyFixtures();
    try {
      const big = path.join(root, 'holo_index/logs/contended.jsonl');
      const lines = Array.from({ length: 1500 }, (_, i) =>
        JSON.stringify({
          timestamp: new Date(Date.UTC(2025, 10, 20) + i * 1000).toISOString(),
          metric: 'c',
          value: i,
        }),
      );
      fs.writeFileSync(big, `${lines.join('\n')}\n`);
      let moved = false;
      const report = await ingestJsonl(db, 'test', {
        paths: [big],
        root,
        batchLines: 500,
        onProgress: async () => {
          if (moved) return;
          moved = true;
          // What a second run would do after committing the next batch first.
          await db.run(
            sql`UPDATE modules_console_ingest_files SET committed_offset = committed_offset + 10 WHERE path = ${fs.realpathSync(big)}`,
          );
        },
      });
      expect(report.files[0]!.status).toBe('skipped');
      expect(report.files[0]!.message).toMatch(/another run moved this file's checkpoint/);
      expect(report.files[0]!.inserted).toBe(500);
      const count = await db.get<{ n: number }>(
        sql`SELECT COUNT(*) AS n FROM metrics_events WHERE metric_name = 'c'`,
      );
      expect(Number(count!.n)).toBe(500);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('ingest engine: the SQLite connection', () => {
  it('gets its page cache back after a run (it may be the web app’s connection)', async () => {
    const { openTestDatabase } = await import('./support/databases');
    const t = await openTestDatabase('sqlite');
    try {
      const cacheSize = async () =>
        (await t.db.all<{ cache_size: number }>(sql`PRAGMA cache_size`))[0]!.cache_size;
      const before = await cacheSize();
      await ingestJsonl(t.db, 'test', { paths: [path.join(FIXTURES, METRICS)], root: FIXTURES });
      expect(await cacheSize()).toBe(before);
    } finally {
      await t.cleanup();
    }
  });
});

describe('ingest engine: usage errors', () => {
  it('refuses a path that does not exist, with its name', async () => {
    const { openTestDatabase } = await import('./support/databases');
    const t = await openTestDatabase('sqlite');
    try {
      await expect(ingestJsonl(t.db, 'test', { paths: ['/nonexistent/x.jsonl'] })).rejects.toThrow(
        /no such file or folder/,
      );
      await expect(ingestJsonl(t.db, 'test', { paths: [] })).rejects.toThrow(/at least one/);
      await expect(ingestJsonl(t.db, 'test', { paths: [FIXTURES], batchLines: 0 })).rejects.toThrow(
        /batch size/,
      );
    } finally {
      await t.cleanup();
    }
  });
});
