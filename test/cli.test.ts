import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@/db/database';
import { openSqliteDatabase } from '@/db/drivers/sqlite';
import { loadMigrations } from '@/db/migrate';
import { tempDir } from './support/databases';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'foundups.mjs');
const MIGRATION_TAGS = loadMigrations('sqlite').map((m) => m.tag);

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/foundups.mjs …` against a database chosen by env, with no inherited database settings. */
function cli(
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'DATABASE_READ_URL',
    'FOUNDUPS_DB_PATH',
    'FOUNDUPS_PG_SCHEMA',
    'NODE_OPTIONS',
  ])
    delete env[name];
  Object.assign(env, options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A failure an operator can read: exactly one line on stderr, prefixed, and no stack trace. */
function expectOneLineError(result: CliResult, code: number, message: RegExp) {
  expect(result.code, result.stderr).toBe(code);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^foundups: /);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
}

describe('foundups CLI', () => {
  let dir: string;
  let dbPath: string;
  const env = () => ({ FOUNDUPS_DB_PATH: dbPath });

  beforeAll(() => {
    dir = tempDir('foundups-cli-');
    dbPath = path.join(dir, 'data', 'foundups.db');
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('migrate creates a new database, lists the migrations it applied, and then says it is up to date', async () => {
    const first = await cli(['migrate'], { env: env() });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe(
      `Applied ${MIGRATION_TAGS.length} migration(s): ${MIGRATION_TAGS.join(', ')} (SQLite ${dbPath}).`,
    );
    expect(fs.existsSync(dbPath)).toBe(true);
    const second = await cli(['migrate'], { env: env() });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe(`Nothing to migrate: SQLite ${dbPath} is up to date.`);
  });

  it('setup-link prints a one-time URL while there are no operators', async () => {
    const result = await cli(['setup-link', '--base-url', 'https://console.example.test'], { env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(
      /^https:\/\/console\.example\.test\/setup\?token=[A-Za-z0-9_-]{32}$/,
    );
  });

  it('operators create reads the password from stdin, and operators list shows the operator', async () => {
    const created = await cli(
      [
        'operators',
        'create',
        '--username',
        'Root.Admin',
        '--role',
        'admin',
        '--display-name',
        'Root',
        '--password-stdin',
      ],
      {
        env: env(),
        input: 'a long enough password\n',
      },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toBe('Created admin "root.admin".');
    expect(created.stdout + created.stderr).not.toContain('a long enough password');

    const listed = await cli(['operators', 'list'], { env: env() });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^root\.admin\s+admin\s+active$/),
    ]);

    // The stored hash verifies the password exactly as given (without the trailing newline).
    const db = openSqliteDatabase(dbPath);
    try {
      const row = await db.get<{ password_hash: string; display_name: string }>(
        sql`SELECT password_hash, display_name FROM modules_console_operators WHERE username = 'root.admin'`,
      );
      expect(row?.display_name).toBe('Root');
      const { verifyPassword } = await import('@/lib/auth/password');
      expect(await verifyPassword('a long enough password', row!.password_hash)).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('setup-link says so once operators exist', async () => {
    const result = await cli(['setup-link'], { env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(
      'This console already has operators; use "npx foundups operators create".',
    );
  });

  it('refuses a bad role with exit 2 and one line, before asking for a password', async () => {
    const result = await cli(
      ['operators', 'create', '--username', 'eve', '--role', 'root', '--password-stdin'],
      { env: env(), input: 'a long enough password' },
    );
    expectOneLineError(result, 2, /--role must be viewer, reviewer or admin \(got "root"\)\./);
  });

  it('refuses an invalid username with exit 2 and one line', async () => {
    const result = await cli(
      ['operators', 'create', '--username', 'bad name', '--role', 'viewer', '--password-stdin'],
      {
        env: env(),
        input: 'a long enough password',
      },
    );
    expectOneLineError(result, 2, /letters, digits, dot, dash and underscore/);
  });

  it('reports a duplicate, a weak password and a missing password as one line each', async () => {
    const create = (username: string, input: string) =>
      cli(['operators', 'create', '--username', username, '--role', 'viewer', '--password-stdin'], {
        env: env(),
        input,
      });
    const [duplicate, weak, missing] = await Promise.all([
      create('root.admin', 'another long password'),
      create('weak', 'short'),
      create('nopw', ''),
    ]);
    expectOneLineError(duplicate, 1, /An operator named "root\.admin" already exists\./);
    expectOneLineError(weak, 1, /at least 10 characters/);
    expectOneLineError(missing, 2, /No password on standard input\./);
    const listed = await cli(['operators', 'list'], { env: env() });
    expect(listed.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('operators disable and enable report the new state; an unknown operator is one line with exit 1', async () => {
    expectOneLineError(
      await cli(['operators', 'disable', 'root.admin'], { env: env() }),
      1,
      /root\.admin is the last active admin: the console would have no admin left\./,
    );
    const second = await cli(
      ['operators', 'create', '--username', 'second.admin', '--role', 'admin', '--password-stdin'],
      { env: env(), input: 'a long enough password\n' },
    );
    expect(second.code, second.stderr).toBe(0);
    const disabled = await cli(['operators', 'disable', 'root.admin'], { env: env() });
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout.trim()).toBe('root.admin is now disabled (its sessions are ended).');
    const enabled = await cli(['operators', 'enable', 'root.admin'], { env: env() });
    expect(enabled.stdout.trim()).toBe('root.admin is now active.');
    expectOneLineError(
      await cli(['operators', 'disable', 'ghost'], { env: env() }),
      1,
      /No operator named "ghost"\./,
    );
  });

  it('rejects an unknown command, sub-command or option with exit 2', async () => {
    const [command, sub, option] = await Promise.all([
      cli(['frobnicate'], { env: env() }),
      cli(['operators', 'promote'], { env: env() }),
      cli(['migrate', '--force'], { env: env() }),
    ]);
    expectOneLineError(command, 2, /Unknown command "frobnicate"\. Run "npx foundups help"\./);
    expectOneLineError(sub, 2, /operators needs one of/);
    expectOneLineError(option, 2, /Unknown option --force\./);
  });

  it('rejects DATABASE_URL=mysql://x with exit 1 and a clear sentence', async () => {
    const result = await cli(['migrate'], { env: { DATABASE_URL: 'mysql://x' } });
    expectOneLineError(
      result,
      1,
      /DATABASE_URL must start with postgres:\/\/, postgresql:\/\/, pglite: or sqlite: \(got "mysql:\/\/x"\)/,
    );
  });

  it('never prints the password of a malformed DATABASE_URL', async () => {
    const result = await cli(['operators', 'list'], {
      env: { DATABASE_URL: 'postgres://app:pa/ss-w0rd@db/foundups' },
    });
    expectOneLineError(result, 1, /DATABASE_URL is not a valid URL/);
    expect(result.stderr).not.toContain('ss-w0rd');
  });

  it('refuses a file that is not a database with exit 1 and a clear sentence, leaving it untouched', async () => {
    const notes = path.join(dir, 'notes.txt');
    fs.writeFileSync(notes, 'shopping list\n'.repeat(100));
    const results = await Promise.all(
      [['migrate'], ['operators', 'list']].map((command) =>
        cli(command, { env: { FOUNDUPS_DB_PATH: notes } }),
      ),
    );
    for (const result of results) expectOneLineError(result, 1, /notes\.txt is not a SQLite database/);
    expect(fs.readFileSync(notes, 'utf8')).toBe('shopping list\n'.repeat(100));
  });

  it('two migrate processes racing on one new file both succeed and apply each migration once', async () => {
    const racePath = path.join(dir, 'race', 'foundups.db');
    const results = await Promise.all([
      cli(['migrate'], { env: { FOUNDUPS_DB_PATH: racePath } }),
      cli(['migrate'], { env: { FOUNDUPS_DB_PATH: racePath } }),
    ]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const db = openSqliteDatabase(racePath);
    try {
      const rows = await db.all<{ tag: string; n: number }>(
        sql`SELECT tag, COUNT(*) AS n FROM modules_console_migrations GROUP BY tag ORDER BY tag`,
      );
      expect(rows).toEqual(MIGRATION_TAGS.toSorted().map((tag) => ({ tag, n: 1 })));
    } finally {
      await db.close();
    }
  });
});
