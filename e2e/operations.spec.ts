import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { requireE2eEnvironment } from './support/environment';
import { LoginPage, expect, test } from './support/fixtures';

const ROOT = path.resolve(import.meta.dirname, '..');

test.describe('operations', () => {
  test('an admin backs up now, follows the progress, sees the verified backup and downloads it', async ({
    adminPage,
  }) => {
    await adminPage.goto('/backups');
    await expect(adminPage.getByRole('heading', { name: 'Backups', level: 1 })).toBeVisible();
    const table = adminPage.getByRole('table', { name: 'Backups, newest first' });
    const before = await table
      .locator('tbody tr')
      .count()
      .catch(() => 0);
    await adminPage.getByRole('button', { name: 'Back up now' }).click();
    await expect(
      adminPage.getByRole('status').filter({ hasText: /Backed up foundups-\d{8}T\d{9}Z\.db/ }),
    ).toBeVisible({
      timeout: 30_000,
    });
    await expect(table.locator('tbody tr')).toHaveCount(before + 1);
    const row = table.locator('tbody tr').first();
    await expect(row).toContainText('verified');
    await expect(row).toContainText('integrity_check ok');
    await expect(row).toContainText('e2eadmin');
    const name = (await row.locator('td').first().textContent())!.trim();
    const download = await adminPage.request.get(`/backups/download/${name}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toBe(`attachment; filename="${name}"`);
    const body = await download.body();
    expect(body.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000');
    // The e2e server keeps backups in the default folder, data/backups/ under the checkout.
    const file = path.join(ROOT, 'data', 'backups', name);
    expect(body.length).toBe(fs.statSync(file).size);
    fs.rmSync(file);
    // Names outside the backups folder are refused.
    expect((await adminPage.request.get('/backups/download/..%2Ffoundups-e2e.db')).status()).toBe(404);
  });

  test('backups, health and retention are for admins only', async ({ viewerPage, request }) => {
    for (const screen of ['backups', 'health', 'retention']) {
      await viewerPage.goto(`/${screen}`);
      await expect(viewerPage.getByRole('alert').filter({ hasText: /is for admins/ })).toBeVisible();
    }
    expect((await viewerPage.request.get('/backups/download/foundups-20260101T000000000Z.db')).status()).toBe(
      403,
    );
    const anonymous = await request.get('/backups/download/foundups-20260101T000000000Z.db', {
      maxRedirects: 0,
    });
    expect(anonymous.status()).toBe(307);
    expect(anonymous.headers().location).toMatch(/\/login/);
    const probe = await request.get('/api/health');
    expect(probe.status()).toBe(200);
    expect(Object.keys(await probe.json()).sort()).toEqual(['dialect', 'latencyMs', 'ok']);
    expect((await request.get('/api/health?detail=1')).status()).toBe(401);
  });

  test('the health page shows the database, WAL, disk and the latency of the routes just used', async ({
    adminPage,
  }) => {
    await adminPage.goto('/review');
    await adminPage.goto('/timeline');
    await adminPage.goto('/health');
    await expect(adminPage.getByRole('heading', { name: 'Health', level: 1 })).toBeVisible();
    await expect(adminPage.getByText('Reachable', { exact: true })).toBeVisible();
    await expect(adminPage.getByText(/journal wal/)).toBeVisible();
    const latency = adminPage.getByRole('table', { name: 'Query latency per route' });
    await expect(latency).toContainText('/review');
    await expect(latency).toContainText('/timeline');
    await expect(adminPage.getByRole('table', { name: 'Request duration per route' })).toContainText(
      '/timeline',
    );
    const detail = await adminPage.request.get('/api/health?detail=1');
    expect(detail.status()).toBe(200);
    expect(await detail.json()).toMatchObject({ ok: true, database: { journalMode: 'wal' } });
  });

  test('an admin edits a policy, dry-runs, then archives and deletes exactly the old rows', async ({
    adminPage,
  }) => {
    const { dbPath } = requireE2eEnvironment();
    // Heartbeats from 2019, far older than anything the demo data holds.
    const conn = new BetterSqlite3(dbPath, { timeout: 5000 });
    const insert = conn.prepare(
      "INSERT INTO daemon_health (daemon_name, heartbeat_at, status) VALUES ('e2e-retention', ?, 'ok')",
    );
    conn.transaction(() => {
      for (let i = 0; i < 25; i += 1) insert.run(`2019-03-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00`);
    })();
    conn.close();

    await adminPage.goto('/retention');
    const policy = adminPage.getByRole('form', { name: 'Policy for Daemon heartbeats' });
    await policy.getByLabel('Keep days').fill('2000');
    await policy.getByRole('button', { name: 'Save' }).click();
    await expect(policy.getByRole('status')).toContainText('heartbeats: keep 2000 day(s)');

    await adminPage.getByRole('button', { name: 'Dry run' }).click();
    const plan = adminPage.getByRole('table', { name: 'Dry run' });
    const row = plan.getByRole('row').filter({ hasText: 'heartbeats' });
    await expect(row).toContainText('25');
    await expect(row).toContainText(/heartbeats-daemon_health-before-.*\.jsonl\.gz/);

    adminPage.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: /Archive and delete/ }).click();
    await expect(
      adminPage
        .getByRole('status')
        .filter({ hasText: /archived and deleted 25 row\(s\) into .*\.jsonl\.gz/ }),
    ).toBeVisible({ timeout: 30_000 });
    const history = adminPage.getByRole('table', { name: 'Retention history, newest first' });
    await expect(history.locator('tbody tr').first()).toContainText('25 deleted');
    await expect(history.locator('tbody tr').first()).toContainText('sha256');
    const archive = /\/\S+\.jsonl\.gz/.exec(
      (await history.locator('tbody tr').first().textContent()) ?? '',
    )?.[0];
    expect(archive).toBeTruthy();
    const archived = zlib.gunzipSync(fs.readFileSync(archive!)).toString('utf8').trimEnd().split('\n');
    expect(archived).toHaveLength(25);
    expect(JSON.parse(archived[0]!)).toMatchObject({ daemon_name: 'e2e-retention', status: 'ok' });
    fs.rmSync(archive!);
    const left = new BetterSqlite3(dbPath, { readonly: true });
    expect(
      left.prepare("SELECT count(*) AS n FROM daemon_health WHERE daemon_name = 'e2e-retention'").get(),
    ).toEqual({ n: 0 });
    left.close();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

test.describe('request logs', () => {
  let server: ChildProcess | undefined;
  test.afterEach(() => {
    server?.kill('SIGTERM');
  });

  test('a login and a token-authenticated API call are logged as JSON lines with no secret in them', async ({
    browser,
    credentials,
  }) => {
    test.setTimeout(90_000);
    const { dbPath, rootDir } = requireE2eEnvironment();
    const created = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'bin/foundups.mjs'),
        'tokens',
        'create',
        '--name',
        'e2e log check',
        '--scopes',
        'posts:read',
      ],
      { cwd: ROOT, env: { ...process.env, FOUNDUPS_DB_PATH: dbPath, DATABASE_URL: '' }, encoding: 'utf8' },
    );
    const secret = /fu_[A-Za-z0-9_-]{43}/.exec(created.stdout)?.[0];
    expect(secret, created.stderr).toBeTruthy();

    // A second server on the same database, whose standard output this test reads.
    const port = await freePort();
    let output = '';
    server = spawn(
      process.execPath,
      [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-H', '127.0.0.1', '-p', String(port)],
      {
        cwd: ROOT,
        env: { ...process.env, FOUNDUPS_DB_PATH: dbPath, FOUNDUPS_ROOT: rootDir, DATABASE_URL: '' },
      },
    );
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const base = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status ?? 0, {
        timeout: 60_000,
      })
      .toBe(200);

    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    const login = new LoginPage(page);
    await page.goto('/login');
    await login.signIn(credentials.admin);
    await expect(page).toHaveURL(`${base}/`);
    const cookies = await context.cookies();
    await context.close();
    const api = await fetch(`${base}/api/v1/posts?status=pending_review&limit=5`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(api.status).toBe(200);

    await expect.poll(() => output.includes('"path":"/api/v1/posts"'), { timeout: 10_000 }).toBe(true);
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'request');
    const action = lines.find((line) => line.kind === 'action' && line.path === '/login');
    expect(action).toMatchObject({
      method: 'POST',
      status: expect.any(Number),
      durationMs: expect.any(Number),
    });
    const apiLine = lines.find((line) => line.path === '/api/v1/posts');
    expect(apiLine).toMatchObject({
      method: 'GET',
      route: '/api/v1/posts',
      kind: 'api',
      status: 200,
      outcome: 'ok',
      operator: 'token:e2e log check',
    });
    const signedIn = lines.find((line) => line.path === '/' && line.kind === 'page');
    expect(signedIn).toMatchObject({ operator: credentials.admin.username, status: 200 });
    for (const forbidden of [
      credentials.admin.password,
      secret!,
      ...cookies.map((c) => c.value).filter((v) => v.length > 8),
    ])
      expect(output).not.toContain(forbidden);
    expect(output).not.toContain('pending_review');
  });
});
