import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { sql } from '@/db/database';
import {
  OperatorError,
  countOperators,
  createOperator,
  LastAdminError,
  UnknownOperatorError,
  disableOperator,
  enableOperator,
  findOperatorForLogin,
  getOperator,
  listOperators,
  resetPassword,
  setOperatorRole,
} from '@/lib/auth/operators';
import {
  MIN_PASSWORD_LENGTH,
  PasswordPolicyError,
  checkPasswordPolicy,
  hashPassword,
  verifyPassword,
} from '@/lib/auth/password';
import { LOGIN_WINDOW_MS, loginBlockedFor, recordLoginAttempt } from '@/lib/auth/rate-limit';
import { ROLES, isRole, roleAtLeast } from '@/lib/auth/roles';
import {
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  createSession,
  getSessionOperator,
  hashToken,
  revokeSession,
} from '@/lib/auth/sessions';
import { checkSetupToken, consumeSetupToken, issueSetupToken } from '@/lib/auth/setup-token';
import { describeEachDatabase } from './support/databases';

const PASSWORD = 'correct horse battery';
const MINUTE = 60_000;

describe('passwords', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword(PASSWORD);
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword('correct horse battery ', stored)).toBe(false);
    expect(await verifyPassword('Correct horse battery', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    expect(a).not.toBe(b);
  });

  it('treats Unicode compositions alike (NFKC)', async () => {
    const stored = await hashPassword('caf\u00e9-au-lait-42');
    expect(await verifyPassword('cafe\u0301-au-lait-42', stored)).toBe(true);
  });

  it('returns false (never throws, never matches) for a tampered or foreign hash string', async () => {
    const stored = await hashPassword(PASSWORD);
    const [kind, n, r, p, salt, hash] = stored.split('$') as [string, string, string, string, string, string];
    const flipped = Buffer.from(hash, 'base64');
    flipped[0] = flipped[0]! ^ 0xff;
    const tampered = [
      [kind, n, r, p, salt, flipped.toString('base64')],
      [kind, n, r, p, Buffer.from('other salt').toString('base64'), hash],
      [kind, '16384', r, p, salt, hash],
      [kind, 'NaN', r, p, salt, hash],
      [kind, '1000', r, p, salt, hash],
      [kind, String(2 ** 24), r, p, salt, hash],
      [kind, n, r, p, salt, ''],
      // A hash part that decodes to no bytes would compare equal to an empty key.
      [kind, n, r, p, salt, '!!!!'],
      [kind, n, r, p, salt, hash.slice(0, 8)],
      ['bcrypt', n, r, p, salt, hash],
      [kind, n, r, p, salt, hash, 'extra'],
    ].map((parts) => parts.join('$'));
    for (const value of [...tampered, '', 'scrypt', stored.slice(0, 20), '$2b$10$abcdefghijklmnopqrstuv']) {
      expect(await verifyPassword(PASSWORD, value), value).toBe(false);
    }
  });

  it('enforces the password policy', () => {
    expect(() => checkPasswordPolicy('a'.repeat(MIN_PASSWORD_LENGTH - 1))).toThrow(PasswordPolicyError);
    expect(() => checkPasswordPolicy('a'.repeat(MIN_PASSWORD_LENGTH - 1))).toThrow(
      `at least ${MIN_PASSWORD_LENGTH} characters`,
    );
    expect(() => checkPasswordPolicy('a'.repeat(257))).toThrow(/at most 256/);
    expect(() => checkPasswordPolicy('my-name-is-Alice!', 'alice')).toThrow(/must not contain the username/);
    expect(() => checkPasswordPolicy(undefined as unknown as string)).toThrow(PasswordPolicyError);
    expect(() => checkPasswordPolicy('a'.repeat(MIN_PASSWORD_LENGTH))).not.toThrow();
    expect(() => checkPasswordPolicy('a'.repeat(256), 'bob')).not.toThrow();
  });
});

describe('roles', () => {
  it('orders viewer < reviewer < admin', () => {
    expect(ROLES).toEqual(['viewer', 'reviewer', 'admin']);
    expect(roleAtLeast('admin', 'reviewer')).toBe(true);
    expect(roleAtLeast('reviewer', 'reviewer')).toBe(true);
    expect(roleAtLeast('reviewer', 'admin')).toBe(false);
    expect(roleAtLeast('viewer', 'reviewer')).toBe(false);
  });

  it('recognises only the three roles', () => {
    expect(isRole('admin')).toBe(true);
    for (const value of ['Admin', 'root', '', null, 2]) expect(isRole(value)).toBe(false);
  });
});

describeEachDatabase('first-admin setup token', (testDb) => {
  it('is issued only while there are no operators, checks right/wrong/expired tokens and is consumed', async () => {
    const { db } = testDb();
    const now = new Date('2025-03-10T12:00:00Z');
    const token = await issueSetupToken(db, now);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Only the hash is stored.
    const stored = await db.get<{ value: string }>(
      sql`SELECT value FROM modules_console_meta WHERE key = 'first_admin_setup'`,
    );
    expect(stored!.value).not.toContain(token!);
    expect(stored!.value).toContain(hashToken(token!));

    expect(await checkSetupToken(db, token!, now)).toBe(true);
    expect(await checkSetupToken(db, token!, new Date(now.getTime() + 23 * 60 * MINUTE))).toBe(true);
    expect(await checkSetupToken(db, token!, new Date(now.getTime() + 24 * 60 * MINUTE))).toBe(false);
    expect(await checkSetupToken(db, `${token}x`, now)).toBe(false);
    expect(await checkSetupToken(db, 'wrong', now)).toBe(false);
    expect(await checkSetupToken(db, '', now)).toBe(false);
    expect(await checkSetupToken(db, undefined, now)).toBe(false);

    // A new link replaces the old one.
    const second = await issueSetupToken(db, now);
    expect(second).not.toBe(token);
    expect(await checkSetupToken(db, token!, now)).toBe(false);
    expect(await checkSetupToken(db, second!, now)).toBe(true);

    await consumeSetupToken(db);
    expect(await checkSetupToken(db, second!, now)).toBe(false);
  });

  it('is not issued once an operator exists, and the first-admin path refuses a second admin', async () => {
    const { db } = testDb();
    const first = await createOperator(
      db,
      { username: 'founder', role: 'admin', password: PASSWORD },
      'setup-link',
      { onlyIfNoOperators: true },
    );
    expect(first).toMatchObject({ username: 'founder', role: 'admin', disabledAt: null });
    expect(await issueSetupToken(db)).toBeNull();
    await expect(
      createOperator(db, { username: 'intruder', role: 'admin', password: PASSWORD }, 'setup-link', {
        onlyIfNoOperators: true,
      }),
    ).rejects.toThrow(new OperatorError('This console already has operators: ask an admin for an account.'));
    expect((await listOperators(db)).map((op) => op.username)).toEqual(['founder']);
  });

  it('treats a damaged stored value as no token', async () => {
    const { db } = testDb();
    await db.run(
      sql`INSERT INTO modules_console_meta (key, value, updated_at) VALUES ('first_admin_setup', 'not json', 'x')`,
    );
    expect(await checkSetupToken(db, 'anything')).toBe(false);
  });
});

describeEachDatabase('operators, sessions and login rate limit', (testDb) => {
  async function activity(target: string): Promise<string[]> {
    const rows = await testDb().db.allPrimary<{ action: string }>(
      sql`SELECT action FROM modules_console_activity WHERE target = ${target} ORDER BY id`,
    );
    return rows.map((row) => row.action);
  }

  async function activeSessions(operatorId: number): Promise<number> {
    const row = await testDb().db.get<{ n: number }>(
      sql`SELECT COUNT(*) AS n FROM modules_console_sessions WHERE operator_id = ${operatorId} AND revoked_at IS NULL`,
    );
    return Number(row?.n);
  }

  describe('operators', () => {
    it('creates an operator with a normalised username, a hashed password and an activity record', async () => {
      const { db } = testDb();
      const op = await createOperator(
        db,
        { username: '  Alice.Smith ', role: 'reviewer', password: PASSWORD, displayName: 'Alice' },
        'test',
      );
      expect(op).toMatchObject({
        username: 'alice.smith',
        role: 'reviewer',
        displayName: 'Alice',
        disabledAt: null,
      });
      expect(typeof op.id).toBe('number');
      expect(op.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const login = await findOperatorForLogin(db, 'ALICE.SMITH');
      expect(login?.id).toBe(op.id);
      expect(await verifyPassword(PASSWORD, login!.passwordHash)).toBe(true);
      expect(await getOperator(db, op.id)).toEqual(op);
      expect(await activity('alice.smith')).toEqual(['operator.create']);
    });

    it('refuses a duplicate username (in any case) with an OperatorError and writes nothing', async () => {
      const { db } = testDb();
      const before = await countOperators(db);
      await expect(
        createOperator(db, { username: 'ALICE.smith', role: 'admin', password: PASSWORD }),
      ).rejects.toThrow(new OperatorError('An operator named "alice.smith" already exists.'));
      expect(await countOperators(db)).toBe(before);
      expect(await activity('alice.smith')).toEqual(['operator.create']);
    });

    it.each([
      [
        'an unknown role',
        { username: 'carol', role: 'root' },
        /The role must be one of viewer, reviewer, admin/,
      ],
      ['a one-letter username', { username: 'c', role: 'viewer' }, /at least 2 characters/],
      [
        'a username with a space',
        { username: 'carol smith', role: 'viewer' },
        /letters, digits, dot, dash and underscore/,
      ],
      [
        'a username with SQL',
        { username: "carol'; DROP TABLE x; --", role: 'viewer' },
        /letters, digits, dot, dash and underscore/,
      ],
      ['a 65-character username', { username: 'c'.repeat(65), role: 'viewer' }, /at most 64 characters/],
    ])('refuses %s with a zod error and writes nothing', async (_label, input, message) => {
      const { db } = testDb();
      const before = await countOperators(db);
      const error = await createOperator(db, { ...input, password: PASSWORD } as Parameters<
        typeof createOperator
      >[1]).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ZodError);
      expect((error as ZodError).issues.map((issue) => issue.message).join(' ')).toMatch(message);
      expect(await countOperators(db)).toBe(before);
    });

    it('refuses a weak password before writing anything', async () => {
      const { db } = testDb();
      await expect(
        createOperator(db, { username: 'dave', role: 'viewer', password: 'short' }),
      ).rejects.toThrow(PasswordPolicyError);
      await expect(
        createOperator(db, { username: 'dave', role: 'viewer', password: 'dave-is-my-password' }),
      ).rejects.toThrow(/username/);
      expect(await findOperatorForLogin(db, 'dave')).toBeUndefined();
    });

    it('changes roles and enables again, recording each change', async () => {
      const { db } = testDb();
      await createOperator(db, { username: 'erin', role: 'viewer', password: PASSWORD });
      await createOperator(db, { username: 'erins-peer', role: 'admin', password: PASSWORD });
      expect((await setOperatorRole(db, 'erin', 'admin', 'test')).role).toBe('admin');
      expect((await disableOperator(db, 'erin')).disabledAt).not.toBeNull();
      expect((await enableOperator(db, 'Erin')).disabledAt).toBeNull();
      expect(await activity('erin')).toEqual([
        'operator.create',
        'operator.role',
        'operator.disable',
        'operator.enable',
      ]);
      await expect(setOperatorRole(db, 'erin', 'owner' as 'admin')).rejects.toBeInstanceOf(ZodError);
      await expect(enableOperator(db, 'nobody')).rejects.toThrow(
        new UnknownOperatorError('No operator named "nobody".'),
      );
      expect(await activity('nobody')).toEqual([]);
    });
    it('never demotes or disables the last active admin, from the CLI as from Settings', async () => {
      const { db } = testDb();
      await db.run(sql`UPDATE modules_console_operators SET role = 'viewer' WHERE role = 'admin'`);
      await createOperator(db, { username: 'solo', role: 'admin', password: PASSWORD });
      const refusal = new LastAdminError(
        'solo is the last active admin: the console would have no admin left. Make another operator an admin first.',
      );
      await expect(disableOperator(db, 'solo')).rejects.toThrow(refusal);
      await expect(setOperatorRole(db, 'solo', 'reviewer')).rejects.toThrow(refusal);
      expect((await findOperatorForLogin(db, 'solo'))?.role).toBe('admin');
      expect(await activity('solo')).toEqual(['operator.create']);
      // With a second admin, the first may step down.
      await createOperator(db, { username: 'duo', role: 'admin', password: PASSWORD });
      expect((await setOperatorRole(db, 'solo', 'reviewer')).role).toBe('reviewer');
      await expect(disableOperator(db, 'duo')).rejects.toBeInstanceOf(LastAdminError);
      await expect(disableOperator(db, 'nobody')).rejects.toBeInstanceOf(UnknownOperatorError);
    });
  });

  describe('sessions', () => {
    it('returns the operator for a valid token and null for unknown, empty or oversized tokens', async () => {
      const { db } = testDb();
      const op = await createOperator(db, { username: 'frank', role: 'reviewer', password: PASSWORD });
      const now = new Date('2025-03-10T12:00:00Z');
      const { token, expiresAt } = await createSession(
        db,
        op.id,
        { userAgent: 'vitest', ip: '127.0.0.1' },
        now,
      );
      expect(expiresAt.getTime()).toBe(now.getTime() + SESSION_MAX_MS);
      expect(await getSessionOperator(db, token, now)).toEqual({ ...op, disabledAt: null });
      // Only the hash is stored.
      expect(await db.get(sql`SELECT id FROM modules_console_sessions WHERE id = ${token}`)).toBeUndefined();
      expect(await getSessionOperator(db, 'unknown-token', now)).toBeNull();
      expect(await getSessionOperator(db, undefined, now)).toBeNull();
      expect(await getSessionOperator(db, '', now)).toBeNull();
      expect(await getSessionOperator(db, 'x'.repeat(201), now)).toBeNull();
    });

    it('ends a session at its maximum age, even when in use', async () => {
      const { db } = testDb();
      const op = await createOperator(db, { username: 'gina', role: 'viewer', password: PASSWORD });
      const start = new Date('2025-03-10T12:00:00Z');
      const { token } = await createSession(db, op.id, {}, start);
      // Used every 11 hours, it is never idle for long, but it still ends after 7 days.
      let at = start.getTime();
      while (at + 11 * 60 * MINUTE < start.getTime() + SESSION_MAX_MS) {
        at += 11 * 60 * MINUTE;
        expect(await getSessionOperator(db, token, new Date(at))).not.toBeNull();
      }
      expect(await getSessionOperator(db, token, new Date(start.getTime() + SESSION_MAX_MS))).toBeNull();
    });

    it('ends a session idle for 12 hours', async () => {
      const { db } = testDb();
      const op = await createOperator(db, { username: 'hank', role: 'viewer', password: PASSWORD });
      const start = new Date('2025-03-10T12:00:00Z');
      const { token } = await createSession(db, op.id, {}, start);
      expect(
        await getSessionOperator(db, token, new Date(start.getTime() + SESSION_IDLE_MS - 1)),
      ).not.toBeNull();
      // That use touched it: idle counts from there.
      expect(
        await getSessionOperator(db, token, new Date(start.getTime() + 2 * SESSION_IDLE_MS - 2)),
      ).not.toBeNull();
      expect(await getSessionOperator(db, token, new Date(start.getTime() + 3 * SESSION_IDLE_MS))).toBeNull();
    });

    it('touches last_seen_at at most every 5 minutes', async () => {
      const { db } = testDb();
      const op = await createOperator(db, { username: 'ivy', role: 'viewer', password: PASSWORD });
      const start = new Date('2025-03-10T12:00:00Z');
      const { token } = await createSession(db, op.id, {}, start);
      const lastSeen = async () =>
        (await db.get<{ last_seen_at: string }>(
          sql`SELECT last_seen_at FROM modules_console_sessions WHERE id = ${hashToken(token)}`,
        ))!.last_seen_at;
      await getSessionOperator(db, token, new Date(start.getTime() + 4 * MINUTE));
      expect(await lastSeen()).toBe('2025-03-10T12:00:00.000Z');
      await getSessionOperator(db, token, new Date(start.getTime() + 5 * MINUTE));
      expect(await lastSeen()).toBe('2025-03-10T12:05:00.000Z');
      await getSessionOperator(db, token, new Date(start.getTime() + 9 * MINUTE));
      expect(await lastSeen()).toBe('2025-03-10T12:05:00.000Z');
      await getSessionOperator(db, token, new Date(start.getTime() + 11 * MINUTE));
      expect(await lastSeen()).toBe('2025-03-10T12:11:00.000Z');
    });

    it('returns null for a revoked session', async () => {
      const { db } = testDb();
      const op = await createOperator(db, { username: 'jack', role: 'viewer', password: PASSWORD });
      const { token } = await createSession(db, op.id);
      const other = await createSession(db, op.id);
      await revokeSession(db, token);
      expect(await getSessionOperator(db, token)).toBeNull();
      expect(await getSessionOperator(db, other.token)).not.toBeNull();
    });

    it('treats an unreadable expiry or last-seen time as expired', async () => {
      const { db } = testDb();
      const op = await createOperator(db, { username: 'kim', role: 'viewer', password: PASSWORD });
      const a = await createSession(db, op.id);
      const b = await createSession(db, op.id);
      await db.run(
        sql`UPDATE modules_console_sessions SET expires_at = 'never' WHERE id = ${hashToken(a.token)}`,
      );
      await db.run(
        sql`UPDATE modules_console_sessions SET last_seen_at = '' WHERE id = ${hashToken(b.token)}`,
      );
      expect(await getSessionOperator(db, a.token)).toBeNull();
      expect(await getSessionOperator(db, b.token)).toBeNull();
    });

    it('disabling an operator ends its sessions, and re-enabling does not bring them back', async () => {
      const { db } = testDb();
      const op = await createOperator(db, { username: 'lee', role: 'admin', password: PASSWORD });
      const bystander = await createOperator(db, { username: 'max', role: 'admin', password: PASSWORD });
      const sessions = await Promise.all([createSession(db, op.id), createSession(db, op.id)]);
      const kept = await createSession(db, bystander.id);
      await disableOperator(db, 'lee', 'test');
      expect(await activeSessions(op.id)).toBe(0);
      for (const { token } of sessions) expect(await getSessionOperator(db, token)).toBeNull();
      expect(await getSessionOperator(db, kept.token)).not.toBeNull();
      // A session created while disabled (should not happen) is refused too.
      const sneaky = await createSession(db, op.id);
      expect(await getSessionOperator(db, sneaky.token)).toBeNull();
      await revokeSession(db, sneaky.token);
      await enableOperator(db, 'lee');
      for (const { token } of sessions) expect(await getSessionOperator(db, token)).toBeNull();
    });

    it('a password reset ends the sessions and only the new password works', async () => {
      const { db } = testDb();
      const op = await createOperator(db, { username: 'nora', role: 'reviewer', password: PASSWORD });
      const { token } = await createSession(db, op.id);
      await resetPassword(db, 'nora', 'a brand new secret', 'test');
      expect(await getSessionOperator(db, token)).toBeNull();
      const login = await findOperatorForLogin(db, 'nora');
      expect(await verifyPassword('a brand new secret', login!.passwordHash)).toBe(true);
      expect(await verifyPassword(PASSWORD, login!.passwordHash)).toBe(false);
      expect(await activity('nora')).toEqual(['operator.create', 'operator.password_reset']);
      await expect(resetPassword(db, 'nora', 'short')).rejects.toThrow(PasswordPolicyError);
      await expect(resetPassword(db, 'nobody', 'a brand new secret')).rejects.toThrow(OperatorError);
    });
  });

  describe('login rate limit', () => {
    const start = new Date('2025-03-10T12:00:00Z');
    const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);

    it('blocks a username after 5 failures within 15 minutes, until the oldest leaves the window', async () => {
      const { db } = testDb();
      for (let i = 0; i < 4; i += 1) await recordLoginAttempt(db, 'olga', `10.0.0.${i}`, false, at(i));
      expect(await loginBlockedFor(db, 'olga', '10.9.9.9', at(4))).toBe(0);
      await recordLoginAttempt(db, 'olga', '10.0.0.4', false, at(4));
      // Oldest failure at minute 0: blocked until minute 15.
      expect(await loginBlockedFor(db, 'olga', '10.9.9.9', at(5))).toBe(10 * 60);
      expect(await loginBlockedFor(db, 'olga', '10.9.9.9', at(14.5))).toBe(30);
      // Never "0 seconds" while the oldest failure still counts; free one second later.
      expect(await loginBlockedFor(db, 'olga', '10.9.9.9', new Date(at(0).getTime() + LOGIN_WINDOW_MS))).toBe(
        1,
      );
      expect(
        await loginBlockedFor(db, 'olga', '10.9.9.9', new Date(at(0).getTime() + LOGIN_WINDOW_MS + 1000)),
      ).toBe(0);
      // Another user from the same addresses is not blocked.
      expect(await loginBlockedFor(db, 'pete', '10.0.0.1', at(5))).toBe(0);
    });

    it('does not count successful sign-ins', async () => {
      const { db } = testDb();
      for (let i = 0; i < 4; i += 1) await recordLoginAttempt(db, 'quinn', '10.1.0.1', false, at(i));
      for (let i = 0; i < 10; i += 1) await recordLoginAttempt(db, 'quinn', '10.1.0.1', true, at(4));
      expect(await loginBlockedFor(db, 'quinn', '10.1.0.1', at(5))).toBe(0);
    });

    it('blocks an address after 30 failures across usernames', async () => {
      const { db } = testDb();
      for (let i = 0; i < 29; i += 1) await recordLoginAttempt(db, `spray${i}`, '10.2.0.1', false, at(1));
      expect(await loginBlockedFor(db, 'someone', '10.2.0.1', at(2))).toBe(0);
      await recordLoginAttempt(db, 'spray29', '10.2.0.1', false, at(1));
      expect(await loginBlockedFor(db, 'someone', '10.2.0.1', at(2))).toBeGreaterThan(0);
      expect(await loginBlockedFor(db, 'someone', '10.2.0.2', at(2))).toBe(0);
    });
  });
});
