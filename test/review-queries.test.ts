import crypto from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { type Database, sql } from '@/db/database';
import { findPossibleDuplicates } from '@/lib/review/duplicates';
import {
  countNewPostsSince,
  getIdentityRecentPosts,
  getNeighbourPostIds,
  getPostDetail,
  getQueueFilterOptions,
  getQueuePage,
  getStatusCounts,
  listPostsByStatus,
} from '@/lib/review/queries';
import { approvePost } from '@/lib/review/transitions';
import {
  DEFAULT_QUEUE_QUERY,
  type QueueFilters,
  type QueueQuery,
  type QueueSort,
} from '@/lib/review/validations';
import { describeEachDatabase } from './support/databases';

interface Seed {
  key: string;
  platform: string;
  postType: string;
  identity: string | null;
  tone: string | null;
  content: string;
  status: string | null;
  createdAt: string | null;
  targetUrl?: string;
  targetAuthor?: string;
}

// created_at as the agents write it (`YYYY-MM-DD HH:MM:SS` UTC), plus one ISO T-form value and one NULL.
const SEEDS: Seed[] = [
  {
    key: 'p1',
    platform: 'linkedin',
    postType: 'comment',
    identity: 'undaodu',
    tone: 'pushback',
    content: 'The VC model is dead',
    status: 'pending_review',
    createdAt: '2026-01-01 10:00:00',
    targetUrl: 'https://example.org/a',
    targetAuthor: 'alice_vc',
  },
  {
    key: 'p2',
    platform: 'x',
    postType: 'post',
    identity: 'undaodu',
    tone: 'warm',
    content: 'Growth at 100% every_week',
    status: 'pending_review',
    createdAt: '2026-01-02 09:00:00',
  },
  {
    key: 'p3',
    platform: 'x',
    postType: 'comment',
    identity: 'foundups',
    tone: 'warm',
    content: 'Plain words',
    status: 'approved',
    createdAt: '2026-01-02 23:59:59',
  },
  {
    key: 'p4',
    platform: 'youtube',
    postType: 'comment',
    identity: null,
    tone: 'pushback',
    content: 'Hello WORLD',
    status: 'pending_review',
    createdAt: '2026-01-03 00:00:00',
  },
  {
    key: 'p5',
    platform: 'linkedin',
    postType: 'post',
    identity: 'foundups',
    tone: null,
    content: 'Emoji 🚀 text',
    status: 'scheduled',
    createdAt: '2026-01-03 12:00:00',
  },
  {
    key: 'p6',
    platform: 'linkedin',
    postType: 'comment',
    identity: 'undaodu',
    tone: 'warm',
    content: 'back\\slash text',
    status: 'rejected',
    createdAt: '2026-01-04T08:00:00',
  },
  {
    key: 'p7',
    platform: 'x',
    postType: 'post',
    identity: null,
    tone: null,
    content: 'no status at all',
    status: null,
    createdAt: '2026-01-05 00:00:00',
  },
  {
    key: 'p8',
    platform: 'linkedin',
    postType: 'comment',
    identity: 'zeta',
    tone: 'warm',
    content: 'Same minute as p1',
    status: 'pending_review',
    createdAt: '2026-01-01 10:00:00',
  },
  {
    key: 'p9',
    platform: 'linkedin',
    postType: 'comment',
    identity: 'undaodu',
    tone: 'warm',
    content: 'Created at unknown',
    status: 'pending_review',
    createdAt: null,
  },
];

async function seed(db: Database, seeds: readonly Seed[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const s of seeds) {
    const postId = `${s.key}-${crypto.randomUUID()}`;
    ids.set(s.key, postId);
    await db.run(
      sql`INSERT INTO agents_social_posts (post_id, platform, post_type, content, identity, target_url, target_author, tone, status, created_at)
          VALUES (${postId}, ${s.platform}, ${s.postType}, ${s.content}, ${s.identity}, ${s.targetUrl ?? null}, ${s.targetAuthor ?? null}, ${s.tone}, ${s.status}, ${s.createdAt})`,
    );
  }
  return ids;
}

function query(
  filters: Partial<QueueFilters>,
  sort: QueueSort = DEFAULT_QUEUE_QUERY.sort,
  page = 1,
  pageSize = 100,
): QueueQuery {
  return { filters: { status: 'all', ...filters }, sort, page, pageSize };
}

describeEachDatabase('review queue queries', (testDb) => {
  let ids = new Map<string, string>();
  const keyOf = (postId: string) => postId.split('-')[0]!;
  const keys = async (q: QueueQuery) =>
    (await getQueuePage(testDb().db, q)).rows.map((row) => keyOf(row.postId));

  beforeAll(async () => {
    ids = await seed(testDb().db, SEEDS);
  });

  it('lists pending posts newest first by default, with excerpt and version', async () => {
    const { db } = testDb();
    const page = await getQueuePage(db, {
      ...DEFAULT_QUEUE_QUERY,
      filters: { status: 'pending_review', createdFrom: '2026-01-01' },
    });
    expect(page.rows.map((r) => keyOf(r.postId))).toEqual(['p4', 'p2', 'p8', 'p1']);
    expect(page.total).toBe(4);
    expect(page.rows[0]).toMatchObject({
      platform: 'youtube',
      excerpt: 'Hello WORLD',
      contentLength: 11,
      version: 0,
      createdAt: '2026-01-03 00:00:00',
    });
  });

  it('filters by status: all, a workflow status, the unknown bucket, and one exact unknown value', async () => {
    expect((await getQueuePage(testDb().db, query({}))).total).toBe(9);
    expect(await keys(query({ status: 'approved' }))).toEqual(['p3']);
    expect((await keys(query({ status: 'unknown' }))).toSorted()).toEqual(['p5', 'p7']);
    expect(await keys(query({ status: 'scheduled' }))).toEqual(['p5']);
    expect(await keys(query({ status: 'posted' }))).toEqual([]);
  });

  it('filters by platform, identity, tone and post type together', async () => {
    expect((await keys(query({ platform: 'linkedin', identity: 'undaodu' }))).toSorted()).toEqual([
      'p1',
      'p6',
      'p9',
    ]);
    expect((await keys(query({ tone: 'warm', postType: 'post' }))).toSorted()).toEqual(['p2']);
    expect(await keys(query({ platform: 'mastodon' }))).toEqual([]);
  });

  it('filters by created day range (inclusive UTC days, both stored time forms)', async () => {
    expect((await keys(query({ createdFrom: '2026-01-02', createdTo: '2026-01-03' }))).toSorted()).toEqual([
      'p2',
      'p3',
      'p4',
      'p5',
    ]);
    expect(await keys(query({ createdFrom: '2026-01-04', createdTo: '2026-01-04' }))).toEqual(['p6']);
    expect((await keys(query({ createdTo: '2026-01-01' }))).toSorted()).toEqual(['p1', 'p8']);
    expect(await keys(query({ createdFrom: '2026-01-05' }))).toEqual(['p7']);
  });

  it('searches content, target URL and target author case-insensitively, with wildcards taken literally', async () => {
    expect(await keys(query({ q: 'world' }))).toEqual(['p4']);
    expect(await keys(query({ q: 'vc MODEL' }))).toEqual(['p1']);
    expect(await keys(query({ q: '100%' }))).toEqual(['p2']);
    expect(await keys(query({ q: '%' }))).toEqual(['p2']);
    expect(await keys(query({ q: '_' })).then((k) => k.toSorted())).toEqual(['p1', 'p2']); // every_week, alice_vc
    expect(await keys(query({ q: '\\' }))).toEqual(['p6']);
    expect(await keys(query({ q: 'example.org/a' }))).toEqual(['p1']);
    expect(await keys(query({ q: 'alice_vc' }))).toEqual(['p1']);
    expect(await keys(query({ q: '🚀' }))).toEqual(['p5']);
    expect(await keys(query({ q: 'nothing like this' }))).toEqual([]);
  });

  it('sorts by created time either way, platform and identity, ties broken deterministically', async () => {
    const dated = { createdFrom: '2026-01-01' };
    expect(await keys(query(dated, { field: 'created_at', dir: 'asc' }))).toEqual([
      'p1',
      'p8',
      'p2',
      'p3',
      'p4',
      'p5',
      'p6',
      'p7',
    ]);
    expect(await keys(query(dated, { field: 'created_at', dir: 'desc' }))).toEqual([
      'p7',
      'p6',
      'p5',
      'p4',
      'p3',
      'p2',
      'p8',
      'p1',
    ]);
    expect(await keys(query(dated, { field: 'platform', dir: 'asc' }))).toEqual([
      'p6',
      'p5',
      'p8',
      'p1',
      'p7',
      'p3',
      'p2',
      'p4',
    ]);
    expect(await keys(query({ ...dated, identity: 'undaodu' }, { field: 'platform', dir: 'desc' }))).toEqual([
      'p2',
      'p6',
      'p1',
    ]);
    const byIdentity = await keys(
      query({ ...dated, status: 'pending_review' }, { field: 'identity', dir: 'asc' }),
    );
    // p4 has no identity: first in SQLite (NULL smallest), last in PostgreSQL (NULL largest).
    expect(byIdentity.filter((k) => k !== 'p4')).toEqual(['p2', 'p1', 'p8']);
  });

  it('paginates on the server, reports the total and clamps a page past the end', async () => {
    const { db } = testDb();
    const sort: QueueSort = { field: 'created_at', dir: 'asc' };
    const first = await getQueuePage(db, query({ createdFrom: '2026-01-01' }, sort, 1, 3));
    expect(first).toMatchObject({ total: 8, page: 1, pageSize: 3, pageCount: 3 });
    expect(first.rows.map((r) => keyOf(r.postId))).toEqual(['p1', 'p8', 'p2']);
    const second = await getQueuePage(db, query({ createdFrom: '2026-01-01' }, sort, 2, 3));
    expect(second.rows.map((r) => keyOf(r.postId))).toEqual(['p3', 'p4', 'p5']);
    const past = await getQueuePage(db, query({ createdFrom: '2026-01-01' }, sort, 99, 3));
    expect(past.page).toBe(3);
    expect(past.rows.map((r) => keyOf(r.postId))).toEqual(['p6', 'p7']);
    const none = await getQueuePage(db, query({ platform: 'mastodon' }, sort, 5, 3));
    expect(none).toMatchObject({ total: 0, page: 1, pageCount: 1, rows: [] });
  });

  it('gives j/k neighbours that follow the page order for every sort, NULLs included', async () => {
    const { db } = testDb();
    const sorts: QueueSort[] = [
      { field: 'created_at', dir: 'desc' },
      { field: 'created_at', dir: 'asc' },
      { field: 'platform', dir: 'asc' },
      { field: 'platform', dir: 'desc' },
      { field: 'identity', dir: 'asc' },
      { field: 'identity', dir: 'desc' },
    ];
    for (const sort of sorts) {
      for (const filters of [
        { status: 'all' },
        { status: 'pending_review' },
        { status: 'all', q: 'e' },
      ] as QueueFilters[]) {
        const order = (await getQueuePage(db, { filters, sort, page: 1, pageSize: 100 })).rows.map(
          (r) => r.postId,
        );
        for (const [index, postId] of order.entries()) {
          const neighbours = await getNeighbourPostIds(db, { filters, sort }, postId);
          expect(
            neighbours,
            `${sort.field}.${sort.dir} ${JSON.stringify(filters)} at ${keyOf(postId)}`,
          ).toEqual({
            previous: order[index - 1] ?? null,
            next: order[index + 1] ?? null,
          });
        }
      }
    }
    expect(await getNeighbourPostIds(db, DEFAULT_QUEUE_QUERY, 'missing')).toBeNull();
  });

  it('keeps neighbours of a post that just left the filtered list (approved out of the pending tab)', async () => {
    const { db } = testDb();
    const filters: QueueFilters = { status: 'pending_review', createdFrom: '2026-01-01' };
    const sort: QueueSort = { field: 'created_at', dir: 'desc' };
    const around = await getNeighbourPostIds(db, { filters, sort }, ids.get('p3')!); // approved, between p4 and p2
    expect({ previous: keyOf(around!.previous!), next: keyOf(around!.next!) }).toEqual({
      previous: 'p4',
      next: 'p2',
    });
  });

  it('counts posts per status for the tabs, unknown values shown as they are', async () => {
    const { db } = testDb();
    const counts = await getStatusCounts(db);
    expect(counts.all).toBe(9);
    expect(counts.unknown).toBe(2);
    expect(counts.statuses.map((s) => [s.status, s.count, s.known])).toEqual([
      ['draft', 0, true],
      ['pending_review', 5, true],
      ['approved', 1, true],
      ['rejected', 1, true],
      ['posted', 0, true],
      [null, 1, false],
      ['scheduled', 1, false],
    ]);
    expect(counts.statuses.find((s) => s.status === null)?.label).toBe('(no status)');
    const linkedin = await getStatusCounts(db, { status: 'approved', platform: 'linkedin' });
    expect(linkedin.all).toBe(5);
    expect(linkedin.statuses.find((s) => s.status === 'pending_review')?.count).toBe(3);
  });

  it('counts posts that arrived since the page was read, under the same filters', async () => {
    const { db } = testDb();
    const page = await getQueuePage(db, DEFAULT_QUEUE_QUERY);
    expect(await countNewPostsSince(db, DEFAULT_QUEUE_QUERY.filters, page.newestId)).toBe(0);
    const extra = await seed(db, [
      {
        key: 'n1',
        platform: 'x',
        postType: 'post',
        identity: 'newbie',
        tone: null,
        content: 'fresh',
        status: 'pending_review',
        createdAt: '2026-02-01 00:00:00',
      },
      {
        key: 'n2',
        platform: 'x',
        postType: 'post',
        identity: 'newbie',
        tone: null,
        content: 'fresh draft',
        status: 'draft',
        createdAt: '2026-02-01 00:00:01',
      },
    ]);
    expect(extra.size).toBe(2);
    expect(await countNewPostsSince(db, DEFAULT_QUEUE_QUERY.filters, page.newestId)).toBe(1);
    expect(await countNewPostsSince(db, { status: 'all' }, page.newestId)).toBe(2);
    expect(await countNewPostsSince(db, { status: 'all', platform: 'linkedin' }, page.newestId)).toBe(0);
  });

  it('reads one post with its history and allowed actions, and the identity’s recent posts', async () => {
    const { db } = testDb();
    const p1 = ids.get('p1')!;
    const result = await approvePost(db, { kind: 'operator', name: 'alice' }, { postId: p1, version: 0 });
    expect(result.ok).toBe(true);
    const detail = await getPostDetail(db, p1);
    expect(detail?.post).toMatchObject({ status: 'approved', targetAuthor: 'alice_vc', version: 1 });
    expect(detail?.history.map((h) => h.action)).toEqual(['created', 'approve']);
    expect(detail?.actions).toEqual(['revoke']);
    expect((await getPostDetail(db, ids.get('p5')!))?.actions).toEqual([]);
    expect(await getPostDetail(db, 'missing')).toBeNull();

    const recent = await getIdentityRecentPosts(db, 'undaodu', { excludePostId: p1, limit: 2 });
    // p9 has no created_at: the dialects disagree where NULL sorts, so only check what is certain.
    expect(recent).toHaveLength(2);
    expect(recent.map((r) => keyOf(r.postId))).not.toContain('p1');
    expect(recent.every((r) => r.identity === 'undaodu')).toBe(true);
  });

  it('offers the distinct filter values and lists posts by status for the API, paged by id', async () => {
    const { db } = testDb();
    const options = await getQueueFilterOptions(db);
    expect(options.platforms).toEqual(['linkedin', 'x', 'youtube']);
    expect(options.identities).toEqual(['foundups', 'newbie', 'undaodu', 'zeta']);
    expect(options.tones).toEqual(['pushback', 'warm']);
    expect(options.postTypes).toEqual(['comment', 'post']);

    const first = await listPostsByStatus(db, { status: 'pending_review', limit: 2 });
    expect(first.posts).toHaveLength(2);
    expect(first.nextAfterId).toBe(first.posts[1]!.id);
    const rest = await listPostsByStatus(db, {
      status: 'pending_review',
      afterId: first.nextAfterId!,
      limit: 50,
    });
    expect(rest.nextAfterId).toBeNull();
    const all = [...first.posts, ...rest.posts].map((p) => p.id);
    expect(all).toEqual(all.toSorted((a, b) => a - b));
    expect(new Set(all).size).toBe(all.length);
    expect(
      (await listPostsByStatus(db, { status: 'pending_review', platform: 'youtube' })).posts.map((p) =>
        keyOf(p.postId),
      ),
    ).toEqual(['p4']);

    // The menus are cached briefly (tone/post_type are table scans); maxAgeMs 0 reads afresh.
    await seed(db, [
      {
        key: 'm1',
        platform: 'mastodon',
        postType: 'toot',
        identity: null,
        tone: null,
        content: 'hi',
        status: 'posted',
        createdAt: '2026-02-02 00:00:00',
      },
    ]);
    expect((await getQueueFilterOptions(db)).platforms).not.toContain('mastodon');
    expect((await getQueueFilterOptions(db, { maxAgeMs: 0 })).platforms).toEqual([
      'linkedin',
      'mastodon',
      'x',
      'youtube',
    ]);
    expect((await getQueueFilterOptions(db)).postTypes).toEqual(['comment', 'post', 'toot']);
  });
});

describeEachDatabase('review possible duplicates', (testDb) => {
  const base =
    'Great point about decentralised autonomous organisations and why founders should own their work';
  let ids = new Map<string, string>();
  beforeAll(async () => {
    const d = (
      key: string,
      content: string,
      status: string,
      identity: string | null,
      extra: Partial<Seed> = {},
    ): Seed => ({
      key,
      platform: 'x',
      postType: 'comment',
      identity,
      tone: null,
      content,
      status,
      createdAt: '2026-02-01 10:00:00',
      ...extra,
    });
    ids = await seed(testDb().db, [
      d('subject', base, 'pending_review', 'undaodu', { targetUrl: 'https://x.example/1' }),
      d(
        'exact',
        `  GREAT point, about decentralised autonomous organisations — and why founders should own their work!!  `,
        'posted',
        'someone',
      ),
      d('near', `${base} today`, 'approved', 'undaodu'),
      d('rejected', base, 'rejected', 'undaodu'),
      d('pending', base, 'pending_review', 'undaodu'),
      d('different', 'Completely unrelated text about the weather in Tokyo', 'approved', 'undaodu'),
      d('far', 'Great point about founders', 'approved', 'undaodu'),
      d(
        'target',
        'Great point about decentralised autonomous organisations and why founders should own',
        'approved',
        'other',
        { targetUrl: 'https://x.example/1' },
      ),
    ]);
  });

  it('finds exact (normalised) and near copies among approved and posted posts only', async () => {
    const { db } = testDb();
    const found = await findPossibleDuplicates(db, {
      postId: ids.get('subject')!,
      content: base,
      identity: 'undaodu',
      targetUrl: 'https://x.example/1',
    });
    const byKey = Object.fromEntries(found.map((f) => [f.postId.split('-')[0], f]));
    expect(Object.keys(byKey).toSorted()).toEqual(['exact', 'near', 'target']);
    expect(found[0]).toMatchObject({ exact: true, similarity: 1, status: 'posted' });
    expect(byKey.near).toMatchObject({ exact: false, status: 'approved' });
    expect(byKey.near!.similarity).toBeGreaterThanOrEqual(0.8);
    expect(byKey.near!.similarity).toBeLessThan(1);
    expect(found.map((f) => f.similarity)).toEqual(found.map((f) => f.similarity).toSorted((a, b) => b - a));
  });

  it('finds nothing for a post with new text, and never the post itself', async () => {
    const { db } = testDb();
    const self = await findPossibleDuplicates(db, {
      postId: ids.get('near')!,
      content: `${base} today`,
      identity: 'undaodu',
      targetUrl: null,
    });
    expect(self.map((f) => f.postId)).not.toContain(ids.get('near'));
    expect(
      await findPossibleDuplicates(db, {
        postId: 'new',
        content: 'A fresh thought on cooperative ownership models',
        identity: 'undaodu',
        targetUrl: null,
      }),
    ).toEqual([]);
  });
});
