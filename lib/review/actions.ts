'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { validatedAction } from '@/lib/actions/validated-action';
import type { Operator } from '@/lib/auth/operators';
import type { PostCurrentState, ReviewPost } from './post-records';
import { type StatusCounts, countNewPostsSince, getStatusCounts } from './queries';
import {
  type BulkItemResult,
  type ReviewActor,
  type ReviewErrorCode,
  type ReviewResult,
  approvePost,
  bulkReview,
  editPostContent,
  rejectPost,
  reopenPost,
  revokeApproval,
  submitPost,
  undoApproval,
} from './transitions';
import {
  type FieldErrors,
  bulkReviewInputSchema,
  editInputSchema,
  parseQueueSearchParams,
  rejectInputSchema,
  transitionInputSchema,
} from './validations';

// The reviewer's server actions. Each one is a public endpoint: validatedAction checks the session and
// the role (reviewer; the poll only needs viewer) and parses the input before the body runs, and the
// body is one guarded write from transitions.ts. Results are typed, never thrown, so the UI can say
// exactly what happened ("Already approved by alice at 10:42 UTC.") and show the post's current state.

export type ReviewActionFailure = {
  ok: false;
  /** Absent when the wrapper refused (not signed in, role too low, input unparsable). */
  code?: ReviewErrorCode;
  error: string;
  current?: PostCurrentState;
  fieldErrors?: FieldErrors;
};

export type ReviewActionResult = { ok: true; post: ReviewPost; message: string } | ReviewActionFailure;

export type BulkReviewActionResult =
  | {
      ok: true;
      message: string;
      results: BulkItemResult[];
      summary: { total: number; succeeded: number; failed: number };
    }
  | ReviewActionFailure;

export type QueuePollResult =
  { ok: true; newCount: number; counts: StatusCounts; at: string } | { ok: false; error: string };

function actorOf(operator: Operator): ReviewActor {
  return { kind: 'operator', name: operator.username };
}

/** The review screens and the Overview's pending count show what changed. */
function revalidateReview(): void {
  revalidatePath('/review', 'layout');
  revalidatePath('/');
}

function finish(result: ReviewResult, success: (post: ReviewPost) => string): ReviewActionResult {
  if (result.ok) {
    revalidateReview();
    return { ok: true, post: result.post, message: success(result.post) };
  }
  // A lost race still changed what the reviewer should see: the winner's decision.
  if (result.code === 'conflict' || result.code === 'invalid_transition') revalidateReview();
  return {
    ok: false,
    code: result.code,
    error: result.message,
    current: result.current,
    fieldErrors: result.fieldErrors,
  };
}

export const approvePostAction = validatedAction('reviewer', transitionInputSchema, async (input, operator) =>
  finish(await approvePost(await getDb(), actorOf(operator), input), () => 'Approved.'),
);

export const rejectPostAction = validatedAction('reviewer', rejectInputSchema, async (input, operator) =>
  finish(await rejectPost(await getDb(), actorOf(operator), input), () => 'Rejected.'),
);

export const submitPostAction = validatedAction('reviewer', transitionInputSchema, async (input, operator) =>
  finish(await submitPost(await getDb(), actorOf(operator), input), () => 'Submitted for review.'),
);

export const revokeApprovalAction = validatedAction(
  'reviewer',
  transitionInputSchema,
  async (input, operator) =>
    finish(
      await revokeApproval(await getDb(), actorOf(operator), input),
      () => 'Approval revoked; the post is back in review.',
    ),
);

export const reopenPostAction = validatedAction('reviewer', transitionInputSchema, async (input, operator) =>
  finish(
    await reopenPost(await getDb(), actorOf(operator), input),
    () => 'Reopened; the post is back in review.',
  ),
);

export const undoApprovalAction = validatedAction(
  'reviewer',
  transitionInputSchema,
  async (input, operator) =>
    finish(
      await undoApproval(await getDb(), actorOf(operator), input),
      () => 'Approval undone; the post is back in review.',
    ),
);

export const editPostAction = validatedAction('reviewer', editInputSchema, async (input, operator) =>
  finish(await editPostContent(await getDb(), actorOf(operator), input), () => 'Text saved.'),
);

export const bulkReviewAction = validatedAction(
  'reviewer',
  bulkReviewInputSchema,
  async (input, operator): Promise<BulkReviewActionResult> => {
    const result = await bulkReview(await getDb(), actorOf(operator), input);
    if (!result.ok) {
      return { ok: false, code: result.code, error: result.message, fieldErrors: result.fieldErrors };
    }
    if (result.summary.succeeded > 0 || result.summary.failed > 0) revalidateReview();
    const verb = input.action === 'approve' ? 'Approved' : 'Rejected';
    const { succeeded, failed, total } = result.summary;
    const message =
      failed === 0
        ? `${verb} ${succeeded} of ${total} post${total === 1 ? '' : 's'}.`
        : `${verb} ${succeeded} of ${total}; ${failed} could not be changed (see the list).`;
    return { ok: true, message, results: result.results, summary: result.summary };
  },
);

const pollInputSchema = z.object({
  /** The queue's URL search string: the same filters the page was rendered with. */
  search: z.string().max(4000),
  afterId: z.number().int().min(0),
});

/**
 * The queue's live poll: how many posts matching its filters arrived after the newest id the page
 * showed, and fresh tab counts. A read, so viewers may call it too.
 */
export const pollQueueAction = validatedAction(
  'viewer',
  pollInputSchema,
  async ({ search, afterId }): Promise<QueuePollResult> => {
    const query = parseQueueSearchParams(new URLSearchParams(search));
    const db = await getDb();
    const [newCount, counts] = await Promise.all([
      countNewPostsSince(db, query.filters, afterId),
      getStatusCounts(db, query.filters),
    ]);
    return { ok: true, newCount, counts, at: new Date().toISOString() };
  },
);
