import type { z } from 'zod';
import { type Database, type SQL, sql } from '@/db/database';
import {
  type Operator,
  OperatorError,
  createOperator,
  enableOperator,
  resetPassword,
} from '@/lib/auth/operators';
import { PasswordPolicyError } from '@/lib/auth/password';
import type { Role } from '@/lib/auth/roles';
import { fieldErrorsOf } from '@/lib/review/validations';
import { nowIso } from '@/lib/time/format';
import {
  type SettingsActor,
  type SettingsFailure,
  type SettingsResult,
  actorLabel,
  failure,
  refuseUnlessAdmin,
} from './results';
import {
  createOperatorSchema,
  operatorTargetSchema,
  resetOperatorPasswordSchema,
  setOperatorRoleSchema,
} from './validations';

// The admin's management of operators. Each function checks the actor's role itself, validates its
// input, and returns a typed result. Creating, enabling and resetting reuse lib/auth/operators.ts;
// demoting and disabling are written here because they need the last-admin guard inside the same
// transaction as the write (a check before the write would let two admins demote each other at once
// and leave the console without an admin).

class LastAdminError extends Error {}
class NoSuchOperatorError extends Error {}

/** Sessions that should end when an operator is disabled. */
function endSessionsOf(username: string, now: string): SQL {
  return sql`UPDATE modules_console_sessions SET revoked_at = ${now}
    WHERE revoked_at IS NULL AND operator_id = (SELECT id FROM modules_console_operators WHERE username = ${username})`;
}

interface OperatorRow {
  id: number;
  username: string;
  display_name: string | null;
  role: Role;
  disabled_at: string | null;
  created_at: string;
}

function toOperator(row: OperatorRow): Operator {
  return {
    id: Number(row.id),
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
  };
}

/**
 * An update of one operator that must leave at least one active admin. The active admins are read
 * (and on PostgreSQL locked, so a concurrent demotion waits and then sees this one) in the same
 * transaction as the write; SQLite's BEGIN IMMEDIATE serialises writers already.
 */
async function guardedOperatorUpdate(
  db: Database,
  username: string,
  change: { assignment: SQL; removesAdmin: boolean; action: string; detail?: unknown; extra?: SQL[] },
  actor: string,
): Promise<Operator> {
  const now = nowIso();
  const lock = db.dialect === 'postgres' ? sql.raw(' FOR UPDATE') : sql.raw('');
  const results = await db.transaction([
    sql`SELECT username FROM modules_console_operators WHERE role = 'admin' AND disabled_at IS NULL${lock}`,
    sql`SELECT username, role, disabled_at FROM modules_console_operators WHERE username = ${username}${lock}`,
    (previous) => {
      const target = previous[1]!.rows[0] as { role: Role; disabled_at: string | null } | undefined;
      if (!target) throw new NoSuchOperatorError();
      const activeAdmins = previous[0]!.rows.map((row) => String(row.username));
      if (change.removesAdmin && activeAdmins.includes(username) && activeAdmins.length === 1)
        throw new LastAdminError();
      return sql`UPDATE modules_console_operators SET ${change.assignment}, updated_at = ${now} WHERE username = ${username} RETURNING *`;
    },
    sql`INSERT INTO modules_console_activity (at, actor, action, target, detail_json)
      VALUES (${now}, ${actor}, ${change.action}, ${username}, ${change.detail === undefined ? null : JSON.stringify(change.detail)})`,
    ...(change.extra ?? []),
  ]);
  return toOperator(results[2]!.rows[0] as unknown as OperatorRow);
}

function lastAdminMessage(actor: SettingsActor, username: string, verb: 'disable' | 'demote'): string {
  const self = !('kind' in actor) && actor.username === username;
  return self
    ? `You are the last active admin: you cannot ${verb} yourself. Make another operator an admin first.`
    : `${username} is the last active admin and cannot be ${verb === 'disable' ? 'disabled' : 'demoted'}: the console would have no admin left.`;
}

/** Parses the input, or returns the validation failure. */
function parse<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; data: z.output<S> } | { ok: false; failure: SettingsFailure } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  return {
    ok: false,
    failure: failure('validation', 'Some fields need attention.', fieldErrorsOf(parsed.error)),
  };
}

export async function adminCreateOperator(
  db: Database,
  actor: SettingsActor,
  input: unknown,
): Promise<SettingsResult<{ operator: Operator }>> {
  const refused = refuseUnlessAdmin(actor);
  if (refused) return refused;
  const parsed = parse(createOperatorSchema, input);
  if (!parsed.ok) return parsed.failure;
  const { username, role, displayName, password } = parsed.data;
  try {
    const operator = await createOperator(db, { username, role, displayName, password }, actorLabel(actor));
    return {
      ok: true,
      message: `Created ${operator.role} "${operator.username}". Give them the initial password through a safe channel.`,
      data: { operator },
    };
  } catch (error) {
    if (error instanceof PasswordPolicyError)
      return failure('validation', error.message, { password: [error.message] });
    if (error instanceof OperatorError)
      return failure('conflict', error.message, { username: [error.message] });
    throw error;
  }
}

export async function adminSetOperatorRole(
  db: Database,
  actor: SettingsActor,
  input: unknown,
): Promise<SettingsResult<{ operator: Operator }>> {
  const refused = refuseUnlessAdmin(actor);
  if (refused) return refused;
  const parsed = parse(setOperatorRoleSchema, input);
  if (!parsed.ok) return parsed.failure;
  const { username, role } = parsed.data;
  try {
    const operator = await guardedOperatorUpdate(
      db,
      username,
      {
        assignment: sql`role = ${role}`,
        removesAdmin: role !== 'admin',
        action: 'operator.role',
        detail: { role },
      },
      actorLabel(actor),
    );
    return { ok: true, message: `${operator.username} is now ${operator.role}.`, data: { operator } };
  } catch (error) {
    if (error instanceof LastAdminError)
      return failure('last_admin', lastAdminMessage(actor, username, 'demote'));
    if (error instanceof NoSuchOperatorError) return failure('not_found', `No operator named "${username}".`);
    throw error;
  }
}

/** Disabling ends every session of that operator. */
export async function adminDisableOperator(
  db: Database,
  actor: SettingsActor,
  input: unknown,
): Promise<SettingsResult<{ operator: Operator }>> {
  const refused = refuseUnlessAdmin(actor);
  if (refused) return refused;
  const parsed = parse(operatorTargetSchema, input);
  if (!parsed.ok) return parsed.failure;
  const { username } = parsed.data;
  const now = nowIso();
  try {
    const operator = await guardedOperatorUpdate(
      db,
      username,
      {
        // COALESCE keeps the first disabling time when an already disabled operator is disabled again.
        assignment: sql`disabled_at = COALESCE(disabled_at, ${now})`,
        removesAdmin: true,
        action: 'operator.disable',
        extra: [endSessionsOf(username, now)],
      },
      actorLabel(actor),
    );
    return {
      ok: true,
      message: `${operator.username} is disabled; their sessions were ended.`,
      data: { operator },
    };
  } catch (error) {
    if (error instanceof LastAdminError)
      return failure('last_admin', lastAdminMessage(actor, username, 'disable'));
    if (error instanceof NoSuchOperatorError) return failure('not_found', `No operator named "${username}".`);
    throw error;
  }
}

export async function adminEnableOperator(
  db: Database,
  actor: SettingsActor,
  input: unknown,
): Promise<SettingsResult<{ operator: Operator }>> {
  const refused = refuseUnlessAdmin(actor);
  if (refused) return refused;
  const parsed = parse(operatorTargetSchema, input);
  if (!parsed.ok) return parsed.failure;
  try {
    const operator = await enableOperator(db, parsed.data.username, actorLabel(actor));
    return { ok: true, message: `${operator.username} is active again.`, data: { operator } };
  } catch (error) {
    if (error instanceof OperatorError) return failure('not_found', error.message);
    throw error;
  }
}

/**
 * Sets another operator's password (and ends their sessions). Not for the admin's own account: that
 * goes through changeOwnPassword, which asks for the current password.
 */
export async function adminResetPassword(
  db: Database,
  actor: SettingsActor,
  input: unknown,
): Promise<SettingsResult<{ operator: Operator }>> {
  const refused = refuseUnlessAdmin(actor);
  if (refused) return refused;
  const parsed = parse(resetOperatorPasswordSchema, input);
  if (!parsed.ok) return parsed.failure;
  const { username, password } = parsed.data;
  if (!('kind' in actor) && actor.username === username) {
    return failure(
      'own_account',
      'To change your own password, use "Change your password" on the Account tab (it asks for the current one).',
    );
  }
  try {
    const operator = await resetPassword(db, username, password, actorLabel(actor));
    return {
      ok: true,
      message: `Password of ${operator.username} reset; their sessions were ended.`,
      data: { operator },
    };
  } catch (error) {
    if (error instanceof PasswordPolicyError)
      return failure('validation', error.message, { password: [error.message] });
    if (error instanceof OperatorError) return failure('not_found', error.message);
    throw error;
  }
}
