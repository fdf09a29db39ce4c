import { sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  check,
  index,
  integer,
  sqliteTable,
  text,
  unique,
} from 'drizzle-orm/sqlite-core';
import { consoleApiTokens } from './console';

// The review queue's own tables (migration 0001_review_workflow). The three console_* columns it adds
// to agents_social_posts are declared with that table in ./agents.ts.

/**
 * Who made a history entry: a signed-in operator, an API token (agent), a direct database write (the
 * agents' own SQL, recorded by triggers) or the console itself.
 */
export const POST_HISTORY_ACTOR_KINDS = ['operator', 'token', 'direct', 'system'] as const;
export type PostHistoryActorKind = (typeof POST_HISTORY_ACTOR_KINDS)[number];

/** The actor name the triggers record for writes that did not go through the console. */
export const DIRECT_WRITE_ACTOR = 'direct database write';

const actorKindList = sql.raw(POST_HISTORY_ACTOR_KINDS.map((kind) => `'${kind}'`).join(', '));

/**
 * Append-only record of every transition and edit of agents_social_posts (triggers refuse UPDATE and
 * DELETE). `version` is the post's console_version after the change; `at` is UTC ISO-8601 with Z.
 */
export const consolePostHistory = sqliteTable(
  'modules_console_post_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    postId: text('post_id').notNull(),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    actorKind: text('actor_kind', { enum: POST_HISTORY_ACTOR_KINDS }).notNull(),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    note: text('note'),
    contentBefore: text('content_before'),
    contentAfter: text('content_after'),
    version: integer('version').notNull(),
  },
  (t) => [
    index('idx_console_post_history_post').on(t.postId, t.id),
    index('idx_console_post_history_at').on(t.at),
    check('modules_console_post_history_actor_kind_check', sql`${t.actorKind} IN (${actorKindList})`),
  ],
);

/** API create requests by (token, Idempotency-Key): a replay with the same body gets the same post. */
export const consoleIdempotencyKeys = sqliteTable(
  'modules_console_idempotency_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tokenId: integer('token_id')
      .notNull()
      .references((): AnySQLiteColumn => consoleApiTokens.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseJson: text('response_json').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [unique().on(t.tokenId, t.key)],
);

export type PostHistoryEntry = typeof consolePostHistory.$inferSelect;
export type NewPostHistoryEntry = typeof consolePostHistory.$inferInsert;
export type IdempotencyKey = typeof consoleIdempotencyKeys.$inferSelect;
export type NewIdempotencyKey = typeof consoleIdempotencyKeys.$inferInsert;
