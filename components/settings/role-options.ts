import { ROLES, type Role } from '@/lib/auth/roles';

const ROLE_LABELS: Record<Role, string> = {
  viewer: 'Viewer — reads everything',
  reviewer: 'Reviewer — also approves and rejects posts',
  admin: 'Admin — also operators, tokens, ingest, SQL',
};

/** The roles for selects, lowest first, each with what it allows. */
export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));
/** The same roles with their bare names (for tight spaces such as a table cell). */
export const ROLE_SHORT_OPTIONS = ROLES.map((role) => ({ value: role, label: role }));
