import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { requireE2eEnvironment } from './support/environment';
import { expect, test } from './support/fixtures';
import { IngestPage, parseReconciliation, queryRunDb, writeBulkMetricsFile } from './support/ingest-page';

// The Ingest screen end to end on the run's demo root (FOUNDUPS_ROOT): an admin audits it, ingests a
// domain and watches the run, reads and downloads the quarantined lines of a messy file, uploads a
// file; viewers and reviewers get nothing. Screenshots go to $INGEST_SHOTS (default /tmp/shots/ingest).

const SHOTS = process.env.INGEST_SHOTS ?? '/tmp/shots/ingest';
const BULK_LINES = 200_000;
const MESSY = 'modules/infrastructure/wre_core/logs/wre_metrics.jsonl';

test.describe.configure({ mode: 'serial' });

/** An action request the admin's browser sent, replayed later as another operator. */
let capturedAction: { headers: Record<string, string>; body: string } | null = null;

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/ingest-${name}.png`, fullPage: true });
}

async function variant(
  pageAs: (role: 'admin') => Promise<Page>,
  mode: 'dark' | 'mobile',
  url: string,
): Promise<Page> {
  const page = await pageAs('admin');
  if (mode === 'dark') {
    const { hostname } = new URL(requireE2eEnvironment().baseURL);
    await page.context().addCookies([{ name: 'fu_theme', value: 'dark', domain: hostname, path: '/' }]);
  } else {
    await page.setViewportSize({ width: 390, height: 844 });
  }
  await page.goto(url);
  return page;
}

test('an admin audits the demo root, ingests a domain with live progress, and checks its rejects', async ({
  adminPage: page,
  pageAs,
}) => {
  test.setTimeout(240_000);
  const bulk = writeBulkMetricsFile(BULK_LINES);
  const ingest = new IngestPage(page);
  await ingest.goto();
  await ingest.runAudit();

  // The report: at least ten files in at least five domains, with the summary on top.
  await expect(ingest.fileRows.first()).toBeVisible();
  expect(await ingest.fileRows.count()).toBeGreaterThanOrEqual(10);
  expect(await ingest.domainSections.count()).toBeGreaterThanOrEqual(5);
  await expect(ingest.summary).toContainText('Total lines');
  await expect(ingest.summary).toContainText('Malformed');
  await expect(page.getByTestId('audit-meta')).toContainText('by e2eadmin');
  await expect(ingest.file(bulk)).toHaveAttribute('data-status', 'not_ingested');
  // A file's details: why its domain, who writes it, its field sets.
  const heartbeat = ingest.file('logs/youtube_dae_heartbeat.jsonl');
  await heartbeat.getByRole('button', { name: 'Details of logs/youtube_dae_heartbeat.jsonl' }).click();
  const details = page.locator('tr[id^="audit-details-"]:visible');
  await expect(details).toContainText('Why this domain');
  await expect(details).toContainText('Writers (2)');
  await expect(details).toContainText('Concurrency risk: high');
  await expect(details).toContainText('Field sets');
  await shot(page, 'audit-light');
  for (const mode of ['dark', 'mobile'] as const) {
    const other = await variant(pageAs, mode, '/ingest');
    await expect(new IngestPage(other).summary).toBeVisible();
    await shot(other, `audit-${mode === 'dark' ? 'dark' : '390'}`);
  }

  // Ingest the metrics domain: the request returns at once and the run is followed live.
  page.on('request', (request) => {
    const headers = request.headers();
    if (!capturedAction && request.method() === 'POST' && headers['next-action'])
      capturedAction = { headers, body: request.postData() ?? '' };
  });
  await ingest.domain('metrics').getByRole('button', { name: 'Ingest metrics', exact: true }).click();
  await expect(
    ingest
      .domain('metrics')
      .getByRole('status')
      .filter({ hasText: /Run #\d+ started/ }),
  ).toBeVisible();
  const progress = ingest.runProgress;
  await expect(progress).toHaveAttribute('data-status', 'running');
  const runId = Number(await progress.getAttribute('data-run-id'));
  await expect(progress.getByRole('progressbar', { name: `Run #${runId} progress` })).toBeVisible();
  // Progress moves while the page polls: rows and a rate, before the run ends.
  await expect(progress.locator('dd').first()).not.toHaveText('0', { timeout: 20_000 });
  await expect(progress).toContainText('Rows/s');
  await expect(progress).toHaveAttribute('data-status', 'running');
  await shot(page, 'run-light');
  for (const mode of ['dark', 'mobile'] as const) {
    const other = await variant(pageAs, mode, '/ingest');
    await expect(new IngestPage(other).runProgress).toBeVisible();
    await shot(other, `run-${mode === 'dark' ? 'dark' : '390'}`);
  }

  await expect(progress).toHaveAttribute('data-status', 'succeeded', { timeout: 180_000 });
  await expect(progress).toContainText('✓ reconciles');
  const shown = parseReconciliation((await ingest.reconciliation.textContent()) ?? '');
  expect(shown.read).toBe(shown.present + shown.inserted + shown.rejected + shown.blank + shown.pending);
  expect(shown.inserted).toBeGreaterThanOrEqual(BULK_LINES);
  expect(shown.rejected).toBeGreaterThan(0);
  // The database holds the same numbers.
  const stored = queryRunDb(
    (db) =>
      db
        .prepare(
          'SELECT started_by, status, lines_read, inserted, already_present, rejected, blank, pending_partial FROM modules_console_ingest_runs WHERE id = ?',
        )
        .get(runId) as Record<string, number | string>,
  );
  expect(stored).toMatchObject({
    started_by: 'e2eadmin',
    status: 'succeeded',
    lines_read: shown.read,
    inserted: shown.inserted,
    rejected: shown.rejected,
  });
  await expect(ingest.file(bulk)).toHaveAttribute('data-status', 'done');

  // The validation report: every file checks out; the messy file's rejects are one click away.
  await page.getByRole('link', { name: 'Validation report' }).click();
  await expect(page.getByRole('heading', { name: `Run #${runId}`, exact: true })).toBeVisible();
  const report = page.getByRole('table', { name: `Validation report of run #${runId}, per file` });
  await expect(report.locator('tbody tr')).toHaveCount(3);
  await expect(report.locator('tbody tr').filter({ hasText: '✓ ok' })).toHaveCount(3);
  const messyRejects = queryRunDb(
    (db) =>
      (
        db
          .prepare(
            'SELECT COUNT(*) AS n FROM modules_console_ingest_rejects r JOIN modules_console_ingest_files f ON f.id = r.file_id WHERE f.relative_path = ? AND r.run_id = ?',
          )
          .get(MESSY, runId) as { n: number }
      ).n,
  );
  expect(messyRejects).toBeGreaterThan(0);
  await report.getByRole('link', { name: `${messyRejects} rejected lines of ${MESSY}` }).click();

  await expect(page).toHaveURL(/\/ingest\/rejects\?run=\d+&file=\d+/);
  await expect(page.getByTestId('rejects-total')).toHaveText(`${messyRejects} lines match.`);
  const rows = page.locator('tbody tr[data-row-id]');
  await expect(rows).toHaveCount(messyRejects);
  await expect(rows.first()).toContainText(/Wrong type|Missing required field|Malformed JSON/);
  await expect(rows.first().locator('pre')).toContainText('"metric"');
  await shot(page, 'rejects-light');
  const rejectsUrl = new URL(page.url()).pathname + new URL(page.url()).search;
  for (const mode of ['dark', 'mobile'] as const) {
    const other = await variant(pageAs, mode, rejectsUrl);
    await expect(other.locator('tbody tr[data-row-id]')).toHaveCount(messyRejects);
    await shot(other, `rejects-${mode === 'dark' ? 'dark' : '390'}`);
  }

  // Downloads: every quarantined line of the file, as CSV and as JSON.
  const csv = await ingest.download(page.getByRole('link', { name: 'CSV', exact: true }));
  expect(csv.download.suggestedFilename()).toMatch(/^ingest-rejects-run-\d+-file-\d+-.*\.csv$/);
  const csvText = csv.bytes.toString('utf8').replace(/^\uFEFF/, '');
  const csvLines = csvText.trimEnd().split('\r\n');
  expect(csvLines[0]).toBe(
    'file,line_no,byte_offset,byte_length,reason_code,reason,raw_text,raw_base64,run_id',
  );
  expect(csvLines).toHaveLength(messyRejects + 1);
  const json = await ingest.download(page.getByRole('link', { name: 'JSON', exact: true }));
  const records = JSON.parse(json.bytes.toString('utf8')) as {
    file: string;
    run_id: number;
    raw_text: string;
  }[];
  expect(records).toHaveLength(messyRejects);
  expect(records.every((record) => record.file.endsWith(MESSY) && record.run_id === runId)).toBe(true);
});

test('an admin uploads a small JSONL file and sees it ingested', async ({ adminPage: page }) => {
  test.setTimeout(60_000);
  const ingest = new IngestPage(page);
  await ingest.goto('/upload');
  const input = page.getByLabel('JSONL file', { exact: true });

  await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello\n') });
  await expect(page.getByText('notes.txt is not a JSONL file')).toBeVisible();

  const lines = [
    { timestamp: '2026-11-21T08:00:00Z', metric: 'uploaded_latency_ms', value: 41.5, unit: 'ms' },
    { timestamp: '2026-11-21T08:00:01Z', metric: 'uploaded_latency_ms', value: 'fast', unit: 'ms' },
    { timestamp: '2026-11-21T08:00:02Z', metric: 'uploaded_latency_ms', value: 39.25, unit: 'ms' },
  ];
  const content = Buffer.from(`${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
  await input.setInputFiles({
    name: '../agent metrics.jsonl',
    mimeType: 'application/x-ndjson',
    buffer: content,
  });
  await page.getByLabel('Domain').selectOption('metrics');
  await page.getByRole('button', { name: 'Upload and ingest' }).click();

  const status = page.getByTestId('upload-status');
  await expect(status).toContainText(
    /Stored as \d{8}T\d{9}Z-agent_metrics\.jsonl; run #\d+ is ingesting it\./,
  );
  await expect(page.getByRole('progressbar', { name: 'Upload of ../agent metrics.jsonl' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  const run = page.getByTestId('run-progress');
  await expect(run).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  const numbers = parseReconciliation((await run.getByTestId('run-reconciliation').textContent()) ?? '');
  expect(numbers).toMatchObject({ read: 3, inserted: 2, rejected: 1, present: 0 });

  // Stored byte for byte in the console's folder, under its own name, and listed as done.
  const name = /Stored as (\S+);/.exec((await status.textContent()) ?? '')![1]!;
  const stored = path.join(path.dirname(requireE2eEnvironment().dbPath), 'uploads', name);
  expect(fs.readFileSync(stored).equals(content)).toBe(true);
  await page.reload();
  await expect(page.locator(`tr[data-upload="${name}"]`)).toContainText('done');
});

test('viewers and reviewers get no access, and the actions refuse them', async ({ pageAs, request }) => {
  for (const role of ['viewer', 'reviewer'] as const) {
    const page = await pageAs(role);
    const ingest = new IngestPage(page);
    for (const section of ['', '/runs', '/rejects', '/upload'] as const) {
      await ingest.goto(section);
      await expect(ingest.adminsOnly).toBeVisible();
      await expect(ingest.adminsOnly).toContainText(`signed in as a ${role}`);
      await expect(page.getByRole('button', { name: /audit|Ingest|Upload/ })).toHaveCount(0);
      await expect(page.locator('tr[data-file]')).toHaveCount(0);
    }
    const download = await page.request.get('/api/ingest/rejects?format=csv');
    expect(download.status()).toBe(403);
    const upload = await page.request.post('/api/ingest/uploads', { data: { name: 'a.jsonl', size: 10 } });
    expect(upload.status()).toBe(403);
    const poll = await page.request.get('/api/ingest/runs/1');
    expect(poll.status()).toBe(403);

    // The admin's "Ingest metrics" action, sent again with this operator's session: refused, nothing started.
    expect(capturedAction).not.toBeNull();
    const runsBefore = queryRunDb(
      (db) => (db.prepare('SELECT COUNT(*) AS n FROM modules_console_ingest_runs').get() as { n: number }).n,
    );
    const replay = await page.request.post('/ingest', {
      headers: {
        'next-action': capturedAction!.headers['next-action']!,
        'content-type': capturedAction!.headers['content-type'] ?? 'text/plain;charset=UTF-8',
        accept: 'text/x-component',
        origin: requireE2eEnvironment().baseURL,
      },
      data: capturedAction!.body,
    });
    expect(await replay.text()).toContain('This needs the admin role.');
    const runsAfter = queryRunDb(
      (db) => (db.prepare('SELECT COUNT(*) AS n FROM modules_console_ingest_runs').get() as { n: number }).n,
    );
    expect(runsAfter).toBe(runsBefore);
  }
  // Without a session: the API says so.
  expect((await request.get('/api/ingest/rejects?format=json')).status()).toBe(401);
});
