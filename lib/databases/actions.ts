'use server';

import { cookies } from 'next/headers';
import { DATABASE_COOKIE, configuredDatabases, currentDatabase } from '@/db/multi-database';
import { requestIsHttps } from '@/lib/auth/current';
import { SESSION_COOKIE, SESSION_MAX_MS } from '@/lib/auth/sessions';
import { type SwitchDatabaseResult, stashedSessionCookie } from './switching';

/**
 * The header switcher. Operators and sessions live in each database (see README), so the browser keeps
 * one session cookie per database: the current database's in the usual session cookie, the others'
 * set aside under their own names until the browser switches back. Needs no sign-in: it only changes
 * which database this browser looks at; every read and write still needs a session in that database.
 */
export async function switchDatabase(name: unknown): Promise<SwitchDatabaseResult> {
  const config = configuredDatabases();
  const target = config.databases.find((entry) => entry.name === name);
  if (!target) {
    return {
      ok: false,
      error: `There is no database named ${JSON.stringify(String(name)).slice(0, 60)}; configured: ${config.databases.map((entry) => entry.name).join(', ')}.`,
    };
  }
  const current = (await currentDatabase(config)).name;
  const jar = await cookies();
  const secure = await requestIsHttps();
  const sessionOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    path: '/',
    maxAge: Math.floor(SESSION_MAX_MS / 1000),
  };
  let signedIn = Boolean(jar.get(SESSION_COOKIE)?.value);
  if (current !== target.name) {
    const session = jar.get(SESSION_COOKIE)?.value;
    if (session) jar.set(stashedSessionCookie(current), session, sessionOptions);
    const restored = jar.get(stashedSessionCookie(target.name))?.value;
    if (restored) {
      jar.set(SESSION_COOKIE, restored, sessionOptions);
      jar.delete(stashedSessionCookie(target.name));
    } else {
      jar.delete(SESSION_COOKIE);
    }
    signedIn = Boolean(restored);
  }
  // A browser-session cookie (no max-age): a restarted browser starts on the default database.
  // Readable by the page, so a tab can notice that another tab switched.
  jar.set(DATABASE_COOKIE, target.name, { httpOnly: false, sameSite: 'lax', secure, path: '/' });
  return { ok: true, database: target.name, signedIn };
}
