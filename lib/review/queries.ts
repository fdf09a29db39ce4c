import 'server-only';
import { type Database, type Dialect, type Row, type SQL, sql } from '@/db/database';
import { timeAtOrAfter, timeBefore } from '@/lib/time/sql';
import {
  HISTORY_TABLE,
  POSTS_TABLE,
  POST_COLUMNS,
  type PostHistoryEntry,
  type ReviewPost,
  readHistory,
  readPost,
  toHistoryEntry,
  toReviewPost,
} from './post-records';
import { type QueueFilters, type QueueQuery, type QueueSort, statusFilterKind } from './validations';
import { POST_STATUSES, type ReviewAction, allowedActions, isPostStatus, statusLabel } from './workflow';

// Reads of the review queue. Every list is paginated or bounded on the server; filters and sort come
// from parseQueueSearchParams (validations.ts), so nothing here interpolates user text into SQL.

const EXCERPT_LENGTH = 280;

/** A queue table row: the post without its full text. */
export interface QueueRow {
  id: number;
  postId: string;
  platform: string;
  postType: string;
  identity: string | null;
  tone: string | null;
  targetUrl: string | null;
  targetAuthor: string | null;
  status: string | null;
  /** As stored: `YYYY-MM-DD HH:MM:SS` UTC from the agents. */
  createdAt: string | null;
  version: number;
  /** The first 280 characters of the content. */
  excerpt: string;
  contentLength: number;
}

const QUEUE_COLUMNS = sql.raw(
  `id, post_id, platform, post_type, identity, tone, target_url, target_author, status, created_at, console_version, substr(content, 1, ${EXCERPT_LENGTH}) AS excerpt, length(content) AS content_length`,
);

function toQueueRow(row: Row): QueueRow {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    id: Number(row.id),
    postId: String(row.post_id),
    platform: String(row.platform),
    postType: String(row.post_type),
    identity: text(row.identity),
    tone: text(row.tone),
    targetUrl: text(row.target_url),
    targetAuthor: text(row.target_author),
    status: text(row.status),
    createdAt: text(row.created_at),
    version: Number(row.console_version ?? 0),
    excerpt: String(row.excerpt ?? ''),
    contentLength: Number(row.content_length ?? 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Filters

/** A LIKE pattern matching `text` literally anywhere (%, _ and \ escaped; use with ESCAPE '\'). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

function statusCondition(status: string): SQL | null {
  switch (statusFilterKind(status)) {
    case 'all':
      return null;
    case 'unknown':
      return sql`(status IS NULL OR status NOT IN (${sql.join(
        POST_STATUSES.map((s) => sql`${s}`),
        sql`, `,
      )}))`;
    default:
      return sql`status = ${status}`;
  }
}

function nextDay(day: string): Date {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

function filterConditions(
  dialect: Dialect,
  filters: QueueFilters,
  options: { status?: boolean } = {},
): SQL[] {
  const conditions: SQL[] = [];
  if (options.status ?? true) {
    const status = statusCondition(filters.status);
    if (status) conditions.push(status);
  }
  if (filters.platform) conditions.push(sql`platform = ${filters.platform}`);
  if (filters.identity) conditions.push(sql`identity = ${filters.identity}`);
  if (filters.tone) conditions.push(sql`tone = ${filters.tone}`);
  if (filters.postType) conditions.push(sql`post_type = ${filters.postType}`);
  // Calendar days in UTC; the helpers compare both stored forms (agents' space form, ISO T form).
  if (filters.createdFrom)
    conditions.push(timeAtOrAfter(sql`created_at`, new Date(`${filters.createdFrom}T00:00:00Z`)));
  if (filters.createdTo) conditions.push(timeBefore(sql`created_at`, nextDay(filters.createdTo)));
  if (filters.q) {
    // Case-insensitive on both: SQLite's LIKE folds ASCII case (only ASCII), PostgreSQL needs ILIKE.
    const like = sql.raw(dialect === 'postgres' ? 'ILIKE' : 'LIKE');
    const pattern = containsPattern(filters.q);
    conditions.push(
      sql`(content ${like} ${pattern} ESCAPE '\\' OR target_url ${like} ${pattern} ESCAPE '\\' OR target_author ${like} ${pattern} ESCAPE '\\')`,
    );
  }
  return conditions;
}

function where(conditions: readonly SQL[]): SQL {
  return conditions.length > 0 ? sql` WHERE ${sql.join([...conditions], sql` AND `)}` : sql``;
}

// ---------------------------------------------------------------------------------------------
// Sort (and keyset neighbours in that order)

interface SortKey {
  column: 'created_at' | 'platform' | 'identity' | 'id';
  nullable: boolean;
  dir: 'asc' | 'desc';
}

/** The full, deterministic order of a sort: ties broken by newest first, then id. */
function sortKeys(sort: QueueSort): SortKey[] {
  const id = (dir: 'asc' | 'desc'): SortKey => ({ column: 'id', nullable: false, dir });
  switch (sort.field) {
    case 'created_at':
      return [{ column: 'created_at', nullable: true, dir: sort.dir }, id(sort.dir)];
    case 'platform':
      return [
        { column: 'platform', nullable: false, dir: sort.dir },
        { column: 'created_at', nullable: true, dir: 'desc' },
        id('desc'),
      ];
    case 'identity':
      return [
        { column: 'identity', nullable: true, dir: sort.dir },
        { column: 'created_at', nullable: true, dir: 'desc' },
        id('desc'),
      ];
  }
}

// Plain ASC/DESC so the (status, created_at) index serves the default queue. NULLs then sort as each
// engine does by default: smallest in SQLite, largest in PostgreSQL; the keyset code follows suit.
function orderBy(keys: readonly SortKey[], reverse = false): SQL {
  return sql.raw(
    keys.map((key) => `${key.column} ${(key.dir === 'asc') !== reverse ? 'ASC' : 'DESC'}`).join(', '),
  );
}

const NEVER = sql`1 = 0`;

/** Rows whose key is strictly greater (`greater`) or smaller than `value`, with the engine's NULL order. */
function compareKey(key: SortKey, value: unknown, greater: boolean, nullsLargest: boolean): SQL {
  const column = sql.raw(key.column);
  if (value === null || value === undefined) {
    // Beyond NULL lie the non-NULL values only on the side where NULL is not the extreme.
    return greater === nullsLargest ? NEVER : sql`${column} IS NOT NULL`;
  }
  const compared = greater ? sql`${column} > ${value}` : sql`${column} < ${value}`;
  // NULLs lie beyond every value on the side where NULL is the extreme.
  return key.nullable && greater === nullsLargest ? sql`(${compared} OR ${column} IS NULL)` : compared;
}

function equalKey(key: SortKey, value: unknown): SQL {
  const column = sql.raw(key.column);
  return value === null || value === undefined ? sql`${column} IS NULL` : sql`${column} = ${value}`;
}

/** Rows after (`forward`) or before the cursor row in the order of `keys`. */
function keysetCondition(
  keys: readonly SortKey[],
  cursor: Row,
  forward: boolean,
  nullsLargest: boolean,
): SQL {
  const alternatives = keys.map((key, index) => {
    const equalPrefix = keys.slice(0, index).map((prefix) => equalKey(prefix, cursor[prefix.column]));
    const greater = (key.dir === 'asc') === forward;
    return sql.join([...equalPrefix, compareKey(key, cursor[key.column], greater, nullsLargest)], sql` AND `);
  });
  return sql`(${sql.join(
    alternatives.map((alternative) => sql`(${alternative})`),
    sql` OR `,
  )})`;
}

// ---------------------------------------------------------------------------------------------
// Queue page, counts, live updates

export interface QueuePage {
  rows: QueueRow[];
  total: number;
  /** The page actually returned (a page past the end is clamped to the last one). */
  page: number;
  pageSize: number;
  pageCount: number;
  /** The highest post id when the page was read: pass it to countNewPostsSince. */
  newestId: number;
}

export async function getQueuePage(db: Database, query: QueueQuery): Promise<QueuePage> {
  const filterSql = where(filterConditions(db.dialect, query.filters));
  const order = orderBy(sortKeys(query.sort));
  const pageRows = (page: number) =>
    db.all(
      sql`SELECT ${QUEUE_COLUMNS} FROM ${POSTS_TABLE}${filterSql} ORDER BY ${order} LIMIT ${query.pageSize} OFFSET ${(page - 1) * query.pageSize}`,
    );
  const [countRow, newestRow, firstTry] = await Promise.all([
    db.get<{ total: number }>(sql`SELECT COUNT(*) AS total FROM ${POSTS_TABLE}${filterSql}`),
    db.get<{ newest: number | null }>(sql`SELECT MAX(id) AS newest FROM ${POSTS_TABLE}`),
    pageRows(query.page),
  ]);
  const total = Number(countRow?.total ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / query.pageSize));
  let page = query.page;
  let rows = firstTry;
  if (page > pageCount) {
    page = pageCount;
    rows = await pageRows(page);
  }
  return {
    rows: rows.map(toQueueRow),
    total,
    page,
    pageSize: query.pageSize,
    pageCount,
    newestId: Number(newestRow?.newest ?? 0),
  };
}

export interface StatusCount {
  /** The stored value (NULL as null). */
  status: string | null;
  label: string;
  known: boolean;
  count: number;
}

export interface StatusCounts {
  /** Workflow statuses first (always present, possibly 0), then unknown values by count. */
  statuses: StatusCount[];
  all: number;
  unknown: number;
}

/** Counts per status for the tabs, under the current filters other than status. */
export async function getStatusCounts(
  db: Database,
  filters: QueueFilters = { status: 'all' },
): Promise<StatusCounts> {
  const rows = await db.all<{ status: string | null; count: number }>(
    sql`SELECT status, COUNT(*) AS count FROM ${POSTS_TABLE}${where(filterConditions(db.dialect, filters, { status: false }))} GROUP BY status`,
  );
  const byStatus = new Map(rows.map((row) => [row.status, Number(row.count)]));
  const known: StatusCount[] = POST_STATUSES.map((status) => ({
    status,
    label: statusLabel(status),
    known: true,
    count: byStatus.get(status) ?? 0,
  }));
  const unknown: StatusCount[] = rows
    .filter((row) => !isPostStatus(row.status))
    .map((row) => ({
      status: row.status,
      label: statusLabel(row.status),
      known: false,
      count: Number(row.count),
    }))
    .toSorted((a, b) => b.count - a.count || String(a.status).localeCompare(String(b.status)));
  const sum = (list: StatusCount[]) => list.reduce((total, entry) => total + entry.count, 0);
  return { statuses: [...known, ...unknown], all: sum(known) + sum(unknown), unknown: sum(unknown) };
}

/** Posts matching the filters that arrived after `afterId` (QueuePage.newestId): "N new posts". */
export async function countNewPostsSince(
  db: Database,
  filters: QueueFilters,
  afterId: number,
): Promise<number> {
  const row = await db.get<{ count: number }>(
    sql`SELECT COUNT(*) AS count FROM ${POSTS_TABLE}${where([...filterConditions(db.dialect, filters), sql`id > ${afterId}`])}`,
  );
  return Number(row?.count ?? 0);
}

export interface NeighbourIds {
  previous: string | null;
  next: string | null;
}

/**
 * The posts before and after `postId` in the filtered, sorted queue (j/k). Works from the post's
 * position even when it no longer matches the filters (just approved out of the pending tab), so
 * "next" is still the one that followed it. Null when the post does not exist.
 */
export async function getNeighbourPostIds(
  db: Database,
  query: Pick<QueueQuery, 'filters' | 'sort'>,
  postId: string,
): Promise<NeighbourIds | null> {
  const cursor = await db.get(
    sql`SELECT id, platform, identity, created_at FROM ${POSTS_TABLE} WHERE post_id = ${postId}`,
  );
  if (!cursor) return null;
  const keys = sortKeys(query.sort);
  const nullsLargest = db.dialect === 'postgres';
  const filters = filterConditions(db.dialect, query.filters);
  const neighbour = (forward: boolean) =>
    db.get<{ post_id: string }>(
      sql`SELECT post_id FROM ${POSTS_TABLE}${where([...filters, keysetCondition(keys, cursor, forward, nullsLargest)])}
          ORDER BY ${orderBy(keys, !forward)} LIMIT 1`,
    );
  const [previous, next] = await Promise.all([neighbour(false), neighbour(true)]);
  return { previous: previous?.post_id ?? null, next: next?.post_id ?? null };
}

// ---------------------------------------------------------------------------------------------
// One post

export interface PostDetail {
  post: ReviewPost;
  /** Oldest first. */
  history: PostHistoryEntry[];
  /** What an operator may do now (empty for unknown statuses). */
  actions: ReviewAction[];
}

export async function getPostDetail(db: Database, postId: string): Promise<PostDetail | null> {
  const [post, history] = await Promise.all([readPost(db, postId), readHistory(db, postId)]);
  if (!post) return null;
  return { post, history, actions: allowedActions(post.status) };
}

export async function getPost(db: Database, postId: string): Promise<ReviewPost | null> {
  return readPost(db, postId);
}

export async function getPostHistory(db: Database, postId: string): Promise<PostHistoryEntry[]> {
  return readHistory(db, postId);
}

/** Recent history across all posts (newest first), e.g. for the activity timeline. */
export async function getRecentHistory(
  db: Database,
  options: { limit?: number; beforeId?: number } = {},
): Promise<PostHistoryEntry[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const before = options.beforeId === undefined ? sql`` : sql` WHERE id < ${options.beforeId}`;
  const rows = await db.all(sql`SELECT * FROM ${HISTORY_TABLE}${before} ORDER BY id DESC LIMIT ${limit}`);
  return rows.map(toHistoryEntry);
}

/** The identity's latest posts (any status), newest first, for context in the focus view. */
export async function getIdentityRecentPosts(
  db: Database,
  identity: string,
  options: { excludePostId?: string; limit?: number } = {},
): Promise<QueueRow[]> {
  const limit = Math.min(Math.max(options.limit ?? 10, 1), 100);
  const exclude = options.excludePostId === undefined ? sql`` : sql` AND post_id <> ${options.excludePostId}`;
  const rows = await db.all(
    sql`SELECT ${QUEUE_COLUMNS} FROM ${POSTS_TABLE} WHERE identity = ${identity}${exclude} ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
  );
  return rows.map(toQueueRow);
}

// ---------------------------------------------------------------------------------------------
// Filter choices and the agents' API list

export interface QueueFilterOptions {
  platforms: string[];
  identities: string[];
  tones: string[];
  postTypes: string[];
}

const MAX_OPTIONS = 200;
/** tone and post_type have no index, so the distinct values are a table scan: reuse them briefly. */
export const FILTER_OPTIONS_MAX_AGE_MS = 60_000;
const filterOptionsCache = new WeakMap<Database, { at: number; value: Promise<QueueFilterOptions> }>();

async function readQueueFilterOptions(db: Database): Promise<QueueFilterOptions> {
  const distinct = async (column: 'platform' | 'identity' | 'tone' | 'post_type') => {
    const name = sql.raw(column);
    const rows = await db.all<{ value: string }>(
      sql`SELECT DISTINCT ${name} AS value FROM ${POSTS_TABLE} WHERE ${name} IS NOT NULL ORDER BY ${name} LIMIT ${MAX_OPTIONS}`,
    );
    return rows.map((row) => String(row.value));
  };
  const [platforms, identities, tones, postTypes] = await Promise.all([
    distinct('platform'),
    distinct('identity'),
    distinct('tone'),
    distinct('post_type'),
  ]);
  return { platforms, identities, tones, postTypes };
}

/**
 * Distinct values for the filter menus (at most 200 each), cached per database for
 * FILTER_OPTIONS_MAX_AGE_MS (pass maxAgeMs: 0 for a fresh read). A failed read is not cached.
 */
export function getQueueFilterOptions(
  db: Database,
  options: { maxAgeMs?: number } = {},
): Promise<QueueFilterOptions> {
  const maxAge = options.maxAgeMs ?? FILTER_OPTIONS_MAX_AGE_MS;
  const cached = filterOptionsCache.get(db);
  if (cached && Date.now() - cached.at < maxAge) return cached.value;
  const value = readQueueFilterOptions(db);
  const entry = { at: Date.now(), value };
  filterOptionsCache.set(db, entry);
  value.catch(() => {
    if (filterOptionsCache.get(db) === entry) filterOptionsCache.delete(db);
  });
  return value;
}

export const MAX_API_LIST_LIMIT = 200;

/**
 * Posts in one status, oldest first, paged by id (`afterId` = the last id of the previous page): the
 * publishing agent's "what is approved?" poll. Stable while new posts arrive.
 */
export async function listPostsByStatus(
  db: Database,
  options: { status: string; platform?: string; afterId?: number; limit?: number },
): Promise<{ posts: ReviewPost[]; nextAfterId: number | null }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), MAX_API_LIST_LIMIT);
  const conditions: SQL[] = [sql`status = ${options.status}`];
  if (options.platform) conditions.push(sql`platform = ${options.platform}`);
  if (options.afterId !== undefined) conditions.push(sql`id > ${options.afterId}`);
  const rows = await db.all(
    sql`SELECT ${POST_COLUMNS} FROM ${POSTS_TABLE}${where(conditions)} ORDER BY id LIMIT ${limit + 1}`,
  );
  const posts = rows.slice(0, limit).map(toReviewPost);
  return { posts, nextAfterId: rows.length > limit ? (posts.at(-1)?.id ?? null) : null };
}
