'use client';

import type { PaginationState, RowSelectionState, SortingState } from '@tanstack/react-table';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useRef, useState, useTransition } from 'react';
import { DataTable } from '@/components/data-table/data-table';
import { useUrlReplace } from '@/components/data-table/use-url-replace';
import { Button } from '@/components/ui/button';
import { approvePostAction, bulkReviewAction } from '@/lib/review/actions';
import type { QueueFilterOptions, QueuePage, QueueRow, StatusCounts } from '@/lib/review/queries';
import {
  QUEUE_PAGE_SIZES,
  QUEUE_SORT_FIELDS,
  type QueueQuery,
  type QueueSortField,
  serializeQueueQuery,
  statusFilterKind,
} from '@/lib/review/validations';
import { STATUS_LABELS, isPostStatus } from '@/lib/review/workflow';
import { BulkActionBar } from './bulk-action-bar';
import { type BulkOutcome, BulkResultSummary } from './bulk-result-summary';
import { type Keymap, KeyboardShortcuts } from './keyboard-shortcuts';
import { QueueFiltersBar, hasActiveFilters } from './queue-filters';
import { queueColumns, rowLabel } from './queue-columns';
import { QueueStatusTabs } from './queue-status-tabs';
import { postHref, queueHref } from './review-links';
import { useReviewSession } from './review-session';
import { useQueuePoll } from './use-queue-poll';

const INTEGER = new Intl.NumberFormat('en-US');

function emptyMessage(status: string): string {
  if (status === 'pending_review')
    return 'Nothing is waiting for review. New posts from the agents show up here.';
  if (status === 'draft')
    return 'No drafts. Posts the agents leave as drafts wait here until someone submits them.';
  if (status === 'approved') return 'No approved posts are waiting to be published.';
  if (status === 'rejected') return 'No rejected posts.';
  if (status === 'posted') return 'Nothing has been posted yet.';
  if (status === 'all') return 'There are no posts in the database yet.';
  return 'No posts have this status.';
}

export interface ReviewQueueProps {
  page: QueuePage;
  query: QueueQuery;
  counts: StatusCounts;
  filterOptions: QueueFilterOptions;
  canReview: boolean;
  /** The server's clock when the page was read (ages are computed from it, the same on both sides). */
  now: string;
}

export function ReviewQueue({ page, query, counts, filterOptions, canReview, now }: ReviewQueueProps) {
  const router = useRouter();
  const session = useReviewSession();
  const { replace, pending: navigating } = useUrlReplace();
  const [busy, startBusy] = useTransition();
  const search = serializeQueueQuery(query).toString();
  const rows = page.rows;

  const [selection, setSelection] = useState<RowSelectionState>({});
  const [activeIndex, setActiveIndex] = useState(0);
  const [cursorIntent, setCursorIntent] = useState<'first' | 'last'>('first');
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [rejectArmed, setRejectArmed] = useState(false);
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // Another page, filter or sort: a fresh cursor and selection (adjusted during render, no flash).
  const [seenSearch, setSeenSearch] = useState(search);
  if (seenSearch !== search) {
    setSeenSearch(search);
    setSelection({});
    setActiveIndex(cursorIntent === 'last' ? Math.max(0, rows.length - 1) : 0);
    setCursorIntent('first');
    setRejectArmed(false);
    setNoteError(null);
  }

  const poll = useQueuePoll(search, page.newestId);
  const liveCounts = poll.counts ?? counts;

  const active = rows.length ? Math.min(activeIndex, rows.length - 1) : -1;
  const activeRow: QueueRow | undefined = rows[active];
  const selectedRows = rows.filter((row) => selection[row.postId]);
  const nowDate = useMemo(() => new Date(now), [now]);
  const showStatus = ['all', 'unknown', 'exact'].includes(statusFilterKind(query.filters.status));
  const columns = useMemo(
    () => queueColumns({ query, now: nowDate, selectable: canReview, showStatus }),
    [query, nowDate, canReview, showStatus],
  );

  const go = (next: QueueQuery) => replace(serializeQueueQuery(next));

  function move(delta: 1 | -1) {
    if (rows.length === 0) return;
    const target = active + delta;
    if (target >= 0 && target < rows.length) {
      setActiveIndex(target);
      session.announce(rowLabel(rows[target]!));
      return;
    }
    if (delta === 1 && page.page < page.pageCount) {
      setCursorIntent('first');
      go({ ...query, page: page.page + 1 });
      session.announce(`Page ${page.page + 1}`);
    } else if (delta === -1 && page.page > 1) {
      setCursorIntent('last');
      go({ ...query, page: page.page - 1 });
      session.announce(`Page ${page.page - 1}`);
    } else {
      session.announce(
        delta === 1 ? 'This is the last post of the list.' : 'This is the first post of the list.',
      );
    }
  }

  function toggleActive() {
    if (!activeRow) return;
    if (activeRow.status !== 'pending_review') {
      session.notify('Only posts pending review can be selected for a bulk decision.', 'info');
      return;
    }
    setSelection((current) => {
      const next = { ...current };
      if (next[activeRow.postId]) delete next[activeRow.postId];
      else next[activeRow.postId] = true;
      return next;
    });
  }

  function runBulk(action: 'approve' | 'reject', targets: QueueRow[]) {
    const trimmed = note.trim();
    if (action === 'reject' && !trimmed) {
      setNoteError('A note is required to reject posts.');
      setRejectArmed(true);
      noteRef.current?.focus();
      session.announce('A note is required to reject posts.', 'assertive');
      return;
    }
    const labels = Object.fromEntries(targets.map((row) => [row.postId, rowLabel(row)]));
    startBusy(async () => {
      let result: Awaited<ReturnType<typeof bulkReviewAction>>;
      try {
        result = await bulkReviewAction({
          action,
          items: targets.map((row) => ({ postId: row.postId, version: row.version })),
          note: trimmed || undefined,
        });
      } catch {
        session.notify('The decision did not reach the server; nothing was confirmed. Try again.', 'error');
        return;
      }
      if (!result.ok) {
        setNoteError(result.fieldErrors?.note?.[0] ?? null);
        session.notify(result.error, 'error');
        return;
      }
      setOutcome({ action, message: result.message, results: result.results, labels });
      session.announce(result.message, result.summary.failed ? 'assertive' : 'polite');
      const done = new Set(result.results.filter((item) => item.ok).map((item) => item.postId));
      setSelection((current) => Object.fromEntries(Object.entries(current).filter(([id]) => !done.has(id))));
      setNote('');
      setNoteError(null);
      setRejectArmed(false);
    });
  }

  function approve() {
    if (busy) return;
    if (selectedRows.length > 0) {
      runBulk('approve', selectedRows);
      return;
    }
    const row = activeRow;
    if (!row) return;
    if (row.status !== 'pending_review') {
      session.notify(
        `Only posts pending review can be approved; this one is ${isPostStatus(row.status) ? STATUS_LABELS[row.status].toLowerCase() : String(row.status)}.`,
        'info',
      );
      return;
    }
    startBusy(async () => {
      let result: Awaited<ReturnType<typeof approvePostAction>>;
      try {
        result = await approvePostAction({ postId: row.postId, version: row.version });
      } catch {
        session.notify('The approval did not reach the server; nothing was confirmed. Try again.', 'error');
        return;
      }
      if (result.ok)
        session.offerUndo({ postId: row.postId, version: result.post.version }, `Approved ${rowLabel(row)}.`);
      else session.notify(result.error, 'error');
    });
  }

  function reject() {
    if (busy) return;
    if (selectedRows.length === 0) {
      if (!activeRow || activeRow.status !== 'pending_review') {
        session.notify('Only posts pending review can be rejected.', 'info');
        return;
      }
      setSelection({ [activeRow.postId]: true });
    }
    setRejectArmed(true);
    session.announce('Write why, then press Control+Enter to reject.');
    // The bar renders with the selection; focus its note once it is there.
    window.setTimeout(() => noteRef.current?.focus(), 0);
  }

  function open(edit = false) {
    if (activeRow) router.push(postHref(activeRow.postId, query, { edit }));
  }

  function clearSelection() {
    setSelection({});
    setRejectArmed(false);
    setNoteError(null);
  }

  const keymap: Keymap = [
    { keys: ['j'], description: 'Next post (the next page after the last row)', run: () => move(1) },
    { keys: ['k'], description: 'Previous post', run: () => move(-1) },
    { keys: ['Enter', 'o'], description: 'Open the post', run: () => open() },
    { keys: ['/'], description: 'Search', run: () => searchRef.current?.focus() },
    ...(canReview
      ? [
          { keys: ['x'], description: 'Select or unselect the post', run: toggleActive },
          { keys: ['a'], description: 'Approve the selected posts, or this one', run: approve },
          { keys: ['r'], description: 'Reject: write the note, then Ctrl+Enter', run: reject },
          { keys: ['e'], description: 'Edit the post’s text', run: () => open(true) },
          { keys: ['u'], description: 'Undo the last approval (for 10 seconds)', run: session.undo },
        ]
      : []),
    {
      keys: ['Escape'],
      description: 'Close this list, leave a field, or clear the selection',
      run: clearSelection,
    },
  ];

  const sorting: SortingState = [{ id: query.sort.field, desc: query.sort.dir === 'desc' }];
  const pagination: PaginationState = { pageIndex: page.page - 1, pageSize: page.pageSize };
  const filtered = hasActiveFilters(query.filters);
  const statusName = isPostStatus(query.filters.status)
    ? STATUS_LABELS[query.filters.status].toLowerCase()
    : query.filters.status === 'all'
      ? 'in any status'
      : `with status “${query.filters.status}”`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Review queue</h1>
          <p className="text-sm text-zinc-500">
            {INTEGER.format(page.total)} {page.total === 1 ? 'post' : 'posts'} {statusName}
            {filtered ? ' matching the filters' : ''}.{' '}
            <span className="whitespace-nowrap">
              {poll.error ??
                (poll.checkedAt
                  ? `Live · checked ${poll.checkedAt.slice(11, 19)} UTC`
                  : 'Live · checks every 10 s')}
            </span>
          </p>
        </div>
        <div className="flex items-center gap-2">
          {filtered && (
            <Button
              variant="ghost"
              type="button"
              onClick={() => go({ ...query, filters: { status: query.filters.status }, page: 1 })}
            >
              Clear filters
            </Button>
          )}
          <KeyboardShortcuts keymap={keymap} label="Queue shortcuts" />
        </div>
      </div>

      <QueueStatusTabs counts={liveCounts} query={query} />
      <QueueFiltersBar query={query} options={filterOptions} onChange={go} searchRef={searchRef} />

      {poll.newCount > 0 && (
        <div
          role="status"
          className="flex flex-wrap items-center justify-between gap-2 rounded-xl border border-sky-300 bg-sky-50 px-4 py-2 text-sm dark:border-sky-800 dark:bg-sky-950/40"
        >
          <span>
            {INTEGER.format(poll.newCount)} new {poll.newCount === 1 ? 'post' : 'posts'} since this page was
            loaded. The list stays put until you load them.
          </span>
          <Button type="button" variant="secondary" onClick={() => router.refresh()}>
            Show {poll.newCount === 1 ? 'it' : 'them'}
          </Button>
        </div>
      )}

      {!canReview && (
        <p className="rounded-lg border border-zinc-200 bg-white px-3 py-2 text-sm text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
          You have the viewer role: you can read the queue, but deciding posts needs the reviewer role.
        </p>
      )}

      {canReview && selectedRows.length > 0 && (
        <BulkActionBar
          count={selectedRows.length}
          note={note}
          onNoteChange={(value) => {
            setNote(value);
            if (noteError && value.trim()) setNoteError(null);
          }}
          error={noteError}
          pending={busy}
          rejectArmed={rejectArmed}
          onApprove={() => runBulk('approve', selectedRows)}
          onReject={() => runBulk('reject', selectedRows)}
          onClear={clearSelection}
          noteRef={noteRef}
        />
      )}
      {outcome && <BulkResultSummary outcome={outcome} onDismiss={() => setOutcome(null)} />}

      <DataTable
        caption={`Posts ${statusName}, page ${page.page} of ${page.pageCount}`}
        columns={columns}
        data={rows}
        getRowId={(row) => row.postId}
        rowCount={page.total}
        pagination={pagination}
        onPaginationChange={(next) =>
          go({
            ...query,
            page: next.pageSize !== page.pageSize ? 1 : next.pageIndex + 1,
            pageSize: next.pageSize,
          })
        }
        pageSizeOptions={QUEUE_PAGE_SIZES}
        sorting={sorting}
        onSortingChange={(next) => {
          const first = next[0];
          if (!first || !(QUEUE_SORT_FIELDS as readonly string[]).includes(first.id)) return;
          go({
            ...query,
            sort: { field: first.id as QueueSortField, dir: first.desc ? 'desc' : 'asc' },
            page: 1,
          });
        }}
        rowSelection={selection}
        onRowSelectionChange={setSelection}
        enableRowSelection={canReview ? (row: QueueRow) => row.status === 'pending_review' : false}
        activeRowId={activeRow?.postId ?? null}
        pending={navigating}
        emptyState={
          <div className="space-y-3">
            <p>{filtered ? 'No posts match these filters.' : emptyMessage(query.filters.status)}</p>
            {filtered && (
              <Link
                className="text-sky-700 underline dark:text-sky-400"
                href={queueHref({ ...query, filters: { status: query.filters.status }, page: 1 })}
              >
                Clear the filters
              </Link>
            )}
          </div>
        }
      />
    </div>
  );
}
