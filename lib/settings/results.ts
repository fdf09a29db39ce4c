import type { Operator } from '@/lib/auth/operators';
import type { FieldErrors } from './validations';

// The typed outcome of every Settings business function. Actions return it as is (it has the
// `{ ok, error, fieldErrors }` shape of validatedAction's failures), the CLI prints its message.

export type SettingsErrorCode =
  | 'forbidden'
  | 'validation'
  | 'not_found'
  | 'last_admin'
  | 'own_account'
  | 'wrong_password'
  | 'rate_limited'
  | 'conflict'
  | 'already_revoked';

export interface SettingsFailure {
  ok: false;
  code: SettingsErrorCode;
  error: string;
  fieldErrors?: FieldErrors;
}

export type SettingsResult<T = undefined> =
  | (T extends undefined ? { ok: true; message: string } : { ok: true; message: string; data: T })
  | SettingsFailure;

export function failure(code: SettingsErrorCode, error: string, fieldErrors?: FieldErrors): SettingsFailure {
  return fieldErrors ? { ok: false, code, error, fieldErrors } : { ok: false, code, error };
}

/** Who does an admin task: a signed-in operator (role checked) or the command line (trusted: it holds the database). */
export type SettingsActor = Operator | { kind: 'cli'; label: string };

export function actorLabel(actor: SettingsActor): string {
  return 'kind' in actor ? actor.label : `operator:${actor.username}`;
}

/**
 * The admin check every admin-only function makes itself, so the rule holds even if a caller forgets
 * the action wrapper's role check.
 */
export function refuseUnlessAdmin(actor: SettingsActor): SettingsFailure | null {
  if ('kind' in actor) return null;
  return actor.role === 'admin' ? null : failure('forbidden', 'Only admins can do this.');
}
