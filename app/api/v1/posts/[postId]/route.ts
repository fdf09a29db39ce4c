import { getDb } from '@/db/client';
import { getPost } from '@/lib/review/queries';
import { apiError, handleApi, json, toApiPost } from '../../_lib/responses';
import { authenticateToken } from '../../_lib/token-auth';

export const dynamic = 'force-dynamic';

/** GET /api/v1/posts/{postId} — scope posts:read or posts:publish. */
export async function GET(
  request: Request,
  context: { params: Promise<{ postId: string }> },
): Promise<Response> {
  return handleApi(async () => {
    const db = await getDb();
    const auth = await authenticateToken(db, request, ['posts:read', 'posts:publish']);
    if (!auth.ok) return auth.response;
    const { postId } = await context.params;
    const post = postId.length <= 200 ? await getPost(db, postId) : null;
    if (!post) return apiError(404, 'not_found', `There is no post with the id "${postId.slice(0, 200)}".`);
    return json({ post: toApiPost(post) });
  });
}
