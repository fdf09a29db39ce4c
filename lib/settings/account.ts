import { type Database, sql } from '@/db/database';
import { type Operator, findOperatorForLogin } from '@/lib/auth/operators';
import { PasswordPolicyError, checkPasswordPolicy, hashPassword, verifyPassword } from '@/lib/auth/password';
import { loginBlockedFor, recordLoginAttempt } from '@/lib/auth/rate-limit';
import { SESSION_IDLE_MS } from '@/lib/auth/sessions';
import { fieldErrorsOf } from '@/lib/review/validations';
import { nowIso } from '@/lib/time/format';
import { type SettingsResult, failure } from './results';
import { type ChangeOwnPasswordInput, changeOwnPasswordSchema } from './validations';

// What every operator may do to their own account: change their password and end their other sessions.
// `keepSessionId` is the stored id (hash) of the session making the request, which stays signed in.

class PasswordChangedMeanwhile extends Error {}

/**
 * The operator's other live sessions (not revoked, not expired, not idle too long). Dead ones cannot
 * come back, so only live ones are ended and counted.
 */
function otherLiveSessions(operatorId: number, keepSessionId: string | null, now: Date) {
  const idleCutoff = nowIso(new Date(now.getTime() - SESSION_IDLE_MS));
  return sql`operator_id = ${operatorId} AND revoked_at IS NULL AND id <> ${keepSessionId ?? ''}
    AND expires_at > ${nowIso(now)} AND last_seen_at > ${idleCutoff}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Changes the operator's own password. The current password is required (and wrong guesses count
 * against the sign-in rate limit, so a borrowed session cannot be used to brute-force it); the new one
 * must pass the policy; every other session of the operator is ended, the requesting one is kept.
 */
export async function changeOwnPassword(
  db: Database,
  operator: Operator,
  input: ChangeOwnPasswordInput,
  options: { keepSessionId: string | null; ip?: string },
): Promise<SettingsResult<{ endedSessions: number }>> {
  const parsed = changeOwnPasswordSchema.safeParse(input);
  if (!parsed.success)
    return failure('validation', 'Some fields need attention.', fieldErrorsOf(parsed.error));
  const { currentPassword, newPassword } = parsed.data;
  const ip = options.ip ?? 'local';

  const wait = await loginBlockedFor(db, operator.username, ip);
  if (wait > 0) {
    return failure(
      'rate_limited',
      `Too many wrong passwords. Try again in ${Math.ceil(wait / 60)} minute(s).`,
    );
  }
  const stored = await findOperatorForLogin(db, operator.username);
  if (!stored || stored.id !== operator.id || stored.disabledAt)
    return failure('not_found', 'Your account is no longer active.');
  if (!(await verifyPassword(currentPassword, stored.passwordHash))) {
    await recordLoginAttempt(db, operator.username, ip, false);
    const message = 'The current password is wrong.';
    return failure('wrong_password', message, { currentPassword: [message] });
  }
  try {
    checkPasswordPolicy(newPassword, operator.username);
  } catch (error) {
    if (error instanceof PasswordPolicyError)
      return failure('validation', error.message, { newPassword: [error.message] });
    throw error;
  }
  if (newPassword === currentPassword) {
    const message = 'The new password must differ from the current one.';
    return failure('validation', message, { newPassword: [message] });
  }

  const hash = await hashPassword(newPassword);
  const at = new Date();
  const now = nowIso(at);
  let results;
  try {
    results = await db.transaction([
      // Guard: the hash the current password was checked against is still the stored one.
      sql`UPDATE modules_console_operators SET password_hash = ${hash}, updated_at = ${now}
        WHERE id = ${operator.id} AND password_hash = ${stored.passwordHash} AND disabled_at IS NULL RETURNING id`,
      (previous) => {
        if (previous[0]!.rows.length === 0) throw new PasswordChangedMeanwhile();
        return sql`UPDATE modules_console_sessions SET revoked_at = ${now} WHERE ${otherLiveSessions(operator.id, options.keepSessionId, at)}`;
      },
      (previous) =>
        sql`INSERT INTO modules_console_activity (at, actor, action, target, detail_json)
          VALUES (${now}, ${`operator:${operator.username}`}, 'operator.password_change', ${operator.username}, ${JSON.stringify({ endedSessions: previous[1]!.changes })})`,
    ]);
  } catch (error) {
    if (error instanceof PasswordChangedMeanwhile) {
      return failure(
        'conflict',
        'Your password was changed elsewhere in the meantime; nothing was changed here. Reload and try again.',
      );
    }
    throw error;
  }
  const endedSessions = results[1]!.changes;
  return {
    ok: true,
    message:
      endedSessions > 0
        ? `Password changed. ${plural(endedSessions, 'other session')} signed out.`
        : 'Password changed.',
    data: { endedSessions },
  };
}

/** Ends every session of the operator except the requesting one. */
export async function signOutOtherSessions(
  db: Database,
  operator: Operator,
  options: { keepSessionId: string | null },
): Promise<SettingsResult<{ endedSessions: number }>> {
  const at = new Date();
  const now = nowIso(at);
  const results = await db.transaction([
    sql`UPDATE modules_console_sessions SET revoked_at = ${now} WHERE ${otherLiveSessions(operator.id, options.keepSessionId, at)}`,
    (previous) =>
      previous[0]!.changes === 0
        ? null
        : sql`INSERT INTO modules_console_activity (at, actor, action, target, detail_json)
          VALUES (${now}, ${`operator:${operator.username}`}, 'session.sign_out_others', ${operator.username}, ${JSON.stringify({ endedSessions: previous[0]!.changes })})`,
  ]);
  const endedSessions = results[0]!.changes;
  return {
    ok: true,
    message:
      endedSessions > 0
        ? `${plural(endedSessions, 'other session')} signed out.`
        : 'There were no other sessions to sign out.',
    data: { endedSessions },
  };
}
