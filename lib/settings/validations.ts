import { z } from 'zod';
import { roleSchema, usernameSchema } from '@/lib/auth/operators';
import { PasswordPolicyError, checkPasswordPolicy } from '@/lib/auth/password';
import { API_TOKEN_SCOPES } from '@/lib/review/tokens';

// What the Settings screen accepts from outside: its forms (FormData strings, coerced here). The
// password policy is lib/auth/password.ts's, the one the CLI applies: its length rule runs here so a
// form shows every wrong field at once; "must not contain the username" runs in the business
// functions, which know the username.

export type { FieldErrors } from '@/lib/review/validations';

/** Longest token lifetime the forms and the CLI accept: ten years. */
export const MAX_TOKEN_EXPIRY_DAYS = 3650;
export const MAX_DISPLAY_NAME_LENGTH = 100;

/** FormData sends '' for an empty input: treat it as absent (null). */
const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .nullish()
    .transform((value) => (value ? value : null));

/** A password field: never trimmed (spaces are characters), only bounded here. */
const passwordField = (required: string) =>
  z.string({ error: required }).min(1, required).max(256, 'The password can have at most 256 characters.');

/** A password being set: also checked against the policy's length rules. */
const newPasswordField = (required: string) =>
  z
    .string({ error: required })
    .min(1, { message: required, abort: true })
    .superRefine((password, context) => {
      try {
        checkPasswordPolicy(password);
      } catch (error) {
        if (!(error instanceof PasswordPolicyError)) throw error;
        context.addIssue({ code: 'custom', message: error.message });
      }
    });

export const changeOwnPasswordSchema = z
  .object({
    currentPassword: passwordField('Enter your current password.'),
    newPassword: newPasswordField('Enter a new password.'),
    confirmPassword: z.string({ error: 'Repeat the new password.' }).min(1, 'Repeat the new password.'),
  })
  .refine((value) => value.newPassword === value.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The two new passwords differ.',
  });
export type ChangeOwnPasswordInput = z.output<typeof changeOwnPasswordSchema>;

export const createOperatorSchema = z.object({
  username: z.string({ error: 'Enter a username.' }).pipe(usernameSchema),
  role: roleSchema,
  displayName: optionalText(
    MAX_DISPLAY_NAME_LENGTH,
    `The display name can have at most ${MAX_DISPLAY_NAME_LENGTH} characters.`,
  ),
  password: newPasswordField('Enter an initial password.'),
});
export type CreateOperatorInput = z.output<typeof createOperatorSchema>;

export const operatorTargetSchema = z.object({
  username: z.string({ error: 'Which operator?' }).pipe(usernameSchema),
});

export const setOperatorRoleSchema = operatorTargetSchema.extend({ role: roleSchema });

export const resetOperatorPasswordSchema = operatorTargetSchema.extend({
  password: newPasswordField('Enter a new password.'),
});

/** A single form value or the several values of same-named checkboxes, always as an array. */
const asArray = (value: unknown) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export const createTokenFormSchema = z.object({
  name: z
    .string({ error: 'A name is required.' })
    .trim()
    .min(1, 'A name is required.')
    .max(100, 'Names are limited to 100 characters.'),
  scopes: z.preprocess(
    asArray,
    z
      .array(z.enum(API_TOKEN_SCOPES, { error: `Scopes are: ${API_TOKEN_SCOPES.join(', ')}.` }))
      .min(1, 'Choose at least one scope.'),
  ),
  /** Empty: the token does not expire. */
  expiresInDays: z.preprocess(
    (value) => (value === '' || value === undefined || value === null ? null : value),
    z.coerce
      .number({ error: 'The expiry is a number of days.' })
      .int('The expiry is a whole number of days.')
      .min(1, 'The expiry is at least 1 day (leave it empty for a token that does not expire).')
      .max(MAX_TOKEN_EXPIRY_DAYS, `The expiry is at most ${MAX_TOKEN_EXPIRY_DAYS} days.`)
      .nullable(),
  ),
});
export type CreateTokenFormInput = z.output<typeof createTokenFormSchema>;

export const revokeTokenSchema = z.object({
  id: z.coerce.number({ error: 'Which token?' }).int('Which token?').positive('Which token?'),
});
