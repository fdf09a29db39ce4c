import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// A stand-in for the Next.js request: what next/headers would give the code under test.
const request = vi.hoisted(() => ({
  active: false,
  cookies: new Map<string, string>(),
  headers: new Headers(),
}));
vi.mock('next/headers', () => ({
  cookies: async () => {
    if (!request.active) throw new Error('`cookies` was called outside a request scope. Read more: …');
    return {
      get: (name: string) =>
        request.cookies.has(name) ? { name, value: request.cookies.get(name)! } : undefined,
    };
  },
  headers: async () => {
    if (!request.active) throw new Error('`headers` was called outside a request scope. Read more: …');
    return request.headers;
  },
}));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

import { closeDb, getDb } from '@/db/client';
import { type DatabasesConfig, readDatabasesConfig } from '@/db/config';
import { type Database, sql } from '@/db/database';
import {
  DATABASE_COOKIE,
  DATABASE_HEADER,
  UnknownDatabaseError,
  crossDatabaseRefusal,
  currentDatabase,
  resolveDatabaseName,
  withDatabase,
} from '@/db/multi-database';
import { migrateOnStart } from '@/db/start';
import { createOperator } from '@/lib/auth/operators';
import { SESSION_COOKIE, createSession } from '@/lib/auth/sessions';
import { readCurrentState } from '@/lib/review/post-records';
import { approvePostAction } from '@/lib/review/actions';
import { readJsonBody } from '@/app/api/v1/_lib/json-body';
import { tempDir } from './support/databases';

const three: DatabasesConfig = readDatabasesConfig({
  FOUNDUPS_DATABASES: 'prod=sqlite:/tmp/x-prod.db;staging=sqlite:/tmp/x-staging.db;dev=sqlite:/tmp/x-dev.db',
} as never);

describe('resolveDatabaseName', () => {
  it('takes the cookie first, then the header, then the default', () => {
    expect(resolveDatabaseName(three, {})).toBe('prod');
    expect(resolveDatabaseName(three, { cookie: 'staging' })).toBe('staging');
    expect(resolveDatabaseName(three, { header: 'dev' })).toBe('dev');
    expect(resolveDatabaseName(three, { cookie: 'staging', header: 'dev' })).toBe('staging');
  });

  it('falls back to the default for a cookie naming a database that is no longer configured', () => {
    expect(resolveDatabaseName(three, { cookie: 'qa' })).toBe('prod');
  });

  it('refuses a header naming an unknown database, without echoing what is not a name', () => {
    expect(() => resolveDatabaseName(three, { header: 'qa' })).toThrow(UnknownDatabaseError);
    expect(() => resolveDatabaseName(three, { header: 'qa' })).toThrow(
      'The x-foundups-database header names "qa", which is not a configured database; configured: prod, staging, dev.',
    );
    expect(() => resolveDatabaseName(three, { header: '<script>' })).toThrow(/names no valid database name/);
  });
});

describe('crossDatabaseRefusal', () => {
  it('lets a write through only when it names the database of the request', () => {
    expect(crossDatabaseRefusal(three, 'prod', 'prod')).toBeNull();
    expect(crossDatabaseRefusal(three, 'prod', 'staging')).toBe(
      'This page was showing the staging database, but this browser has since switched to prod (in another tab?). Nothing was changed in either. Reload the page to work on prod, or switch back to staging first.',
    );
  });

  it('refuses a write that names no database when there are several, unless told not to (agents)', () => {
    expect(crossDatabaseRefusal(three, 'prod', undefined)).toMatch(/did not say which database/);
    expect(crossDatabaseRefusal(three, 'prod', '', { requireClaim: false })).toBeNull();
    const single = readDatabasesConfig({ FOUNDUPS_DB_PATH: '/tmp/one.db' } as never);
    expect(crossDatabaseRefusal(single, 'default', undefined)).toBeNull();
    expect(crossDatabaseRefusal(single, 'default', 'staging')).toMatch(/was showing the staging database/);
  });
});

// ---------------------------------------------------------------------------------------------
// getDb() with several databases: two real SQLite files.

describe('getDb() with several databases', () => {
  let dir: string;
  const saved = { ...process.env };
  const files = () => ({ prod: path.join(dir, 'prod.db'), staging: path.join(dir, 'staging.db') });

  beforeAll(() => {
    dir = tempDir('foundups-multi-');
    for (const name of [
      'DATABASE_URL',
      'DATABASE_READ_URL',
      'FOUNDUPS_DB_PATH',
      'FOUNDUPS_PG_SCHEMA',
      'FOUNDUPS_DATABASE',
    ])
      delete process.env[name];
    process.env.FOUNDUPS_DATABASES = `prod=sqlite:${files().prod};staging=sqlite:${files().staging}`;
  });
  afterEach(() => {
    request.active = false;
    request.cookies.clear();
    request.headers = new Headers();
    delete process.env.FOUNDUPS_DATABASE;
  });
  afterAll(async () => {
    await closeDb();
    process.env = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('migrates every named database on start', async () => {
    await migrateOnStart();
    for (const file of Object.values(files())) expect(fs.existsSync(file)).toBe(true);
    const prod = await withDatabase('prod', getDb);
    const staging = await withDatabase('staging', getDb);
    expect(prod).not.toBe(staging);
    for (const db of [prod, staging]) {
      const row = await db.get<{ n: number }>(
        sql`SELECT count(*) AS n FROM sqlite_master WHERE name = 'modules_console_operators'`,
      );
      expect(row?.n).toBe(1);
    }
  });

  it('uses the default outside a request, FOUNDUPS_DATABASE when set, and withDatabase above both', async () => {
    const prod = await withDatabase('prod', getDb);
    const staging = await withDatabase('staging', getDb);
    expect(await getDb()).toBe(prod);
    process.env.FOUNDUPS_DATABASE = 'staging';
    expect(await getDb()).toBe(staging);
    expect(await withDatabase('prod', getDb)).toBe(prod);
    expect(() => withDatabase('qa', getDb)).toThrow(
      'There is no database named "qa"; configured: prod, staging.',
    );
  });

  it('inside a request follows the switcher cookie, and for agents the header', async () => {
    const prod = await withDatabase('prod', getDb);
    const staging = await withDatabase('staging', getDb);
    request.active = true;
    expect(await getDb()).toBe(prod);
    request.cookies.set(DATABASE_COOKIE, 'staging');
    expect(await getDb()).toBe(staging);
    expect((await currentDatabase()).name).toBe('staging');
    request.cookies.clear();
    request.headers = new Headers({ [DATABASE_HEADER]: 'staging' });
    expect(await getDb()).toBe(staging);
    request.headers = new Headers({ [DATABASE_HEADER]: 'nope' });
    await expect(getDb()).rejects.toThrow(UnknownDatabaseError);
  });

  it("refuses an API write naming another database than the browser's, and lets agents choose by header", async () => {
    const body = () =>
      new Request('http://console.test/api/v1/posts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
    request.active = true;
    // A console page rendered for staging, the browser now on prod.
    request.cookies.set(DATABASE_COOKIE, 'prod');
    request.headers = new Headers({ [DATABASE_HEADER]: 'staging' });
    const refused = await readJsonBody(body());
    expect(refused.ok).toBe(false);
    const response = (refused as { response: Response }).response;
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: {
        code: 'conflict',
        message: expect.stringMatching(/^This page was showing the staging database/),
      },
    });
    // An agent (no cookie) picks staging with the header; a console page on its own database passes too.
    request.cookies.clear();
    expect(await readJsonBody(body())).toEqual({ ok: true, body: { a: 1 } });
    request.cookies.set(DATABASE_COOKIE, 'staging');
    expect(await readJsonBody(body())).toEqual({ ok: true, body: { a: 1 } });
    // Without the header (agents of the default database) nothing is required.
    request.cookies.clear();
    request.headers = new Headers();
    expect(await readJsonBody(body())).toEqual({ ok: true, body: { a: 1 } });
  });

  describe('a review approval from a tab rendered for another database', () => {
    const tokens: Record<string, string> = {};

    async function prepare(db: Database, name: string) {
      const operator = await createOperator(db, {
        username: 'rita',
        role: 'reviewer',
        password: 'correct horse battery staple',
      });
      tokens[name] = (await createSession(db, operator.id)).token;
      await db.run(sql`INSERT INTO agents_social_posts (post_id, platform, post_type, content, status)
        VALUES ('post-1', 'linkedin', 'comment', ${`a ${name} post`}, 'pending_review')`);
    }

    beforeAll(async () => {
      await prepare(await withDatabase('prod', getDb), 'prod');
      await prepare(await withDatabase('staging', getDb), 'staging');
    });

    function inRequest(cookie: string, rendered: string | undefined) {
      request.active = true;
      request.cookies.set(DATABASE_COOKIE, cookie);
      request.cookies.set(SESSION_COOKIE, tokens[cookie]!);
      request.headers = new Headers(rendered ? { [DATABASE_HEADER]: rendered } : {});
    }

    async function statuses() {
      const read = async (name: string) =>
        (await readCurrentState(await withDatabase(name, getDb), 'post-1'))!.current;
      return { prod: await read('prod'), staging: await read('staging') };
    }

    it('is refused with a clear message and writes nothing anywhere', async () => {
      const before = await statuses();
      // Rendered on staging; the browser then switched to prod in another tab.
      inRequest('prod', 'staging');
      const result = await approvePostAction({ postId: 'post-1', version: before.staging.version });
      expect(result).toEqual({
        ok: false,
        error: expect.stringMatching(
          /^This page was showing the staging database, but this browser has since switched to prod/,
        ),
      });
      const after = await statuses();
      expect(after).toEqual(before);
      expect(after.prod.status).toBe('pending_review');
      expect(after.staging.status).toBe('pending_review');
    });

    it('is refused when the write names no database at all', async () => {
      const before = await statuses();
      inRequest('prod', undefined);
      const result = await approvePostAction({ postId: 'post-1', version: before.prod.version });
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/did not say which database/) });
      expect(await statuses()).toEqual(before);
    });

    it('goes through on the database the page was rendered for, and only there', async () => {
      const before = await statuses();
      inRequest('staging', 'staging');
      const result = await approvePostAction({ postId: 'post-1', version: before.staging.version });
      expect(result).toMatchObject({ ok: true });
      const after = await statuses();
      expect(after.staging.status).toBe('approved');
      expect(after.prod).toEqual(before.prod);
    });
  });
});
