'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { clientAddress, requestIsHttps } from './current';
import {
  OperatorError,
  createOperator,
  findOperatorForLogin,
  recordActivity,
  usernameSchema,
} from './operators';
import { PasswordPolicyError, dummyPasswordHash, verifyPassword } from './password';
import { loginBlockedFor, recordLoginAttempt } from './rate-limit';
import { SESSION_COOKIE, SESSION_MAX_MS, createSession, revokeSession } from './sessions';
import { checkSetupToken, consumeSetupToken } from './setup-token';

export interface FormState {
  error?: string;
  fieldErrors?: Record<string, string[]>;
  /** Echo of non-secret input so the form keeps it after an error. */
  username?: string;
}

const loginSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username.').max(64),
  password: z.string().min(1, 'Enter your password.').max(256),
  next: z.string().optional(),
});

/** Only same-site paths, never an absolute URL: no open redirect after sign-in. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/**
 * A new, server-generated token for every sign-in; a session cookie the browser already had (someone
 * else's, or one planted before sign-in) is revoked, never adopted.
 */
async function startSession(operatorId: number): Promise<void> {
  const h = await headers();
  const db = await getDb();
  const previous = (await cookies()).get(SESSION_COOKIE)?.value;
  if (previous) await revokeSession(db, previous);
  const { token } = await createSession(db, operatorId, {
    userAgent: h.get('user-agent'),
    ip: await clientAddress(),
  });
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: await requestIsHttps(),
    path: '/',
    maxAge: Math.floor(SESSION_MAX_MS / 1000),
  });
}

export async function login(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = loginSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return {
      error: 'Enter your username and password.',
      fieldErrors: z.flattenError(parsed.error).fieldErrors,
      username: String(form.get('username') ?? ''),
    };
  }
  const username = parsed.data.username.toLowerCase();
  const db = await getDb();
  const ip = await clientAddress();
  const wait = await loginBlockedFor(db, username, ip);
  if (wait > 0) {
    return {
      error: `Too many failed sign-in attempts. Try again in ${Math.ceil(wait / 60)} minute(s).`,
      username,
    };
  }
  const operator = await findOperatorForLogin(db, username);
  // Hash even for unknown users so response time does not reveal which usernames exist.
  const valid = await verifyPassword(
    parsed.data.password,
    operator?.passwordHash ?? (await dummyPasswordHash()),
  );
  if (!operator || !valid || operator.disabledAt) {
    await recordLoginAttempt(db, username, ip, false);
    return {
      error: operator?.disabledAt && valid ? 'This account is disabled.' : 'Wrong username or password.',
      username,
    };
  }
  await recordLoginAttempt(db, username, ip, true);
  await startSession(operator.id);
  await recordActivity(db, `operator:${operator.username}`, 'session.login', null, { ip });
  redirect(safeNext(parsed.data.next));
}

export async function logout(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) await revokeSession(await getDb(), token);
  jar.delete(SESSION_COOKIE);
  redirect('/login');
}

const setupSchema = z
  .object({
    token: z.string().min(1),
    username: usernameSchema,
    password: z.string(),
    confirm: z.string(),
  })
  .refine((value) => value.password === value.confirm, {
    path: ['confirm'],
    message: 'The two passwords differ.',
  });

export async function setupFirstAdmin(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = setupSchema.safeParse(Object.fromEntries(form));
  const username = String(form.get('username') ?? '');
  if (!parsed.success)
    return {
      error: 'Some fields need attention.',
      fieldErrors: z.flattenError(parsed.error).fieldErrors,
      username,
    };
  const db = await getDb();
  if (!(await checkSetupToken(db, parsed.data.token))) {
    return {
      error: 'This setup link is invalid or has expired. Run "npx foundups setup-link" for a new one.',
      username,
    };
  }
  try {
    const operator = await createOperator(
      db,
      { username: parsed.data.username, role: 'admin', password: parsed.data.password },
      'setup-link',
      {
        onlyIfNoOperators: true,
      },
    );
    await consumeSetupToken(db);
    await startSession(operator.id);
  } catch (error) {
    if (error instanceof PasswordPolicyError)
      return { fieldErrors: { password: [error.message] }, error: error.message, username };
    if (error instanceof OperatorError) return { error: error.message, username };
    throw error;
  }
  redirect('/');
}
