import { type Database, sql } from '@/db/database';
import { nowIso } from '@/lib/time/format';

/** 5 failed attempts per username, or 30 per address, within 15 minutes lock further attempts out. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_USER = 5;
export const MAX_FAILURES_PER_IP = 30;

export async function loginBlockedFor(
  db: Database,
  username: string,
  ip: string,
  now = new Date(),
): Promise<number> {
  const since = nowIso(new Date(now.getTime() - LOGIN_WINDOW_MS));
  const rows = await db.allPrimary<{ by_user: number; by_ip: number; oldest: string | null }>(sql`SELECT
      SUM(CASE WHEN username = ${username} THEN 1 ELSE 0 END) AS by_user,
      SUM(CASE WHEN ip = ${ip} THEN 1 ELSE 0 END) AS by_ip,
      MIN(attempted_at) AS oldest
    FROM modules_console_login_attempts
    WHERE succeeded = 0 AND attempted_at >= ${since} AND (username = ${username} OR ip = ${ip})`);
  const row = rows[0];
  if (!row) return 0;
  if (Number(row.by_user ?? 0) >= MAX_FAILURES_PER_USER || Number(row.by_ip ?? 0) >= MAX_FAILURES_PER_IP) {
    const oldest = row.oldest ? Date.parse(row.oldest) : now.getTime();
    return Math.max(1, Math.ceil((oldest + LOGIN_WINDOW_MS - now.getTime()) / 1000));
  }
  return 0;
}

export async function recordLoginAttempt(
  db: Database,
  username: string,
  ip: string,
  succeeded: boolean,
  now = new Date(),
): Promise<void> {
  await db.run(sql`INSERT INTO modules_console_login_attempts (username, ip, attempted_at, succeeded)
    VALUES (${username.slice(0, 100)}, ${ip}, ${nowIso(now)}, ${succeeded ? 1 : 0})`);
}
