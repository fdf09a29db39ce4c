'use server';

import { revalidatePath } from 'next/cache';
import { cookies } from 'next/headers';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { validatedAction } from '@/lib/actions/validated-action';
import { clientAddress } from '@/lib/auth/current';
import { SESSION_COOKIE, hashToken } from '@/lib/auth/sessions';
import { changeOwnPassword, signOutOtherSessions } from './account';
import { createTokenAs, revokeTokenAs } from './api-tokens';
import {
  adminCreateOperator,
  adminDisableOperator,
  adminEnableOperator,
  adminResetPassword,
  adminSetOperatorRole,
} from './operator-admin';
import type { SettingsResult } from './results';
import {
  changeOwnPasswordSchema,
  createOperatorSchema,
  createTokenFormSchema,
  operatorTargetSchema,
  resetOperatorPasswordSchema,
  revokeTokenSchema,
  setOperatorRoleSchema,
} from './validations';

// The Settings screen's server actions: validatedAction checks the session and the role (viewer for
// one's own account, admin for everything else) and parses the form; the business functions check
// the role again and hold the rules. Results never contain a password; the only secret ever returned
// is a freshly created API token's, once, in the result of the action that created it.

/** The stored id of the session making this request: the one a password change keeps. */
async function currentSessionId(): Promise<string | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return token ? hashToken(token) : null;
}

/** A result without `data`: what the forms need, and nothing that could carry a secret. */
function withoutData<T>(result: SettingsResult<T>) {
  if (!result.ok) return result;
  return { ok: true as const, message: result.message };
}

function revalidateSettings(): void {
  revalidatePath('/settings', 'layout');
}

export const changeOwnPasswordAction = validatedAction(
  'viewer',
  changeOwnPasswordSchema,
  async (input, operator) => {
    const result = await changeOwnPassword(await getDb(), operator, input, {
      keepSessionId: await currentSessionId(),
      ip: await clientAddress(),
    });
    if (result.ok) revalidateSettings();
    return withoutData(result);
  },
);

export const signOutOtherSessionsAction = validatedAction(
  'viewer',
  z.object({}),
  async (_input, operator) => {
    const result = await signOutOtherSessions(await getDb(), operator, {
      keepSessionId: await currentSessionId(),
    });
    revalidateSettings();
    return withoutData(result);
  },
);

export const createOperatorAction = validatedAction(
  'admin',
  createOperatorSchema,
  async (input, operator) => {
    const result = await adminCreateOperator(await getDb(), operator, input);
    if (result.ok) revalidateSettings();
    return withoutData(result);
  },
);

export const setOperatorRoleAction = validatedAction(
  'admin',
  setOperatorRoleSchema,
  async (input, operator) => {
    const result = await adminSetOperatorRole(await getDb(), operator, input);
    if (result.ok) revalidateSettings();
    return withoutData(result);
  },
);

export const disableOperatorAction = validatedAction(
  'admin',
  operatorTargetSchema,
  async (input, operator) => {
    const result = await adminDisableOperator(await getDb(), operator, input);
    if (result.ok) revalidateSettings();
    return withoutData(result);
  },
);

export const enableOperatorAction = validatedAction(
  'admin',
  operatorTargetSchema,
  async (input, operator) => {
    const result = await adminEnableOperator(await getDb(), operator, input);
    if (result.ok) revalidateSettings();
    return withoutData(result);
  },
);

export const resetOperatorPasswordAction = validatedAction(
  'admin',
  resetOperatorPasswordSchema,
  async (input, operator) => {
    const result = await adminResetPassword(await getDb(), operator, input);
    if (result.ok) revalidateSettings();
    return withoutData(result);
  },
);

export const createApiTokenAction = validatedAction(
  'admin',
  createTokenFormSchema,
  async (input, operator) => {
    const result = await createTokenAs(await getDb(), operator, input);
    if (!result.ok) return result;
    revalidateSettings();
    // The secret, once: the screen shows it and keeps it nowhere else.
    return {
      ok: true as const,
      message: result.message,
      secret: result.data.secret,
      token: { name: result.data.token.name, prefix: result.data.token.prefix },
    };
  },
);

export const revokeApiTokenAction = validatedAction('admin', revokeTokenSchema, async (input, operator) => {
  const result = await revokeTokenAs(await getDb(), operator, input);
  // Already revoked or gone: the list the admin looks at is stale either way.
  revalidateSettings();
  return withoutData(result);
});
