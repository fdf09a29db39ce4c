import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PostContext } from '@/components/review/post-context';
import { PostFocus } from '@/components/review/post-focus';
import { PostHistory } from '@/components/review/post-history';
import { IdentityRecentPosts, PossibleDuplicates } from '@/components/review/related-posts';
import { EDIT_PARAM, postHref, queueHref } from '@/components/review/review-links';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { findPossibleDuplicates } from '@/lib/review/duplicates';
import { getIdentityRecentPosts, getNeighbourPostIds, getPostDetail } from '@/lib/review/queries';
import { parseQueueSearchParams } from '@/lib/review/validations';

export const metadata: Metadata = { title: 'Review a post' };

export default async function ReviewPostPage({
  params,
  searchParams,
}: {
  params: Promise<{ postId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const operator = await requireOperator('viewer');
  const [{ postId: encodedPostId }, search] = await Promise.all([params, searchParams]);
  // A page's dynamic segment arrives still percent-encoded (route handlers get it decoded): without
  // this, an agent's post id with a space, quote or any non-ASCII character could never be opened.
  let postId: string;
  try {
    postId = decodeURIComponent(encodedPostId);
  } catch {
    notFound();
  }
  // The queue's filters and sort ride along, so j/k walk the list the operator came from.
  const query = parseQueueSearchParams(search);
  if (postId.length > 200) notFound();
  const db = await getDb();
  const detail = await getPostDetail(db, postId);
  if (!detail) notFound();
  const { post, history } = detail;
  const [neighbours, recent, duplicates] = await Promise.all([
    getNeighbourPostIds(db, query, postId),
    post.identity === null
      ? []
      : getIdentityRecentPosts(db, post.identity, { excludePostId: postId, limit: 8 }),
    findPossibleDuplicates(
      db,
      { postId, content: post.content, identity: post.identity, targetUrl: post.targetUrl },
      { limit: 8 },
    ),
  ]);
  const now = new Date();
  return (
    <PostFocus
      key={postId}
      post={post}
      canReview={roleAtLeast(operator.role, 'reviewer')}
      previousHref={neighbours?.previous ? postHref(neighbours.previous, query) : null}
      nextHref={neighbours?.next ? postHref(neighbours.next, query) : null}
      queueHref={queueHref(query)}
      startEditing={search[EDIT_PARAM] === '1'}
      history={<PostHistory history={history} now={now} />}
      aside={
        <>
          <PossibleDuplicates duplicates={duplicates} query={query} now={now} />
          <PostContext post={post} />
          <IdentityRecentPosts identity={post.identity} posts={recent} query={query} now={now} />
        </>
      }
    />
  );
}
