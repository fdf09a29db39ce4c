import crypto from 'node:crypto';
import { type Database, type StepResult, type TxStep, sql } from '@/db/database';
import {
  POSTS_TABLE,
  POST_COLUMNS,
  type ReviewPost,
  insertHistory,
  readPost,
  toReviewPost,
} from './post-records';
import { type FieldErrors, apiCreatePostSchema, idempotencyKeySchema } from './validations';
import { validationFailure } from './transitions';

// POST /api/v1/posts: an agent that does not write SQL records a post through the API. Same columns
// and defaults as the agents' record_post, plus the console's bookkeeping (console_version = 1, the
// token as console_actor, a 'created' history row by that token) in one transaction.
//
// Idempotency: with an Idempotency-Key the request is remembered per token. The same key with the same
// body returns the post created the first time (`replayed: true`) and creates nothing; the same key
// with a different body is a conflict, so a retried request can never create a second post.

export interface ApiTokenActor {
  id: number;
  name: string;
}

export interface CreatePostRequest {
  /** The parsed JSON body, unvalidated. */
  body: unknown;
  /** The Idempotency-Key header, if sent. */
  idempotencyKey?: string | null;
}

export type CreatePostResult =
  | { ok: true; post: ReviewPost; replayed: boolean }
  | { ok: false; code: 'validation' | 'conflict'; message: string; fieldErrors?: FieldErrors };

const IDEMPOTENCY_TABLE = sql.raw('modules_console_idempotency_keys');

/** JSON with object keys sorted at every level: equal bodies hash equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

async function replay(
  db: Database,
  stored: { request_hash: unknown; response_json: unknown },
  requestHash: string,
): Promise<CreatePostResult> {
  if (stored.request_hash !== requestHash) {
    return {
      ok: false,
      code: 'conflict',
      message:
        'This Idempotency-Key was already used with a different request body; use a new key for a new post.',
    };
  }
  let postId: unknown;
  try {
    postId = (JSON.parse(String(stored.response_json)) as { post_id?: unknown }).post_id;
  } catch {
    postId = undefined;
  }
  const post = typeof postId === 'string' ? await readPost(db, postId, { primary: true }) : null;
  if (!post) {
    return {
      ok: false,
      code: 'conflict',
      message: 'The post created earlier with this Idempotency-Key no longer exists; use a new key.',
    };
  }
  return { ok: true, post, replayed: true };
}

export async function createPostFromApi(
  db: Database,
  token: ApiTokenActor,
  request: CreatePostRequest,
  options: { now?: Date } = {},
): Promise<CreatePostResult> {
  const parsed = apiCreatePostSchema.safeParse(request.body);
  if (!parsed.success) return { ...validationFailure(parsed.error), code: 'validation' };
  let key: string | null = null;
  if (request.idempotencyKey !== undefined && request.idempotencyKey !== null) {
    const parsedKey = idempotencyKeySchema.safeParse(request.idempotencyKey);
    if (!parsedKey.success) {
      const message = parsedKey.error.issues[0]?.message ?? 'Invalid Idempotency-Key.';
      return { ok: false, code: 'validation', message, fieldErrors: { 'Idempotency-Key': [message] } };
    }
    key = parsedKey.data;
  }

  const body = parsed.data;
  const requestHash = crypto.createHash('sha256').update(canonicalJson(body)).digest('hex');
  const at = (options.now ?? new Date()).toISOString();
  const postId = crypto.randomUUID();
  // As record_post does: json.dumps(metadata) if metadata else None.
  const metadata =
    body.metadata && Object.keys(body.metadata).length > 0 ? JSON.stringify(body.metadata) : null;
  const lookup = key
    ? sql`SELECT request_hash, response_json FROM ${IDEMPOTENCY_TABLE} WHERE token_id = ${token.id} AND "key" = ${key}`
    : null;

  const steps: TxStep[] = [
    () => lookup,
    (r: StepResult[]) =>
      r[0]!.rows.length > 0
        ? null
        : sql`INSERT INTO ${POSTS_TABLE} (post_id, platform, post_type, content, identity, target_url, target_author, tone, trigger_context, status, metadata, console_version, console_actor, console_updated_at)
              VALUES (${postId}, ${body.platform}, ${body.post_type}, ${body.content}, ${body.identity}, ${body.target_url}, ${body.target_author}, ${body.tone},
                      ${body.trigger_context}, ${body.status}, ${metadata}, ${1}, ${token.name}, ${at})
              RETURNING ${POST_COLUMNS}`,
    (r: StepResult[]) =>
      r[1]!.rows.length === 0
        ? null
        : insertHistory({
            postId,
            at,
            actor: token.name,
            actorKind: 'token',
            action: 'created',
            fromStatus: null,
            toStatus: body.status,
            version: 1,
          }),
    (r: StepResult[]) =>
      !key || r[1]!.rows.length === 0
        ? null
        : sql`INSERT INTO ${IDEMPOTENCY_TABLE} (token_id, "key", request_hash, response_json, created_at)
              VALUES (${token.id}, ${key}, ${requestHash}, ${JSON.stringify({ post_id: postId })}, ${at})`,
  ];

  let results: StepResult[];
  try {
    results = await db.transaction(steps);
  } catch (error) {
    // PostgreSQL: a concurrent request with the same key committed first; this one rolled back whole.
    if (!key || !isUniqueViolation(error)) throw error;
    const stored = lookup
      ? (await db.allPrimary<{ request_hash: unknown; response_json: unknown }>(lookup))[0]
      : undefined;
    if (!stored) throw error;
    return replay(db, stored, requestHash);
  }
  const stored = results[0]!.rows[0] as { request_hash: unknown; response_json: unknown } | undefined;
  if (stored) return replay(db, stored, requestHash);
  const row = results[1]!.rows[0];
  if (!row) throw new Error('The post insert returned no row.');
  return { ok: true, post: toReviewPost(row), replayed: false };
}
