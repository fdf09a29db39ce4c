import crypto from 'node:crypto';
import { z } from 'zod';
import { type Database, type Row, sql } from '@/db/database';
import { type FieldErrors, fieldErrorsOf } from './validations';

// API tokens for agents that use /api/v1 instead of SQL (table modules_console_api_tokens).
// The secret is shown once, at creation; the database keeps only its SHA-256 and a short prefix for
// display and lookup. No 'server-only' here: the CLI creates and revokes tokens too.

export const API_TOKEN_SCOPES = ['posts:read', 'posts:write', 'posts:publish', 'events:write'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

export const API_TOKEN_SCOPE_DESCRIPTIONS: Readonly<Record<ApiTokenScope, string>> = {
  'posts:read': 'Read posts and list them by status',
  'posts:write': 'Create posts (as record_post does)',
  'posts:publish': 'List approved posts and mark them posted',
  'events:write': 'Write telemetry events',
};

/** Every secret starts with this, so leaked tokens are easy to recognise (and to scan for). */
export const API_TOKEN_PREFIX = 'fu_';
const SECRET_PATTERN = /^fu_[A-Za-z0-9_-]{43}$/;
/** Characters of the secret stored in clear: enough to tell tokens apart in a list, useless to an attacker. */
const DISPLAY_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 8;
/** last_used_at is refreshed at most this often, so a busy agent does not turn every read into a write. */
export const LAST_USED_RESOLUTION_MS = 60_000;

const TOKENS_TABLE = sql.raw('modules_console_api_tokens');

export type ApiTokenStatus = 'active' | 'revoked' | 'expired';

/** A token as lists show it: never the secret or its hash. */
export interface ApiTokenInfo {
  id: number;
  name: string;
  /** The first characters of the secret, e.g. `fu_AbC12xYz`. */
  prefix: string;
  scopes: ApiTokenScope[];
  createdBy: number | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: ApiTokenStatus;
}

function isScope(value: string): value is ApiTokenScope {
  return (API_TOKEN_SCOPES as readonly string[]).includes(value);
}

function tokenStatus(row: { revoked_at: unknown; expires_at: unknown }, now: Date): ApiTokenStatus {
  if (row.revoked_at) return 'revoked';
  if (row.expires_at && String(row.expires_at) <= now.toISOString()) return 'expired';
  return 'active';
}

function toTokenInfo(row: Row, now: Date): ApiTokenInfo {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    id: Number(row.id),
    name: String(row.name),
    prefix: String(row.token_prefix),
    // Stored space-separated; an unknown word (edited by hand) grants nothing.
    scopes: String(row.scopes).split(/\s+/).filter(isScope),
    createdBy: row.created_by === null || row.created_by === undefined ? null : Number(row.created_by),
    createdAt: String(row.created_at),
    expiresAt: text(row.expires_at),
    lastUsedAt: text(row.last_used_at),
    revokedAt: text(row.revoked_at),
    status: tokenStatus(row as { revoked_at: unknown; expires_at: unknown }, now),
  };
}

export function hashApiToken(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

export const createApiTokenSchema = z.object({
  name: z
    .string({ error: 'A name is required.' })
    .trim()
    .min(1, 'A name is required.')
    .max(100, 'Names are limited to 100 characters.'),
  scopes: z
    .array(z.enum(API_TOKEN_SCOPES, { error: `Scopes are: ${API_TOKEN_SCOPES.join(', ')}.` }), {
      error: 'Choose at least one scope.',
    })
    .min(1, 'Choose at least one scope.')
    .transform((scopes) => [...new Set(scopes)].toSorted()),
  /** ISO-8601 time with a zone, or null/absent for a token that does not expire. */
  expiresAt: z.iso
    .datetime({
      offset: true,
      error: 'The expiry must be an ISO-8601 time with a zone, e.g. 2026-12-31T00:00:00Z.',
    })
    .nullish()
    .transform((value) => (value ? new Date(value).toISOString() : null)),
  createdBy: z.number().int().positive().nullish(),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenSchema>;

export type CreateApiTokenResult =
  | { ok: true; token: ApiTokenInfo; /** Shown once; not stored anywhere. */ secret: string }
  | { ok: false; code: 'validation'; message: string; fieldErrors: FieldErrors };

export async function createApiToken(
  db: Database,
  input: CreateApiTokenInput,
  options: { now?: Date } = {},
): Promise<CreateApiTokenResult> {
  const now = options.now ?? new Date();
  const parsed = createApiTokenSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return {
      ok: false,
      code: 'validation',
      message: Object.values(fieldErrors)[0]?.[0] ?? 'Invalid token.',
      fieldErrors,
    };
  }
  const { name, scopes, expiresAt, createdBy } = parsed.data;
  if (expiresAt && expiresAt <= now.toISOString()) {
    const message = 'The expiry must be in the future.';
    return { ok: false, code: 'validation', message, fieldErrors: { expiresAt: [message] } };
  }
  const secret = `${API_TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
  const { rows } = await db.run(
    sql`INSERT INTO ${TOKENS_TABLE} (name, token_hash, token_prefix, scopes, created_by, created_at, expires_at)
        VALUES (${name}, ${hashApiToken(secret)}, ${secret.slice(0, DISPLAY_PREFIX_LENGTH)}, ${scopes.join(' ')}, ${createdBy ?? null}, ${now.toISOString()}, ${expiresAt})
        RETURNING *`,
  );
  return { ok: true, token: toTokenInfo(rows[0]!, now), secret };
}

export type VerifyApiTokenResult =
  | { ok: true; token: ApiTokenInfo }
  | { ok: false; code: 'missing' | 'invalid' | 'revoked' | 'expired'; status: 401; message: string }
  | { ok: false; code: 'forbidden'; status: 403; message: string; token: ApiTokenInfo };

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/**
 * Checks a presented secret: known (hash compared in constant time), not revoked, not expired, and
 * granted `requiredScope`. A success refreshes last_used_at (at most once a minute).
 */
export async function verifyApiToken(
  db: Database,
  presented: string | null | undefined,
  requiredScope: ApiTokenScope,
  options: { now?: Date } = {},
): Promise<VerifyApiTokenResult> {
  const now = options.now ?? new Date();
  if (!presented)
    return {
      ok: false,
      code: 'missing',
      status: 401,
      message: 'An API token is required (Authorization: Bearer fu_...).',
    };
  const invalid = {
    ok: false,
    code: 'invalid',
    status: 401,
    message: 'The API token is not valid.',
  } as const;
  if (!SECRET_PATTERN.test(presented)) return invalid;

  const presentedHash = Buffer.from(hashApiToken(presented), 'hex');
  const candidates = await db.allPrimary(
    sql`SELECT * FROM ${TOKENS_TABLE} WHERE token_prefix = ${presented.slice(0, DISPLAY_PREFIX_LENGTH)}`,
  );
  let match: Row | undefined;
  for (const row of candidates) {
    const stored = Buffer.from(String(row.token_hash), 'hex');
    if (stored.length === presentedHash.length && crypto.timingSafeEqual(stored, presentedHash)) match = row;
  }
  if (candidates.length === 0) crypto.timingSafeEqual(presentedHash, presentedHash); // same work on a miss
  if (!match) return invalid;

  const token = toTokenInfo(match, now);
  if (token.status === 'revoked')
    return { ok: false, code: 'revoked', status: 401, message: 'This API token was revoked.' };
  if (token.status === 'expired')
    return { ok: false, code: 'expired', status: 401, message: 'This API token has expired.' };
  if (!token.scopes.includes(requiredScope)) {
    return {
      ok: false,
      code: 'forbidden',
      status: 403,
      message: `This API token lacks the scope ${requiredScope}.`,
      token,
    };
  }
  const nowIso = now.toISOString();
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS).toISOString();
  const updated = await db.run(
    sql`UPDATE ${TOKENS_TABLE} SET last_used_at = ${nowIso} WHERE id = ${token.id} AND (last_used_at IS NULL OR last_used_at < ${stale})`,
  );
  return { ok: true, token: updated.changes > 0 ? { ...token, lastUsedAt: nowIso } : token };
}

export type RevokeApiTokenResult =
  { ok: true; token: ApiTokenInfo } | { ok: false; code: 'not_found' | 'already_revoked'; message: string };

export async function revokeApiToken(
  db: Database,
  id: number,
  options: { now?: Date } = {},
): Promise<RevokeApiTokenResult> {
  const now = options.now ?? new Date();
  const { rows } = await db.run(
    sql`UPDATE ${TOKENS_TABLE} SET revoked_at = ${now.toISOString()} WHERE id = ${id} AND revoked_at IS NULL RETURNING *`,
  );
  if (rows[0]) return { ok: true, token: toTokenInfo(rows[0], now) };
  const existing = await db.allPrimary(sql`SELECT id FROM ${TOKENS_TABLE} WHERE id = ${id}`);
  return existing.length > 0
    ? { ok: false, code: 'already_revoked', message: 'This API token was already revoked.' }
    : { ok: false, code: 'not_found', message: `There is no API token with id ${id}.` };
}

/** All tokens, newest first, without secrets or hashes. */
export async function listApiTokens(db: Database, options: { now?: Date } = {}): Promise<ApiTokenInfo[]> {
  const now = options.now ?? new Date();
  const rows = await db.all(sql`SELECT * FROM ${TOKENS_TABLE} ORDER BY id DESC`);
  return rows.map((row) => toTokenInfo(row, now));
}
