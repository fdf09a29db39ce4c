// Closed value sets the console relies on. Zod enums (lib/*/validations.ts) and the schema's typed
// columns are built from these arrays, so a value is added in one place.

/**
 * Statuses of agents_social_posts rows, in workflow order. `draft` is the column default and
 * `pending_review` what the agents' record_post writes. The agents' own updates check nothing, so a
 * row read from the database may hold any text: check with isPostStatus before relying on it.
 */
export const POST_STATUSES = ['draft', 'pending_review', 'approved', 'rejected', 'posted'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export function isPostStatus(value: unknown): value is PostStatus {
  return typeof value === 'string' && (POST_STATUSES as readonly string[]).includes(value);
}

/** Operator roles, least to most privileged (a CHECK constraint on modules_console_operators enforces them). */
export const OPERATOR_ROLES = ['viewer', 'reviewer', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export function isOperatorRole(value: unknown): value is OperatorRole {
  return typeof value === 'string' && (OPERATOR_ROLES as readonly string[]).includes(value);
}
