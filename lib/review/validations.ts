import { z } from 'zod';
import { POST_STATUSES, type PostStatus, isPostStatus } from './workflow';

// Zod schemas for everything the review queue accepts from outside: the queue's URL search params
// (shared by the server page and the client table), the reviewer's actions, and the agents' API body.

// ---------------------------------------------------------------------------------------------
// Queue URL state

export const QUEUE_PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_QUEUE_PAGE_SIZE = 25;
export const MAX_QUEUE_PAGE = 100_000;
export const QUEUE_SORT_FIELDS = ['created_at', 'platform', 'identity'] as const;
export type QueueSortField = (typeof QUEUE_SORT_FIELDS)[number];
export type SortDirection = 'asc' | 'desc';

/** Every status. */
export const STATUS_FILTER_ALL = 'all';
/** Every status the workflow does not know (including NULL). */
export const STATUS_FILTER_UNKNOWN = 'unknown';
/**
 * 'all', 'unknown', a workflow status, or any other exact status text an agent wrote (so a tab for an
 * unknown status value can list its posts).
 */
export type StatusFilter = string;

export interface QueueFilters {
  status: StatusFilter;
  platform?: string;
  identity?: string;
  tone?: string;
  postType?: string;
  /** Inclusive UTC calendar days, `YYYY-MM-DD`. */
  createdFrom?: string;
  createdTo?: string;
  /** Case-insensitive substring of content, target_url or target_author (wildcards are literal). */
  q?: string;
}

export interface QueueSort {
  field: QueueSortField;
  dir: SortDirection;
}

export interface QueueQuery {
  filters: QueueFilters;
  sort: QueueSort;
  page: number;
  pageSize: number;
}

export const DEFAULT_QUEUE_QUERY: QueueQuery = {
  filters: { status: 'pending_review' },
  sort: { field: 'created_at', dir: 'desc' },
  page: 1,
  pageSize: DEFAULT_QUEUE_PAGE_SIZE,
};

/** URL parameter names (short, stable: bookmarks and shared links depend on them). */
export const QUEUE_PARAM = {
  status: 'status',
  platform: 'platform',
  identity: 'identity',
  tone: 'tone',
  postType: 'type',
  createdFrom: 'from',
  createdTo: 'to',
  q: 'q',
  sort: 'sort',
  page: 'page',
  pageSize: 'size',
} as const;

const MAX_FILTER_LENGTH = 200;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const statusFilterSchema = z
  .string()
  .min(1)
  .max(100)
  .refine((value) => !CONTROL_CHARS.test(value));

/** A free-text filter value (platform, identity, ...): trimmed, empty means "any". */
const textFilterSchema = z
  .string()
  .trim()
  .max(MAX_FILTER_LENGTH)
  .refine((value) => !CONTROL_CHARS.test(value))
  .transform((value) => value || undefined);

function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const daySchema = z.string().trim().refine(isCalendarDay);

const searchSchema = z
  .string()
  .transform((value) =>
    value
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .trim()
      .slice(0, MAX_FILTER_LENGTH),
  )
  .transform((value) => value || undefined);

const sortSchema = z.string().transform((value, ctx): QueueSort => {
  const [field, dir] = value.split('.');
  if (!(QUEUE_SORT_FIELDS as readonly string[]).includes(field ?? '') || (dir !== 'asc' && dir !== 'desc')) {
    ctx.addIssue({ code: 'custom', message: 'Unknown sort.' });
    return z.NEVER;
  }
  return { field: field as QueueSortField, dir };
});

const pageSchema = z
  .string()
  .regex(/^\d{1,6}$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_QUEUE_PAGE));

const pageSizeSchema = z
  .string()
  .regex(/^\d{1,3}$/)
  .transform(Number)
  .refine((value) => (QUEUE_PAGE_SIZES as readonly number[]).includes(value));

export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

function firstValue(input: SearchParamsInput, name: string): string | undefined {
  if (input instanceof URLSearchParams) return input.get(name) ?? undefined;
  const value = input[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseOr<T>(schema: z.ZodType<T, string>, value: string | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}

/**
 * The queue's state from URL search params (Next's `searchParams` object or URLSearchParams). A value
 * that is missing, malformed or unknown falls back to its default, so a hand-edited or outdated link
 * still opens a working queue.
 */
export function parseQueueSearchParams(input: SearchParamsInput): QueueQuery {
  const get = (name: string) => firstValue(input, name);
  const d = DEFAULT_QUEUE_QUERY;
  const filters: QueueFilters = {
    status: parseOr(statusFilterSchema, get(QUEUE_PARAM.status), d.filters.status),
  };
  const text = {
    platform: parseOr(textFilterSchema, get(QUEUE_PARAM.platform), undefined),
    identity: parseOr(textFilterSchema, get(QUEUE_PARAM.identity), undefined),
    tone: parseOr(textFilterSchema, get(QUEUE_PARAM.tone), undefined),
    postType: parseOr(textFilterSchema, get(QUEUE_PARAM.postType), undefined),
    createdFrom: parseOr(daySchema, get(QUEUE_PARAM.createdFrom), undefined),
    createdTo: parseOr(daySchema, get(QUEUE_PARAM.createdTo), undefined),
    q: parseOr(searchSchema, get(QUEUE_PARAM.q), undefined),
  };
  for (const [key, value] of Object.entries(text))
    if (value !== undefined) filters[key as keyof typeof text] = value;
  return {
    filters,
    sort: parseOr(sortSchema, get(QUEUE_PARAM.sort), d.sort),
    page: parseOr(pageSchema, get(QUEUE_PARAM.page), d.page),
    pageSize: parseOr(pageSizeSchema, get(QUEUE_PARAM.pageSize), d.pageSize),
  };
}

/** The URL search params for a queue state, leaving out defaults (short, canonical links). */
export function serializeQueueQuery(query: QueueQuery): URLSearchParams {
  const params = new URLSearchParams();
  const d = DEFAULT_QUEUE_QUERY;
  const { filters } = query;
  if (filters.status !== d.filters.status) params.set(QUEUE_PARAM.status, filters.status);
  for (const key of ['platform', 'identity', 'tone', 'postType', 'createdFrom', 'createdTo', 'q'] as const) {
    const value = filters[key];
    if (value) params.set(QUEUE_PARAM[key], value);
  }
  if (query.sort.field !== d.sort.field || query.sort.dir !== d.sort.dir)
    params.set(QUEUE_PARAM.sort, `${query.sort.field}.${query.sort.dir}`);
  if (query.page !== d.page) params.set(QUEUE_PARAM.page, String(query.page));
  if (query.pageSize !== d.pageSize) params.set(QUEUE_PARAM.pageSize, String(query.pageSize));
  return params;
}

/** Whether a status filter selects workflow statuses, the unknown bucket, everything, or one exact value. */
export function statusFilterKind(status: StatusFilter): 'all' | 'unknown' | 'known' | 'exact' {
  if (status === STATUS_FILTER_ALL) return 'all';
  if (status === STATUS_FILTER_UNKNOWN) return 'unknown';
  return isPostStatus(status) ? 'known' : 'exact';
}

// ---------------------------------------------------------------------------------------------
// Reviewer actions (server actions and API share these)

export const MAX_NOTE_LENGTH = 2000;
export const MAX_CONTENT_LENGTH = 20_000;
export const MAX_BULK_ITEMS = 200;

const postIdSchema = z
  .string({ error: 'The post id is missing.' })
  .trim()
  .min(1, 'The post id is missing.')
  .max(200, 'The post id is too long.');

/** The console_version the reviewer saw; FormData sends it as text. */
const versionSchema = z.preprocess(
  (value) => (typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : value),
  z
    .number({ error: 'The post version is missing; reload the post.' })
    .int('The post version must be a whole number.')
    .min(0),
);

const optionalNoteSchema = z.preprocess(
  (value) => (value === null ? undefined : value),
  z
    .string()
    .max(MAX_NOTE_LENGTH, `Notes are limited to ${MAX_NOTE_LENGTH} characters.`)
    .optional()
    .transform((value) => value?.trim() || undefined),
);

const requiredNoteSchema = z
  .string({ error: 'A note is required to reject a post.' })
  .max(MAX_NOTE_LENGTH, `Notes are limited to ${MAX_NOTE_LENGTH} characters.`)
  .transform((value) => value.trim())
  .refine((value) => value.length > 0, 'A note is required to reject a post.');

/** submit, approve, revoke, reopen, mark posted, undo: the post, the version seen, an optional note. */
export const transitionInputSchema = z.object({
  postId: postIdSchema,
  version: versionSchema,
  note: optionalNoteSchema,
});
export type TransitionInput = z.input<typeof transitionInputSchema>;

export const rejectInputSchema = z.object({
  postId: postIdSchema,
  version: versionSchema,
  note: requiredNoteSchema,
});
export type RejectInput = z.input<typeof rejectInputSchema>;

export const editInputSchema = z.object({
  postId: postIdSchema,
  version: versionSchema,
  content: z
    .string({ error: 'The text is missing.' })
    .max(MAX_CONTENT_LENGTH, `Posts are limited to ${MAX_CONTENT_LENGTH} characters.`)
    .refine((value) => value.trim().length > 0, 'The text cannot be empty.'),
});
export type EditInput = z.input<typeof editInputSchema>;

const bulkItemSchema = z.object({ postId: postIdSchema, version: versionSchema });

export const bulkReviewInputSchema = z
  .object({
    action: z.enum(['approve', 'reject'], { error: 'Choose approve or reject.' }),
    // FormData can only carry the list as JSON text.
    items: z.preprocess(
      (value) => {
        if (typeof value !== 'string') return value;
        try {
          return JSON.parse(value) as unknown;
        } catch {
          return value;
        }
      },
      z
        .array(bulkItemSchema, { error: 'Select at least one post.' })
        .min(1, 'Select at least one post.')
        .max(MAX_BULK_ITEMS, `At most ${MAX_BULK_ITEMS} posts at once.`),
    ),
    note: optionalNoteSchema,
  })
  .superRefine((value, ctx) => {
    if (value.action === 'reject' && !value.note)
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'A note is required to reject a post.' });
    const seen = new Set<string>();
    for (const [index, item] of value.items.entries()) {
      if (seen.has(item.postId))
        ctx.addIssue({
          code: 'custom',
          path: ['items', index, 'postId'],
          message: 'This post is selected twice.',
        });
      seen.add(item.postId);
    }
  });
export type BulkReviewInput = z.input<typeof bulkReviewInputSchema>;

// ---------------------------------------------------------------------------------------------
// Agents' API

/** Statuses an agent may create a post in (record_post writes pending_review; draft is the column default). */
export const API_CREATE_STATUSES = ['pending_review', 'draft'] as const satisfies readonly PostStatus[];
export const MAX_METADATA_JSON_LENGTH = 64 * 1024;

const requiredText = (field: string, max: number) =>
  z
    .string({ error: `${field} is required.` })
    .trim()
    .min(1, `${field} is required.`)
    .max(max, `${field} is limited to ${max} characters.`);

const optionalText = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text.` })
    .max(max, `${field} is limited to ${max} characters.`)
    .nullish()
    .transform((value) => (value === undefined || value === null || value.trim() === '' ? null : value));

/** The body of POST /api/v1/posts: record_post's parameters, by the same names. */
export const apiCreatePostSchema = z.strictObject({
  platform: requiredText('platform', 50),
  post_type: requiredText('post_type', 50),
  content: z
    .string({ error: 'content is required.' })
    .max(MAX_CONTENT_LENGTH, `content is limited to ${MAX_CONTENT_LENGTH} characters.`)
    .refine((value) => value.trim().length > 0, 'content is required.'),
  identity: optionalText('identity', 200),
  target_url: optionalText('target_url', 2048),
  target_author: optionalText('target_author', 200),
  tone: optionalText('tone', 50),
  trigger_context: optionalText('trigger_context', 10_000),
  status: z
    .enum(API_CREATE_STATUSES, { error: `status must be one of: ${API_CREATE_STATUSES.join(', ')}.` })
    .default('pending_review'),
  metadata: z
    .record(z.string(), z.unknown(), { error: 'metadata must be a JSON object.' })
    .nullish()
    .refine(
      (value) =>
        value === undefined || value === null || JSON.stringify(value).length <= MAX_METADATA_JSON_LENGTH,
      {
        message: `metadata is limited to ${MAX_METADATA_JSON_LENGTH} bytes of JSON.`,
      },
    )
    .transform((value) => value ?? null),
});
export type ApiCreatePostInput = z.input<typeof apiCreatePostSchema>;
export type ApiCreatePost = z.output<typeof apiCreatePostSchema>;

/** Idempotency-Key header: printable ASCII, like the IETF draft's examples (UUIDs, ULIDs). */
export const idempotencyKeySchema = z
  .string()
  .regex(
    /^[\x21-\x7e]{1,255}$/,
    'The Idempotency-Key must be 1–255 printable ASCII characters without spaces.',
  );

// ---------------------------------------------------------------------------------------------

export type FieldErrors = Record<string, string[]>;

/** Zod issues as `{ "path.to.field": [messages] }` (root issues under "form"), as the UI shows them. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export { POST_STATUSES };
