import { SESSION_COOKIE } from '@/lib/auth/sessions';

export type SwitchDatabaseResult =
  { ok: true; database: string; signedIn: boolean } | { ok: false; error: string };

/** Where the session of a database the browser is not looking at waits (names are [a-z0-9_-]). */
export function stashedSessionCookie(database: string): string {
  return `${SESSION_COOKIE}__${database}`;
}
