import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import Database from 'better-sqlite3';

// Several named databases: this spec runs its own console (two SQLite files, "prod" and "staging")
// next to the shared e2e server, because the databases are server configuration.

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin/foundups.mjs');
const nextBin = path.join(root, 'node_modules/next/dist/bin/next');
const SHARED_POST = 'e2e-shared-post';
const operator = { username: 'rita', password: `pw-${crypto.randomBytes(12).toString('base64url')}` };

let dir: string;
let files: { prod: string; staging: string };
let baseURL: string;
let server: ChildProcess | undefined;
let serverLog = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function serverEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: '',
    DATABASE_READ_URL: '',
    FOUNDUPS_DB_PATH: '',
    FOUNDUPS_PG_SCHEMA: '',
    FOUNDUPS_DATABASES: `prod=sqlite:${files.prod};staging=sqlite:${files.staging}`,
    FOUNDUPS_ROOT: path.join(dir, 'root'),
    NEXT_TELEMETRY_DISABLED: '1',
    ...extra,
  };
}

function foundups(args: string[], database: string, input?: string): void {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    env: serverEnv({ FOUNDUPS_DATABASE: database }),
    input,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`foundups ${args.join(' ')} (${database}) failed:\n${result.stdout}${result.stderr}`);
}

function insertPost(file: string, postId: string, content: string): void {
  // As the Python agents write: plain SQL.
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare(
      `INSERT INTO agents_social_posts (post_id, platform, post_type, content, status) VALUES (?, 'linkedin', 'comment', ?, 'pending_review')`,
    ).run(postId, content);
  } finally {
    db.close();
  }
}

function postState(file: string, postId: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      post: db.prepare('SELECT status, content FROM agents_social_posts WHERE post_id = ?').get(postId),
      decisions: (
        db
          .prepare(
            `SELECT count(*) AS n FROM modules_console_post_history WHERE post_id = ? AND action <> 'created'`,
          )
          .get(postId) as { n: number }
      ).n,
    };
  } finally {
    db.close();
  }
}

async function signIn(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Username').fill(operator.username);
  await page.getByLabel('Password').fill(operator.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

async function switchTo(page: Page, name: string): Promise<void> {
  await page.getByLabel('Database', { exact: true }).selectOption(name);
}

function band(page: Page) {
  return page.getByTestId('database-band');
}

// Two sign-ins (scrypt) and a dozen page loads per test on a shared two-core machine.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foundups-e2e-multi-'));
  files = { prod: path.join(dir, 'prod.db'), staging: path.join(dir, 'staging.db') };
  for (const name of ['prod', 'staging'] as const) {
    foundups(['migrate'], name);
    // Operators live in each database: the same person has an account in both.
    foundups(
      ['operators', 'create', '--username', operator.username, '--role', 'reviewer', '--password-stdin'],
      name,
      `${operator.password}\n`,
    );
  }
  insertPost(files.prod, SHARED_POST, 'PROD copy of the shared post');
  insertPost(files.staging, SHARED_POST, 'STAGING copy of the shared post');
  insertPost(files.staging, 'e2e-staging-only', 'A post that exists only on staging');

  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: root,
    env: serverEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`${baseURL}/api/health`)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (server.exitCode !== null || Date.now() > deadline)
      throw new Error(`The multi-database console did not start:\n${serverLog}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
});

test.afterAll(async () => {
  server?.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the header names the database, switching shows the other one, each with its own sign-in', async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto('/login');
  // The sign-in page already says which database it is for.
  await expect(band(page)).toHaveAttribute('data-database', 'prod');
  await expect(band(page)).toContainText('Production');
  await signIn(page);
  await expect(band(page)).toHaveAttribute('data-tone', 'production');
  await expect(band(page)).toHaveClass(/bg-red-600/);
  await expect(page.getByLabel('Database', { exact: true })).toHaveValue('prod');

  await page.goto(`/review/${SHARED_POST}`);
  await expect(page.getByTestId('post-content').first()).toContainText('PROD copy of the shared post');

  // Staging: no session there yet, so its own sign-in.
  await switchTo(page, 'staging');
  await expect(page).toHaveURL(/\/login/);
  await expect(band(page)).toHaveAttribute('data-database', 'staging');
  await expect(band(page)).toContainText('Staging');
  await signIn(page);
  await page.goto(`/review/${SHARED_POST}`);
  await expect(band(page)).toHaveAttribute('data-database', 'staging');
  await expect(band(page)).toHaveClass(/bg-amber-400/);
  await expect(page.getByTestId('post-content').first()).toContainText('STAGING copy of the shared post');
  await page.goto('/review/e2e-staging-only');
  await expect(page.getByTestId('post-content').first()).toContainText('A post that exists only on staging');

  // Back to prod: the prod session was kept aside, no second sign-in.
  await switchTo(page, 'prod');
  await expect(band(page)).toHaveAttribute('data-database', 'prod');
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto(`/review/${SHARED_POST}`);
  await expect(page.getByTestId('post-content').first()).toContainText('PROD copy of the shared post');
  await page.goto('/review/e2e-staging-only');
  await expect(page.getByText('A post that exists only on staging')).toHaveCount(0);
  await context.close();
});

test('an approval from a tab rendered for staging is refused after another tab switched to prod', async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL });
  const stale = await context.newPage();
  await stale.goto('/login');
  await signIn(stale);
  await switchTo(stale, 'staging');
  await expect(stale).toHaveURL(/\/login/);
  await signIn(stale);
  await stale.goto(`/review/${SHARED_POST}`);
  await expect(band(stale)).toHaveAttribute('data-database', 'staging');
  await expect(stale.getByTestId('post-content').first()).toContainText('STAGING copy of the shared post');
  const approve = stale.getByRole('button', { name: /^Approve/ });
  await expect(approve).toBeEnabled();

  // Another tab of the same browser switches to prod.
  const other = await context.newPage();
  await other.goto('/');
  await switchTo(other, 'prod');
  await expect(band(other)).toHaveAttribute('data-database', 'prod');

  // The stale tab says so at once...
  await stale.bringToFront();
  await expect(
    stale.getByRole('alert').filter({ hasText: 'This tab shows the staging database' }),
  ).toContainText('switched to prod in another tab');
  const before = { prod: postState(files.prod, SHARED_POST), staging: postState(files.staging, SHARED_POST) };
  // ...and its approval is refused: nothing written in either database.
  await approve.click();
  await expect(
    stale.getByText(
      /This page was showing the staging database, but this browser has since switched to prod/,
    ),
  ).toBeVisible();
  const after = { prod: postState(files.prod, SHARED_POST), staging: postState(files.staging, SHARED_POST) };
  expect(after).toEqual(before);
  expect(after.prod.post).toMatchObject({ status: 'pending_review' });
  expect(after.staging.post).toMatchObject({ status: 'pending_review' });
  expect(after.staging.decisions).toBe(0);

  // Reloading puts the tab on prod, where the approval goes through — on prod only.
  await stale.getByRole('button', { name: 'Reload on prod' }).click();
  await expect(band(stale)).toHaveAttribute('data-database', 'prod');
  await expect(stale.getByTestId('post-content').first()).toContainText('PROD copy of the shared post');
  await stale.getByRole('button', { name: /^Approve/ }).click();
  await expect
    .poll(() => (postState(files.prod, SHARED_POST).post as { status: string }).status)
    .toBe('approved');
  expect((postState(files.staging, SHARED_POST).post as { status: string }).status).toBe('pending_review');
  await context.close();
});
