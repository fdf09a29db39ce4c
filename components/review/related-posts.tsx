import Link from 'next/link';
import { Panel } from '@/components/ui/panel';
import type { PossibleDuplicate } from '@/lib/review/duplicates';
import type { QueueRow } from '@/lib/review/queries';
import type { QueueQuery } from '@/lib/review/validations';
import { formatAge, parseDbTime } from '@/lib/time/format';
import { PlatformBadge } from './platform-badge';
import { postHref } from './review-links';
import { StatusBadge } from './status-badge';

function Age({ createdAt, now }: { createdAt: string | null; now: Date }) {
  const date = parseDbTime(createdAt);
  return (
    <span className="text-xs text-zinc-500">{date ? `${formatAge(date, now)} ago` : 'unknown time'}</span>
  );
}

/** Approved or posted posts with the same or nearly the same text: publishing twice looks like spam. */
export function PossibleDuplicates({
  duplicates,
  query,
  now,
}: {
  duplicates: PossibleDuplicate[];
  query: QueueQuery;
  now: Date;
}) {
  return (
    <Panel title={`Possible duplicates (${duplicates.length})`}>
      {duplicates.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No approved or posted post has the same or nearly the same text.
        </p>
      ) : (
        <ul className="space-y-3" data-testid="duplicates">
          {duplicates.map((duplicate) => (
            <li key={duplicate.postId} className="space-y-1">
              <p className="flex flex-wrap items-center gap-2">
                <span
                  className={`rounded px-1.5 py-0.5 text-xs font-semibold ${
                    duplicate.exact
                      ? 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300'
                      : 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300'
                  }`}
                >
                  {duplicate.exact ? 'Same text' : `${Math.round(duplicate.similarity * 100)}% similar`}
                </span>
                <StatusBadge status={duplicate.status} />
                <PlatformBadge platform={duplicate.platform} />
                <Age createdAt={duplicate.createdAt} now={now} />
              </p>
              <Link
                href={postHref(duplicate.postId, query)}
                dir="auto"
                className="line-clamp-3 text-sm [overflow-wrap:anywhere] hover:underline"
              >
                {duplicate.excerpt}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

/** The identity's latest posts in any status: its voice, and what it said recently. */
export function IdentityRecentPosts({
  identity,
  posts,
  query,
  now,
}: {
  identity: string | null;
  posts: QueueRow[];
  query: QueueQuery;
  now: Date;
}) {
  return (
    <Panel title={identity ? `Recent posts by ${identity}` : 'Recent posts by this identity'}>
      {identity === null ? (
        <p className="text-sm text-zinc-500">This post has no identity.</p>
      ) : posts.length === 0 ? (
        <p className="text-sm text-zinc-500">No other posts by this identity.</p>
      ) : (
        <ul className="space-y-3">
          {posts.map((post) => (
            <li key={post.postId} className="space-y-1">
              <p className="flex flex-wrap items-center gap-2">
                <StatusBadge status={post.status} />
                <PlatformBadge platform={post.platform} />
                <Age createdAt={post.createdAt} now={now} />
              </p>
              <Link
                href={postHref(post.postId, query)}
                dir="auto"
                className="line-clamp-2 text-sm [overflow-wrap:anywhere] hover:underline"
              >
                {post.excerpt}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
