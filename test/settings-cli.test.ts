import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@/db/database';
import { openSqliteDatabase } from '@/db/drivers/sqlite';
import { verifyApiToken } from '@/lib/review/tokens';
import { tempDir } from './support/databases';

// `foundups tokens …` run as a user runs it: `node bin/foundups.mjs` on a temporary FOUNDUPS_DB_PATH.

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'foundups.mjs');
const SECRET = /^fu_[A-Za-z0-9_-]{43}$/;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'DATABASE_READ_URL',
    'FOUNDUPS_DB_PATH',
    'FOUNDUPS_PG_SCHEMA',
    'NODE_OPTIONS',
  ])
    delete childEnv[name];
  Object.assign(childEnv, env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function expectOneLineError(result: CliResult, code: number, message: RegExp) {
  expect(result.code, result.stderr).toBe(code);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^foundups: /);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
}

describe('foundups tokens', () => {
  let dir: string;
  let dbPath: string;
  const env = () => ({ FOUNDUPS_DB_PATH: dbPath });

  async function withDb<T>(fn: (db: ReturnType<typeof openSqliteDatabase>) => Promise<T>): Promise<T> {
    const db = openSqliteDatabase(dbPath);
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  }

  beforeAll(() => {
    dir = tempDir('foundups-tokens-cli-');
    dbPath = path.join(dir, 'nested', 'tokens.db');
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  let secret = '';
  let id = 0;

  it('creates a token in the database FOUNDUPS_DB_PATH names and prints its secret once', async () => {
    const result = await cli(
      [
        'tokens',
        'create',
        '--name',
        'linkedin publisher',
        '--scopes',
        'posts:write,posts:publish',
        '--expires-days',
        '30',
      ],
      env(),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(fs.existsSync(dbPath)).toBe(true);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    const match =
      /^Created API token (\d+) "linkedin publisher" \((fu_[A-Za-z0-9_-]{8})…\), scopes posts:publish, posts:write, expires (\S+)\.$/.exec(
        lines[0]!,
      );
    expect(match, lines[0]).not.toBeNull();
    expect(lines[1]).toMatch(/you won't see it again/);
    secret = lines[2]!;
    id = Number(match![1]);
    expect(secret).toMatch(SECRET);
    expect(secret.startsWith(match![2]!)).toBe(true);
    const expires = Date.parse(match![3]!);
    expect(Math.abs(expires - (Date.now() + 30 * 24 * 3600 * 1000))).toBeLessThan(60_000);

    await withDb(async (db) => {
      expect(await verifyApiToken(db, secret, 'posts:publish')).toMatchObject({ ok: true, token: { id } });
      expect(await verifyApiToken(db, secret, 'posts:read')).toMatchObject({ ok: false, status: 403 });
      // Only the hash is kept; the activity log names the token and the command line, not the secret.
      expect(JSON.stringify(await db.all(sql`SELECT * FROM modules_console_api_tokens`))).not.toContain(
        secret,
      );
      const activity = await db.all<{ actor: string; action: string }>(
        sql`SELECT actor, action, detail_json FROM modules_console_activity`,
      );
      expect(activity).toEqual([
        expect.objectContaining({ action: 'token.create', actor: expect.stringMatching(/^cli:/) }),
      ]);
      expect(JSON.stringify(activity)).not.toContain(secret);
    });
  });

  it('lists tokens without their secrets, as text and as JSON', async () => {
    const text = await cli(['tokens', 'list'], env());
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^\\s*${id}\\s+${secret.slice(0, 11).replace(/[-]/g, '\\-')}\\s+linkedin publisher\\s+\\[posts:publish posts:write\\]\\s+active until \\S+\\s+created \\S+ by the CLI\\s+last used \\S+`,
      ),
    );
    expect(text.stdout).not.toContain(secret);

    const json = await cli(['tokens', 'list', '--json'], env());
    expect(json.code, json.stderr).toBe(0);
    const tokens = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(tokens).toEqual([
      expect.objectContaining({ id, name: 'linkedin publisher', status: 'active', createdByName: null }),
    ]);
    expect(json.stdout).not.toContain(secret);
    expect(Object.keys(tokens[0]!)).not.toContain('tokenHash');
  });

  it('revokes a token, after which it no longer authenticates', async () => {
    const result = await cli(['tokens', 'revoke', String(id)], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(
      `Revoked API token ${id} "linkedin publisher" (${secret.slice(0, 11)}…): agents using it now get 401.`,
    );
    await withDb(async (db) => {
      expect(await verifyApiToken(db, secret, 'posts:publish')).toMatchObject({
        ok: false,
        status: 401,
        code: 'revoked',
      });
    });
    const listed = await cli(['tokens', 'list'], env());
    expect(listed.stdout).toMatch(/\brevoked \d{4}-/);
  });

  it('explains every mistake in one line, with exit 2 for usage and 1 for a refused change', async () => {
    const [badScope, noName, badDays, noSub, again, unknown, badId, noId] = await Promise.all([
      cli(['tokens', 'create', '--name', 'x', '--scopes', 'posts:write,posts:delete'], env()),
      cli(['tokens', 'create', '--scopes', 'posts:write'], env()),
      cli(['tokens', 'create', '--name', 'x', '--scopes', 'posts:read', '--expires-days', '0'], env()),
      cli(['tokens'], env()),
      cli(['tokens', 'revoke', String(id)], env()),
      cli(['tokens', 'revoke', '4242'], env()),
      cli(['tokens', 'revoke', 'abc'], env()),
      cli(['tokens', 'revoke'], env()),
    ]);
    expectOneLineError(
      badScope,
      2,
      /Unknown scope "posts:delete": the scopes are posts:read, posts:write, posts:publish, events:write\./,
    );
    expectOneLineError(noName, 2, /tokens create needs --name and --scopes/);
    expectOneLineError(badDays, 2, /--expires-days must be from 1 to 3650/);
    expectOneLineError(noSub, 2, /tokens needs one of: create, list, revoke\./);
    expectOneLineError(again, 1, /This API token was already revoked\./);
    expectOneLineError(unknown, 1, /There is no API token with id 4242\./);
    expectOneLineError(badId, 2, /The token id is a whole number \(got "abc"\)\./);
    expectOneLineError(noId, 2, /tokens revoke needs the token id/);
    // None of the refused commands created anything.
    const json = await cli(['tokens', 'list', '--json'], env());
    expect((JSON.parse(json.stdout) as unknown[]).length).toBe(1);
  });

  it('says how to create the first token when there is none', async () => {
    const empty = path.join(dir, 'empty.db');
    const result = await cli(['tokens', 'list'], { FOUNDUPS_DB_PATH: empty });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(
      'No API tokens yet. Create one with: npx foundups tokens create --name NAME --scopes posts:write',
    );
  });
});
