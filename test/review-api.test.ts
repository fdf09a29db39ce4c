import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getOne } from '@/app/api/v1/posts/[postId]/route';
import { POST as postPosted } from '@/app/api/v1/posts/[postId]/posted/route';
import { GET as listPosts, POST as createPost } from '@/app/api/v1/posts/route';
import { closeDb, getDb } from '@/db/client';
import { type Database, sql } from '@/db/database';
import { type ApiErrorBody, type ApiPost, ReviewApiError, createReviewApiClient } from '@/lib/review/client';
import { readHistory } from '@/lib/review/post-records';
import { type ApiTokenScope, createApiToken, revokeApiToken } from '@/lib/review/tokens';
import { approvePost, revokeApproval } from '@/lib/review/transitions';
import { type TargetName, postgresTestUrl, tempDir, testTargets } from './support/databases';

// The agents' HTTP API, with the route handlers called directly on Request objects (no server), on
// every database target. The routes open the database through getDb(), so each target is selected
// the way production selects it: through DATABASE_URL / FOUNDUPS_DB_PATH.

const BASE = 'http://console.test';
const ENV_KEYS = ['DATABASE_URL', 'DATABASE_READ_URL', 'FOUNDUPS_DB_PATH', 'FOUNDUPS_PG_SCHEMA'] as const;

interface Target {
  db: Database;
  cleanup(): Promise<void>;
}

async function selectTarget(target: TargetName): Promise<Target> {
  const saved = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  const restore = () => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  };
  for (const key of ENV_KEYS) delete process.env[key];
  let after: () => Promise<void> = async () => undefined;
  if (target === 'sqlite') {
    const dir = tempDir('foundups-api-');
    process.env.FOUNDUPS_DB_PATH = path.join(dir, 'foundups.db');
    after = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else if (target === 'pglite') {
    process.env.DATABASE_URL = 'pglite:';
  } else {
    const url = postgresTestUrl()!;
    const schema = `t_api_${crypto.randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    process.env.DATABASE_URL = url;
    process.env.FOUNDUPS_PG_SCHEMA = schema;
    after = async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    };
  }
  await closeDb();
  const db = await getDb();
  return {
    db,
    async cleanup() {
      await closeDb();
      await after();
      restore();
    },
  };
}

/** Dispatches a fetch to the route handlers, as Next's router would. */
const routeFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const segments = new URL(request.url).pathname.split('/').filter(Boolean);
  const notFound = new Response('not found', { status: 404 });
  if (segments.slice(0, 3).join('/') !== 'api/v1/posts') return notFound;
  const params = (id: string) => ({ params: Promise.resolve({ postId: decodeURIComponent(id) }) });
  if (segments.length === 3) {
    if (request.method === 'GET') return listPosts(request);
    if (request.method === 'POST') return createPost(request);
  } else if (segments.length === 4 && request.method === 'GET') {
    return getOne(request, params(segments[3]!));
  } else if (segments.length === 5 && segments[4] === 'posted' && request.method === 'POST') {
    return postPosted(request, params(segments[3]!));
  }
  return new Response('method not allowed', { status: 405 });
};

function request(
  method: string,
  pathname: string,
  options: { token?: string | null; body?: unknown; raw?: BodyInit; headers?: Record<string, string> } = {},
): Request {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  return new Request(`${BASE}${pathname}`, { method, headers, body, duplex: 'half' } as RequestInit);
}

async function errorOf(response: Response): Promise<ApiErrorBody['error']> {
  const body = (await response.json()) as ApiErrorBody;
  expect(body.error, JSON.stringify(body)).toBeTruthy();
  return body.error;
}

const VALID_BODY = {
  platform: 'x',
  post_type: 'reply',
  content: 'Community ownership beats extraction. <script>alert(1)</script> 🚀',
  identity: 'UnDaoDu',
  target_url: 'https://x.com/someone/status/1',
  target_author: '@someone',
  tone: 'pushback',
  trigger_context: 'Reply to mention by @someone',
  metadata: { generator: 'qwen-1.5b', confidence: 0.82 },
};

for (const target of testTargets()) {
  describe(`agents' API /api/v1/posts [${target}]`, () => {
    let current: Target | undefined;
    const db = () => {
      if (!current) throw new Error('database not open');
      return current.db;
    };
    beforeAll(async () => {
      current = await selectTarget(target);
    });
    afterAll(async () => {
      await current?.cleanup();
    });

    async function token(scopes: ApiTokenScope[], name = `agent-${scopes.join('-')}`) {
      const created = await createApiToken(db(), { name, scopes });
      if (!created.ok) throw new Error(created.message);
      return { secret: created.secret, id: created.token.id, name: created.token.name };
    }

    const countPosts = async () =>
      Number((await db().get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM agents_social_posts`))?.n ?? 0);

    /** The agents' record_post INSERT (no console bookkeeping), then optional guarded approval. */
    async function agentPost(status: 'pending_review' | 'approved', content = `post ${crypto.randomUUID()}`) {
      const postId = crypto.randomUUID();
      await db().run(
        sql`INSERT INTO agents_social_posts (post_id, platform, post_type, content, identity, status)
            VALUES (${postId}, 'linkedin', 'comment', ${content}, 'FoundUps', 'pending_review')`,
      );
      if (status === 'approved') {
        const approved = await approvePost(db(), { kind: 'operator', name: 'alice' }, { postId, version: 0 });
        if (!approved.ok) throw new Error(approved.message);
        return { postId, version: approved.post.version };
      }
      return { postId, version: 0 };
    }

    it('creates a post (201, Location), records the token in the history, and reads it back', async () => {
      const writer = await token(['posts:write']);
      const reader = await token(['posts:read']);
      const response = await createPost(
        request('POST', '/api/v1/posts', { token: writer.secret, body: VALID_BODY }),
      );
      expect(response.status).toBe(201);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const { post, replayed } = (await response.json()) as { post: ApiPost; replayed: boolean };
      expect(replayed).toBe(false);
      expect(response.headers.get('location')).toBe(`/api/v1/posts/${post.post_id}`);
      expect(post).toMatchObject({
        ...VALID_BODY,
        status: 'pending_review',
        version: 1,
        review_notes: null,
        reviewed_at: null,
      });
      expect(post.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      const history = await readHistory(db(), post.post_id);
      expect(history.map((h) => [h.action, h.actor, h.actorKind])).toEqual([
        ['created', writer.name, 'token'],
      ]);

      const read = await getOne(request('GET', `/api/v1/posts/${post.post_id}`, { token: reader.secret }), {
        params: Promise.resolve({ postId: post.post_id }),
      });
      expect(read.status).toBe(200);
      expect(((await read.json()) as { post: ApiPost }).post).toEqual(post);
    });

    it('replays the same Idempotency-Key and body, and refuses the key with another body (409)', async () => {
      const writer = await token(['posts:write'], 'idem-writer');
      const before = await countPosts();
      const send = (body: unknown, key: string) =>
        createPost(
          request('POST', '/api/v1/posts', {
            token: writer.secret,
            body,
            headers: { 'Idempotency-Key': key },
          }),
        );
      const first = await send(VALID_BODY, 'key-0001');
      expect(first.status).toBe(201);
      const created = ((await first.json()) as { post: ApiPost }).post;
      const again = await send(VALID_BODY, 'key-0001');
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await again.json()) as unknown).toMatchObject({
        replayed: true,
        post: { post_id: created.post_id },
      });
      const other = await send({ ...VALID_BODY, content: 'something else' }, 'key-0001');
      expect(other.status).toBe(409);
      expect((await errorOf(other)).code).toBe('idempotency_conflict');
      const badKey = await send(VALID_BODY, 'has spaces in it');
      expect(badKey.status).toBe(400);
      expect(Object.keys((await errorOf(badKey)).fieldErrors ?? {})).toEqual(['Idempotency-Key']);
      expect(await countPosts()).toBe(before + 1);
    });

    it('refuses invalid bodies with field-level errors (400) and creates nothing', async () => {
      const writer = await token(['posts:write'], 'validation-writer');
      const before = await countPosts();
      const cases: [unknown, string[]][] = [
        [{ ...VALID_BODY, content: '   ' }, ['content']],
        [{ platform: 'x' }, ['post_type', 'content']],
        [{ ...VALID_BODY, status: 'approved' }, ['status']],
        [{ ...VALID_BODY, metadata: [1, 2] }, ['metadata']],
        [{ ...VALID_BODY, posted_by: 'me' }, ['form']],
        [{ ...VALID_BODY, content: 'x'.repeat(20_001) }, ['content']],
        [[VALID_BODY], ['form']],
      ];
      for (const [body, fields] of cases) {
        const response = await createPost(request('POST', '/api/v1/posts', { token: writer.secret, body }));
        expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        const error = await errorOf(response);
        expect(error.code).toBe('validation');
        for (const field of fields) expect(error.fieldErrors?.[field], field).toBeTruthy();
      }
      expect(await countPosts()).toBe(before);
    });

    it('answers 401 without a valid token and 403 without the scope', async () => {
      const reader = await token(['posts:read'], 'scoped-reader');
      const revoked = await token(['posts:write'], 'revoked-writer');
      expect((await revokeApiToken(db(), revoked.id)).ok).toBe(true);
      const before = await countPosts();

      const missing = await createPost(request('POST', '/api/v1/posts', { body: VALID_BODY }));
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm="foundups"$/);
      expect((await errorOf(missing)).code).toBe('unauthorized');

      for (const secret of ['fu_not-a-real-token', `fu_${'A'.repeat(43)}`, revoked.secret]) {
        const response = await createPost(
          request('POST', '/api/v1/posts', { token: secret, body: VALID_BODY }),
        );
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
      }
      const wrongScope = await createPost(
        request('POST', '/api/v1/posts', { token: reader.secret, body: VALID_BODY }),
      );
      expect(wrongScope.status).toBe(403);
      expect((await errorOf(wrongScope)).message).toContain('posts:write');
      expect(wrongScope.headers.get('www-authenticate')).toContain('insufficient_scope');

      const writer = await token(['posts:write'], 'writer-not-reader');
      const list = await listPosts(request('GET', '/api/v1/posts?status=approved', { token: writer.secret }));
      expect(list.status).toBe(403);
      expect((await errorOf(list)).message).toMatch(/posts:read, posts:publish/);
      expect(await countPosts()).toBe(before);
    });

    it('refuses other content types (415), oversized bodies by header or by bytes (413) and bad JSON (400)', async () => {
      const writer = await token(['posts:write'], 'body-writer');
      const before = await countPosts();
      const post = (init: Parameters<typeof request>[2]) =>
        createPost(request('POST', '/api/v1/posts', { token: writer.secret, ...init }));

      const form = await post({
        raw: 'platform=x',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(415);
      expect((await errorOf(form)).code).toBe('unsupported_media_type');
      const noType = await post({ raw: JSON.stringify(VALID_BODY) });
      expect(noType.status).toBe(415);

      const big = JSON.stringify({ ...VALID_BODY, trigger_context: 'y'.repeat(70_000) });
      const declared = await post({
        raw: big,
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(big)) },
      });
      expect(declared.status).toBe(413);
      expect((await errorOf(declared)).code).toBe('payload_too_large');

      // A streamed body without Content-Length (or with a false one) is counted as it arrives.
      const encoder = new TextEncoder();
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 20; i++) controller.enqueue(encoder.encode('x'.repeat(4096)));
          controller.close();
        },
      });
      const streamed = await post({ raw: stream, headers: { 'Content-Type': 'application/json' } });
      expect(streamed.status).toBe(413);
      const lying = await post({
        raw: big,
        headers: { 'Content-Type': 'application/json', 'Content-Length': '10' },
      }).catch(() => null);
      // undici refuses a request whose Content-Length disagrees with its body before it reaches the
      // route; when it does let it through, the route still counts the bytes.
      if (lying) expect(lying.status).toBe(413);

      const badJson = await post({
        raw: '{"platform": "x",',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(badJson.status).toBe(400);
      expect((await errorOf(badJson)).code).toBe('invalid_json');
      const empty = await post({ raw: '', headers: { 'Content-Type': 'application/json' } });
      expect(empty.status).toBe(400);
      const latin1 = await post({
        raw: new Uint8Array([0x7b, 0xff, 0x7d]),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(latin1.status).toBe(400);
      expect((await errorOf(latin1)).message).toMatch(/UTF-8/);
      const vendorJson = await post({
        raw: JSON.stringify(VALID_BODY),
        headers: { 'Content-Type': 'application/vnd.foundups+json; charset=utf-8' },
      });
      expect(vendorJson.status).toBe(201);
      expect(await countPosts()).toBe(before + 1);
    });

    it('lists posts by status oldest first with a cursor, and validates the query', async () => {
      const reader = await token(['posts:read'], 'list-reader');
      const publisher = await token(['posts:publish'], 'list-publisher');
      const tag = crypto.randomUUID().slice(0, 8);
      const approved: { postId: string; version: number }[] = [];
      for (let i = 0; i < 5; i++) approved.push(await agentPost('approved', `approved ${tag} ${i}`));
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `/api/v1/posts?status=approved&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await listPosts(request('GET', query, { token: publisher.secret }));
        expect(response.status).toBe(200);
        const page = (await response.json()) as { posts: ApiPost[]; next_cursor: string | null };
        expect(page.posts.length).toBeLessThanOrEqual(2);
        for (const post of page.posts) expect(post.status).toBe('approved');
        ids.push(...page.posts.map((post) => post.post_id));
        cursor = page.next_cursor;
        pages += 1;
      } while (cursor && pages < 50);
      const mine = ids.filter((id) => approved.some((post) => post.postId === id));
      expect(mine).toEqual(approved.map((post) => post.postId));

      const pending = await listPosts(
        request('GET', '/api/v1/posts?status=pending_review', { token: publisher.secret }),
      );
      expect(pending.status).toBe(403);
      const pendingAsReader = await listPosts(
        request('GET', '/api/v1/posts?status=pending_review&limit=200', { token: reader.secret }),
      );
      expect(pendingAsReader.status).toBe(200);

      for (const [query, field] of [
        ['', 'status'],
        ['?status=', 'status'],
        ['?status=approved&limit=0', 'limit'],
        ['?status=approved&limit=201', 'limit'],
        ['?status=approved&limit=ten', 'limit'],
        ['?status=approved&cursor=-1', 'cursor'],
      ] as const) {
        const response = await listPosts(request('GET', `/api/v1/posts${query}`, { token: reader.secret }));
        expect(response.status, query).toBe(400);
        expect((await errorOf(response)).fieldErrors?.[field], query).toBeTruthy();
      }
    });

    it('reads one post (404 for an unknown id)', async () => {
      const reader = await token(['posts:read'], 'one-reader');
      const missing = await getOne(request('GET', '/api/v1/posts/nope', { token: reader.secret }), {
        params: Promise.resolve({ postId: 'nope' }),
      });
      expect(missing.status).toBe(404);
      expect((await errorOf(missing)).code).toBe('not_found');
      const anonymous = await getOne(request('GET', '/api/v1/posts/nope'), {
        params: Promise.resolve({ postId: 'nope' }),
      });
      expect(anonymous.status).toBe(401);
    });

    it('marks an approved post posted, and refuses (409 with the current state) anything else', async () => {
      const publisher = await token(['posts:publish'], 'publisher');
      const writer = await token(['posts:write'], 'not-a-publisher');
      const mark = (postId: string, body?: unknown, secret = publisher.secret) =>
        postPosted(request('POST', `/api/v1/posts/${postId}/posted`, { token: secret, body }), {
          params: Promise.resolve({ postId }),
        });

      const a = await agentPost('approved');
      const forbidden = await mark(a.postId, {}, writer.secret);
      expect(forbidden.status).toBe(403);
      const badVersion = await mark(a.postId, { version: 'two' });
      expect(badVersion.status).toBe(400);
      expect((await errorOf(badVersion)).fieldErrors?.version).toBeTruthy();
      const stale = await mark(a.postId, { version: a.version - 1 });
      expect(stale.status).toBe(409);
      expect((await errorOf(stale)).code).toBe('conflict');

      const ok = await mark(a.postId, { version: a.version });
      expect(ok.status).toBe(200);
      const posted = ((await ok.json()) as { post: ApiPost }).post;
      expect(posted).toMatchObject({ status: 'posted', version: a.version + 1 });
      expect(posted.posted_at).toMatch(/Z$/);
      const history = await readHistory(db(), a.postId);
      expect(history.at(-1)).toMatchObject({ action: 'mark_posted', actor: 'publisher', actorKind: 'token' });

      const twice = await mark(a.postId);
      expect(twice.status).toBe(409);
      const twiceError = await errorOf(twice);
      expect(twiceError.code).toBe('invalid_transition');
      expect(twiceError.current).toMatchObject({ status: 'posted', actor: 'publisher', actorKind: 'token' });

      const p = await agentPost('pending_review');
      const notApproved = await mark(p.postId);
      expect(notApproved.status).toBe(409);
      expect((await errorOf(notApproved)).current).toMatchObject({ status: 'pending_review' });
      expect((await mark('no-such-post')).status).toBe(404);
      expect((await mark('no-such-post', { version: 3 })).status).toBe(404);

      // Without a body at all (no Content-Type either) the status alone guards.
      const b = await agentPost('approved');
      const bare = await postPosted(
        request('POST', `/api/v1/posts/${b.postId}/posted`, { token: publisher.secret }),
        {
          params: Promise.resolve({ postId: b.postId }),
        },
      );
      expect(bare.status).toBe(200);
    });

    it('ends a reviewer revoking while the agent marks posted with exactly one winner, both in the history', async () => {
      const publisher = await token(['posts:publish'], 'racing-publisher');
      const a = await agentPost('approved');
      const [api, revoke] = await Promise.all([
        postPosted(
          request('POST', `/api/v1/posts/${a.postId}/posted`, {
            token: publisher.secret,
            body: { version: a.version },
          }),
          { params: Promise.resolve({ postId: a.postId }) },
        ),
        revokeApproval(db(), { kind: 'operator', name: 'bob' }, { postId: a.postId, version: a.version }),
      ]);
      expect([api.status === 200, revoke.ok].filter(Boolean)).toHaveLength(1);
      const history = await readHistory(db(), a.postId);
      const last = history.at(-1)!;
      if (revoke.ok) {
        expect(api.status).toBe(409);
        expect(last).toMatchObject({ action: 'revoke', actor: 'bob' });
      } else {
        expect(revoke.code).toBe('conflict');
        expect(last).toMatchObject({ action: 'mark_posted', actor: 'racing-publisher' });
      }
      expect(history.filter((h) => h.action === 'mark_posted' || h.action === 'revoke')).toHaveLength(1);
    });

    it('works through the typed client: create, iterate, read, mark posted, typed errors', async () => {
      const writer = await token(['posts:write', 'posts:read', 'posts:publish'], 'client-agent');
      const api = createReviewApiClient({ baseUrl: `${BASE}/`, token: writer.secret, fetch: routeFetch });
      const key = crypto.randomUUID();
      const created = await api.createPost({ ...VALID_BODY, status: 'draft' }, { idempotencyKey: key });
      expect(created.replayed).toBe(false);
      expect(created.post.status).toBe('draft');
      expect(
        (await api.createPost({ ...VALID_BODY, status: 'draft' }, { idempotencyKey: key })).replayed,
      ).toBe(true);
      expect(await api.getPost(created.post.post_id)).toEqual(created.post);

      const approved = [
        await agentPost('approved'),
        await agentPost('approved'),
        await agentPost('approved'),
      ];
      const seen: string[] = [];
      for await (const post of api.iteratePosts({ status: 'approved', limit: 1 })) seen.push(post.post_id);
      for (const post of approved) expect(seen).toContain(post.postId);
      expect(new Set(seen).size).toBe(seen.length);

      const posted = await api.markPosted(approved[0]!.postId, { version: approved[0]!.version });
      expect(posted.status).toBe('posted');

      const conflict = await api.markPosted(approved[0]!.postId).catch((error: unknown) => error);
      expect(conflict).toBeInstanceOf(ReviewApiError);
      expect(conflict).toMatchObject({
        status: 409,
        code: 'invalid_transition',
        current: { status: 'posted' },
      });
      const invalid = await api
        .createPost({ platform: 'x', post_type: 'post', content: '' })
        .catch((error: unknown) => error);
      expect(invalid).toMatchObject({
        status: 400,
        code: 'validation',
        fieldErrors: { content: ['content is required.'] },
      });
      const missing = await api.getPost('does-not-exist').catch((error: unknown) => error);
      expect(missing).toMatchObject({ status: 404, code: 'not_found' });

      const anonymous = createReviewApiClient({ baseUrl: BASE, token: 'fu_nope', fetch: routeFetch });
      await expect(anonymous.listPosts({ status: 'approved' })).rejects.toMatchObject({
        status: 401,
        code: 'unauthorized',
      });
      const broken = createReviewApiClient({
        baseUrl: BASE,
        token: writer.secret,
        fetch: async () => new Response('<html>proxy error</html>', { status: 502 }),
      });
      await expect(broken.getPost('x')).rejects.toMatchObject({ status: 502, code: 'bad_response' });
    });
  });
}
