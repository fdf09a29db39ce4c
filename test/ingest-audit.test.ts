import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRoot } from '@/db/seed/demo-root';
import { type AuditReport, auditJsonl, saveAuditReport } from '@/lib/ingest/audit';
import { DomainEvidence, daemonFromPath, decideDomain, moduleFromPath } from '@/lib/ingest/domains';
import { ingestJsonl } from '@/lib/ingest/ingest';
import { getAuditWithIngestStatus, getLatestAudit } from '@/lib/ingest/queries';
import { describeEachDatabase, tempDir } from './support/databases';

// The audit on the demo system root (the decision's bar: ≥ 10 files, ≥ 5 domains, writers found)
// and on the nasty corpus (writers in Python, shell and TypeScript; a reader is not a writer).

const FIXTURES = path.join(__dirname, 'fixtures', 'jsonl');

describe('audit of the demo system root', () => {
  let root = '';
  let report: AuditReport;
  beforeAll(async () => {
    root = path.join(tempDir('foundups-audit-'), 'root');
    await createDemoRoot(root, { now: new Date('2025-11-22T12:00:00Z'), seed: 12 });
    report = await auditJsonl([root]);
  });
  afterAll(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));

  it('finds at least 10 files in at least 5 domains, and skips node_modules and .git', () => {
    expect(report.totals.files).toBeGreaterThanOrEqual(10);
    const domains = Object.keys(report.totals.byDomain).filter((domain) => domain !== 'unknown');
    expect(domains.length).toBeGreaterThanOrEqual(5);
    expect(report.files.some((file) => /(^|\/)(node_modules|\.git)\//.test(file.relativePath))).toBe(false);
    expect(report.totals.lines).toBe(report.files.reduce((sum, file) => sum + file.lines, 0));
  });

  it('decides each file’s domain and target table, with the reason', () => {
    const domain = new Map(report.files.map((file) => [file.relativePath, [file.domain, file.targetTable]]));
    expect(domain.get('logs/youtube_dae_heartbeat.jsonl')).toEqual(['daemon_health', 'daemon_health']);
    expect(domain.get('modules/ai_intelligence/agent_permissions/memory/confidence_events.jsonl')).toEqual([
      'confidence',
      'confidence_events',
    ]);
    expect(domain.get('modules/infrastructure/foundups_vision/memory/vision_sessions.jsonl')).toEqual([
      'browser_sessions',
      'selenium_sessions',
    ]);
    expect(domain.get('modules/ai_intelligence/pqn_alignment/data/pqn_research_log.jsonl')).toEqual([
      'unknown',
      null,
    ]);
    for (const file of report.files) expect(file.domainReason.length, file.relativePath).toBeGreaterThan(10);
  });

  it('names the code that appends to each file, and rates the two-writer heartbeat high risk', () => {
    const heartbeat = report.files.find((file) => file.relativePath === 'logs/youtube_dae_heartbeat.jsonl')!;
    expect(heartbeat.writers.map((writer) => writer.path).sort()).toEqual([
      'modules/communication/livechat/src/auto_moderator_dae.py',
      'modules/communication/livechat/src/heartbeat_service.py',
    ]);
    expect(heartbeat.concurrencyRisk).toBe('high');
    expect(heartbeat.riskReasons[0]).toMatch(/2 writers/);
    expect(heartbeat.partialLastLine).toBe(true);
    // A chat log named after its stream: the writer builds the name in a folder it names.
    const chat = report.files.find((file) => file.relativePath.endsWith('chat_logs/Xk3mQ9vLp2A.jsonl'))!;
    expect(chat.writers.map((writer) => writer.path)).toEqual([
      'modules/communication/livechat/src/auto_moderator_dae.py',
    ]);
    const withWriters = report.files.filter((file) => file.writers.length > 0);
    expect(withWriters.length).toBeGreaterThanOrEqual(8);
    // The rotated file has no writer.
    expect(
      report.files.find((file) => file.relativePath.endsWith('permission_events.1.jsonl'))!.writers,
    ).toEqual([]);
  });

  it('reports times, field sets, malformed lines and a partial last line', () => {
    const confidence = report.files.find((file) => file.relativePath.endsWith('confidence_events.jsonl'))!;
    expect(confidence.malformedLines).toBe(1);
    expect(confidence.firstTimestamp!.iso < confidence.lastTimestamp!.iso).toBe(true);
    expect(confidence.fieldSets[0]!.fields).toContain('confidence_before');
    expect(confidence.fieldSets[0]!.count).toBeGreaterThan(1000);
    const errors = report.files.find((file) => file.relativePath === 'logs/errors/livechat_errors.jsonl')!;
    expect(errors.malformedLines).toBe(2);
    const chat = report.files.find((file) => file.relativePath.endsWith('Xk3mQ9vLp2A.jsonl'))!;
    expect(chat.bom).toBe(true);
    expect(chat.blankLines).toBeGreaterThan(0);
  });
});

describe('audit of the nasty corpus', () => {
  it('finds writers in Python (through a helper), shell (>>) and TypeScript (appendFileSync), but not readers', async () => {
    const report = await auditJsonl([FIXTURES]);
    const writers = new Map(report.files.map((file) => [file.relativePath, file.writers]));
    expect(
      writers
        .get('modules/ai_intelligence/agent_permissions/memory/permission_events.jsonl')!
        .map((w) => w.path),
    ).toEqual(['modules/ai_intelligence/agent_permissions/src/permission_manager.py']);
    expect(writers.get('logs/youtube_dae_heartbeat.jsonl')!.map((w) => [w.path, w.line])).toEqual([
      ['scripts/heartbeat.sh', 3],
    ]);
    expect(writers.get('holo_index/logs/search_metrics.jsonl')!.map((w) => w.path)).toEqual([
      'tools/metrics-writer.ts',
    ]);
    const permissions = report.files.find((file) => file.relativePath.endsWith('permission_events.jsonl'))!;
    expect(permissions).toMatchObject({
      lines: 19,
      blankLines: 2,
      partialLastLine: true,
      bom: true,
      crlfLines: 2,
    });
    // Malformed, not-an-object and invalid UTF-8 lines (the cut last line is partial, not malformed).
    expect(permissions.malformedByReason).toEqual({ malformed_json: 4, not_an_object: 2, invalid_utf8: 1 });
  });

  it('streams a file it cannot read into an error entry instead of failing the audit', async () => {
    const dir = tempDir('foundups-audit-unreadable-');
    try {
      fs.writeFileSync(path.join(dir, 'ok.jsonl'), '{"metric": "m", "value": 1}\n');
      fs.mkdirSync(path.join(dir, 'locked'));
      fs.writeFileSync(path.join(dir, 'locked', 'x.jsonl'), '{}\n');
      fs.chmodSync(path.join(dir, 'locked'), 0o000);
      const report = await auditJsonl([dir]);
      const readable = process.getuid?.() === 0; // root reads anything
      expect(report.files.map((file) => file.relativePath)).toEqual(
        readable ? ['locked/x.jsonl', 'ok.jsonl'] : ['ok.jsonl'],
      );
      if (!readable) expect(report.errors[0]!.path).toMatch(/locked$/);
    } finally {
      fs.chmodSync(path.join(dir, 'locked'), 0o755);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('domain rules', () => {
  it('derives module and daemon names from paths', () => {
    expect(moduleFromPath('modules/platform_integration/social_media_orchestrator/logs/errors.jsonl')).toBe(
      'social_media_orchestrator',
    );
    expect(moduleFromPath('logs/errors/livechat_errors.jsonl')).toBe('livechat');
    expect(moduleFromPath('holo_index/logs/search_metrics.jsonl')).toBe('holo_index');
    expect(daemonFromPath('logs/youtube_dae_heartbeat.jsonl')).toBe('youtube_dae');
    expect(daemonFromPath('x/heartbeat.jsonl')).toBe('x');
  });

  it('lets the fields overrule a misleading path, and says so', () => {
    const evidence = new DomainEvidence();
    for (let i = 0; i < 10; i++)
      evidence.add({ agent_id: 'a', confidence_before: 0.5, confidence_after: 0.6, success: true });
    const decision = decideDomain('memory/permission_log.jsonl', evidence);
    expect(decision.domain).toBe('confidence');
    expect(decision.reason).toMatch(/100% of 10 records .* but the fields decide/);
    expect(decideDomain('logs/chat.jsonl', new DomainEvidence())).toMatchObject({
      domain: 'unknown',
      reason: 'no line parses as a JSON object',
    });
  });
});

describeEachDatabase('stored audits', (use) => {
  it('keeps the latest report for the screen, joined with each file’s ingest status', async () => {
    const { db } = use();
    expect(await getLatestAudit(db)).toBeNull();
    const dir = tempDir('foundups-audit-store-');
    try {
      fs.cpSync(FIXTURES, dir, { recursive: true });
      const report = await auditJsonl([dir]);
      await saveAuditReport(db, report, 'tester');
      const id = await saveAuditReport(db, report, 'tester-2');
      const latest = await getLatestAudit(db);
      expect(latest).toMatchObject({ id, createdBy: 'tester-2' });
      expect(latest!.report.totals.files).toBe(8);
      await ingestJsonl(db, 'tester', { paths: [path.join(dir, 'holo_index')] });
      const joined = await getAuditWithIngestStatus(db);
      const metrics = joined!.files.find(
        (file) => file.relativePath === 'holo_index/logs/search_metrics.jsonl',
      )!;
      expect(metrics.ingest).toMatchObject({
        inserted: 3,
        rejected: 2,
        blank: 1,
        fractionDone: 1,
        state: 'active',
      });
      expect(joined!.files.filter((file) => file.ingest === null)).toHaveLength(7);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
