'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { recordActivity } from '@/lib/auth/operators';
import { validatedAction } from '@/lib/actions/validated-action';
import { databaseSource, findRelation } from './catalogue';
import type { JsonCheckColumn } from './compliance';
import { jsonColumns } from './compliance';
import { declaredJsonColumns } from './declared-json';
import {
  MAINTENANCE_LABELS,
  checkJsonColumns,
  maintenanceKinds,
  startExactCount,
  startMaintenance,
  startSizeMeasurement,
} from './maintenance';
import { setTablePurpose } from './purposes';
import { maintenanceInputSchema, purposeInputSchema, tableInputSchema } from './validations';

// The registry's server actions: counting, measuring and checking read the database only (any
// operator may start them); maintenance and purposes change it (admin). Each returns a typed result.

export type RegistryActionResult =
  | { ok: true; message: string; jobId?: number }
  | { ok: false; error: string; fieldErrors?: Record<string, string[]> };
export type JsonCheckActionResult =
  { ok: true; message: string; report: JsonCheckColumn[] } | { ok: false; error: string };

function revalidate(table?: string) {
  revalidatePath('/registry');
  if (table) revalidatePath(`/registry/${encodeURIComponent(table)}`);
}

export const countExactlyAction = validatedAction(
  'viewer',
  tableInputSchema,
  async ({ table }, operator): Promise<RegistryActionResult> => {
    const db = await getDb();
    const relation = await findRelation(databaseSource(db), table);
    if (!relation) return { ok: false, error: `There is no table ${table}.` };
    const { job, started } = await startExactCount(db, relation, operator.username);
    revalidate(table);
    return {
      ok: true,
      jobId: job.id,
      message: started ? `Counting ${table} in the background…` : `${table} is already being counted.`,
    };
  },
);

export const measureSizesAction = validatedAction(
  'viewer',
  z.object({}),
  async (_input, operator): Promise<RegistryActionResult> => {
    const db = await getDb();
    const { job, started } = await startSizeMeasurement(db, operator.username);
    revalidate();
    return {
      ok: true,
      jobId: job.id,
      message: started ? 'Measuring table sizes in the background…' : 'Sizes are already being measured.',
    };
  },
);

export const checkJsonAction = validatedAction(
  'viewer',
  tableInputSchema,
  async ({ table }): Promise<JsonCheckActionResult> => {
    const db = await getDb();
    const relation = await findRelation(databaseSource(db), table);
    if (!relation) return { ok: false, error: `There is no table ${table}.` };
    const columns = jsonColumns(relation, db.dialect, declaredJsonColumns().get(relation.name));
    if (columns.length === 0) return { ok: false, error: `${table} has no JSON columns.` };
    try {
      const report = await checkJsonColumns(db, relation, columns);
      revalidate(table);
      const invalid = report.reduce((sum, column) => sum + column.invalid, 0);
      return {
        ok: true,
        report,
        message: invalid
          ? `${invalid.toLocaleString('en-US')} values are not valid JSON.`
          : 'Every checked value is valid JSON.',
      };
    } catch (error) {
      return { ok: false, error: `The JSON check stopped: ${(error as Error).message}` };
    }
  },
);

export const startMaintenanceAction = validatedAction(
  'admin',
  maintenanceInputSchema,
  async ({ kind }, operator): Promise<RegistryActionResult> => {
    const db = await getDb();
    if (!maintenanceKinds(db.dialect).includes(kind))
      return { ok: false, error: `${MAINTENANCE_LABELS[kind]} is not available on this database.` };
    const { job, started } = await startMaintenance(db, kind, operator.username);
    if (started)
      await recordActivity(db, `operator:${operator.username}`, `registry.${kind}`, null, { jobId: job.id });
    revalidate();
    return {
      ok: true,
      jobId: job.id,
      message: started
        ? `${MAINTENANCE_LABELS[kind]} started.`
        : `${MAINTENANCE_LABELS[kind]} is already running.`,
    };
  },
);

export const savePurposeAction = validatedAction(
  'admin',
  purposeInputSchema,
  async ({ table, purpose, owner }, operator): Promise<RegistryActionResult> => {
    const db = await getDb();
    const relation = await findRelation(databaseSource(db), table);
    if (!relation) return { ok: false, error: `There is no table ${table}.` };
    await setTablePurpose(db, table, purpose, owner, operator.username);
    revalidate(table);
    return {
      ok: true,
      message: purpose ? `Saved the purpose of ${table}.` : `Cleared the purpose of ${table}.`,
    };
  },
);
