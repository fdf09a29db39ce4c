import { z } from 'zod';

// A declared satellite as an admin edits it (FormData strings coerced; empty optional fields are null).

const CONTROL = /[\u0000-\u001f\u007f]/;

const text = (label: string, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(max, `${label} can have at most ${max} characters.`)
    .refine((value) => !CONTROL.test(value), `${label} cannot contain control characters.`);

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} can have at most ${max} characters.`)
    .refine((value) => !CONTROL.test(value), `${label} cannot contain control characters.`)
    .optional()
    .transform((value) => value || null);

export const patternSchema = text('The path pattern', 300)
  .refine(
    (value) => !value.split(/[\\/]/).includes('..'),
    'The pattern must stay inside the root (no ".." segments).',
  )
  .refine(
    (value) => !/^[A-Za-z]:/.test(value),
    'Write the pattern relative to the root (a leading "/" anchors it to the root).',
  )
  .refine((value) => !value.endsWith('/'), 'The pattern names files: it cannot end with "/".');

export const declaredInputSchema = z.object({
  pattern: patternSchema,
  owner: text('The owner', 100),
  rationale: text('The rationale', 500),
  phase: z
    .union([
      z.literal(''),
      z.coerce
        .number({ error: 'The phase is a number from 1 to 9.' })
        .int('The phase is a whole number.')
        .min(1, 'Phases start at 1.')
        .max(9, 'Phases go up to 9.'),
    ])
    .optional()
    .transform((value) => (value === '' || value === undefined ? null : value)),
  plan: optionalText('The plan', 500),
});

export const declaredUpdateSchema = declaredInputSchema.extend({
  id: z.coerce.number().int().positive(),
  expectedUpdatedAt: z.string().min(1).max(40),
});

export const declaredDeleteSchema = z.object({ id: z.coerce.number().int().positive() });
