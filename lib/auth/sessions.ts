import crypto from 'node:crypto';
import { type Database, sql } from '@/db/database';
import { nowIso } from '@/lib/time/format';
import type { Operator } from './operators';
import type { Role } from './roles';

export const SESSION_COOKIE = 'fu_session';
/** Sessions last 12 hours of inactivity, and 7 days at most. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 5 * 60 * 1000;

/** Only a hash of the cookie's token is stored, so a leaked database does not leak sessions. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: Database,
  operatorId: number,
  meta: { userAgent?: string | null; ip?: string | null } = {},
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_MAX_MS);
  await db.run(sql`INSERT INTO modules_console_sessions (id, operator_id, created_at, expires_at, last_seen_at, user_agent, ip)
    VALUES (${hashToken(token)}, ${operatorId}, ${nowIso(now)}, ${nowIso(expiresAt)}, ${nowIso(now)}, ${meta.userAgent?.slice(0, 300) ?? null}, ${meta.ip ?? null})`);
  return { token, expiresAt };
}

interface SessionRow {
  session_id: string;
  expires_at: string;
  last_seen_at: string;
  revoked_at: string | null;
  id: number;
  username: string;
  display_name: string | null;
  role: Role;
  disabled_at: string | null;
  created_at: string;
}

/** The signed-in operator for a cookie token, or null when expired, idle too long, revoked or disabled. */
export async function getSessionOperator(
  db: Database,
  token: string | undefined,
  now = new Date(),
): Promise<Operator | null> {
  if (!token || token.length > 200) return null;
  const id = hashToken(token);
  const row = (
    await db.allPrimary<SessionRow>(sql`SELECT s.id AS session_id, s.expires_at, s.last_seen_at, s.revoked_at,
      o.id, o.username, o.display_name, o.role, o.disabled_at, o.created_at
      FROM modules_console_sessions s JOIN modules_console_operators o ON o.id = s.operator_id WHERE s.id = ${id}`)
  )[0];
  if (!row || row.revoked_at || row.disabled_at) return null;
  const t = now.getTime();
  const expiresAt = Date.parse(row.expires_at);
  const lastSeenAt = Date.parse(row.last_seen_at);
  // Written as `!(x > t)` so an unreadable time ends the session instead of making it eternal.
  if (!(expiresAt > t) || !(lastSeenAt + SESSION_IDLE_MS > t)) return null;
  if (lastSeenAt + TOUCH_EVERY_MS <= t) {
    await db.run(sql`UPDATE modules_console_sessions SET last_seen_at = ${nowIso(now)} WHERE id = ${id}`);
  }
  return {
    id: Number(row.id),
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabledAt: null,
    createdAt: row.created_at,
  };
}

export async function revokeSession(db: Database, token: string): Promise<void> {
  await db.run(
    sql`UPDATE modules_console_sessions SET revoked_at = ${nowIso()} WHERE id = ${hashToken(token)} AND revoked_at IS NULL`,
  );
}
