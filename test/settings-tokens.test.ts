import { beforeAll, expect, it } from 'vitest';
import { sql } from '@/db/database';
import { type Operator, createOperator, recordActivity } from '@/lib/auth/operators';
import { verifyApiToken } from '@/lib/review/tokens';
import { createTokenAs, listTokensWithCreators, revokeTokenAs } from '@/lib/settings/api-tokens';
import { getActivityPage, getApiTokens } from '@/lib/settings/queries';
import { describeEachDatabase } from './support/databases';

const PASSWORD = 'a long enough password';
const DAY_MS = 24 * 60 * 60 * 1000;

describeEachDatabase('settings: API tokens', (testDb) => {
  let admin: Operator;
  let reviewer: Operator;
  let viewer: Operator;
  beforeAll(async () => {
    const { db } = testDb();
    admin = await createOperator(db, { username: 'tokenadmin', role: 'admin', password: PASSWORD });
    reviewer = await createOperator(db, { username: 'tokenreviewer', role: 'reviewer', password: PASSWORD });
    viewer = await createOperator(db, { username: 'tokenviewer', role: 'viewer', password: PASSWORD });
  });

  it('creates a token whose secret works once shown, names its creator and logs no secret', async () => {
    const { db } = testDb();
    const now = new Date();
    const result = await createTokenAs(
      db,
      admin,
      { name: 'publisher', scopes: ['posts:publish', 'posts:read'], expiresInDays: '30' },
      { now },
    );
    expect(result).toMatchObject({
      ok: true,
      message: 'Created API token "publisher". Copy the secret now: you won\'t see it again.',
    });
    if (!result.ok) return;
    const { token, secret } = result.data;
    expect(token).toMatchObject({
      name: 'publisher',
      scopes: ['posts:publish', 'posts:read'],
      createdBy: admin.id,
      status: 'active',
    });
    expect(token.expiresAt).toBe(new Date(now.getTime() + 30 * DAY_MS).toISOString());
    expect(await verifyApiToken(db, secret, 'posts:publish')).toMatchObject({
      ok: true,
      token: { id: token.id },
    });

    const listed = (await listTokensWithCreators(db)).find((entry) => entry.id === token.id);
    expect(listed).toMatchObject({
      createdByName: 'tokenadmin',
      prefix: secret.slice(0, 11),
      lastUsedAt: expect.any(String),
    });
    expect(JSON.stringify(await getApiTokens(db))).not.toContain(secret);

    const activity = await db.all<{ actor: string; action: string; target: string; detail_json: string }>(
      sql`SELECT actor, action, target, detail_json FROM modules_console_activity WHERE action = 'token.create'`,
    );
    expect(activity).toEqual([
      {
        actor: 'operator:tokenadmin',
        action: 'token.create',
        target: `publisher (${token.prefix}…)`,
        detail_json: JSON.stringify({ id: token.id, scopes: token.scopes, expiresAt: token.expiresAt }),
      },
    ]);
    expect(JSON.stringify(await db.all(sql`SELECT * FROM modules_console_activity`))).not.toContain(secret);
  });

  it('refuses viewers and reviewers: no token is created or revoked', async () => {
    const { db } = testDb();
    const before = await listTokensWithCreators(db);
    const target = await createTokenAs(db, admin, { name: 'target', scopes: ['posts:write'] });
    if (!target.ok) throw new Error(target.error);
    for (const actor of [viewer, reviewer]) {
      expect(await createTokenAs(db, actor, { name: 'sneaky', scopes: ['posts:publish'] })).toEqual({
        ok: false,
        code: 'forbidden',
        error: 'Only admins can do this.',
      });
      expect(await revokeTokenAs(db, actor, { id: target.data.token.id })).toMatchObject({
        ok: false,
        code: 'forbidden',
      });
    }
    const after = await listTokensWithCreators(db);
    expect(after.map((token) => token.name)).toEqual(['target', ...before.map((token) => token.name)]);
    expect(after[0]?.status).toBe('active');
  });

  it('reports bad token definitions on their fields', async () => {
    const { db } = testDb();
    const count = (await listTokensWithCreators(db)).length;
    const cases: [unknown, string][] = [
      [{ name: 'x', scopes: [] }, 'scopes'],
      [{ name: 'x' }, 'scopes'],
      [{ name: 'x', scopes: ['posts:delete'] }, 'scopes.0'],
      [{ name: '  ', scopes: ['posts:read'] }, 'name'],
      [{ name: 'x'.repeat(101), scopes: ['posts:read'] }, 'name'],
      [{ name: 'x', scopes: ['posts:read'], expiresInDays: '0' }, 'expiresInDays'],
      [{ name: 'x', scopes: ['posts:read'], expiresInDays: '1.5' }, 'expiresInDays'],
      [{ name: 'x', scopes: ['posts:read'], expiresInDays: 'soon' }, 'expiresInDays'],
      [{ name: 'x', scopes: ['posts:read'], expiresInDays: '3651' }, 'expiresInDays'],
    ];
    for (const [input, field] of cases) {
      const result = await createTokenAs(db, admin, input);
      expect(result, JSON.stringify(input)).toMatchObject({ ok: false, code: 'validation' });
      if (!result.ok) expect(Object.keys(result.fieldErrors ?? {}), JSON.stringify(input)).toEqual([field]);
    }
    expect(await listTokensWithCreators(db)).toHaveLength(count);
  });

  it('revokes a token: it stops authenticating, a second revoke and an unknown id say so', async () => {
    const { db } = testDb();
    const created = await createTokenAs(db, admin, { name: 'short-lived', scopes: ['posts:read'] });
    if (!created.ok) throw new Error(created.error);
    const { token, secret } = created.data;
    expect(await verifyApiToken(db, secret, 'posts:read')).toMatchObject({ ok: true });

    const revoked = await revokeTokenAs(db, admin, { id: String(token.id) });
    expect(revoked).toMatchObject({
      ok: true,
      message: 'Revoked API token "short-lived": agents using it now get 401.',
    });
    expect(await verifyApiToken(db, secret, 'posts:read')).toMatchObject({
      ok: false,
      status: 401,
      code: 'revoked',
    });
    expect((await listTokensWithCreators(db)).find((entry) => entry.id === token.id)).toMatchObject({
      status: 'revoked',
      revokedAt: expect.any(String),
    });

    expect(await revokeTokenAs(db, admin, { id: token.id })).toMatchObject({
      ok: false,
      code: 'already_revoked',
    });
    expect(await revokeTokenAs(db, admin, { id: 999_999 })).toMatchObject({
      ok: false,
      code: 'not_found',
      error: 'There is no API token with id 999999.',
    });
    expect(await revokeTokenAs(db, admin, { id: 'abc' })).toMatchObject({ ok: false, code: 'validation' });
    const log = await db.all<{ action: string; actor: string }>(
      sql`SELECT action, actor FROM modules_console_activity WHERE target = ${`short-lived (${token.prefix}…)`} ORDER BY id`,
    );
    expect(log).toEqual([
      { action: 'token.create', actor: 'operator:tokenadmin' },
      { action: 'token.revoke', actor: 'operator:tokenadmin' },
    ]);
  });

  it('lets the command line create tokens, listed as created by nobody', async () => {
    const { db } = testDb();
    const created = await createTokenAs(
      db,
      { kind: 'cli', label: 'cli:ops@box' },
      { name: 'from-cli', scopes: ['events:write'], expiresInDays: null },
    );
    if (!created.ok) throw new Error(created.error);
    expect(created.data.token).toMatchObject({ createdBy: null, expiresAt: null });
    expect(
      (await listTokensWithCreators(db)).find((entry) => entry.id === created.data.token.id)?.createdByName,
    ).toBeNull();
  });
});

describeEachDatabase('settings: activity log', (testDb) => {
  beforeAll(async () => {
    const { db } = testDb();
    // 30 entries with increasing times, then two sharing one time (the id breaks the tie).
    await db.bulkInsert(
      'modules_console_activity',
      ['at', 'actor', 'action', 'target', 'detail_json'],
      Array.from({ length: 30 }, (_, i) => [
        new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
        'operator:someone',
        `test.action${i}`,
        i % 2 ? null : `target${i}`,
        i % 3 ? null : JSON.stringify({ n: i }),
      ]),
    );
    await recordActivity(testDb().db, 'cli', 'test.same-time-1', null);
    await recordActivity(testDb().db, 'cli', 'test.same-time-2', null);
  });

  it('pages the log newest first and clamps a page past the end', async () => {
    const { db } = testDb();
    const first = await getActivityPage(db, { page: 1, pageSize: 25 });
    expect(first.total).toBe(32);
    expect(first.page).toBe(1);
    expect(first.entries).toHaveLength(25);
    expect(first.entries.slice(0, 3).map((entry) => entry.action)).toEqual([
      'test.same-time-2',
      'test.same-time-1',
      'test.action29',
    ]);
    expect(first.entries[3]).toMatchObject({ action: 'test.action28', target: 'target28', detail: null });
    expect(first.entries.find((entry) => entry.action === 'test.action27')?.detail).toBe('{"n":27}');

    const second = await getActivityPage(db, { page: 2, pageSize: 25 });
    expect(second.entries.map((entry) => entry.action)).toEqual(
      Array.from({ length: 7 }, (_, i) => `test.action${6 - i}`),
    );
    const past = await getActivityPage(db, { page: 99, pageSize: 25 });
    expect(past.page).toBe(2);
    expect(past.entries).toEqual(second.entries);
  });
});
