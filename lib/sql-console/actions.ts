'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db/client';
import { validatedAction } from '@/lib/actions/validated-action';
import { type ConsoleResult, ConsoleRefusal, checkConsoleStatement, runConsoleQuery } from './run-query';
import { deleteSavedQuery, saveQuery } from './saved-queries';
import { deleteQueryInputSchema, runQueryInputSchema, saveQueryInputSchema } from './validations';

// The SQL console's actions (admin only). A refused or failed statement is a result the console shows,
// not an exception: the operator sees why.

export type RunQueryResult =
  | { ok: true; result: ConsoleResult }
  | { ok: false; error: string; code?: string; fieldErrors?: Record<string, string[]> };
export type SavedQueryResult =
  { ok: true; message: string } | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

export const runQueryAction = validatedAction(
  'admin',
  runQueryInputSchema,
  async ({ sql }): Promise<RunQueryResult> => {
    try {
      return { ok: true, result: await runConsoleQuery(await getDb(), sql) };
    } catch (error) {
      if (error instanceof ConsoleRefusal) return { ok: false, error: error.message, code: error.code };
      return { ok: false, error: `The database said: ${(error as Error).message}`, code: 'SQL_ERROR' };
    }
  },
);

export const saveQueryAction = validatedAction(
  'admin',
  saveQueryInputSchema,
  async (input, operator): Promise<SavedQueryResult> => {
    const db = await getDb();
    try {
      checkConsoleStatement(db, input.sql);
    } catch (error) {
      if (error instanceof ConsoleRefusal)
        return { ok: false, error: `Not saved: ${error.message}`, fieldErrors: { sql: [error.message] } };
      throw error;
    }
    await saveQuery(db, input, operator.username);
    revalidatePath('/sql');
    return { ok: true, message: `Saved "${input.name}".` };
  },
);

export const deleteQueryAction = validatedAction(
  'admin',
  deleteQueryInputSchema,
  async ({ id }, operator): Promise<SavedQueryResult> => {
    const removed = await deleteSavedQuery(await getDb(), id, operator.username);
    revalidatePath('/sql');
    return removed
      ? { ok: true, message: 'Deleted the saved query.' }
      : { ok: false, error: 'That query was already deleted.' };
  },
);
