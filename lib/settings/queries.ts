import 'server-only';
import { type Database, sql } from '@/db/database';
import { type Operator, listOperators } from '@/lib/auth/operators';
import { SESSION_IDLE_MS } from '@/lib/auth/sessions';
import { nowIso } from '@/lib/time/format';
import type { ActivityQuery } from './activity-params';
import { type ApiTokenListItem, listTokensWithCreators } from './api-tokens';

// The Settings screen's reads. They throw on failure (the segment's error.tsx shows it): an empty list
// during an outage would tell an admin there are no operators or tokens.

export interface OwnSession {
  /** A short, non-secret key for lists (part of the stored hash, never the cookie token). */
  key: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
}

interface SessionRow {
  id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
  ip: string | null;
}

/** The operator's live sessions (not revoked, expired or idle too long), the current one first. */
export async function getOwnSessions(
  db: Database,
  operatorId: number,
  currentSessionId: string | null,
  now = new Date(),
): Promise<OwnSession[]> {
  const idleCutoff = nowIso(new Date(now.getTime() - SESSION_IDLE_MS));
  const rows = await db.allPrimary<SessionRow>(
    sql`SELECT id, created_at, last_seen_at, expires_at, user_agent, ip FROM modules_console_sessions
      WHERE operator_id = ${operatorId} AND revoked_at IS NULL AND expires_at > ${nowIso(now)} AND last_seen_at > ${idleCutoff}
      ORDER BY last_seen_at DESC, created_at DESC`,
  );
  const sessions = rows.map((row) => ({
    key: String(row.id).slice(0, 12),
    current: row.id === currentSessionId,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    userAgent: row.user_agent,
    ip: row.ip,
  }));
  return sessions.toSorted((a, b) => Number(b.current) - Number(a.current));
}

export interface OperatorListItem extends Operator {
  activeSessions: number;
}

/** Every operator (by username) with how many live sessions they have. */
export async function getOperatorList(db: Database, now = new Date()): Promise<OperatorListItem[]> {
  const idleCutoff = nowIso(new Date(now.getTime() - SESSION_IDLE_MS));
  const [operators, counts] = await Promise.all([
    listOperators(db),
    db.all<{ operator_id: number; n: number }>(
      sql`SELECT operator_id, COUNT(*) AS n FROM modules_console_sessions
        WHERE revoked_at IS NULL AND expires_at > ${nowIso(now)} AND last_seen_at > ${idleCutoff}
        GROUP BY operator_id`,
    ),
  ]);
  const byOperator = new Map(counts.map((row) => [Number(row.operator_id), Number(row.n)]));
  return operators.map((operator) => ({ ...operator, activeSessions: byOperator.get(operator.id) ?? 0 }));
}

export function getApiTokens(db: Database, now = new Date()): Promise<ApiTokenListItem[]> {
  return listTokensWithCreators(db, { now });
}

export interface ActivityEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  /** detail_json as stored (compact JSON text), or null. */
  detail: string | null;
}

export interface ActivityPage {
  entries: ActivityEntry[];
  total: number;
  /** The page actually read: a page past the end is clamped to the last one. */
  page: number;
  pageSize: number;
}

/** The console's activity log, newest first, one page. */
export async function getActivityPage(db: Database, query: ActivityQuery): Promise<ActivityPage> {
  const countRow = await db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM modules_console_activity`);
  const total = Number(countRow?.n ?? 0);
  const lastPage = Math.max(1, Math.ceil(total / query.pageSize));
  const page = Math.min(query.page, lastPage);
  const rows = await db.all<{
    id: number;
    at: string;
    actor: string;
    action: string;
    target: string | null;
    detail_json: string | null;
  }>(
    sql`SELECT id, at, actor, action, target, detail_json FROM modules_console_activity
      ORDER BY at DESC, id DESC LIMIT ${query.pageSize} OFFSET ${(page - 1) * query.pageSize}`,
  );
  return {
    entries: rows.map((row) => ({
      id: Number(row.id),
      at: String(row.at),
      actor: String(row.actor),
      action: String(row.action),
      target: row.target === null ? null : String(row.target),
      detail: row.detail_json === null ? null : String(row.detail_json),
    })),
    total,
    page,
    pageSize: query.pageSize,
  };
}
