'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { recordActivity } from '@/lib/auth/operators';
import { validatedAction } from '@/lib/actions/validated-action';
import { ScanRefusedError, startSatelliteScan } from './scan';
import { DeclaredConflictError, createDeclared, deleteDeclared, updateDeclared } from './store';
import { declaredDeleteSchema, declaredInputSchema, declaredUpdateSchema } from './validations';

// Satellite administration (admin only): start a scan, declare / edit / remove satellites.

export type SatelliteActionResult =
  | { ok: true; message: string; jobId?: number }
  | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

function revalidate() {
  revalidatePath('/satellites', 'layout');
}

export const startScanAction = validatedAction(
  'admin',
  z.object({}),
  async (_input, operator): Promise<SatelliteActionResult> => {
    const db = await getDb();
    try {
      const { job, started } = await startSatelliteScan(db, operator.username);
      if (started)
        await recordActivity(db, `operator:${operator.username}`, 'satellite.scan', null, { jobId: job.id });
      revalidate();
      return { ok: true, jobId: job.id, message: started ? 'Scan started.' : 'A scan is already running.' };
    } catch (error) {
      if (error instanceof ScanRefusedError) return { ok: false, error: error.message };
      throw error;
    }
  },
);

export const createDeclaredAction = validatedAction(
  'admin',
  declaredInputSchema,
  async (input, operator): Promise<SatelliteActionResult> => {
    try {
      const created = await createDeclared(await getDb(), input, operator.username);
      revalidate();
      return { ok: true, message: `Declared ${created.pattern}.` };
    } catch (error) {
      if (error instanceof DeclaredConflictError)
        return { ok: false, error: error.message, fieldErrors: { pattern: [error.message] } };
      throw error;
    }
  },
);

export const updateDeclaredAction = validatedAction(
  'admin',
  declaredUpdateSchema,
  async ({ id, expectedUpdatedAt, ...input }, operator): Promise<SatelliteActionResult> => {
    try {
      const updated = await updateDeclared(await getDb(), id, input, operator.username, expectedUpdatedAt);
      revalidate();
      if (!updated)
        return {
          ok: false,
          error:
            'Someone changed or removed this satellite meanwhile; the list now shows the current version. Nothing was saved.',
        };
      return { ok: true, message: `Saved ${updated.pattern}.` };
    } catch (error) {
      if (error instanceof DeclaredConflictError)
        return { ok: false, error: error.message, fieldErrors: { pattern: [error.message] } };
      throw error;
    }
  },
);

export const deleteDeclaredAction = validatedAction(
  'admin',
  declaredDeleteSchema,
  async ({ id }, operator): Promise<SatelliteActionResult> => {
    const removed = await deleteDeclared(await getDb(), id, operator.username);
    revalidate();
    return removed
      ? { ok: true, message: 'The satellite is no longer declared.' }
      : { ok: false, error: 'That satellite was already removed.' };
  },
);
