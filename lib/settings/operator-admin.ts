import type { z } from 'zod';
import type { Database } from '@/db/database';
import {
  LastAdminError,
  type Operator,
  OperatorError,
  UnknownOperatorError,
  createOperator,
  disableOperator,
  enableOperator,
  resetPassword,
  setOperatorRole,
} from '@/lib/auth/operators';
import { PasswordPolicyError } from '@/lib/auth/password';
import { fieldErrorsOf } from '@/lib/review/validations';
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
// input, and returns a typed result; the writes (and the last-admin guard) are lib/auth/operators.ts's,
// shared with the CLI.

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
    const operator = await setOperatorRole(db, username, role, actorLabel(actor));
    return { ok: true, message: `${operator.username} is now ${operator.role}.`, data: { operator } };
  } catch (error) {
    if (error instanceof LastAdminError)
      return failure('last_admin', lastAdminMessage(actor, username, 'demote'));
    if (error instanceof UnknownOperatorError)
      return failure('not_found', `No operator named "${username}".`);
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
  try {
    const operator = await disableOperator(db, username, actorLabel(actor));
    return {
      ok: true,
      message: `${operator.username} is disabled; their sessions were ended.`,
      data: { operator },
    };
  } catch (error) {
    if (error instanceof LastAdminError)
      return failure('last_admin', lastAdminMessage(actor, username, 'disable'));
    if (error instanceof UnknownOperatorError)
      return failure('not_found', `No operator named "${username}".`);
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
