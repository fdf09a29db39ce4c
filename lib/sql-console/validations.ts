import { z } from 'zod';
import { MAX_STATEMENT_LENGTH } from './statement-check';

export const runQueryInputSchema = z.object({
  sql: z
    .string({ error: 'Write a statement to run.' })
    .max(MAX_STATEMENT_LENGTH, 'The statement is too long.'),
});

export const saveQueryInputSchema = z.object({
  name: z.string().trim().min(1, 'Name the query.').max(100, 'Keep the name under 100 characters.'),
  sql: z
    .string()
    .trim()
    .min(1, 'There is no statement to save.')
    .max(MAX_STATEMENT_LENGTH, 'The statement is too long.'),
  description: z
    .string()
    .trim()
    .max(500, 'Keep the description under 500 characters.')
    .optional()
    .transform((value) => value || null),
});

export const deleteQueryInputSchema = z.object({ id: z.coerce.number().int().positive() });

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export const exportQueryInputSchema = z.object({
  sql: z.string().min(1).max(MAX_STATEMENT_LENGTH),
  format: z.enum(EXPORT_FORMATS),
});
