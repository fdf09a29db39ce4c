import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/db/client';
import type { Operator } from './operators';
import { type Role, roleAtLeast } from './roles';
import { SESSION_COOKIE, getSessionOperator } from './sessions';

export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
  constructor(required: Role) {
    super(`This needs the ${required} role.`);
  }
}

export class UnauthenticatedError extends Error {
  override name = 'UnauthenticatedError';
  constructor() {
    super('Sign in first.');
  }
}

/** The signed-in operator of this request (cached per request), or null. */
export const getCurrentOperator = cache(async (): Promise<Operator | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return getSessionOperator(await getDb(), token);
});

/** For pages: redirects anonymous visitors to /login and refuses a role that is too low. */
export async function requireOperator(role: Role = 'viewer'): Promise<Operator> {
  const operator = await getCurrentOperator();
  if (!operator) redirect('/login');
  if (!roleAtLeast(operator.role, role)) throw new ForbiddenError(role);
  return operator;
}

/** For actions and route handlers: throws instead of redirecting. */
export async function authorize(role: Role = 'viewer'): Promise<Operator> {
  const operator = await getCurrentOperator();
  if (!operator) throw new UnauthenticatedError();
  if (!roleAtLeast(operator.role, role)) throw new ForbiddenError(role);
  return operator;
}

export async function clientAddress(): Promise<string> {
  const h = await headers();
  return h.get('x-forwarded-for')?.split(',')[0]?.trim() || h.get('x-real-ip') || 'local';
}

/**
 * Cookies are Secure when the console is served over HTTPS, directly or behind a proxy: Next's server
 * sets x-forwarded-proto from the socket when no proxy did; a chain of proxies lists the client's
 * protocol first. FOUNDUPS_SECURE_COOKIES=1 forces it (a TLS proxy that sends no such header).
 */
export function isHttpsRequest(h: Pick<Headers, 'get'>): boolean {
  if (process.env.FOUNDUPS_SECURE_COOKIES === '1') return true;
  const forwardedProto = h.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwardedProto) return forwardedProto === 'https';
  return /(?:^|[;,\s])proto=https(?:$|[;,\s])/i.test(h.get('forwarded') ?? '');
}

export async function requestIsHttps(): Promise<boolean> {
  return isHttpsRequest(await headers());
}
