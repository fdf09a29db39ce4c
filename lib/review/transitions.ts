import type { ZodError } from 'zod';
import { type Database, DatabaseBusyError, type SQL, type TxStep, sql } from '@/db/database';
import { conflictMessage } from './conflict-message';
import {
  DIRECT_WRITE_ACTOR,
  type NewHistoryEntry,
  POSTS_TABLE,
  POST_COLUMNS,
  type PostCurrentState,
  type ReviewPost,
  insertHistory,
  readCurrentState,
  toReviewPost,
} from './post-records';
import {
  type BulkReviewInput,
  type EditInput,
  type FieldErrors,
  type RejectInput,
  type TransitionInput,
  bulkReviewInputSchema,
  editInputSchema,
  fieldErrorsOf,
  rejectInputSchema,
  transitionInputSchema,
} from './validations';
import {
  EDITABLE_STATUSES,
  TRANSITIONS,
  type TransitionAction,
  UNDO_WINDOW_MS,
  refusalReason,
} from './workflow';

// Guarded writes: every change to a post is one UPDATE that only matches while the post still has the
// status the action starts from AND the console_version the reviewer saw, so of two racing writers
// exactly one wins and the other is told who won. The winner's history row is written in the same
// transaction. (Writes that bypass the console are recorded by the triggers of migration 0001, which
// also bump console_version, so a reviewer holding the old version loses against them too.)
//
// Times the console writes (reviewed_at, posted_at, console_updated_at, history.at) are UTC ISO-8601
// `YYYY-MM-DDTHH:MM:SS.sssZ`. The agents write reviewed_at/posted_at as local naive isoformat; readers
// tell them apart by the trailing Z.
//
// No 'use server' here: server actions (which authenticate and pass the operator) and the API routes
// (which verify a token and pass it) both call these.

/** Who is writing. The trigger-only kind 'direct' and its actor name are reserved. */
export interface ReviewActor {
  kind: 'operator' | 'token' | 'system';
  /** Operator username, token name, or the console job's name. */
  name: string;
}

export type ReviewErrorCode = 'validation' | 'not_found' | 'invalid_transition' | 'conflict' | 'undo_expired';

export interface ReviewFailure {
  ok: false;
  code: ReviewErrorCode;
  message: string;
  /** The post's state now (conflicts and refusals), so the UI can show it without another request. */
  current?: PostCurrentState;
  fieldErrors?: FieldErrors;
}

export type ReviewResult = { ok: true; post: ReviewPost } | ReviewFailure;

export interface WriteOptions {
  /** The clock (tests). */
  now?: Date;
}

export function assertReviewActor(actor: ReviewActor): void {
  const valid =
    actor !== null &&
    typeof actor === 'object' &&
    (actor.kind === 'operator' || actor.kind === 'token' || actor.kind === 'system') &&
    typeof actor.name === 'string' &&
    actor.name.trim().length > 0 &&
    actor.name.length <= 200 &&
    actor.name !== DIRECT_WRITE_ACTOR;
  if (!valid)
    throw new TypeError(
      `Invalid review actor ${JSON.stringify(actor)}: expected { kind: operator|token|system, name } with a non-empty name.`,
    );
}

export function validationFailure(error: ZodError): ReviewFailure {
  const fieldErrors = fieldErrorsOf(error);
  const first = Object.values(fieldErrors)[0]?.[0];
  return { ok: false, code: 'validation', message: first ?? 'Some fields need attention.', fieldErrors };
}

interface GuardedWrite {
  postId: string;
  version: number;
  /** Statuses the action may start from (the guard). */
  fromStatuses: readonly string[];
  /** Assignments besides the version/actor/time bookkeeping. */
  set: SQL;
  /** An additional condition (undo: same approver, within the window). */
  extraGuard?: SQL;
  /** Read the content at the expected version in the same transaction (edits keep the original). */
  captureContent?: boolean;
  history(post: ReviewPost, contentBefore: string | null): NewHistoryEntry;
  /** The action, for the refusal wording. */
  action: TransitionAction | 'edit';
  /** Explains a refusal when version and status matched but extraGuard did not. */
  explainExtra?(post: ReviewPost, current: PostCurrentState): ReviewResult;
}

function statusIn(statuses: readonly string[]): SQL {
  if (statuses.length === 1) return sql`status = ${statuses[0]}`;
  return sql`status IN (${sql.join(
    statuses.map((status) => sql`${status}`),
    sql`, `,
  )})`;
}

async function guardedWrite(
  db: Database,
  actor: ReviewActor,
  at: string,
  write: GuardedWrite,
): Promise<ReviewResult> {
  const steps: TxStep[] = [];
  if (write.captureContent) {
    steps.push(
      sql`SELECT content FROM ${POSTS_TABLE} WHERE post_id = ${write.postId} AND console_version = ${write.version}`,
    );
  }
  const updateIndex = steps.length;
  steps.push(
    sql`UPDATE ${POSTS_TABLE}
        SET ${write.set}, console_version = console_version + 1, console_actor = ${actor.name}, console_updated_at = ${at}
        WHERE post_id = ${write.postId} AND ${statusIn(write.fromStatuses)} AND console_version = ${write.version}${
          write.extraGuard ? sql` AND ${write.extraGuard}` : sql``
        }
        RETURNING ${POST_COLUMNS}`,
  );
  steps.push((results) => {
    const row = results[updateIndex]?.rows[0];
    if (!row) return null;
    const before = write.captureContent ? results[0]?.rows[0]?.content : null;
    return insertHistory(write.history(toReviewPost(row), typeof before === 'string' ? before : null));
  });
  const results = await db.transaction(steps);
  const row = results[updateIndex]?.rows[0];
  if (row) return { ok: true, post: toReviewPost(row) };

  // Nothing matched: say why, from the state after the winner committed.
  const state = await readCurrentState(db, write.postId);
  if (!state)
    return { ok: false, code: 'not_found', message: `There is no post with the id "${write.postId}".` };
  const { post, current } = state;
  if (post.version !== write.version) {
    return { ok: false, code: 'conflict', message: conflictMessage(current, write.fromStatuses), current };
  }
  if (post.status === null || !write.fromStatuses.includes(post.status)) {
    return {
      ok: false,
      code: 'invalid_transition',
      message: refusalReason(post.status, write.action),
      current,
    };
  }
  if (write.explainExtra) return write.explainExtra(post, current);
  return { ok: false, code: 'conflict', message: conflictMessage(current, write.fromStatuses), current };
}

/** The assignments of each transition (the version/actor bookkeeping is added by guardedWrite). */
function transitionSet(action: TransitionAction, note: string | null, at: string): SQL {
  const to = TRANSITIONS[action].to;
  switch (action) {
    case 'approve':
    case 'reject':
      return sql`status = ${to}, review_notes = ${note}, reviewed_at = ${at}`;
    case 'revoke':
    case 'reopen':
      // Back to review: the earlier decision's note and time no longer describe the post (history keeps them).
      return sql`status = ${to}, review_notes = ${note}, reviewed_at = NULL`;
    case 'mark_posted':
      return sql`status = ${to}, posted_at = ${at}`;
    case 'submit':
      return sql`status = ${to}`;
  }
}

/**
 * Runs one workflow transition as a guarded write. `input` is validated here (reject needs a
 * non-blank note), so callers may pass what they received.
 */
export async function transitionPost(
  db: Database,
  actor: ReviewActor,
  action: TransitionAction,
  input: TransitionInput | RejectInput,
  options: WriteOptions = {},
): Promise<ReviewResult> {
  assertReviewActor(actor);
  const parsed = (action === 'reject' ? rejectInputSchema : transitionInputSchema).safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error);
  const { postId, version } = parsed.data;
  const note = parsed.data.note ?? null;
  const rule = TRANSITIONS[action];
  const at = (options.now ?? new Date()).toISOString();
  return guardedWrite(db, actor, at, {
    postId,
    version,
    fromStatuses: [rule.from],
    set: transitionSet(action, note, at),
    action,
    history: (post) => ({
      postId,
      at,
      actor: actor.name,
      actorKind: actor.kind,
      action,
      fromStatus: rule.from,
      toStatus: rule.to,
      note,
      version: post.version,
    }),
  });
}

export const submitPost = (
  db: Database,
  actor: ReviewActor,
  input: TransitionInput,
  options?: WriteOptions,
) => transitionPost(db, actor, 'submit', input, options);
export const approvePost = (
  db: Database,
  actor: ReviewActor,
  input: TransitionInput,
  options?: WriteOptions,
) => transitionPost(db, actor, 'approve', input, options);
export const rejectPost = (db: Database, actor: ReviewActor, input: RejectInput, options?: WriteOptions) =>
  transitionPost(db, actor, 'reject', input, options);
export const revokeApproval = (
  db: Database,
  actor: ReviewActor,
  input: TransitionInput,
  options?: WriteOptions,
) => transitionPost(db, actor, 'revoke', input, options);
export const reopenPost = (
  db: Database,
  actor: ReviewActor,
  input: TransitionInput,
  options?: WriteOptions,
) => transitionPost(db, actor, 'reopen', input, options);
/** approved → posted, for the publishing agent (API token with posts:publish). */
export const markPosted = (
  db: Database,
  actor: ReviewActor,
  input: TransitionInput,
  options?: WriteOptions,
) => transitionPost(db, actor, 'mark_posted', input, options);

/**
 * Corrects the text of a draft or pending post. The history keeps the text before and after, so the
 * agent's original is never lost. Saving identical text changes nothing and succeeds.
 */
export async function editPostContent(
  db: Database,
  actor: ReviewActor,
  input: EditInput,
  options: WriteOptions = {},
): Promise<ReviewResult> {
  assertReviewActor(actor);
  const parsed = editInputSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error);
  const { postId, version, content } = parsed.data;
  const at = (options.now ?? new Date()).toISOString();
  return guardedWrite(db, actor, at, {
    postId,
    version,
    fromStatuses: EDITABLE_STATUSES,
    set: sql`content = ${content}`,
    extraGuard: sql`content <> ${content}`,
    captureContent: true,
    action: 'edit',
    history: (post, contentBefore) => ({
      postId,
      at,
      actor: actor.name,
      actorKind: actor.kind,
      action: 'edit',
      fromStatus: post.status,
      toStatus: post.status,
      contentBefore,
      contentAfter: content,
      version: post.version,
    }),
    explainExtra: (post) => ({ ok: true, post }),
  });
}

/**
 * Takes back an approval from the "undo" toast: approved → pending_review, only for the reviewer who
 * approved, only while the post is still at the version that approval produced, and only within
 * UNDO_WINDOW_MS of it. Recorded in the history as 'undo'. After the window, revoke instead.
 */
export async function undoApproval(
  db: Database,
  actor: ReviewActor,
  input: TransitionInput,
  options: WriteOptions = {},
): Promise<ReviewResult> {
  assertReviewActor(actor);
  const parsed = transitionInputSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error);
  const { postId, version } = parsed.data;
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - UNDO_WINDOW_MS).toISOString();
  return guardedWrite(db, actor, at, {
    postId,
    version,
    fromStatuses: ['approved'],
    set: sql`status = ${'pending_review'}, review_notes = NULL, reviewed_at = NULL`,
    extraGuard: sql`console_actor = ${actor.name} AND console_updated_at >= ${cutoff}`,
    action: 'revoke',
    history: (post) => ({
      postId,
      at,
      actor: actor.name,
      actorKind: actor.kind,
      action: 'undo',
      fromStatus: 'approved',
      toStatus: 'pending_review',
      version: post.version,
    }),
    explainExtra: (post, current) =>
      post.consoleActor !== actor.name
        ? {
            ok: false,
            code: 'invalid_transition',
            message: `Only ${post.consoleActor ?? 'the reviewer who approved it'} can undo this approval; revoke it instead.`,
            current,
          }
        : {
            ok: false,
            code: 'undo_expired',
            message: `The approval is older than ${UNDO_WINDOW_MS / 1000} seconds and can no longer be undone; revoke it instead.`,
            current,
          },
  });
}

export type BulkItemResult =
  | { postId: string; ok: true; post: ReviewPost }
  | {
      postId: string;
      ok: false;
      code: ReviewErrorCode | 'error';
      message: string;
      current?: PostCurrentState;
    };

export type BulkReviewResult =
  | { ok: true; results: BulkItemResult[]; summary: { total: number; succeeded: number; failed: number } }
  | ReviewFailure;

/**
 * Approves or rejects many posts with one note. Each post is its own guarded write (and transaction):
 * posts someone else decided meanwhile come back as conflicts while the rest go through.
 */
export async function bulkReview(
  db: Database,
  actor: ReviewActor,
  input: BulkReviewInput,
  options: WriteOptions = {},
): Promise<BulkReviewResult> {
  assertReviewActor(actor);
  const parsed = bulkReviewInputSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error);
  const { action, items, note } = parsed.data;
  const results: BulkItemResult[] = [];
  for (const item of items) {
    try {
      const result = await transitionPost(
        db,
        actor,
        action,
        { postId: item.postId, version: item.version, note },
        options,
      );
      results.push(
        result.ok ? { postId: item.postId, ok: true, post: result.post } : { postId: item.postId, ...result },
      );
    } catch (error) {
      // One locked or failing post must not hide what happened to the others.
      const message =
        error instanceof DatabaseBusyError ? error.message : `Unexpected error: ${(error as Error).message}`;
      results.push({ postId: item.postId, ok: false, code: 'error', message });
    }
  }
  const succeeded = results.filter((result) => result.ok).length;
  return {
    ok: true,
    results,
    summary: { total: results.length, succeeded, failed: results.length - succeeded },
  };
}
