'use client';

import type { ColumnDef } from '@tanstack/react-table';
import Link from 'next/link';
import { selectionColumn } from '@/components/data-table/selection-column';
import type { QueueRow } from '@/lib/review/queries';
import type { QueueQuery } from '@/lib/review/validations';
import { formatAge, formatDateTime, parseDbTime } from '@/lib/time/format';
import { PlatformBadge } from './platform-badge';
import { postHref } from './review-links';
import { safeHttpUrl } from './safe-url';
import { StatusBadge } from './status-badge';

const MUTED = 'text-zinc-400 dark:text-zinc-600';

function Text({ value }: { value: string | null }) {
  return value ? <span dir="auto">{value}</span> : <span className={MUTED}>—</span>;
}

/** A short, readable label for a row (checkbox names, summaries). */
export function rowLabel(row: Pick<QueueRow, 'platform' | 'identity' | 'excerpt'>): string {
  const chars = Array.from(row.excerpt.replace(/\s+/g, ' ').trim());
  const excerpt = chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join('');
  return `${row.identity ?? 'no identity'} on ${row.platform}: “${excerpt}”`;
}

export function queueColumns(options: {
  query: QueueQuery;
  now: Date;
  selectable: boolean;
  showStatus: boolean;
}): ColumnDef<QueueRow>[] {
  const { query, now } = options;
  const columns: ColumnDef<QueueRow>[] = [];
  if (options.selectable) columns.push(selectionColumn<QueueRow>({ rowLabel }));
  columns.push(
    {
      id: 'platform',
      // TanStack only sorts columns with an accessor; the sort itself happens on the server.
      accessorFn: (row) => row.platform,
      header: 'Platform',
      enableSorting: true,
      cell: ({ row }) => <PlatformBadge platform={row.original.platform} />,
    },
    {
      id: 'identity',
      accessorFn: (row) => row.identity,
      header: 'Identity',
      enableSorting: true,
      meta: { className: 'hidden md:table-cell' },
      cell: ({ row }) => (
        <span className="block max-w-36 truncate" title={row.original.identity ?? undefined}>
          <Text value={row.original.identity} />
        </span>
      ),
    },
    {
      id: 'post_type',
      header: 'Type',
      enableSorting: false,
      meta: { className: 'hidden xl:table-cell text-xs' },
      cell: ({ row }) => <Text value={row.original.postType} />,
    },
    {
      id: 'tone',
      header: 'Tone',
      enableSorting: false,
      meta: { className: 'hidden xl:table-cell text-xs' },
      cell: ({ row }) => <Text value={row.original.tone} />,
    },
    {
      id: 'target',
      header: 'Target',
      enableSorting: false,
      meta: { className: 'hidden xl:table-cell max-w-40' },
      cell: ({ row }) => {
        const { targetAuthor, targetUrl } = row.original;
        const safe = safeHttpUrl(targetUrl);
        return (
          <div className="min-w-0 text-xs">
            <div className="truncate" dir="auto">
              {targetAuthor ?? <span className={MUTED}>—</span>}
            </div>
            {targetUrl && (
              <div
                className={`truncate ${safe ? 'text-zinc-500' : 'font-mono text-amber-700 dark:text-amber-400'}`}
                title={targetUrl}
              >
                {safe ? safe.host : 'not a web link'}
              </div>
            )}
          </div>
        );
      },
    },
    {
      id: 'created_at',
      accessorFn: (row) => row.createdAt,
      header: 'Created',
      enableSorting: true,
      sortDescFirst: true,
      meta: { className: 'hidden lg:table-cell whitespace-nowrap tabular-nums text-xs' },
      cell: ({ row }) => {
        const created = parseDbTime(row.original.createdAt);
        if (!created) return <span className={MUTED}>unknown</span>;
        const [day, time] = formatDateTime(created).split(' ');
        return (
          <span title={`stored as ${row.original.createdAt}`}>
            {day}
            <br />
            <span className="text-zinc-500">{time} UTC</span>
          </span>
        );
      },
    },
    {
      id: 'age',
      header: 'Age',
      enableSorting: false,
      meta: { className: 'hidden sm:table-cell whitespace-nowrap tabular-nums text-xs' },
      cell: ({ row }) => {
        const created = parseDbTime(row.original.createdAt);
        return created ? formatAge(created, now) : <span className={MUTED}>—</span>;
      },
    },
  );
  if (options.showStatus) {
    columns.push({
      id: 'status',
      header: 'Status',
      enableSorting: false,
      cell: ({ row }) => <StatusBadge status={row.original.status} />,
    });
  }
  columns.push({
    id: 'excerpt',
    header: 'Text',
    enableSorting: false,
    meta: { className: 'w-full min-w-40 md:min-w-56' },
    cell: ({ row }) => {
      const post = row.original;
      const created = parseDbTime(post.createdAt);
      return (
        <div className="min-w-0">
          <Link
            href={postHref(post.postId, query)}
            className="line-clamp-3 whitespace-pre-line text-zinc-900 [overflow-wrap:anywhere] hover:underline dark:text-zinc-100"
            dir="auto"
            data-testid="queue-excerpt"
          >
            {post.excerpt || <span className={MUTED}>(empty)</span>}
          </Link>
          {/* What the hidden columns would say, on screens too narrow for them. */}
          <p className="mt-0.5 text-xs text-zinc-500 xl:hidden">
            <span dir="auto">{[post.identity, post.postType, post.tone].filter(Boolean).join(' · ')}</span>
            {created && <span className="sm:hidden"> · {formatAge(created, now)}</span>}
          </p>
          {post.contentLength > Array.from(post.excerpt).length && (
            <p className="text-xs text-zinc-400">{post.contentLength.toLocaleString('en-US')} characters</p>
          )}
        </div>
      );
    },
  });
  return columns;
}
