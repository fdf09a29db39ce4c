import { type Database, type Row, type SQL, sql } from '@/db/database';
import {
  DIRECT_WRITE_ACTOR,
  POST_HISTORY_ACTOR_KINDS,
  type PostHistoryActorKind,
} from '@/db/schema/sqlite/review';

// Rows of agents_social_posts and modules_console_post_history as the review code sees them, and the
// few statements the reads (queries.ts) and the writes (transitions.ts, create-post.ts) share. No
// 'server-only' here: the CLI (seed, tokens) and the API's write paths import it too.

export { DIRECT_WRITE_ACTOR, POST_HISTORY_ACTOR_KINDS, type PostHistoryActorKind };

/**
 * One agents_social_posts row. Timestamps are the stored text, untouched: created_at is
 * `YYYY-MM-DD HH:MM:SS` (UTC); reviewed_at/posted_at are the agents' local naive isoformat or, when
 * the console wrote them, UTC `YYYY-MM-DDTHH:MM:SS.sssZ`. Read them with parseDbTime (lib/time/format).
 */
export interface ReviewPost {
  id: number;
  postId: string;
  platform: string;
  postType: string;
  identity: string | null;
  targetUrl: string | null;
  targetAuthor: string | null;
  content: string;
  tone: string | null;
  triggerContext: string | null;
  /** Any text the agents wrote (or NULL); see workflow.ts for the statuses the console acts on. */
  status: string | null;
  reviewNotes: string | null;
  reviewedAt: string | null;
  postedAt: string | null;
  createdAt: string | null;
  /** The JSON text the agent stored (possibly invalid JSON). */
  metadata: string | null;
  /** Optimistic-concurrency marker: bumped by every console write and (by trigger) every direct write. */
  version: number;
  /** Who last changed the row through the console, or 'direct database write'. */
  consoleActor: string | null;
  consoleUpdatedAt: string | null;
}

export interface PostHistoryEntry {
  id: number;
  postId: string;
  at: string;
  actor: string;
  actorKind: PostHistoryActorKind;
  /** created, submit, approve, reject, revoke, reopen, mark_posted, edit, undo; direct writes also status_change, note. */
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  contentBefore: string | null;
  contentAfter: string | null;
  version: number;
}

export const POSTS_TABLE = sql.raw('agents_social_posts');
export const HISTORY_TABLE = sql.raw('modules_console_post_history');

/** The columns of a ReviewPost (SELECT list; also usable as RETURNING list). */
export const POST_COLUMNS = sql.raw(
  'id, post_id, platform, post_type, identity, target_url, target_author, content, tone, trigger_context, status, review_notes, reviewed_at, posted_at, created_at, metadata, console_version, console_actor, console_updated_at',
);

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

function int(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

export function toReviewPost(row: Row): ReviewPost {
  return {
    id: int(row.id),
    postId: String(row.post_id),
    platform: String(row.platform),
    postType: String(row.post_type),
    identity: text(row.identity),
    targetUrl: text(row.target_url),
    targetAuthor: text(row.target_author),
    content: String(row.content ?? ''),
    tone: text(row.tone),
    triggerContext: text(row.trigger_context),
    status: text(row.status),
    reviewNotes: text(row.review_notes),
    reviewedAt: text(row.reviewed_at),
    postedAt: text(row.posted_at),
    createdAt: text(row.created_at),
    metadata: text(row.metadata),
    version: int(row.console_version),
    consoleActor: text(row.console_actor),
    consoleUpdatedAt: text(row.console_updated_at),
  };
}

function toActorKind(value: unknown): PostHistoryActorKind {
  return (POST_HISTORY_ACTOR_KINDS as readonly unknown[]).includes(value)
    ? (value as PostHistoryActorKind)
    : 'system';
}

export function toHistoryEntry(row: Row): PostHistoryEntry {
  return {
    id: int(row.id),
    postId: String(row.post_id),
    at: String(row.at),
    actor: String(row.actor),
    actorKind: toActorKind(row.actor_kind),
    action: String(row.action),
    fromStatus: text(row.from_status),
    toStatus: text(row.to_status),
    note: text(row.note),
    contentBefore: text(row.content_before),
    contentAfter: text(row.content_after),
    version: int(row.version),
  };
}

export interface NewHistoryEntry {
  postId: string;
  at: string;
  actor: string;
  actorKind: Exclude<PostHistoryActorKind, 'direct'>;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  note?: string | null;
  contentBefore?: string | null;
  contentAfter?: string | null;
  version: number;
}

/** The INSERT of one console-written history row (run in the same transaction as the change). */
export function insertHistory(entry: NewHistoryEntry): SQL {
  return sql`INSERT INTO ${HISTORY_TABLE} (post_id, at, actor, actor_kind, action, from_status, to_status, note, content_before, content_after, version)
    VALUES (${entry.postId}, ${entry.at}, ${entry.actor}, ${entry.actorKind}, ${entry.action}, ${entry.fromStatus}, ${entry.toStatus},
            ${entry.note ?? null}, ${entry.contentBefore ?? null}, ${entry.contentAfter ?? null}, ${entry.version})`;
}

export async function readPost(
  db: Database,
  postId: string,
  options: { primary?: boolean } = {},
): Promise<ReviewPost | null> {
  const query = sql`SELECT ${POST_COLUMNS} FROM ${POSTS_TABLE} WHERE post_id = ${postId}`;
  const rows = options.primary ? await db.allPrimary(query) : await db.all(query);
  return rows[0] ? toReviewPost(rows[0]) : null;
}

export async function readHistory(
  db: Database,
  postId: string,
  options: { primary?: boolean } = {},
): Promise<PostHistoryEntry[]> {
  const query = sql`SELECT * FROM ${HISTORY_TABLE} WHERE post_id = ${postId} ORDER BY id`;
  const rows = options.primary ? await db.allPrimary(query) : await db.all(query);
  return rows.map(toHistoryEntry);
}

/** Where a post stands now and who put it there: what a losing writer is told. */
export interface PostCurrentState {
  status: string | null;
  version: number;
  /** The last history entry's actor (or the row's console_actor when there is no history). */
  actor: string | null;
  actorKind: PostHistoryActorKind | null;
  /** UTC ISO-8601 time of that change, when known. */
  at: string | null;
  /** The last history entry's action (approve, edit, ...), when known. */
  action: string | null;
}

/** The post and its current state, read from the primary (this follows a write). */
export async function readCurrentState(
  db: Database,
  postId: string,
): Promise<{ post: ReviewPost; current: PostCurrentState } | null> {
  const post = await readPost(db, postId, { primary: true });
  if (!post) return null;
  const last = (
    await db.allPrimary(
      sql`SELECT * FROM ${HISTORY_TABLE} WHERE post_id = ${postId} ORDER BY id DESC LIMIT 1`,
    )
  ).map(toHistoryEntry)[0];
  const current: PostCurrentState = last
    ? {
        status: post.status,
        version: post.version,
        actor: last.actor,
        actorKind: last.actorKind,
        at: last.at,
        action: last.action,
      }
    : {
        status: post.status,
        version: post.version,
        actor: post.consoleActor,
        actorKind: post.consoleActor === DIRECT_WRITE_ACTOR ? 'direct' : null,
        at: post.consoleUpdatedAt,
        action: null,
      };
  return { post, current };
}
