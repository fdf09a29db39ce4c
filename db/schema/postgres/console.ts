import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, check, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { OPERATOR_ROLES } from '../enums';

// PostgreSQL twin of ../sqlite/console.ts.

const identity = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
const roleList = sql.raw(OPERATOR_ROLES.map((role) => `'${role}'`).join(', '));

export const consoleMeta = pgTable('modules_console_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const consoleOperators = pgTable(
  'modules_console_operators',
  {
    id: identity(),
    username: text('username').notNull().unique(),
    displayName: text('display_name'),
    role: text('role', { enum: OPERATOR_ROLES }).notNull(),
    passwordHash: text('password_hash').notNull(),
    disabledAt: text('disabled_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [check('modules_console_operators_role_check', sql`${t.role} IN (${roleList})`)],
);

export const consoleSessions = pgTable(
  'modules_console_sessions',
  {
    id: text('id').primaryKey(),
    operatorId: bigint('operator_id', { mode: 'number' })
      .notNull()
      .references((): AnyPgColumn => consoleOperators.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    revokedAt: text('revoked_at'),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [index('idx_console_sessions_operator').on(t.operatorId)],
);

export const consoleLoginAttempts = pgTable(
  'modules_console_login_attempts',
  {
    id: identity(),
    username: text('username').notNull(),
    ip: text('ip').notNull(),
    attemptedAt: text('attempted_at').notNull(),
    succeeded: integer('succeeded').notNull(),
  },
  (t) => [
    index('idx_console_login_attempts_user_time').on(t.username, t.attemptedAt),
    index('idx_console_login_attempts_ip_time').on(t.ip, t.attemptedAt),
  ],
);

export const consoleApiTokens = pgTable('modules_console_api_tokens', {
  id: identity(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  tokenPrefix: text('token_prefix').notNull(),
  scopes: text('scopes').notNull(),
  createdBy: bigint('created_by', { mode: 'number' }).references((): AnyPgColumn => consoleOperators.id, {
    onDelete: 'set null',
  }),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at'),
  lastUsedAt: text('last_used_at'),
  revokedAt: text('revoked_at'),
});

export const consoleActivity = pgTable(
  'modules_console_activity',
  {
    id: identity(),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    detailJson: text('detail_json'),
  },
  (t) => [index('idx_console_activity_at').on(t.at)],
);
