import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { OPERATOR_ROLES } from '../enums';

// The console's own tables (modules_console_*). Times are UTC ISO-8601 text: YYYY-MM-DDTHH:MM:SS.sssZ.

const roleList = sql.raw(OPERATOR_ROLES.map((role) => `'${role}'`).join(', '));

export const consoleMeta = sqliteTable('modules_console_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const consoleOperators = sqliteTable(
  'modules_console_operators',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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

export const consoleSessions = sqliteTable(
  'modules_console_sessions',
  {
    id: text('id').primaryKey(),
    operatorId: integer('operator_id')
      .notNull()
      .references((): AnySQLiteColumn => consoleOperators.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    revokedAt: text('revoked_at'),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [index('idx_console_sessions_operator').on(t.operatorId)],
);

export const consoleLoginAttempts = sqliteTable(
  'modules_console_login_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    ip: text('ip').notNull(),
    attemptedAt: text('attempted_at').notNull(),
    /** 1 or 0: an INTEGER column in both dialects, so the value reads the same everywhere. */
    succeeded: integer('succeeded').notNull(),
  },
  (t) => [
    index('idx_console_login_attempts_user_time').on(t.username, t.attemptedAt),
    index('idx_console_login_attempts_ip_time').on(t.ip, t.attemptedAt),
  ],
);

export const consoleApiTokens = sqliteTable('modules_console_api_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  tokenPrefix: text('token_prefix').notNull(),
  scopes: text('scopes').notNull(),
  createdBy: integer('created_by').references((): AnySQLiteColumn => consoleOperators.id, {
    onDelete: 'set null',
  }),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at'),
  lastUsedAt: text('last_used_at'),
  revokedAt: text('revoked_at'),
});

/** Append-only history of who did what (operators and agents). */
export const consoleActivity = sqliteTable(
  'modules_console_activity',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    detailJson: text('detail_json'),
  },
  (t) => [index('idx_console_activity_at').on(t.at)],
);

export type ConsoleMeta = typeof consoleMeta.$inferSelect;
export type NewConsoleMeta = typeof consoleMeta.$inferInsert;
export type Operator = typeof consoleOperators.$inferSelect;
export type NewOperator = typeof consoleOperators.$inferInsert;
export type OperatorSession = typeof consoleSessions.$inferSelect;
export type NewOperatorSession = typeof consoleSessions.$inferInsert;
export type LoginAttempt = typeof consoleLoginAttempts.$inferSelect;
export type NewLoginAttempt = typeof consoleLoginAttempts.$inferInsert;
export type ApiToken = typeof consoleApiTokens.$inferSelect;
export type NewApiToken = typeof consoleApiTokens.$inferInsert;
export type ActivityEntry = typeof consoleActivity.$inferSelect;
export type NewActivityEntry = typeof consoleActivity.$inferInsert;
