import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  activeIngestRunIds,
  ingestRunSettled,
  startBackgroundIngest,
  stopIngestRun,
} from '@/app/api/ingest/_lib/background-runs';
import { getRunView } from '@/app/api/ingest/_lib/run-view';
import { resolveAuditTargets, resolveUploadTarget } from '@/app/api/ingest/_lib/targets';
import { sql } from '@/db/database';
import { auditJsonl } from '@/lib/ingest/audit';
import { listIngestFiles, listIngestRuns } from '@/lib/ingest/queries';
import { RUNS_TABLE, createBatchWriter } from '@/lib/ingest/writers';
import { readScanRoots } from '@/lib/satellites/roots';
import { describeEachDatabase, tempDir } from './support/databases';

// Runs started from the browser: what a button means in files (only files the latest audit reported,
// still under FOUNDUPS_ROOT), the run going on in the background while the request returns, one run
// at a time, stopping after a batch and resuming, and the run as the screen shows it.

const FIXTURES = path.join(__dirname, 'fixtures', 'jsonl');
const METRICS = 'holo_index/logs/search_metrics.jsonl';
const UNKNOWN = 'modules/ai_intelligence/pqn_alignment/data/pqn_research_log.jsonl';

const fileRequest = (file: string, domain?: 'metrics') => ({
  scope: 'file' as const,
  path: file,
  domain,
  finalize: false,
  acceptRewrite: false,
});

function copyFixtures(): string {
  const dir = tempDir('foundups-ingest-screen-');
  fs.cpSync(FIXTURES, dir, { recursive: true });
  return dir;
}

/** A metrics file big enough to take several batches. */
function bigMetricsFile(dir: string, lines: number): string {
  const file = path.join(dir, 'logs', 'bulk_metrics.jsonl');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const rows: string[] = [];
  for (let i = 0; i < lines; i++)
    rows.push(
      JSON.stringify({
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        metric: 'm',
        value: i,
      }),
    );
  fs.writeFileSync(file, `${rows.join('\n')}\n`);
  return fs.realpathSync(file);
}

describe('resolveAuditTargets', () => {
  it('maps file, domain and all to the audited paths under the roots, and refuses the rest', async () => {
    const root = copyFixtures();
    const report = await auditJsonl([root]);
    const roots = readScanRoots({ FOUNDUPS_ROOT: root });
    const file = report.files.find((entry) => entry.relativePath === METRICS)!;
    const unknown = report.files.find((entry) => entry.relativePath === UNKNOWN)!;

    const one = resolveAuditTargets(fileRequest(file.path), report, roots);
    expect(one).toMatchObject({
      ok: true,
      label: METRICS,
      request: { paths: [file.path], root: fs.realpathSync(root) },
    });

    // Only paths the audit reported: anything else on the server is out of reach.
    const foreign = resolveAuditTargets(fileRequest('/etc/passwd'), report, roots);
    expect(foreign).toEqual({ ok: false, error: expect.stringContaining('lists no such file') });

    const needsDomain = resolveAuditTargets(fileRequest(unknown.path), report, roots);
    expect(needsDomain).toEqual({ ok: false, error: expect.stringContaining('choose one') });
    expect(resolveAuditTargets(fileRequest(unknown.path, 'metrics'), report, roots)).toMatchObject({
      ok: true,
      request: { domain: 'metrics' },
    });
    // Once a run chose its domain, the file continues without being asked again.
    expect(resolveAuditTargets(fileRequest(unknown.path), report, roots, new Set([unknown.path])).ok).toBe(
      true,
    );

    const domain = resolveAuditTargets(
      { scope: 'domain', domain: 'metrics', finalize: false },
      report,
      roots,
    );
    const metrics = report.files.filter((entry) => entry.domain === 'metrics').map((entry) => entry.path);
    expect(domain).toMatchObject({ ok: true, request: { paths: metrics, domain: undefined } });

    const all = resolveAuditTargets({ scope: 'all', finalize: true }, report, roots);
    const unknownCount = report.files.filter((entry) => entry.domain === 'unknown').length;
    expect(unknownCount).toBeGreaterThan(0);
    expect(all).toMatchObject({ ok: true, skippedUnknown: unknownCount, request: { finalize: true } });
    if (all.ok) expect(all.request.paths).toHaveLength(report.files.length - unknownCount);

    // A root that moved away, a file deleted since the audit, no audit, no root: each says why.
    const elsewhere = readScanRoots({ FOUNDUPS_ROOT: tempDir('foundups-other-root-') });
    expect(resolveAuditTargets(fileRequest(file.path), report, elsewhere)).toEqual({
      ok: false,
      error: expect.stringContaining('not under FOUNDUPS_ROOT'),
    });
    fs.rmSync(file.path);
    expect(resolveAuditTargets(fileRequest(file.path), report, roots)).toEqual({
      ok: false,
      error: expect.stringContaining('no longer on disk'),
    });
    expect(resolveAuditTargets({ scope: 'all', finalize: false }, null, roots)).toEqual({
      ok: false,
      error: expect.stringContaining('No audit has run yet'),
    });
    expect(resolveAuditTargets({ scope: 'all', finalize: false }, report, readScanRoots({}))).toEqual({
      ok: false,
      error: expect.stringContaining('FOUNDUPS_ROOT is not set'),
    });
    expect(
      resolveUploadTarget(
        { scope: 'upload', name: '20261122T024958123Z-x.jsonl', domain: undefined, finalize: true },
        root,
      ),
    ).toEqual({
      ok: false,
      error: expect.stringContaining('no uploaded file'),
    });
  });
});

describeEachDatabase('runs started from the screen', (use) => {
  it('returns at once, runs in the background, refuses a second run meanwhile, and reconciles', async () => {
    const { db } = use();
    const root = copyFixtures();
    const file = fs.realpathSync(path.join(root, METRICS));
    const started = await startBackgroundIngest(db, 'admin1', { paths: [file], root });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    // The request has its answer while the run is still going.
    expect(activeIngestRunIds()).toContain(started.runId);
    const running = await getRunView(db, started.runId);
    expect(running).toMatchObject({
      status: 'running',
      stoppable: true,
      scope: 'search_metrics.jsonl',
      filesTotal: 1,
    });
    const second = await startBackgroundIngest(db, 'admin2', { paths: [file], root });
    expect(second).toEqual({
      ok: false,
      error: expect.stringContaining(`Run #${started.runId}`),
      runningRunId: started.runId,
    });

    await ingestRunSettled(started.runId);
    expect(activeIngestRunIds()).not.toContain(started.runId);
    const view = await getRunView(db, started.runId);
    expect(view).toMatchObject({
      status: 'succeeded',
      startedBy: 'admin1',
      reconciled: true,
      stoppable: false,
    });
    const c = view!.counters;
    expect(c.linesRead).toBe(c.alreadyPresent + c.inserted + c.rejected + c.blank + c.pendingPartial);
    expect(c.inserted).toBeGreaterThan(0);
    expect(c.rejected).toBeGreaterThan(0);
    expect(view!.files).toEqual([
      expect.objectContaining({ relativePath: METRICS, state: 'ingested', reconciled: true, fraction: 1 }),
    ]);
    expect(view!.durationMs).toBeGreaterThanOrEqual(0);

    // Again: nothing new, everything already present.
    const again = await startBackgroundIngest(db, 'admin1', { paths: [file], root });
    if (!again.ok) throw new Error(again.error);
    await ingestRunSettled(again.runId);
    const second2 = await getRunView(db, again.runId);
    expect(second2!.counters).toMatchObject({ inserted: 0, rejected: 0, alreadyPresent: c.linesRead });
    expect(second2!.files[0]!.state).toBe('up_to_date');
  });

  it('stops after a batch when asked, and the next run resumes without loss or duplicates', async () => {
    const { db } = use();
    const root = tempDir('foundups-ingest-stop-');
    const file = bigMetricsFile(root, 12_000);
    const started = await startBackgroundIngest(db, 'admin1', { paths: [file], root });
    if (!started.ok) throw new Error(started.error);
    expect(await stopIngestRun(db, started.runId)).toMatchObject({
      ok: true,
      message: expect.stringContaining('Stopping'),
    });
    expect(await stopIngestRun(db, started.runId)).toMatchObject({
      ok: true,
      message: expect.stringContaining('already stopping'),
    });
    await ingestRunSettled(started.runId);
    const stopped = await getRunView(db, started.runId);
    expect(stopped!.status).toBe('interrupted');
    expect(stopped!.counters.inserted).toBeLessThan(12_000);
    expect(await stopIngestRun(db, started.runId)).toEqual({
      ok: false,
      error: expect.stringContaining('was interrupted'),
    });

    const resumed = await startBackgroundIngest(db, 'admin1', { paths: [file], root });
    if (!resumed.ok) throw new Error(resumed.error);
    await ingestRunSettled(resumed.runId);
    const view = await getRunView(db, resumed.runId);
    expect(view).toMatchObject({ status: 'succeeded', reconciled: true });
    expect(view!.counters.alreadyPresent).toBe(stopped!.counters.inserted);
    expect(view!.counters.alreadyPresent + view!.counters.inserted).toBe(12_000);
    const status = (await listIngestFiles(db)).find((entry) => entry.path === file);
    expect(status).toMatchObject({ linesCommitted: 12_000, inserted: 12_000, fractionDone: 1 });
  });

  it('shows a run whose process is gone as interrupted, and refuses to stop what it does not run', async () => {
    const { db } = use();
    const now = new Date().toISOString();
    // A pid that cannot exist on Linux (above pid_max) stands for a killed command-line run on this host.
    const result = await db.run<{ id: number }>(
      sql`INSERT INTO ${sql.raw(RUNS_TABLE)} (started_by, started_at, heartbeat_at, status, host, pid, options_json) VALUES ('cli:someone', ${now}, ${now}, 'running', ${os.hostname()}, 99999999, '{"paths":[]}') RETURNING id`,
    );
    const deadId = Number(result.rows[0]!.id);
    const view = await getRunView(db, deadId);
    expect(view).toMatchObject({
      status: 'interrupted',
      stoppable: false,
      error: expect.stringContaining('stopped before it finished'),
    });
    // Another host's run is taken at its word until it goes silent.
    const other = await db.run<{ id: number }>(
      sql`INSERT INTO ${sql.raw(RUNS_TABLE)} (started_by, started_at, heartbeat_at, status, host, pid, options_json) VALUES ('cli:x', ${now}, ${now}, 'running', 'another-host', 1, '{"paths":[]}') RETURNING id`,
    );
    const otherId = Number(other.rows[0]!.id);
    expect((await getRunView(db, otherId))!.status).toBe('running');
    expect(await stopIngestRun(db, otherId)).toEqual({
      ok: false,
      error: expect.stringContaining('another process'),
    });
    expect(await stopIngestRun(db, 987654)).toEqual({ ok: false, error: 'There is no ingest run #987654.' });
    // While it runs, the screen starts nothing else.
    const refused = await startBackgroundIngest(db, 'admin1', { paths: ['/nonexistent.jsonl'], root: '/' });
    expect(refused).toMatchObject({ ok: false, runningRunId: otherId });
    await db.run(sql`UPDATE ${sql.raw(RUNS_TABLE)} SET status = 'interrupted' WHERE id = ${otherId}`);
    expect(await getRunView(db, 424242)).toBeNull();
  });

  it('gets its writer from a database opened by another copy of the driver module (as in the server bundles)', () => {
    const { db } = use();
    // A bundler can load db/drivers twice: the process-wide database then fails `instanceof` checks.
    const foreign = new Proxy(db, { getPrototypeOf: () => Object.prototype });
    const writer = createBatchWriter(foreign);
    expect(writer).toBeDefined();
    writer.close();
  });

  it('records a run that cannot read its file as failed, with why', async () => {
    const { db } = use();
    const started = await startBackgroundIngest(db, 'admin1', {
      paths: ['/nonexistent/gone.jsonl'],
      root: '/',
    });
    if (!started.ok) throw new Error(started.error);
    await ingestRunSettled(started.runId);
    const view = await getRunView(db, started.runId);
    expect(view).toMatchObject({ status: 'failed', error: expect.stringContaining('no such file') });
    const runs = await listIngestRuns(db);
    expect(runs.rows.find((run) => run.id === started.runId)?.status).toBe('failed');
  });
});
