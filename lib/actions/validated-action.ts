import 'server-only';
import { z } from 'zod';
import { DatabaseBusyError } from '@/db/database';
import { requestDatabaseRefusal } from '@/db/multi-database';
import { ForbiddenError, UnauthenticatedError, authorize } from '@/lib/auth/current';
import type { Operator } from '@/lib/auth/operators';
import type { Role } from '@/lib/auth/roles';

export type ActionResult<T = undefined> =
  | ({ ok: true; message?: string } & (T extends undefined ? object : { data: T }))
  | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

export type FieldErrors = Record<string, string[]>;

function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith('$ACTION')) continue;
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/**
 * The one shape of every server action: same database as the page → authorise (role) → parse (zod;
 * FormData coerced) → body. A page rendered for one database never writes to another (db/multi-database.ts).
 * Known failures come back as `{ ok: false, error }`; nothing throws to the client as a 500.
 */
export function validatedAction<S extends z.ZodType, R>(
  role: Role,
  schema: S,
  body: (input: z.output<S>, operator: Operator) => Promise<R>,
): (input: FormData | z.input<S>) => Promise<R | { ok: false; error: string; fieldErrors?: FieldErrors }> {
  return async (input) => {
    const crossing = await requestDatabaseRefusal();
    if (crossing) return { ok: false, error: crossing };
    let operator: Operator;
    try {
      operator = await authorize(role);
    } catch (error) {
      if (error instanceof UnauthenticatedError || error instanceof ForbiddenError)
        return { ok: false, error: error.message };
      throw error;
    }
    const parsed = schema.safeParse(input instanceof FormData ? formDataToObject(input) : input);
    if (!parsed.success) {
      const fieldErrors: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join('.') || 'form';
        (fieldErrors[key] ??= []).push(issue.message);
      }
      return { ok: false, error: 'Some fields need attention.', fieldErrors };
    }
    try {
      return await body(parsed.data, operator);
    } catch (error) {
      if (error instanceof DatabaseBusyError) return { ok: false, error: error.message };
      throw error;
    }
  };
}
