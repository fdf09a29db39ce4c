import { beforeEach, expect, it } from 'vitest';
import { sql } from '@/db/database';
import {
  type Operator,
  createOperator,
  findOperatorForLogin,
  getOperator,
  listOperators,
} from '@/lib/auth/operators';
import { verifyPassword } from '@/lib/auth/password';
import type { Role } from '@/lib/auth/roles';
import { createSession, getSessionOperator } from '@/lib/auth/sessions';
import {
  adminCreateOperator,
  adminDisableOperator,
  adminEnableOperator,
  adminResetPassword,
  adminSetOperatorRole,
} from '@/lib/settings/operator-admin';
import { getOperatorList } from '@/lib/settings/queries';
import { describeEachDatabase } from './support/databases';

const PASSWORD = 'a long enough password';

describeEachDatabase('settings: operators', (testDb) => {
  // Each test starts from an empty operators table: the last-admin rule depends on who else exists.
  beforeEach(async () => {
    const { db } = testDb();
    await db.transaction([
      sql`DELETE FROM modules_console_sessions`,
      sql`DELETE FROM modules_console_activity`,
      sql`DELETE FROM modules_console_api_tokens`,
      sql`DELETE FROM modules_console_operators`,
    ]);
  });

  const make = (username: string, role: Role) =>
    createOperator(testDb().db, { username, role, password: PASSWORD });
  const roleOf = async (username: string) => (await findOperatorForLogin(testDb().db, username))?.role;

  it('refuses every admin task to viewers and reviewers, and changes nothing', async () => {
    const { db } = testDb();
    await make('boss', 'admin');
    const target = await make('target', 'viewer');
    const session = await createSession(db, target.id);
    for (const role of ['viewer', 'reviewer'] as const) {
      const actor = await make(`${role}1`, role);
      const results = await Promise.all([
        adminCreateOperator(db, actor, { username: 'intruder', role: 'admin', password: PASSWORD }),
        adminSetOperatorRole(db, actor, { username: 'target', role: 'admin' }),
        adminSetOperatorRole(db, actor, { username: actor.username, role: 'admin' }),
        adminDisableOperator(db, actor, { username: 'target' }),
        adminEnableOperator(db, actor, { username: 'target' }),
        adminResetPassword(db, actor, { username: 'target', password: 'attacker chosen password' }),
      ]);
      for (const result of results)
        expect(result).toEqual({ ok: false, code: 'forbidden', error: 'Only admins can do this.' });
      expect(await roleOf(actor.username)).toBe(role);
    }
    expect((await listOperators(db)).map((operator) => operator.username)).toEqual([
      'boss',
      'reviewer1',
      'target',
      'viewer1',
    ]);
    expect(await roleOf('target')).toBe('viewer');
    expect(await getSessionOperator(db, session.token)).not.toBeNull();
    expect(await verifyPassword(PASSWORD, (await findOperatorForLogin(db, 'target'))!.passwordHash)).toBe(
      true,
    );
    const activity = await db.all(
      sql`SELECT action FROM modules_console_activity WHERE actor LIKE 'operator:%'`,
    );
    expect(activity).toEqual([]);
  });

  it('creates an operator who can sign in, recording who created them', async () => {
    const { db } = testDb();
    const admin = await make('boss', 'admin');
    const result = await adminCreateOperator(db, admin, {
      username: 'New.Reviewer',
      role: 'reviewer',
      displayName: 'Nova',
      password: PASSWORD,
    });
    expect(result).toMatchObject({
      ok: true,
      message: expect.stringContaining('Created reviewer "new.reviewer"'),
    });
    const stored = await findOperatorForLogin(db, 'new.reviewer');
    expect(stored).toMatchObject({ role: 'reviewer', displayName: 'Nova', disabledAt: null });
    expect(await verifyPassword(PASSWORD, stored!.passwordHash)).toBe(true);
    const activity = await db.all<{ actor: string; action: string; target: string; detail_json: string }>(
      sql`SELECT actor, action, target, detail_json FROM modules_console_activity WHERE target = 'new.reviewer'`,
    );
    expect(activity).toEqual([
      {
        actor: 'operator:boss',
        action: 'operator.create',
        target: 'new.reviewer',
        detail_json: '{"role":"reviewer"}',
      },
    ]);
    expect(JSON.stringify(activity)).not.toContain(PASSWORD);
  });

  it('reports bad new operators on the field that is wrong', async () => {
    const { db } = testDb();
    const admin = await make('boss', 'admin');
    expect(
      await adminCreateOperator(db, admin, { username: 'boss', role: 'viewer', password: PASSWORD }),
    ).toMatchObject({
      ok: false,
      code: 'conflict',
      fieldErrors: { username: ['An operator named "boss" already exists.'] },
    });
    const weak = await adminCreateOperator(db, admin, {
      username: 'weakling',
      role: 'viewer',
      password: 'short',
    });
    expect(weak).toMatchObject({ ok: false, code: 'validation' });
    if (!weak.ok) expect(weak.fieldErrors?.password?.[0]).toMatch(/at least 10 characters/);
    const named = await adminCreateOperator(db, admin, {
      username: 'carol',
      role: 'viewer',
      password: 'carol-is-long-enough',
    });
    if (!named.ok) expect(named.fieldErrors?.password?.[0]).toMatch(/must not contain the username/);
    expect(named.ok).toBe(false);
    const bad = await adminCreateOperator(db, admin, {
      username: 'bad name!',
      role: 'root',
      password: PASSWORD,
    });
    expect(bad).toMatchObject({ ok: false, code: 'validation' });
    if (!bad.ok) expect(Object.keys(bad.fieldErrors ?? {}).toSorted()).toEqual(['role', 'username']);
    expect((await listOperators(db)).map((operator) => operator.username)).toEqual(['boss']);
  });

  it('never lets the last active admin demote or disable themselves, with a clear message', async () => {
    const { db } = testDb();
    const admin = await make('boss', 'admin');
    const session = await createSession(db, admin.id);
    // A disabled admin does not count as an admin who could take over.
    await make('retired', 'admin');
    await adminDisableOperator(db, admin, { username: 'retired' });

    const demote = await adminSetOperatorRole(db, admin, { username: 'boss', role: 'reviewer' });
    expect(demote).toEqual({
      ok: false,
      code: 'last_admin',
      error:
        'You are the last active admin: you cannot demote yourself. Make another operator an admin first.',
    });
    const disable = await adminDisableOperator(db, admin, { username: 'boss' });
    expect(disable).toMatchObject({
      ok: false,
      code: 'last_admin',
      error: expect.stringMatching(/^You are the last active admin: you cannot disable yourself/),
    });
    expect(await getOperator(db, admin.id)).toMatchObject({ role: 'admin', disabledAt: null });
    expect(await getSessionOperator(db, session.token)).not.toBeNull();

    // Keeping the role, or changing another operator, is fine.
    expect(await adminSetOperatorRole(db, admin, { username: 'boss', role: 'admin' })).toMatchObject({
      ok: true,
    });
    expect(await adminEnableOperator(db, admin, { username: 'retired' })).toMatchObject({
      ok: true,
      message: 'retired is active again.',
    });
    // With a second active admin, stepping down is allowed; the remaining admin is then the last one.
    expect(await adminSetOperatorRole(db, admin, { username: 'boss', role: 'viewer' })).toMatchObject({
      ok: true,
      message: 'boss is now viewer.',
    });
    const retired = (await getOperator(db, (await findOperatorForLogin(db, 'retired'))!.id))!;
    expect(await adminDisableOperator(db, retired, { username: 'retired' })).toMatchObject({
      code: 'last_admin',
    });
    expect(await adminSetOperatorRole(db, retired, { username: 'retired', role: 'viewer' })).toMatchObject({
      code: 'last_admin',
    });
  });

  it('lets only one of two admins who step down at the same moment succeed', async () => {
    const { db } = testDb();
    const ann = await make('ann', 'admin');
    const bob = await make('bob', 'admin');
    const results = await Promise.all([
      adminSetOperatorRole(db, ann, { username: 'ann', role: 'reviewer' }),
      adminDisableOperator(db, bob, { username: 'bob' }),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([expect.objectContaining({ code: 'last_admin' })]);
    const admins = (await listOperators(db)).filter(
      (operator) => operator.role === 'admin' && !operator.disabledAt,
    );
    expect(admins).toHaveLength(1);
  });

  it('disabling ends the operator’s sessions; enabling lets them sign in again', async () => {
    const { db } = testDb();
    const admin = await make('boss', 'admin');
    const worker = await make('worker', 'reviewer');
    const first = await createSession(db, worker.id);
    const second = await createSession(db, worker.id);
    expect(
      (await getOperatorList(db)).find((operator) => operator.username === 'worker')?.activeSessions,
    ).toBe(2);

    const disabled = await adminDisableOperator(db, admin, { username: 'worker' });
    expect(disabled).toMatchObject({ ok: true, message: 'worker is disabled; their sessions were ended.' });
    expect(await getSessionOperator(db, first.token)).toBeNull();
    expect(await getSessionOperator(db, second.token)).toBeNull();
    const listed = (await getOperatorList(db)).find((operator) => operator.username === 'worker');
    expect(listed).toMatchObject({ activeSessions: 0, disabledAt: expect.any(String) });

    // Disabling again keeps the first time.
    const disabledAt = listed!.disabledAt;
    await adminDisableOperator(db, admin, { username: 'worker' });
    expect((await getOperator(db, worker.id))?.disabledAt).toBe(disabledAt);

    expect(await adminEnableOperator(db, admin, { username: 'worker' })).toMatchObject({ ok: true });
    const fresh = await createSession(db, worker.id);
    expect(await getSessionOperator(db, fresh.token)).toMatchObject({ username: 'worker' });

    const actions = await db.all<{ action: string; actor: string }>(
      sql`SELECT action, actor FROM modules_console_activity WHERE target = 'worker' ORDER BY id`,
    );
    expect(actions.map((row) => row.action)).toEqual([
      'operator.create',
      'operator.disable',
      'operator.disable',
      'operator.enable',
    ]);
    expect(actions.slice(1).every((row) => row.actor === 'operator:boss')).toBe(true);
  });

  it('answers not found for an unknown operator', async () => {
    const { db } = testDb();
    const admin = await make('boss', 'admin');
    for (const result of await Promise.all([
      adminSetOperatorRole(db, admin, { username: 'ghost', role: 'viewer' }),
      adminDisableOperator(db, admin, { username: 'ghost' }),
      adminEnableOperator(db, admin, { username: 'ghost' }),
      adminResetPassword(db, admin, { username: 'ghost', password: PASSWORD }),
    ])) {
      expect(result).toMatchObject({ ok: false, code: 'not_found', error: 'No operator named "ghost".' });
    }
  });

  it('resets another operator’s password and ends their sessions, but not the admin’s own', async () => {
    const { db } = testDb();
    const admin = await make('boss', 'admin');
    const adminSession = await createSession(db, admin.id);
    const worker = await make('worker', 'viewer');
    const session = await createSession(db, worker.id);

    const weak = await adminResetPassword(db, admin, { username: 'worker', password: 'short' });
    expect(weak).toMatchObject({
      ok: false,
      code: 'validation',
      fieldErrors: { password: [expect.stringMatching(/at least 10/)] },
    });
    expect(await getSessionOperator(db, session.token)).not.toBeNull();

    const reset = await adminResetPassword(db, admin, { username: 'worker', password: 'brand new password' });
    expect(reset).toMatchObject({
      ok: true,
      message: 'Password of worker reset; their sessions were ended.',
    });
    expect(await getSessionOperator(db, session.token)).toBeNull();
    expect(
      await verifyPassword('brand new password', (await findOperatorForLogin(db, 'worker'))!.passwordHash),
    ).toBe(true);

    const own = await adminResetPassword(db, admin, { username: 'boss', password: 'brand new password' });
    expect(own).toMatchObject({ ok: false, code: 'own_account' });
    expect(await verifyPassword(PASSWORD, (await findOperatorForLogin(db, 'boss'))!.passwordHash)).toBe(true);
    expect(await getSessionOperator(db, adminSession.token)).not.toBeNull();
  });

  it('accepts the command line as an admin actor and names it in the activity log', async () => {
    const { db } = testDb();
    const cli = { kind: 'cli' as const, label: 'cli:root@host' };
    expect(
      await adminCreateOperator(db, cli, { username: 'first', role: 'admin', password: PASSWORD }),
    ).toMatchObject({ ok: true });
    // The last-admin rule holds for the command line too.
    expect(await adminDisableOperator(db, cli, { username: 'first' })).toMatchObject({
      ok: false,
      code: 'last_admin',
      error: 'first is the last active admin and cannot be disabled: the console would have no admin left.',
    });
    const activity = await db.all<{ actor: string }>(sql`SELECT actor FROM modules_console_activity`);
    expect(activity).toEqual([{ actor: 'cli:root@host' }]);
  });

  it('takes a changed role into account at once for the operator’s existing session', async () => {
    const { db } = testDb();
    const admin = await make('boss', 'admin');
    const worker: Operator = await make('worker', 'viewer');
    const session = await createSession(db, worker.id);
    await adminSetOperatorRole(db, admin, { username: 'worker', role: 'reviewer' });
    expect(await getSessionOperator(db, session.token)).toMatchObject({ role: 'reviewer' });
  });
});
