import { z } from 'zod';
import { getDb } from '@/db/client';
import { readPost } from '@/lib/review/post-records';
import { markPosted } from '@/lib/review/transitions';
import { fieldErrorsOf } from '@/lib/review/validations';
import { readJsonBody } from '../../../_lib/json-body';
import { apiError, handleApi, json, reviewFailure, toApiPost } from '../../../_lib/responses';
import { authenticateToken } from '../../../_lib/token-auth';

export const dynamic = 'force-dynamic';

const bodySchema = z.strictObject({
  version: z
    .number({ error: 'version must be the post version you read (a whole number).' })
    .int('version must be a whole number.')
    .min(0, 'version cannot be negative.')
    .optional(),
});

/**
 * POST /api/v1/posts/{postId}/posted — scope posts:publish. approved → posted as a guarded write:
 * refused with 409 (and the post's current state) when the post is no longer approved, e.g. a
 * reviewer revoked it after the agent listed it. With `{ "version": n }` it is also refused when the
 * post changed in any way since the agent read version n.
 */
export async function POST(
  request: Request,
  context: { params: Promise<{ postId: string }> },
): Promise<Response> {
  return handleApi(async () => {
    const db = await getDb();
    const auth = await authenticateToken(db, request, ['posts:publish']);
    if (!auth.ok) return auth.response;
    const body = await readJsonBody(request, { optional: true });
    if (!body.ok) return body.response;
    const parsed = bodySchema.safeParse(body.body);
    if (!parsed.success) {
      const fieldErrors = fieldErrorsOf(parsed.error);
      return apiError(400, 'validation', Object.values(fieldErrors)[0]?.[0] ?? 'Invalid body.', {
        fieldErrors,
      });
    }
    const { postId } = await context.params;
    let version = parsed.data.version;
    if (version === undefined) {
      // Without a version the guard is the status alone: take the version the post has now (a post
      // that is not approved is then refused by markPosted, with its current state).
      const post = postId.length <= 200 ? await readPost(db, postId, { primary: true }) : null;
      if (!post) return apiError(404, 'not_found', `There is no post with the id "${postId.slice(0, 200)}".`);
      version = post.version;
    }
    const result = await markPosted(db, { kind: 'token', name: auth.token.name }, { postId, version });
    if (!result.ok) return reviewFailure(result);
    return json({ post: toApiPost(result.post) });
  });
}
