import { z } from 'zod';
import { getDb } from '@/db/client';
import { createPostFromApi } from '@/lib/review/create-post';
import { MAX_API_LIST_LIMIT, listPostsByStatus } from '@/lib/review/queries';
import { fieldErrorsOf } from '@/lib/review/validations';
import { readJsonBody } from '../_lib/json-body';
import { apiError, handleApi, json, toApiPost } from '../_lib/responses';
import { authenticateToken } from '../_lib/token-auth';

// The agents' API for posts: create (what record_post does, for agents that do not write SQL) and list
// by status (the publishing agent's "what is approved?" poll). Bearer tokens, see lib/review/tokens.ts.

export const dynamic = 'force-dynamic';

/** POST /api/v1/posts — scope posts:write; optional Idempotency-Key header. 201 new, 200 replayed. */
export async function POST(request: Request): Promise<Response> {
  return handleApi(async () => {
    const db = await getDb();
    const auth = await authenticateToken(db, request, ['posts:write']);
    if (!auth.ok) return auth.response;
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const result = await createPostFromApi(
      db,
      { id: auth.token.id, name: auth.token.name },
      { body: body.body, idempotencyKey: request.headers.get('idempotency-key') },
    );
    if (!result.ok) {
      return result.code === 'conflict'
        ? apiError(409, 'idempotency_conflict', result.message)
        : apiError(400, 'validation', result.message, { fieldErrors: result.fieldErrors });
    }
    const location = `/api/v1/posts/${encodeURIComponent(result.post.postId)}`;
    return json(
      { post: toApiPost(result.post), replayed: result.replayed },
      result.replayed ? 200 : 201,
      result.replayed ? { Location: location, 'Idempotent-Replayed': 'true' } : { Location: location },
    );
  });
}

const listQuerySchema = z.object({
  status: z
    .string({ error: 'status is required, e.g. ?status=approved.' })
    .trim()
    .min(1, 'status is required, e.g. ?status=approved.')
    .max(100, 'status is limited to 100 characters.'),
  platform: z.string().trim().max(50, 'platform is limited to 50 characters.').optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, `limit must be a whole number from 1 to ${MAX_API_LIST_LIMIT}.`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, `limit must be a whole number from 1 to ${MAX_API_LIST_LIMIT}.`)
        .max(MAX_API_LIST_LIMIT, `limit must be a whole number from 1 to ${MAX_API_LIST_LIMIT}.`),
    )
    .default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'cursor must be the next_cursor of a previous page.')
    .transform(Number)
    .optional(),
});

/**
 * GET /api/v1/posts?status=approved[&platform=x][&limit=50][&cursor=…] — oldest first, paged by
 * cursor (stable while new posts arrive). Scope posts:read lists any status; a token with only
 * posts:publish may list approved posts (what it publishes).
 */
export async function GET(request: Request): Promise<Response> {
  return handleApi(async () => {
    const db = await getDb();
    const auth = await authenticateToken(db, request, ['posts:read', 'posts:publish']);
    if (!auth.ok) return auth.response;
    const params = new URL(request.url).searchParams;
    const raw: Record<string, string> = {};
    for (const key of ['status', 'platform', 'limit', 'cursor'] as const) {
      const value = params.get(key);
      if (value !== null && (value !== '' || key === 'status')) raw[key] = value;
    }
    const parsed = listQuerySchema.safeParse(raw);
    if (!parsed.success) {
      const fieldErrors = fieldErrorsOf(parsed.error);
      return apiError(400, 'validation', Object.values(fieldErrors)[0]?.[0] ?? 'Invalid query.', {
        fieldErrors,
      });
    }
    const { status, platform, limit, cursor } = parsed.data;
    if (!auth.token.scopes.includes('posts:read') && status !== 'approved') {
      return apiError(
        403,
        'forbidden',
        'A token with only the posts:publish scope may list approved posts; listing other statuses needs posts:read.',
      );
    }
    const page = await listPostsByStatus(db, {
      status,
      platform: platform || undefined,
      limit,
      afterId: cursor,
    });
    return json({
      posts: page.posts.map(toApiPost),
      next_cursor: page.nextAfterId === null ? null : String(page.nextAfterId),
    });
  });
}
