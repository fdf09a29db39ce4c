import { z } from 'zod';

// What the registry's actions accept from a browser (each action is a public endpoint).

const tableName = z
  .string({ error: 'Name a table.' })
  .min(1, 'Name a table.')
  .max(512, 'That is not a table name.')
  .refine((value) => !value.includes('\u0000'), 'That is not a table name.');

export const tableInputSchema = z.object({ table: tableName });

export const purposeInputSchema = z.object({
  table: tableName,
  purpose: z.string().trim().max(500, 'Keep the purpose under 500 characters.'),
  owner: z
    .string()
    .trim()
    .max(100, 'Keep the owner under 100 characters.')
    .optional()
    .transform((value) => value || null),
});

export const MAINTENANCE_KINDS = ['quick_check', 'integrity_check', 'analyze', 'checkpoint'] as const;

export const maintenanceInputSchema = z.object({
  kind: z.enum(MAINTENANCE_KINDS, { error: 'Unknown maintenance task.' }),
});
