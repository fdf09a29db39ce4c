// A small typed client for the agents' HTTP API (/api/v1/posts), for TypeScript agents and tests.
// Dependency-free (fetch only) so it runs in Node 20+, Deno, Bun and browsers; the Python agents keep
// writing the table directly and do not need it.
//
//   const api = createReviewApiClient({ baseUrl: 'http://127.0.0.1:3000', token: process.env.FOUNDUPS_TOKEN! });
//   const { post } = await api.createPost({ platform: 'x', post_type: 'post', content: 'gm' }, { idempotencyKey: crypto.randomUUID() });
//   for await (const post of api.iteratePosts({ status: 'approved' })) { publish(post); await api.markPosted(post.post_id, { version: post.version }); }

/** A post as the API returns it: the columns of agents_social_posts by their own names. */
export interface ApiPost {
  post_id: string;
  platform: string;
  post_type: string;
  identity: string | null;
  target_url: string | null;
  target_author: string | null;
  content: string;
  tone: string | null;
  trigger_context: string | null;
  /** Any text the agents wrote (or null); the workflow's are draft, pending_review, approved, rejected, posted. */
  status: string | null;
  review_notes: string | null;
  /** Stored text, untouched: agents write local naive isoformat, the console UTC ISO-8601 with Z. */
  reviewed_at: string | null;
  posted_at: string | null;
  /** `YYYY-MM-DD HH:MM:SS` UTC as SQLite writes it. */
  created_at: string | null;
  /** The stored JSON, parsed; the raw text when it is not valid JSON; null when absent. */
  metadata: unknown;
  /** Concurrency marker: send it back with mark-posted so a post changed meanwhile is not published. */
  version: number;
}

export interface ApiCreatePostBody {
  platform: string;
  post_type: string;
  content: string;
  identity?: string | null;
  target_url?: string | null;
  target_author?: string | null;
  tone?: string | null;
  trigger_context?: string | null;
  /** pending_review (default, as record_post) or draft. */
  status?: 'pending_review' | 'draft';
  metadata?: Record<string, unknown> | null;
}

/** Where a post stands after a refused change (409): who changed it last, and when. */
export interface ApiCurrentState {
  status: string | null;
  version: number;
  actor: string | null;
  actorKind: 'operator' | 'token' | 'direct' | 'system' | null;
  at: string | null;
  action: string | null;
}

export type ApiErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'validation'
  | 'invalid_json'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'conflict'
  | 'invalid_transition'
  | 'idempotency_conflict'
  | 'undo_expired'
  | 'busy'
  | 'internal';

/** The body of every error response. */
export interface ApiErrorBody {
  error: {
    code: ApiErrorCode;
    message: string;
    /** Field path → messages (400 validation). */
    fieldErrors?: Record<string, string[]>;
    /** The post now (409). */
    current?: ApiCurrentState;
  };
}

export interface ApiListResponse {
  posts: ApiPost[];
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: string | null;
}

export interface ApiPostResponse {
  post: ApiPost;
}

export interface ApiCreateResponse extends ApiPostResponse {
  /** True when an earlier request with the same Idempotency-Key created the post. */
  replayed: boolean;
}

/** An error the API answered with (or a response that was not the API's JSON). */
export class ReviewApiError extends Error {
  override name = 'ReviewApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | 'bad_response',
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
    readonly current?: ApiCurrentState,
  ) {
    super(message);
  }
}

export interface ReviewApiClientOptions {
  /** The console's origin, e.g. http://127.0.0.1:3000 (a path prefix is kept). */
  baseUrl: string;
  /** The secret of an API token (fu_...). */
  token: string;
  /** Another fetch (tests, proxies); defaults to the global one. */
  fetch?: typeof fetch;
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
}

export interface ListPostsOptions {
  status: string;
  platform?: string;
  /** 1–200, default 50. */
  limit?: number;
  cursor?: string | null;
}

export interface ReviewApiClient {
  /** POST /api/v1/posts (scope posts:write). Retrying with the same idempotencyKey never creates twice. */
  createPost(body: ApiCreatePostBody, options?: { idempotencyKey?: string }): Promise<ApiCreateResponse>;
  /** GET /api/v1/posts?status=… (posts:read; posts:publish may list approved posts). */
  listPosts(options: ListPostsOptions): Promise<ApiListResponse>;
  /** Every post in a status, page after page, oldest first. */
  iteratePosts(options: Omit<ListPostsOptions, 'cursor'>): AsyncGenerator<ApiPost>;
  /** GET /api/v1/posts/{postId} (posts:read or posts:publish). */
  getPost(postId: string): Promise<ApiPost>;
  /** POST /api/v1/posts/{postId}/posted (posts:publish): approved → posted, refused (409) otherwise. */
  markPosted(postId: string, options?: { version?: number }): Promise<ApiPost>;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  const error = (value as { error?: unknown } | null)?.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

export function createReviewApiClient(options: ReviewApiClientOptions): ReviewApiClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function request<T>(
    method: 'GET' | 'POST',
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${options.token}`,
      Accept: 'application/json',
      ...init.headers,
    };
    let body: string | undefined;
    if (init.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(init.body);
    }
    const response = await doFetch(`${base}${path}`, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      if (isErrorBody(json)) {
        const { code, message, fieldErrors, current } = json.error;
        throw new ReviewApiError(response.status, code, message, fieldErrors, current);
      }
      throw new ReviewApiError(
        response.status,
        'bad_response',
        `HTTP ${response.status} from ${method} ${path}: ${text.slice(0, 200)}`,
      );
    }
    if (json === undefined) {
      throw new ReviewApiError(
        response.status,
        'bad_response',
        `${method} ${path} answered ${response.status} without a JSON body.`,
      );
    }
    return json as T;
  }

  const postPath = (postId: string) => `/api/v1/posts/${encodeURIComponent(postId)}`;

  const client: ReviewApiClient = {
    createPost(body, { idempotencyKey } = {}) {
      return request<ApiCreateResponse>('POST', '/api/v1/posts', {
        body,
        headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {},
      });
    },
    listPosts({ status, platform, limit, cursor }) {
      const params = new URLSearchParams({ status });
      if (platform) params.set('platform', platform);
      if (limit !== undefined) params.set('limit', String(limit));
      if (cursor) params.set('cursor', cursor);
      return request<ApiListResponse>('GET', `/api/v1/posts?${params}`);
    },
    async *iteratePosts(listOptions) {
      let cursor: string | null = null;
      do {
        const page: ApiListResponse = await client.listPosts({ ...listOptions, cursor });
        yield* page.posts;
        cursor = page.next_cursor;
      } while (cursor);
    },
    async getPost(postId) {
      return (await request<ApiPostResponse>('GET', postPath(postId))).post;
    },
    async markPosted(postId, { version } = {}) {
      const body = version === undefined ? {} : { version };
      return (await request<ApiPostResponse>('POST', `${postPath(postId)}/posted`, { body })).post;
    },
  };
  return client;
}
