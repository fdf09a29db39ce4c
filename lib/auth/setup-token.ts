import crypto from 'node:crypto';
import { type Database, sql } from '@/db/database';
import { nowIso } from '@/lib/time/format';
import { countOperators } from './operators';
import { hashToken } from './sessions';

const KEY = 'first_admin_setup';
const VALID_MS = 24 * 60 * 60 * 1000;

/**
 * The first admin of a database without operators signs up through a one-time link printed by the
 * CLI at start ("no default passwords"). Only the token's hash is stored; a new link replaces the old.
 */
export async function issueSetupToken(db: Database, now = new Date()): Promise<string | null> {
  if ((await countOperators(db)) > 0) return null;
  const token = crypto.randomBytes(24).toString('base64url');
  const value = JSON.stringify({
    hash: hashToken(token),
    expiresAt: nowIso(new Date(now.getTime() + VALID_MS)),
  });
  await db.transaction([
    sql`DELETE FROM modules_console_meta WHERE key = ${KEY}`,
    sql`INSERT INTO modules_console_meta (key, value, updated_at) VALUES (${KEY}, ${value}, ${nowIso(now)})`,
  ]);
  return token;
}

export async function checkSetupToken(
  db: Database,
  token: string | undefined,
  now = new Date(),
): Promise<boolean> {
  if (!token) return false;
  const row = (
    await db.allPrimary<{ value: string }>(sql`SELECT value FROM modules_console_meta WHERE key = ${KEY}`)
  )[0];
  if (!row) return false;
  try {
    const { hash, expiresAt } = JSON.parse(row.value) as { hash: string; expiresAt: string };
    const given = Buffer.from(hashToken(token));
    return (
      given.length === Buffer.from(hash).length &&
      crypto.timingSafeEqual(given, Buffer.from(hash)) &&
      Date.parse(expiresAt) > now.getTime()
    );
  } catch {
    return false;
  }
}

export async function consumeSetupToken(db: Database): Promise<void> {
  await db.run(sql`DELETE FROM modules_console_meta WHERE key = ${KEY}`);
}
