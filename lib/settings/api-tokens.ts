import type { Database } from '@/db/database';
import { listOperators, recordActivity } from '@/lib/auth/operators';
import { type ApiTokenInfo, createApiToken, listApiTokens, revokeApiToken } from '@/lib/review/tokens';
import { fieldErrorsOf } from '@/lib/review/validations';
import { type SettingsActor, type SettingsResult, actorLabel, failure, refuseUnlessAdmin } from './results';
import { createTokenFormSchema, revokeTokenSchema } from './validations';

// API tokens as the admin (Settings → API tokens) and the CLI (`foundups tokens`) manage them, on top of
// lib/review/tokens.ts (which creates, verifies and revokes). Adds the admin check, the form's
// "expires in N days", the activity log, and the creators' names for the list. No 'server-only': the
// CLI uses it too.

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ApiTokenListItem extends ApiTokenInfo {
  /** The creating operator's username; null when created from the command line. */
  createdByName: string | null;
}

/** The freshly created token and its secret: the only time the secret exists outside the agent. */
export interface CreatedApiToken {
  token: ApiTokenInfo;
  secret: string;
}

export async function createTokenAs(
  db: Database,
  actor: SettingsActor,
  input: unknown,
  options: { now?: Date } = {},
): Promise<SettingsResult<CreatedApiToken>> {
  const refused = refuseUnlessAdmin(actor);
  if (refused) return refused;
  const parsed = createTokenFormSchema.safeParse(input);
  if (!parsed.success)
    return failure('validation', 'Some fields need attention.', fieldErrorsOf(parsed.error));
  const now = options.now ?? new Date();
  const { name, scopes, expiresInDays } = parsed.data;
  const created = await createApiToken(
    db,
    {
      name,
      scopes,
      expiresAt:
        expiresInDays === null ? null : new Date(now.getTime() + expiresInDays * DAY_MS).toISOString(),
      createdBy: 'kind' in actor ? null : actor.id,
    },
    { now },
  );
  if (!created.ok) {
    // The form's expiresInDays is what the operator typed; createApiToken names it expiresAt.
    const { expiresAt, ...rest } = created.fieldErrors;
    return failure('validation', created.message, expiresAt ? { ...rest, expiresInDays: expiresAt } : rest);
  }
  // The secret never goes into the activity log: only what identifies the token.
  await recordActivity(
    db,
    actorLabel(actor),
    'token.create',
    `${created.token.name} (${created.token.prefix}…)`,
    {
      id: created.token.id,
      scopes: created.token.scopes,
      expiresAt: created.token.expiresAt,
    },
  );
  return {
    ok: true,
    message: `Created API token "${created.token.name}". Copy the secret now: you won't see it again.`,
    data: { token: created.token, secret: created.secret },
  };
}

export async function revokeTokenAs(
  db: Database,
  actor: SettingsActor,
  input: unknown,
  options: { now?: Date } = {},
): Promise<SettingsResult<{ token: ApiTokenInfo }>> {
  const refused = refuseUnlessAdmin(actor);
  if (refused) return refused;
  const parsed = revokeTokenSchema.safeParse(input);
  if (!parsed.success)
    return failure('validation', 'Some fields need attention.', fieldErrorsOf(parsed.error));
  const revoked = await revokeApiToken(db, parsed.data.id, options);
  if (!revoked.ok) return failure(revoked.code, revoked.message);
  await recordActivity(
    db,
    actorLabel(actor),
    'token.revoke',
    `${revoked.token.name} (${revoked.token.prefix}…)`,
    {
      id: revoked.token.id,
    },
  );
  return {
    ok: true,
    message: `Revoked API token "${revoked.token.name}": agents using it now get 401.`,
    data: { token: revoked.token },
  };
}

/** Every token, newest first, with its creator's name; never a secret or a hash. */
export async function listTokensWithCreators(
  db: Database,
  options: { now?: Date } = {},
): Promise<ApiTokenListItem[]> {
  const [tokens, operators] = await Promise.all([listApiTokens(db, options), listOperators(db)]);
  const names = new Map(operators.map((operator) => [operator.id, operator.username]));
  return tokens.map((token) => ({
    ...token,
    createdByName: token.createdBy === null ? null : (names.get(token.createdBy) ?? null),
  }));
}
