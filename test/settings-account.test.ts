import { expect, it } from 'vitest';
import { sql } from '@/db/database';
import { type Operator, createOperator, findOperatorForLogin } from '@/lib/auth/operators';
import { verifyPassword } from '@/lib/auth/password';
import { MAX_FAILURES_PER_USER } from '@/lib/auth/rate-limit';
import {
  SESSION_IDLE_MS,
  createSession,
  getSessionOperator,
  hashToken,
  revokeSession,
} from '@/lib/auth/sessions';
import { changeOwnPassword, signOutOtherSessions } from '@/lib/settings/account';
import { getOwnSessions } from '@/lib/settings/queries';
import { describeEachDatabase } from './support/databases';

const PASSWORD = 'the first long password';
const NEW_PASSWORD = 'a second long password';

describeEachDatabase('settings: own account', (testDb) => {
  let counter = 0;
  /** A fresh operator per test (tests share the database of their block). */
  async function newOperator(role: Operator['role'] = 'viewer'): Promise<Operator> {
    counter += 1;
    return createOperator(testDb().db, { username: `acct${counter}`, role, password: PASSWORD });
  }

  async function storedHash(username: string): Promise<string> {
    return (await findOperatorForLogin(testDb().db, username))!.passwordHash;
  }

  async function activityOf(username: string) {
    return testDb().db.all<{ actor: string; action: string; target: string; detail_json: string | null }>(
      sql`SELECT actor, action, target, detail_json FROM modules_console_activity WHERE target = ${username} ORDER BY id`,
    );
  }

  it('changes the password with the current one, ends the other sessions and keeps this one', async () => {
    const { db } = testDb();
    const operator = await newOperator();
    const here = await createSession(db, operator.id, { userAgent: 'here' });
    const laptop = await createSession(db, operator.id, { userAgent: 'laptop' });
    const phone = await createSession(db, operator.id, { userAgent: 'phone' });

    const result = await changeOwnPassword(
      db,
      operator,
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      { keepSessionId: hashToken(here.token) },
    );
    expect(result).toMatchObject({ ok: true, message: 'Password changed. 2 other sessions signed out.' });
    if (result.ok) expect(result.data.endedSessions).toBe(2);

    expect(await getSessionOperator(db, here.token)).toMatchObject({ id: operator.id });
    expect(await getSessionOperator(db, laptop.token)).toBeNull();
    expect(await getSessionOperator(db, phone.token)).toBeNull();
    const hash = await storedHash(operator.username);
    expect(await verifyPassword(NEW_PASSWORD, hash)).toBe(true);
    expect(await verifyPassword(PASSWORD, hash)).toBe(false);

    const activity = await activityOf(operator.username);
    expect(activity.at(-1)).toMatchObject({
      actor: `operator:${operator.username}`,
      action: 'operator.password_change',
    });
    expect(JSON.stringify(activity)).not.toContain(NEW_PASSWORD);
    expect(JSON.stringify(activity)).not.toContain(PASSWORD);
  });

  it('refuses a wrong current password, changes nothing and counts it against the sign-in limit', async () => {
    const { db } = testDb();
    const operator = await newOperator();
    const other = await createSession(db, operator.id);
    const before = await storedHash(operator.username);

    const result = await changeOwnPassword(
      db,
      operator,
      { currentPassword: 'not the password', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      { keepSessionId: null, ip: '10.1.2.3' },
    );
    expect(result).toMatchObject({
      ok: false,
      code: 'wrong_password',
      fieldErrors: { currentPassword: ['The current password is wrong.'] },
    });
    expect(await storedHash(operator.username)).toBe(before);
    expect(await getSessionOperator(db, other.token)).not.toBeNull();
    const attempts = await db.all<{ succeeded: number; ip: string }>(
      sql`SELECT succeeded, ip FROM modules_console_login_attempts WHERE username = ${operator.username}`,
    );
    expect(attempts).toEqual([{ succeeded: 0, ip: '10.1.2.3' }]);
  });

  it('stops accepting guesses after the sign-in limit, even the right password', async () => {
    const { db } = testDb();
    const operator = await newOperator();
    const input = (current: string) => ({
      currentPassword: current,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    for (let i = 0; i < MAX_FAILURES_PER_USER; i += 1) {
      expect(
        await changeOwnPassword(db, operator, input(`guess number ${i}`), { keepSessionId: null }),
      ).toMatchObject({
        code: 'wrong_password',
      });
    }
    const blocked = await changeOwnPassword(db, operator, input(PASSWORD), { keepSessionId: null });
    expect(blocked).toMatchObject({ ok: false, code: 'rate_limited' });
    if (!blocked.ok) expect(blocked.error).toMatch(/Too many wrong passwords\. Try again in \d+ minute/);
    expect(await verifyPassword(PASSWORD, await storedHash(operator.username))).toBe(true);
  });

  it('enforces the password policy and the confirmation, with the error on the right field', async () => {
    const { db } = testDb();
    const operator = await newOperator();
    const change = (newPassword: string, confirmPassword = newPassword) =>
      changeOwnPassword(
        db,
        operator,
        { currentPassword: PASSWORD, newPassword, confirmPassword },
        { keepSessionId: null },
      );

    const short = await change('short');
    expect(short).toMatchObject({ ok: false, code: 'validation' });
    if (!short.ok) expect(short.fieldErrors?.newPassword?.[0]).toMatch(/at least 10 characters/);

    const withName = await change(`my ${operator.username} password`);
    expect(withName).toMatchObject({ ok: false, code: 'validation' });
    if (!withName.ok) expect(withName.fieldErrors?.newPassword?.[0]).toMatch(/must not contain the username/);

    const differ = await change(NEW_PASSWORD, `${NEW_PASSWORD}!`);
    expect(differ).toMatchObject({
      ok: false,
      code: 'validation',
      fieldErrors: { confirmPassword: ['The two new passwords differ.'] },
    });

    const same = await change(PASSWORD);
    expect(same).toMatchObject({
      ok: false,
      fieldErrors: { newPassword: ['The new password must differ from the current one.'] },
    });

    const missing = await changeOwnPassword(
      db,
      operator,
      { currentPassword: '', newPassword: '', confirmPassword: '' },
      { keepSessionId: null },
    );
    expect(missing).toMatchObject({ ok: false, code: 'validation' });
    if (!missing.ok)
      expect(Object.keys(missing.fieldErrors ?? {}).toSorted()).toEqual([
        'confirmPassword',
        'currentPassword',
        'newPassword',
      ]);

    expect(await verifyPassword(PASSWORD, await storedHash(operator.username))).toBe(true);
  });

  it('refuses a disabled account', async () => {
    const { db } = testDb();
    const operator = await newOperator();
    await db.run(
      sql`UPDATE modules_console_operators SET disabled_at = ${new Date().toISOString()} WHERE id = ${operator.id}`,
    );
    const result = await changeOwnPassword(
      db,
      operator,
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      { keepSessionId: null },
    );
    expect(result).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('signs out the other live sessions only, and says when there were none', async () => {
    const { db } = testDb();
    const operator = await newOperator('reviewer');
    const bystander = await newOperator();
    const here = await createSession(db, operator.id);
    const other = await createSession(db, operator.id);
    const theirs = await createSession(db, bystander.id);
    const dead = await createSession(db, operator.id);
    await revokeSession(db, dead.token);

    const result = await signOutOtherSessions(db, operator, { keepSessionId: hashToken(here.token) });
    expect(result).toMatchObject({ ok: true, message: '1 other session signed out.' });
    expect(await getSessionOperator(db, here.token)).not.toBeNull();
    expect(await getSessionOperator(db, other.token)).toBeNull();
    expect(await getSessionOperator(db, theirs.token)).not.toBeNull();
    expect((await activityOf(operator.username)).map((row) => row.action)).toContain(
      'session.sign_out_others',
    );

    const again = await signOutOtherSessions(db, operator, { keepSessionId: hashToken(here.token) });
    expect(again).toMatchObject({ ok: true, message: 'There were no other sessions to sign out.' });
    expect(
      (await activityOf(operator.username)).filter((row) => row.action === 'session.sign_out_others'),
    ).toHaveLength(1);
  });

  it('lists the live sessions with the current one first and marked; never revoked, expired or idle ones', async () => {
    const { db } = testDb();
    const operator = await newOperator();
    const now = new Date();
    const old = await createSession(
      db,
      operator.id,
      { userAgent: 'older', ip: '10.0.0.1' },
      new Date(now.getTime() - 60_000),
    );
    const here = await createSession(
      db,
      operator.id,
      { userAgent: 'current', ip: '10.0.0.2' },
      new Date(now.getTime() - 120_000),
    );
    const revoked = await createSession(db, operator.id, { userAgent: 'revoked' }, now);
    await revokeSession(db, revoked.token);
    await createSession(
      db,
      operator.id,
      { userAgent: 'idle' },
      new Date(now.getTime() - SESSION_IDLE_MS - 60_000),
    );

    const sessions = await getOwnSessions(db, operator.id, hashToken(here.token), now);
    expect(sessions.map((session) => [session.userAgent, session.current, session.ip])).toEqual([
      ['current', true, '10.0.0.2'],
      ['older', false, '10.0.0.1'],
    ]);
    // The list never carries what a session cookie could be rebuilt or matched from.
    expect(JSON.stringify(sessions)).not.toContain(old.token);
    expect(JSON.stringify(sessions)).not.toContain(hashToken(old.token));
  });
});
