import { expect, it } from 'vitest';
import { sql } from '@/db/database';
import { canonicalJson, createPostFromApi } from '@/lib/review/create-post';
import { readHistory } from '@/lib/review/post-records';
import {
  API_TOKEN_PREFIX,
  bearerToken,
  createApiToken,
  hashApiToken,
  listApiTokens,
  revokeApiToken,
  verifyApiToken,
} from '@/lib/review/tokens';
import { markPosted } from '@/lib/review/transitions';
import { describeEachDatabase } from './support/databases';

describeEachDatabase('review API tokens', (testDb) => {
  it('creates a token whose secret is shown once and stored only as a hash', async () => {
    const { db } = testDb();
    const created = await createApiToken(db, {
      name: ' publisher ',
      scopes: ['posts:publish', 'posts:read', 'posts:read'],
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.secret).toMatch(/^fu_[A-Za-z0-9_-]{43}$/);
    expect(created.token).toMatchObject({
      name: 'publisher',
      scopes: ['posts:publish', 'posts:read'],
      status: 'active',
      lastUsedAt: null,
    });
    expect(created.token.prefix).toBe(created.secret.slice(0, API_TOKEN_PREFIX.length + 8));
    const stored = await db.get<{ token_hash: string; scopes: string }>(
      sql`SELECT token_hash, scopes FROM modules_console_api_tokens WHERE id = ${created.token.id}`,
    );
    expect(stored?.token_hash).toBe(hashApiToken(created.secret));
    expect(JSON.stringify(await db.all(sql`SELECT * FROM modules_console_api_tokens`))).not.toContain(
      created.secret,
    );
    expect(JSON.stringify(await listApiTokens(db))).not.toContain(stored!.token_hash);
  });

  it('refuses invalid token definitions with field errors', async () => {
    const { db } = testDb();
    const noScopes = await createApiToken(db, { name: 'x', scopes: [] });
    expect(noScopes).toMatchObject({ ok: false, code: 'validation' });
    if (!noScopes.ok) expect(noScopes.fieldErrors.scopes).toBeTruthy();
    expect(await createApiToken(db, { name: 'x', scopes: ['posts:delete' as never] })).toMatchObject({
      ok: false,
      code: 'validation',
    });
    expect(await createApiToken(db, { name: '   ', scopes: ['posts:read'] })).toMatchObject({
      ok: false,
      code: 'validation',
    });
    const past = await createApiToken(db, {
      name: 'x',
      scopes: ['posts:read'],
      expiresAt: '2020-01-01T00:00:00Z',
    });
    expect(past).toMatchObject({
      ok: false,
      code: 'validation',
      fieldErrors: { expiresAt: ['The expiry must be in the future.'] },
    });
  });

  it('verifies valid tokens and refuses wrong, revoked, expired and under-scoped ones', async () => {
    const { db } = testDb();
    const t0 = new Date('2026-06-01T00:00:00.000Z');
    const created = await createApiToken(
      db,
      { name: 'writer', scopes: ['posts:write'], expiresAt: '2026-07-01T00:00:00Z' },
      { now: t0 },
    );
    if (!created.ok) throw new Error('token not created');
    const { secret } = created;

    const valid = await verifyApiToken(db, secret, 'posts:write', { now: t0 });
    expect(valid).toMatchObject({ ok: true, token: { name: 'writer', lastUsedAt: t0.toISOString() } });
    // last_used_at is refreshed at most once a minute.
    await verifyApiToken(db, secret, 'posts:write', { now: new Date(t0.getTime() + 30_000) });
    expect((await listApiTokens(db, { now: t0 })).find((t) => t.id === created.token.id)?.lastUsedAt).toBe(
      t0.toISOString(),
    );
    await verifyApiToken(db, secret, 'posts:write', { now: new Date(t0.getTime() + 61_000) });
    expect((await listApiTokens(db, { now: t0 })).find((t) => t.id === created.token.id)?.lastUsedAt).toBe(
      new Date(t0.getTime() + 61_000).toISOString(),
    );

    expect(await verifyApiToken(db, null, 'posts:write')).toMatchObject({
      ok: false,
      code: 'missing',
      status: 401,
    });
    expect(await verifyApiToken(db, 'not-a-token', 'posts:write')).toMatchObject({
      ok: false,
      code: 'invalid',
      status: 401,
    });
    // Same prefix, different secret: the hash comparison rejects it.
    const forged = `${secret.slice(0, 11)}${'A'.repeat(secret.length - 11)}`;
    expect(await verifyApiToken(db, forged, 'posts:write', { now: t0 })).toMatchObject({
      ok: false,
      code: 'invalid',
    });
    expect(await verifyApiToken(db, `fu_${'B'.repeat(43)}`, 'posts:write', { now: t0 })).toMatchObject({
      ok: false,
      code: 'invalid',
    });
    const wrongScope = await verifyApiToken(db, secret, 'posts:publish', { now: t0 });
    expect(wrongScope).toMatchObject({ ok: false, code: 'forbidden', status: 403 });
    if (!wrongScope.ok) expect(wrongScope.message).toContain('posts:publish');
    expect(
      await verifyApiToken(db, secret, 'posts:write', { now: new Date('2026-07-01T00:00:00.000Z') }),
    ).toMatchObject({ ok: false, code: 'expired', status: 401 });

    const revoked = await revokeApiToken(db, created.token.id, { now: t0 });
    expect(revoked).toMatchObject({ ok: true, token: { status: 'revoked' } });
    expect(await verifyApiToken(db, secret, 'posts:write', { now: t0 })).toMatchObject({
      ok: false,
      code: 'revoked',
      status: 401,
    });
    expect(await revokeApiToken(db, created.token.id)).toMatchObject({ ok: false, code: 'already_revoked' });
    expect(await revokeApiToken(db, 999_999)).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('reads the bearer token from an Authorization header', () => {
    expect(bearerToken('Bearer fu_abc')).toBe('fu_abc');
    expect(bearerToken('bearer   fu_abc  ')).toBe('fu_abc');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
});

describeEachDatabase('review API create (idempotent)', (testDb) => {
  const body = {
    platform: 'linkedin',
    post_type: 'comment',
    content: 'Your VC model is dead <script>alert(1)</script>',
    identity: 'UnDaoDu',
    tone: 'pushback',
    metadata: { b: 2, a: [1, { y: true, x: null }] },
  };

  async function token() {
    const created = await createApiToken(testDb().db, { name: 'agent-writer', scopes: ['posts:write'] });
    if (!created.ok) throw new Error('token not created');
    return { id: created.token.id, name: created.token.name };
  }

  it('creates a post as record_post would, recorded in the history by the token', async () => {
    const { db } = testDb();
    const t = await token();
    const result = await createPostFromApi(db, t, { body });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.replayed).toBe(false);
    expect(result.post).toMatchObject({
      platform: 'linkedin',
      postType: 'comment',
      content: body.content,
      identity: 'UnDaoDu',
      status: 'pending_review',
      targetUrl: null,
      version: 1,
      consoleActor: 'agent-writer',
      metadata: JSON.stringify(body.metadata),
    });
    expect(result.post.postId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.post.createdAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const history = await readHistory(db, result.post.postId);
    expect(history.map((h) => [h.action, h.actor, h.actorKind, h.toStatus, h.version])).toEqual([
      ['created', 'agent-writer', 'token', 'pending_review', 1],
    ]);
    // The publishing side then works on it through the same guarded writes.
    const posted = await markPosted(
      db,
      { kind: 'token', name: 'publisher' },
      { postId: result.post.postId, version: 1 },
    );
    expect(posted).toMatchObject({ ok: false, code: 'invalid_transition' });
  });

  it('returns the same post for the same key and body, and a conflict for the same key with another body', async () => {
    const { db } = testDb();
    const t = await token();
    const count = async () =>
      Number((await db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM agents_social_posts`))?.n);
    const before = await count();
    const first = await createPostFromApi(db, t, { body, idempotencyKey: 'req-0001' });
    // Same body, keys in another order: still the same request.
    const again = await createPostFromApi(db, t, {
      body: {
        metadata: { a: [1, { x: null, y: true }], b: 2 },
        tone: 'pushback',
        identity: 'UnDaoDu',
        content: body.content,
        post_type: 'comment',
        platform: 'linkedin',
      },
      idempotencyKey: 'req-0001',
    });
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.replayed).toBe(true);
    expect(again.post.postId).toBe(first.post.postId);
    expect(await count()).toBe(before + 1);

    const different = await createPostFromApi(db, t, {
      body: { ...body, content: 'other text' },
      idempotencyKey: 'req-0001',
    });
    expect(different).toMatchObject({ ok: false, code: 'conflict' });
    expect(await count()).toBe(before + 1);

    // Keys are per token: another token may use the same key for its own post.
    const other = await token();
    const otherResult = await createPostFromApi(db, other, { body, idempotencyKey: 'req-0001' });
    expect(otherResult.ok && otherResult.post.postId).not.toBe(first.post.postId);
    // Without a key every request creates a post.
    await createPostFromApi(db, t, { body });
    expect(await count()).toBe(before + 3);
  });

  it('creates one post when the same keyed request arrives twice at once', async () => {
    const { db } = testDb();
    const t = await token();
    const results = await Promise.all([
      createPostFromApi(db, t, { body, idempotencyKey: 'race-1' }),
      createPostFromApi(db, t, { body, idempotencyKey: 'race-1' }),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    const postIds = new Set(results.map((r) => (r.ok ? r.post.postId : null)));
    expect(postIds.size).toBe(1);
    expect(results.filter((r) => r.ok && r.replayed)).toHaveLength(1);
  });

  it('rejects invalid bodies and keys with field errors, creating nothing', async () => {
    const { db } = testDb();
    const t = await token();
    const count = async () =>
      Number((await db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM agents_social_posts`))?.n);
    const before = await count();
    const missing = await createPostFromApi(db, t, { body: { platform: 'x' } });
    expect(missing).toMatchObject({ ok: false, code: 'validation' });
    if (!missing.ok)
      expect(Object.keys(missing.fieldErrors ?? {}).toSorted()).toEqual(['content', 'post_type']);
    const typo = await createPostFromApi(db, t, { body: { ...body, contnet: 'x' } });
    expect(typo).toMatchObject({ ok: false, code: 'validation' });
    expect(await createPostFromApi(db, t, { body: { ...body, status: 'approved' } })).toMatchObject({
      ok: false,
      code: 'validation',
      fieldErrors: { status: expect.any(Array) },
    });
    expect(await createPostFromApi(db, t, { body: { ...body, content: '   ' } })).toMatchObject({
      ok: false,
      code: 'validation',
    });
    expect(await createPostFromApi(db, t, { body: { ...body, metadata: [1, 2] } })).toMatchObject({
      ok: false,
      code: 'validation',
    });
    expect(await createPostFromApi(db, t, { body: 'not an object' })).toMatchObject({
      ok: false,
      code: 'validation',
    });
    expect(await createPostFromApi(db, t, { body, idempotencyKey: 'has space' })).toMatchObject({
      ok: false,
      code: 'validation',
    });
    expect(await count()).toBe(before);
  });

  it('hashes bodies canonically', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } })).toBe('{"a":{"c":null,"d":[1,"x"]},"b":1}');
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});
