import { type PlatformRules, checkLength, platformRules } from './platforms';
import { safeHttpUrl } from './safe-url';

// The post as it will look on its platform. Agent text is untrusted: it is only ever a React text
// child (escaped), wraps anywhere, keeps its line breaks, and takes its direction from its own first
// strong character (dir="auto"), so Arabic or Hebrew read right to left.

export interface PreviewPost {
  platform: string;
  postType: string;
  identity: string | null;
  targetAuthor: string | null;
  targetUrl: string | null;
  content: string;
}

function initial(name: string | null): string {
  const first = Array.from(name?.trim() ?? '')[0];
  return first ? first.toUpperCase() : '?';
}

function handle(name: string | null): string {
  return (name ?? 'unknown').replace(/\s+/g, '').toLowerCase();
}

function subreddit(url: string | null): string | null {
  const safe = safeHttpUrl(url);
  if (!safe) return null;
  const match = /\/r\/([^/]+)/.exec(new URL(safe.href).pathname);
  return match ? `r/${decodeURIComponent(match[1]!)}` : null;
}

const isReply = (postType: string) => ['comment', 'reply', 'quote'].includes(postType.trim().toLowerCase());

function Avatar({ name, className }: { name: string | null; className: string }) {
  return (
    <span
      aria-hidden
      className={`flex size-10 shrink-0 items-center justify-center rounded-full text-sm font-semibold text-white ${className}`}
    >
      {initial(name)}
    </span>
  );
}

function Content({ text, className = '' }: { text: string; className?: string }) {
  return (
    <p
      dir="auto"
      data-testid="post-content"
      className={`whitespace-pre-wrap [overflow-wrap:anywhere] ${className}`}
    >
      {text}
    </p>
  );
}

function Card({ post, rules }: { post: PreviewPost; rules: PlatformRules }) {
  const who = post.identity ?? '(no identity)';
  const reply = isReply(post.postType);
  switch (rules.style) {
    case 'linkedin':
      return (
        <div className="rounded-lg border border-zinc-300 bg-white p-4 text-zinc-900 shadow-sm dark:border-zinc-700 dark:bg-[#1b1f23] dark:text-zinc-100">
          {reply && post.targetAuthor && (
            <p
              className="mb-3 border-b border-zinc-200 pb-2 text-xs text-zinc-500 dark:border-zinc-700"
              dir="auto"
            >
              Comment on {post.targetAuthor}’s post
            </p>
          )}
          <div className="mb-3 flex items-center gap-3">
            <Avatar name={post.identity} className="bg-[#0a66c2]" />
            <div className="min-w-0">
              <p className="truncate text-sm font-semibold" dir="auto">
                {who}
              </p>
              <p className="text-xs text-zinc-500">Now</p>
            </div>
          </div>
          <Content text={post.content} className="text-sm leading-relaxed" />
          <p
            aria-hidden
            className="mt-3 flex gap-5 border-t border-zinc-200 pt-2 text-xs font-semibold text-zinc-500 dark:border-zinc-700"
          >
            <span>Like</span>
            <span>Comment</span>
            <span>Repost</span>
            <span>Send</span>
          </p>
        </div>
      );
    case 'x':
      return (
        <div className="rounded-2xl border border-zinc-200 bg-white p-4 text-zinc-900 dark:border-zinc-800 dark:bg-black dark:text-zinc-100">
          <div className="flex gap-3">
            <Avatar name={post.identity} className="bg-zinc-900 dark:bg-zinc-700" />
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-baseline gap-x-1 text-sm">
                <span className="font-bold" dir="auto">
                  {who}
                </span>
                <span className="text-zinc-500">@{handle(post.identity)} · now</span>
              </p>
              {reply && post.targetAuthor && (
                <p className="text-sm text-zinc-500" dir="auto">
                  Replying to <span className="text-sky-600">{post.targetAuthor}</span>
                </p>
              )}
              <Content text={post.content} className="mt-1 text-[15px] leading-snug" />
              <p aria-hidden className="mt-3 flex max-w-sm justify-between text-xs text-zinc-500">
                <span>Reply</span>
                <span>Repost</span>
                <span>Like</span>
                <span>Views</span>
              </p>
            </div>
          </div>
        </div>
      );
    case 'youtube':
      return (
        <div className="rounded-lg bg-white p-4 text-zinc-900 dark:bg-[#0f0f0f] dark:text-zinc-100">
          <div className="flex gap-3">
            <Avatar name={post.identity} className="bg-[#ff0000]" />
            <div className="min-w-0 flex-1">
              <p className="text-xs">
                <span className="font-semibold" dir="auto">
                  @{handle(post.identity)}
                </span>{' '}
                <span className="text-zinc-500">just now</span>
              </p>
              {reply && post.targetAuthor && (
                <p className="text-xs text-zinc-500" dir="auto">
                  Reply to {post.targetAuthor}
                </p>
              )}
              <Content text={post.content} className="mt-1 text-sm" />
              <p aria-hidden className="mt-2 flex gap-4 text-xs text-zinc-500">
                <span>▲ Like</span>
                <span>▼</span>
                <span className="font-semibold">Reply</span>
              </p>
            </div>
          </div>
        </div>
      );
    case 'reddit': {
      const sub = subreddit(post.targetUrl);
      return (
        <div className="rounded-md border border-zinc-300 bg-white p-3 text-zinc-900 dark:border-zinc-700 dark:bg-[#1a1a1b] dark:text-zinc-100">
          <p className="mb-2 text-xs text-zinc-500" dir="auto">
            {sub && <span className="font-semibold text-zinc-700 dark:text-zinc-300">{sub} · </span>}
            u/{handle(post.identity)}
            {reply && post.targetAuthor ? ` · replying to ${post.targetAuthor}` : ''}
          </p>
          <Content text={post.content} className="text-sm leading-relaxed" />
          <p aria-hidden className="mt-2 flex gap-4 text-xs font-semibold text-zinc-500">
            <span>▲ Vote ▼</span>
            <span>Reply</span>
            <span>Share</span>
          </p>
        </div>
      );
    }
    default:
      return (
        <div className="rounded-lg border border-zinc-300 bg-white p-4 text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
          <div className="mb-3 flex items-center gap-3">
            <Avatar name={post.identity} className="bg-zinc-500" />
            <div className="min-w-0">
              <p className="truncate text-sm font-semibold" dir="auto">
                {who}
              </p>
              <p className="truncate text-xs text-zinc-500" dir="auto">
                {rules.name} · {post.postType}
                {reply && post.targetAuthor ? ` · to ${post.targetAuthor}` : ''}
              </p>
            </div>
          </div>
          <Content text={post.content} className="text-sm leading-relaxed" />
        </div>
      );
  }
}

const INTEGER = new Intl.NumberFormat('en-US');

/** "212 / 280" with a bar, and a warning the operator cannot miss when the text is over the limit. */
export function LengthMeter({ rules, text }: { rules: PlatformRules; text: string }) {
  const check = checkLength(rules, text);
  if (check.limit === null) {
    return (
      <p className="text-xs text-zinc-500">
        {INTEGER.format(check.length)} {rules.unit}; the console knows no length limit for {rules.name}.
      </p>
    );
  }
  const ratio = Math.min(1, check.length / check.limit);
  return (
    <div className="space-y-1">
      <div className="flex items-center gap-3 text-xs">
        <div className="h-1.5 flex-1 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800" aria-hidden>
          <div
            className={`h-full ${check.over ? 'bg-red-600' : ratio > 0.9 ? 'bg-amber-500' : 'bg-emerald-500'}`}
            style={{ width: `${ratio * 100}%` }}
          />
        </div>
        <span
          className={`tabular-nums ${check.over ? 'font-semibold text-red-700 dark:text-red-400' : 'text-zinc-500'}`}
        >
          {INTEGER.format(check.length)} / {INTEGER.format(check.limit)}
        </span>
      </div>
      {check.over > 0 && (
        <p
          data-testid="length-warning"
          className="rounded-md border border-red-300 bg-red-50 px-2 py-1 text-xs text-red-800 dark:border-red-800 dark:bg-red-950/50 dark:text-red-200"
        >
          {INTEGER.format(check.over)} {rules.unit} over {rules.name}’s limit of {INTEGER.format(check.limit)}
          : {rules.name} would refuse or cut this post. Shorten it before approving.
        </p>
      )}
      {rules.note && <p className="text-xs text-zinc-500">{rules.note}</p>}
    </div>
  );
}

export function PostPreviewCard({ post }: { post: PreviewPost }) {
  const rules = platformRules(post.platform, post.postType);
  return (
    <figure className="space-y-2" aria-label={`Preview on ${rules.name}`}>
      <Card post={post} rules={rules} />
      <figcaption>
        <LengthMeter rules={rules} text={post.content} />
      </figcaption>
    </figure>
  );
}
