'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import {
  type ReviewActionFailure,
  type ReviewActionResult,
  approvePostAction,
  editPostAction,
  rejectPostAction,
  reopenPostAction,
  revokeApprovalAction,
  submitPostAction,
} from '@/lib/review/actions';
import { describeActor, describeTime } from '@/lib/review/conflict-message';
import type { PostCurrentState, ReviewPost } from '@/lib/review/post-records';
import { MAX_CONTENT_LENGTH, MAX_NOTE_LENGTH } from '@/lib/review/validations';
import { allowedActions, refusalReason, statusLabel } from '@/lib/review/workflow';
import { type Keymap, KeyboardShortcuts } from './keyboard-shortcuts';
import { platformRules } from './platforms';
import { LengthMeter, PostPreviewCard } from './post-preview-card';
import { useReviewSession } from './review-session';
import { StatusBadge } from './status-badge';

// The focus view's interactive part: the preview (or the editor), the decision (note, approve,
// reject, submit, revoke, reopen), navigation to the neighbours in the queue's order, and the keys.
// Every decision is a guarded write with the version shown here; a lost race shows who won.

export interface PostFocusProps {
  post: ReviewPost;
  canReview: boolean;
  previousHref: string | null;
  nextHref: string | null;
  queueHref: string;
  startEditing: boolean;
  /** Server-rendered: history (under the decision) and context (the side column). */
  history: React.ReactNode;
  aside: React.ReactNode;
}

interface Alert {
  message: string;
  current?: PostCurrentState;
}

function excerpt(text: string, length = 48): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > length ? `${chars.slice(0, length).join('')}…` : chars.join('');
}

function CurrentState({ current }: { current: PostCurrentState }) {
  const who = describeActor(current.actor, current.actorKind);
  const when = describeTime(current.at);
  return (
    <p className="mt-1 text-xs">
      Now: <StatusBadge status={current.status} /> · version {current.version}
      {who ? ` · last change by ${who}` : ''}
      {when ? ` at ${when}` : ''}
    </p>
  );
}

export function PostFocus({
  post: serverPost,
  canReview,
  previousHref,
  nextHref,
  queueHref,
  startEditing,
  history,
  aside,
}: PostFocusProps) {
  const router = useRouter();
  const session = useReviewSession();
  const [pending, startAction] = useTransition();
  const noteId = useId();
  const editorId = useId();
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const editorRef = useRef<HTMLTextAreaElement>(null);

  // The freshest copy we know: an action's result can arrive before the re-rendered page does.
  const [latest, setLatest] = useState<ReviewPost | null>(null);
  const post =
    latest && latest.postId === serverPost.postId && latest.version > serverPost.version
      ? latest
      : serverPost;
  const actions = canReview ? allowedActions(post.status) : [];
  const can = (action: (typeof actions)[number]) => actions.includes(action);

  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [editing, setEditing] = useState(startEditing && canReview && can('edit'));
  const [draft, setDraft] = useState(serverPost.content);
  const [draftError, setDraftError] = useState<string | null>(null);
  const [alert, setAlert] = useState<Alert | null>(null);
  const rules = platformRules(post.platform, post.postType);

  function fail(result: ReviewActionFailure) {
    setAlert({ message: result.error, current: result.current });
    session.announce(result.error, 'assertive');
    if (result.code === 'conflict' || result.code === 'invalid_transition') router.refresh();
  }

  /** Runs an action; true when it succeeded. */
  async function call(run: () => Promise<ReviewActionResult>): Promise<ReviewActionResult | null> {
    setAlert(null);
    try {
      const result = await run();
      if (result.ok) setLatest(result.post);
      else fail(result);
      return result;
    } catch {
      const message =
        'The request did not reach the server, or the server failed; nothing was confirmed. Try again.';
      setAlert({ message });
      session.announce(message, 'assertive');
      return null;
    }
  }

  /** After a decision: on to the next post in the queue's order, or stay and show the new state. */
  function advance() {
    if (nextHref) router.replace(nextHref, { scroll: true });
  }

  function approve(version = post.version) {
    if (pending || !can('approve')) return;
    const label = `“${excerpt(post.content)}”`;
    startAction(async () => {
      const result = await call(() =>
        approvePostAction({ postId: post.postId, version, note: note.trim() || undefined }),
      );
      if (!result?.ok) return;
      setNote('');
      session.offerUndo({ postId: post.postId, version: result.post.version }, `Approved ${label}.`);
      advance();
    });
  }

  function reject() {
    if (pending || !can('reject')) return;
    if (!note.trim()) {
      setNoteError('A note is required to reject a post: say why, so the agent’s owner can act on it.');
      noteRef.current?.focus();
      session.announce('A note is required to reject a post.', 'assertive');
      return;
    }
    const label = `“${excerpt(post.content)}”`;
    startAction(async () => {
      const result = await call(() => rejectPostAction({ postId: post.postId, version: post.version, note }));
      if (!result?.ok) {
        if (result && !result.ok && result.fieldErrors?.note)
          setNoteError(result.fieldErrors.note[0] ?? null);
        return;
      }
      setNote('');
      setNoteError(null);
      session.notify(`Rejected ${label}.`);
      advance();
    });
  }

  function simple(action: 'submit' | 'revoke' | 'reopen') {
    if (pending || !can(action)) return;
    const run = { submit: submitPostAction, revoke: revokeApprovalAction, reopen: reopenPostAction }[action];
    startAction(async () => {
      const result = await call(() =>
        run({ postId: post.postId, version: post.version, note: note.trim() || undefined }),
      );
      if (!result?.ok) return;
      setNote('');
      session.notify(result.message);
    });
  }

  function startEdit() {
    if (!can('edit')) return;
    setDraft(post.content);
    setDraftError(null);
    setEditing(true);
    window.setTimeout(() => editorRef.current?.focus(), 0);
  }

  function save(thenApprove: boolean) {
    if (pending) return;
    if (!draft.trim()) {
      setDraftError('The text cannot be empty.');
      editorRef.current?.focus();
      return;
    }
    startAction(async () => {
      const result = await call(() =>
        editPostAction({ postId: post.postId, version: post.version, content: draft }),
      );
      if (!result?.ok) {
        if (result && !result.ok && result.fieldErrors?.content)
          setDraftError(result.fieldErrors.content[0] ?? null);
        return;
      }
      setEditing(false);
      setDraftError(null);
      if (!thenApprove) {
        session.notify(
          draft === post.content
            ? 'The text was unchanged.'
            : 'Text saved; the original is kept in the history.',
        );
        return;
      }
      const label = `“${excerpt(draft)}”`;
      const approved = await call(() =>
        approvePostAction({
          postId: post.postId,
          version: result.post.version,
          note: note.trim() || undefined,
        }),
      );
      if (!approved?.ok) return;
      setNote('');
      session.offerUndo(
        { postId: post.postId, version: approved.post.version },
        `Edited and approved ${label}.`,
      );
      advance();
    });
  }

  function go(href: string | null, edge: string) {
    if (href) router.replace(href, { scroll: true });
    else session.announce(edge);
  }

  const keymap: Keymap = [
    {
      keys: ['j'],
      description: 'Next post in the queue’s order',
      run: () => go(nextHref, 'This is the last post of the list.'),
    },
    {
      keys: ['k'],
      description: 'Previous post',
      run: () => go(previousHref, 'This is the first post of the list.'),
    },
    ...(can('approve')
      ? [
          {
            keys: ['a'],
            description: 'Approve (with the note, if any), then open the next post',
            run: () => approve(),
          },
        ]
      : []),
    ...(can('reject')
      ? [
          {
            keys: ['r'],
            description: 'Reject: write the note, then Ctrl+Enter',
            run: () => {
              noteRef.current?.focus();
              session.announce('Write why, then press Control+Enter to reject.');
            },
          },
        ]
      : []),
    ...(can('edit')
      ? [{ keys: ['e'], description: 'Edit the text (Ctrl+Enter saves)', run: startEdit }]
      : []),
    ...(canReview
      ? [{ keys: ['u'], description: 'Undo the last approval (for 10 seconds)', run: session.undo }]
      : []),
  ];

  const noteLabel = can('reject') ? 'Note (required to reject, optional to approve)' : 'Note (optional)';
  const showNote = can('approve') || can('reject') || can('revoke') || can('reopen');
  const navLink =
    'inline-flex h-8 items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-2 text-xs text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800';
  const disabledLink = `${navLink} pointer-events-none opacity-40`;

  return (
    <div className="space-y-4" data-post-id={post.postId} data-version={post.version}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Link href={queueHref} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
          ← Back to the queue
        </Link>
        <div className="flex flex-wrap items-center gap-2">
          {previousHref ? (
            <Link href={previousHref} replace className={navLink} aria-label="Previous post (k)">
              <kbd className="font-mono">k</kbd> Previous
            </Link>
          ) : (
            <span className={disabledLink} aria-disabled="true">
              <kbd className="font-mono">k</kbd> Previous
            </span>
          )}
          {nextHref ? (
            <Link href={nextHref} replace className={navLink} aria-label="Next post (j)">
              <kbd className="font-mono">j</kbd> Next
            </Link>
          ) : (
            <span className={disabledLink} aria-disabled="true">
              <kbd className="font-mono">j</kbd> Next
            </span>
          )}
          <KeyboardShortcuts keymap={keymap} label="Post shortcuts" />
        </div>
      </div>

      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-xl font-semibold" dir="auto">
          {post.identity ?? '(no identity)'} on {rules.name}
        </h1>
        <StatusBadge status={post.status} />
        <span className="text-xs text-zinc-500">
          {post.postType} · version {post.version}
        </span>
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-4">
          {editing ? (
            <section
              aria-label="Edit the text"
              className="space-y-3 rounded-xl border border-sky-300 bg-white p-4 shadow-sm dark:border-sky-800 dark:bg-zinc-900"
            >
              <label htmlFor={editorId} className="block text-sm font-medium">
                Text{' '}
                <span className="font-normal text-zinc-500">(the agent’s original stays in the history)</span>
              </label>
              <textarea
                ref={editorRef}
                id={editorId}
                value={draft}
                onChange={(event) => {
                  setDraft(event.target.value);
                  if (draftError) setDraftError(null);
                }}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                    event.preventDefault();
                    save(event.shiftKey);
                  }
                }}
                rows={Math.min(16, Math.max(5, draft.split('\n').length + 1))}
                maxLength={MAX_CONTENT_LENGTH}
                dir="auto"
                aria-invalid={draftError ? true : undefined}
                aria-describedby={`${editorId}-help${draftError ? ` ${editorId}-error` : ''}`}
                className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-sans text-sm leading-relaxed aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-950"
                autoFocus
              />
              <LengthMeter rules={rules} text={draft} />
              {draftError && (
                <p id={`${editorId}-error`} className="text-sm text-red-700 dark:text-red-400">
                  {draftError}
                </p>
              )}
              <p id={`${editorId}-help`} className="text-xs text-zinc-500">
                Ctrl+Enter saves, Ctrl+Shift+Enter saves and approves, Esc leaves the field.
              </p>
              <div className="flex flex-wrap gap-2">
                <Button type="button" onClick={() => save(false)} disabled={pending}>
                  {pending ? 'Saving…' : 'Save text'}
                </Button>
                {can('approve') && (
                  <Button type="button" variant="secondary" onClick={() => save(true)} disabled={pending}>
                    Save and approve
                  </Button>
                )}
                <Button
                  type="button"
                  variant="ghost"
                  onClick={() => {
                    setEditing(false);
                    setDraftError(null);
                  }}
                  disabled={pending}
                >
                  Cancel
                </Button>
              </div>
              <div>
                <p className="mb-2 text-xs font-medium uppercase tracking-wide text-zinc-500">Preview</p>
                <PostPreviewCard post={{ ...post, content: draft }} />
              </div>
            </section>
          ) : (
            <PostPreviewCard post={post} />
          )}

          <section
            aria-label="Decision"
            className="space-y-3 rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
          >
            {alert && (
              <div
                role="alert"
                data-testid="review-alert"
                className="rounded-md border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100"
              >
                <p className="font-medium">{alert.message}</p>
                {alert.current && <CurrentState current={alert.current} />}
              </div>
            )}
            {!canReview ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                You have the viewer role: you can read this post and its history, but deciding needs the
                reviewer role.
              </p>
            ) : actions.length === 0 ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                {post.status === 'posted'
                  ? 'This post was published; it can no longer be changed.'
                  : refusalReason(post.status, 'approve')}
              </p>
            ) : (
              <>
                {showNote && (
                  <div className="space-y-1">
                    <label htmlFor={noteId} className="block text-sm font-medium">
                      {noteLabel}
                    </label>
                    <textarea
                      ref={noteRef}
                      id={noteId}
                      value={note}
                      onChange={(event) => {
                        setNote(event.target.value);
                        if (noteError && event.target.value.trim()) setNoteError(null);
                      }}
                      onKeyDown={(event) => {
                        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && can('reject')) {
                          event.preventDefault();
                          reject();
                        }
                      }}
                      rows={2}
                      maxLength={MAX_NOTE_LENGTH}
                      dir="auto"
                      placeholder={
                        can('reject')
                          ? 'Why? Ctrl+Enter rejects; Esc then a approves with this note.'
                          : undefined
                      }
                      aria-invalid={noteError ? true : undefined}
                      aria-describedby={noteError ? `${noteId}-error` : undefined}
                      className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-950"
                    />
                    {noteError && (
                      <p id={`${noteId}-error`} className="text-sm text-red-700 dark:text-red-400">
                        {noteError}
                      </p>
                    )}
                  </div>
                )}
                <div className="flex flex-wrap gap-2">
                  {can('approve') && (
                    <Button type="button" onClick={() => approve()} disabled={pending}>
                      Approve <kbd className="font-mono text-xs opacity-70">a</kbd>
                    </Button>
                  )}
                  {can('reject') && (
                    <Button type="button" variant="danger" onClick={reject} disabled={pending}>
                      Reject <kbd className="font-mono text-xs opacity-70">r</kbd>
                    </Button>
                  )}
                  {can('edit') && !editing && (
                    <Button type="button" variant="secondary" onClick={startEdit} disabled={pending}>
                      Edit text <kbd className="font-mono text-xs opacity-70">e</kbd>
                    </Button>
                  )}
                  {can('submit') && (
                    <Button type="button" onClick={() => simple('submit')} disabled={pending}>
                      Submit for review
                    </Button>
                  )}
                  {can('revoke') && (
                    <Button
                      type="button"
                      variant="secondary"
                      onClick={() => simple('revoke')}
                      disabled={pending}
                    >
                      Revoke approval
                    </Button>
                  )}
                  {can('reopen') && (
                    <Button
                      type="button"
                      variant="secondary"
                      onClick={() => simple('reopen')}
                      disabled={pending}
                    >
                      Reopen for review
                    </Button>
                  )}
                </div>
                {pending && (
                  <p className="text-xs text-zinc-500" aria-live="polite">
                    Working…
                  </p>
                )}
              </>
            )}
            {post.reviewNotes && (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                Review note ({statusLabel(post.status).toLowerCase()}):{' '}
                <q dir="auto" className="[overflow-wrap:anywhere]">
                  {post.reviewNotes}
                </q>
              </p>
            )}
          </section>

          {history}
        </div>
        <aside className="min-w-0 space-y-4">{aside}</aside>
      </div>
    </div>
  );
}
