import { Panel } from '@/components/ui/panel';
import type { ReviewPost } from '@/lib/review/post-records';
import { formatDateTime, parseDbTime } from '@/lib/time/format';
import { MetadataJson } from './metadata-json';
import { TargetLink } from './target-link';

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[7rem_minmax(0,1fr)] gap-2 py-1.5 text-sm">
      <dt className="text-zinc-500">{label}</dt>
      <dd className="min-w-0 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

function Time({ value }: { value: string | null }) {
  if (!value) return <span className="text-zinc-400">—</span>;
  const date = parseDbTime(value);
  return <span title={`stored as ${value}`}>{date ? formatDateTime(date) : value}</span>;
}

function Text({ value }: { value: string | null }) {
  return value ? <span dir="auto">{value}</span> : <span className="text-zinc-400">—</span>;
}

/** Where the post goes and why the agent wrote it. */
export function PostContext({ post }: { post: ReviewPost }) {
  return (
    <>
      <Panel title="Target and trigger">
        <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
          <Row label="Target URL">
            <TargetLink url={post.targetUrl} />
          </Row>
          <Row label="Target author">
            <Text value={post.targetAuthor} />
          </Row>
          <Row label="Trigger">
            {post.triggerContext ? (
              <span dir="auto" className="whitespace-pre-wrap">
                {post.triggerContext}
              </span>
            ) : (
              <span className="text-zinc-400">—</span>
            )}
          </Row>
          <Row label="Identity">
            <Text value={post.identity} />
          </Row>
          <Row label="Tone">
            <Text value={post.tone} />
          </Row>
          <Row label="Created">
            <Time value={post.createdAt} />
          </Row>
          <Row label="Reviewed">
            <Time value={post.reviewedAt} />
          </Row>
          <Row label="Posted">
            <Time value={post.postedAt} />
          </Row>
          <Row label="Post id">
            <span className="font-mono text-xs">{post.postId}</span>
          </Row>
        </dl>
      </Panel>
      <Panel title="Metadata">
        <MetadataJson metadata={post.metadata} />
      </Panel>
    </>
  );
}
