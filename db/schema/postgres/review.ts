import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, check, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { consoleApiTokens } from './console';

// PostgreSQL twin of ../sqlite/review.ts.

export const POST_HISTORY_ACTOR_KINDS = ['operator', 'token', 'direct', 'system'] as const;
export type PostHistoryActorKind = (typeof POST_HISTORY_ACTOR_KINDS)[number];

export const DIRECT_WRITE_ACTOR = 'direct database write';

const identity = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
const actorKindList = sql.raw(POST_HISTORY_ACTOR_KINDS.map((kind) => `'${kind}'`).join(', '));

export const consolePostHistory = pgTable(
  'modules_console_post_history',
  {
    id: identity(),
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

export const consoleIdempotencyKeys = pgTable(
  'modules_console_idempotency_keys',
  {
    id: identity(),
    tokenId: bigint('token_id', { mode: 'number' })
      .notNull()
      .references((): AnyPgColumn => consoleApiTokens.id, { onDelete: 'cascade' }),
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
