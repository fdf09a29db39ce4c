import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

// scrypt is memory-hard: N=2^15, r=8 needs 32 MiB per hash, ~50–100 ms here.
const PARAMS = { N: 1 << 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

export const MIN_PASSWORD_LENGTH = 10;

export class PasswordPolicyError extends Error {
  override name = 'PasswordPolicyError';
}

export function checkPasswordPolicy(password: string, username?: string): void {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw new PasswordPolicyError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (password.length > 256) throw new PasswordPolicyError('The password must have at most 256 characters.');
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    throw new PasswordPolicyError('The password must not contain the username.');
  }
}

/** Format: scrypt$N$r$p$salt(base64)$hash(base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...PARAMS, maxmem: MAX_MEMORY });
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** False for a wrong password and for any stored value that is not an intact hash (never throws). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !hash || rest.length > 0) return false;
  const expected = Buffer.from(hash, 'base64');
  // A damaged hash that decodes to (almost) nothing would otherwise match every password.
  if (expected.length < 16) return false;
  let actual: Buffer;
  try {
    actual = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: MAX_MEMORY,
    });
  } catch {
    // Parameters scrypt refuses (not numbers, not a power of two, over the memory cap) mean a damaged hash.
    return false;
  }
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

/** A hash to compare against when the user does not exist, so timing does not reveal usernames. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummyHash;
}
