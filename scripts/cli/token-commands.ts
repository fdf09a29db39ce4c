import os from 'node:os';
import { openDatabase } from '@/db/client';
import { readDbConfig } from '@/db/config';
import type { Database } from '@/db/database';
import { API_TOKEN_SCOPES } from '@/lib/review/tokens';
import {
  type ApiTokenListItem,
  createTokenAs,
  listTokensWithCreators,
  revokeTokenAs,
} from '@/lib/settings/api-tokens';
import type { SettingsActor, SettingsFailure } from '@/lib/settings/results';
import { MAX_TOKEN_EXPIRY_DAYS } from '@/lib/settings/validations';
import { type ParsedArgs, UsageError, checkOptions, flag, intOption, stringOption } from './args';

// `foundups tokens create|list|revoke`: the agents' API tokens from the command line, with the same
// rules and activity log as Settings → API tokens. The secret is printed once, by `create`.

export const TOKENS_HELP = `  tokens create --name NAME --scopes S1,S2 [--expires-days D]
                                    create an API token for an agent and print its secret (once);
                                    scopes: ${API_TOKEN_SCOPES.join(', ')}
  tokens list [--json]              every token: prefix, scopes, status, creator, last use (never secrets)
  tokens revoke ID                  revoke a token: agents using it get 401 from then on`;

function cliActor(): SettingsActor {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the host still says where it ran.
  }
  return { kind: 'cli', label: `cli:${user}@${os.hostname()}` };
}

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(readDbConfig(), { create: true });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** The failure as one line on stderr; exit 2 for bad input (like usage errors), 1 otherwise. */
function reportFailure(result: SettingsFailure): number {
  const details = Object.entries(result.fieldErrors ?? {}).flatMap(([, messages]) => messages);
  const message = details.length > 0 ? details.join(' ') : result.error;
  console.error(`foundups: ${message}`);
  return result.code === 'validation' ? 2 : 1;
}

function describeStatus(token: ApiTokenListItem): string {
  if (token.status === 'revoked') return `revoked ${token.revokedAt}`;
  if (token.status === 'expired') return `expired ${token.expiresAt}`;
  return token.expiresAt ? `active until ${token.expiresAt}` : 'active, no expiry';
}

async function createCommand(args: ParsedArgs): Promise<number> {
  checkOptions(args, ['name', 'scopes', 'expires-days']);
  if (args.positionals.length > 2) throw new UsageError(`Unexpected argument "${args.positionals[2]}".`);
  const name = stringOption(args, 'name');
  const scopesText = stringOption(args, 'scopes');
  if (!name || !scopesText)
    throw new UsageError(
      'tokens create needs --name and --scopes (e.g. --scopes posts:write,posts:publish).',
    );
  const scopes = scopesText
    .split(/[\s,]+/)
    .map((scope) => scope.trim())
    .filter(Boolean);
  const unknown = scopes.filter((scope) => !(API_TOKEN_SCOPES as readonly string[]).includes(scope));
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown scope ${unknown.map((scope) => `"${scope}"`).join(', ')}: the scopes are ${API_TOKEN_SCOPES.join(', ')}.`,
    );
  }
  const days = intOption(args, 'expires-days');
  if (days !== undefined && (days < 1 || days > MAX_TOKEN_EXPIRY_DAYS)) {
    throw new UsageError(
      `--expires-days must be from 1 to ${MAX_TOKEN_EXPIRY_DAYS} (leave it out for a token that does not expire).`,
    );
  }
  const result = await withDb((db) =>
    createTokenAs(db, cliActor(), { name, scopes, expiresInDays: days ?? null }),
  );
  if (!result.ok) return reportFailure(result);
  const { token, secret } = result.data;
  console.log(
    `Created API token ${token.id} "${token.name}" (${token.prefix}…), scopes ${token.scopes.join(', ')}, ${token.expiresAt ? `expires ${token.expiresAt}` : 'no expiry'}.`,
  );
  console.log("The secret follows. Store it now: it is not kept anywhere and you won't see it again.");
  console.log(secret);
  return 0;
}

async function listCommand(args: ParsedArgs): Promise<number> {
  checkOptions(args, ['json']);
  if (args.positionals.length > 2) throw new UsageError(`Unexpected argument "${args.positionals[2]}".`);
  const tokens = await withDb((db) => listTokensWithCreators(db));
  if (flag(args, 'json')) {
    console.log(JSON.stringify(tokens, null, 2));
    return 0;
  }
  if (tokens.length === 0) {
    console.log(
      'No API tokens yet. Create one with: npx foundups tokens create --name NAME --scopes posts:write',
    );
    return 0;
  }
  for (const token of tokens) {
    console.log(
      [
        String(token.id).padStart(4),
        token.prefix.padEnd(12),
        token.name,
        `[${token.scopes.join(' ')}]`,
        describeStatus(token),
        `created ${token.createdAt} by ${token.createdByName ?? 'the CLI'}`,
        `last used ${token.lastUsedAt ?? 'never'}`,
      ].join('  '),
    );
  }
  return 0;
}

async function revokeCommand(args: ParsedArgs): Promise<number> {
  checkOptions(args, []);
  const [, , idText, extra] = args.positionals;
  if (!idText) throw new UsageError('tokens revoke needs the token id (see "npx foundups tokens list").');
  if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}".`);
  if (!/^\d{1,15}$/.test(idText) || Number(idText) < 1)
    throw new UsageError(`The token id is a whole number (got "${idText}").`);
  const result = await withDb((db) => revokeTokenAs(db, cliActor(), { id: Number(idText) }));
  if (!result.ok) return reportFailure(result);
  console.log(
    `Revoked API token ${result.data.token.id} "${result.data.token.name}" (${result.data.token.prefix}…): agents using it now get 401.`,
  );
  return 0;
}

export async function tokensCommand(args: ParsedArgs): Promise<number> {
  const sub = args.positionals[1];
  switch (sub) {
    case 'create':
      return createCommand(args);
    case 'list':
      return listCommand(args);
    case 'revoke':
      return revokeCommand(args);
    default:
      throw new UsageError('tokens needs one of: create, list, revoke.');
  }
}
