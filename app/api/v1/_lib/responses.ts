import 'server-only';
import { DatabaseBusyError } from '@/db/database';
import { UnknownDatabaseError } from '@/db/multi-database';
import type { PostCurrentState, ReviewPost } from '@/lib/review/post-records';
import type { ApiCurrentState, ApiErrorBody, ApiErrorCode, ApiPost } from '@/lib/review/client';
import type { ReviewErrorCode } from '@/lib/review/transitions';

// Responses of the agents' API: JSON, never cached, errors in one shape ({ error: { code, message,
// fieldErrors?, current? } }) so clients can branch on `code` without parsing prose.

const NO_STORE = { 'Cache-Control': 'no-store' };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function apiError(
  status: number,
  code: ApiErrorCode,
  message: string,
  extra: {
    fieldErrors?: Record<string, string[]>;
    current?: ApiCurrentState;
    headers?: Record<string, string>;
  } = {},
): Response {
  const body: ApiErrorBody = { error: { code, message } };
  if (extra.fieldErrors) body.error.fieldErrors = extra.fieldErrors;
  if (extra.current) body.error.current = extra.current;
  return json(body, status, extra.headers);
}

const REVIEW_ERROR_STATUS: Record<ReviewErrorCode, number> = {
  validation: 400,
  not_found: 404,
  invalid_transition: 409,
  conflict: 409,
  undo_expired: 409,
};

/** A refused guarded write (lib/review/transitions.ts) as an HTTP error. */
export function reviewFailure(failure: {
  code: ReviewErrorCode;
  message: string;
  current?: PostCurrentState;
  fieldErrors?: Record<string, string[]>;
}): Response {
  return apiError(REVIEW_ERROR_STATUS[failure.code], failure.code, failure.message, {
    fieldErrors: failure.fieldErrors,
    current: failure.current,
  });
}

function parseMetadata(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Agents may have stored anything; hand it back as it is rather than hide it.
    return text;
  }
}

export function toApiPost(post: ReviewPost): ApiPost {
  return {
    post_id: post.postId,
    platform: post.platform,
    post_type: post.postType,
    identity: post.identity,
    target_url: post.targetUrl,
    target_author: post.targetAuthor,
    content: post.content,
    tone: post.tone,
    trigger_context: post.triggerContext,
    status: post.status,
    review_notes: post.reviewNotes,
    reviewed_at: post.reviewedAt,
    posted_at: post.postedAt,
    created_at: post.createdAt,
    metadata: parseMetadata(post.metadata),
    version: post.version,
  };
}

/**
 * Runs a route body and turns what escapes it into a JSON error: a locked SQLite file is a 503 the
 * agent may retry; anything else is a 500 whose details stay in the server log.
 */
export async function handleApi(body: () => Promise<Response>): Promise<Response> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof DatabaseBusyError) {
      return apiError(503, 'busy', error.message, { headers: { 'Retry-After': '1' } });
    }
    if (error instanceof UnknownDatabaseError) return apiError(400, 'validation', error.message);
    console.error('api/v1: unexpected error', error);
    return apiError(500, 'internal', 'The server failed to handle this request; nothing was changed by it.');
  }
}
