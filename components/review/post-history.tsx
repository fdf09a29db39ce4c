import { Panel } from '@/components/ui/panel';
import type { PostHistoryEntry } from '@/lib/review/post-records';
import { statusLabel } from '@/lib/review/workflow';
import { formatAge, formatDateTime, parseDbTime } from '@/lib/time/format';
import { StatusBadge } from './status-badge';
import { diffWords } from './text-diff';

const ACTIONS: Record<string, string> = {
  created: 'created the post',
  submit: 'submitted it for review',
  approve: 'approved',
  reject: 'rejected',
  revoke: 'revoked the approval',
  reopen: 'reopened it',
  mark_posted: 'marked it posted',
  edit: 'edited the text',
  undo: 'undid the approval',
  status_change: 'changed the status',
  note: 'changed the review note',
};

const KINDS: Record<PostHistoryEntry['actorKind'], string> = {
  operator: 'operator',
  token: 'agent API token',
  direct: 'not through the console',
  system: 'console job',
};

function Actor({ entry }: { entry: PostHistoryEntry }) {
  if (entry.actorKind === 'direct') {
    return <span className="font-medium text-purple-800 dark:text-purple-300">Direct database write</span>;
  }
  return (
    <span>
      <span className="font-medium" dir="auto">
        {entry.actor}
      </span>{' '}
      <span className="text-xs text-zinc-500">({KINDS[entry.actorKind]})</span>
    </span>
  );
}

function ContentChange({ before, after }: { before: string; after: string }) {
  const parts = diffWords(before, after);
  return (
    <div className="mt-2 space-y-2">
      {parts ? (
        <p
          dir="auto"
          data-testid="history-diff"
          className="rounded-md bg-zinc-50 p-2 text-sm whitespace-pre-wrap [overflow-wrap:anywhere] dark:bg-zinc-950"
        >
          {parts.map((part, index) =>
            part.type === 'equal' ? (
              <span key={index}>{part.text}</span>
            ) : part.type === 'delete' ? (
              <del
                key={index}
                className="bg-red-100 text-red-900 decoration-red-700 dark:bg-red-950 dark:text-red-200"
              >
                {part.text}
              </del>
            ) : (
              <ins
                key={index}
                className="bg-emerald-100 text-emerald-900 no-underline dark:bg-emerald-950 dark:text-emerald-200"
              >
                {part.text}
              </ins>
            ),
          )}
        </p>
      ) : (
        <p className="text-xs text-zinc-500">
          The texts differ too much for a word diff; both are shown below.
        </p>
      )}
      <details className="text-sm">
        <summary className="cursor-pointer text-xs text-zinc-600 dark:text-zinc-400">
          Text before and after
        </summary>
        <div className="mt-2 grid gap-2 md:grid-cols-2">
          <div>
            <p className="text-xs font-medium text-zinc-500">Before</p>
            <p
              dir="auto"
              data-testid="history-before"
              className="rounded-md border border-red-200 p-2 whitespace-pre-wrap [overflow-wrap:anywhere] dark:border-red-900"
            >
              {before}
            </p>
          </div>
          <div>
            <p className="text-xs font-medium text-zinc-500">After</p>
            <p
              dir="auto"
              data-testid="history-after"
              className="rounded-md border border-emerald-200 p-2 whitespace-pre-wrap [overflow-wrap:anywhere] dark:border-emerald-900"
            >
              {after}
            </p>
          </div>
        </div>
      </details>
    </div>
  );
}

/** Every transition and edit of the post, oldest first, whoever made it. */
export function PostHistory({ history, now }: { history: PostHistoryEntry[]; now: Date }) {
  return (
    <Panel title={`History (${history.length})`}>
      {history.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No history yet: this post predates the console’s history table and has not changed since.
        </p>
      ) : (
        <ol className="space-y-3" data-testid="post-history">
          {history.map((entry) => {
            const at = parseDbTime(entry.at);
            const statusChanged = entry.fromStatus !== entry.toStatus;
            return (
              <li
                key={entry.id}
                data-action={entry.action}
                className="border-l-2 border-zinc-200 pl-3 dark:border-zinc-700"
              >
                <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
                  <Actor entry={entry} />
                  <span>{ACTIONS[entry.action] ?? entry.action}</span>
                  {statusChanged && (
                    <span
                      className="inline-flex items-center gap-1"
                      aria-label={`from ${statusLabel(entry.fromStatus)} to ${statusLabel(entry.toStatus)}`}
                    >
                      {entry.fromStatus !== null && <StatusBadge status={entry.fromStatus} />}
                      {entry.fromStatus !== null && <span aria-hidden>→</span>}
                      <StatusBadge status={entry.toStatus} />
                    </span>
                  )}
                </p>
                <p className="text-xs text-zinc-500">
                  <time dateTime={entry.at} title={entry.at}>
                    {at ? `${formatDateTime(at)} · ${formatAge(at, now)} ago` : entry.at}
                  </time>{' '}
                  · version {entry.version}
                </p>
                {entry.note && (
                  <blockquote
                    dir="auto"
                    className="mt-1 border-l-2 border-zinc-300 pl-2 text-sm whitespace-pre-wrap text-zinc-700 [overflow-wrap:anywhere] dark:border-zinc-600 dark:text-zinc-300"
                  >
                    {entry.note}
                  </blockquote>
                )}
                {entry.contentBefore !== null && entry.contentAfter !== null && (
                  <ContentChange before={entry.contentBefore} after={entry.contentAfter} />
                )}
              </li>
            );
          })}
        </ol>
      )}
    </Panel>
  );
}
