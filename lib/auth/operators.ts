import { z } from 'zod';
import { type Database, type SQL, sql } from '@/db/database';
import { nowIso } from '@/lib/time/format';
import { checkPasswordPolicy, hashPassword } from './password';
import { ROLES, type Role } from './roles';

export interface Operator {
  id: number;
  username: string;
  displayName: string | null;
  role: Role;
  disabledAt: string | null;
  createdAt: string;
}

interface OperatorRow {
  id: number;
  username: string;
  display_name: string | null;
  role: Role;
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
}

export class OperatorError extends Error {
  override name = 'OperatorError';
}

export const usernameSchema = z
  .string()
  .trim()
  .min(2, 'The username needs at least 2 characters.')
  .max(64, 'The username can have at most 64 characters.')
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'The username may contain letters, digits, dot, dash and underscore.')
  .transform((value) => value.toLowerCase());

export const roleSchema = z.enum(ROLES, { error: `The role must be one of ${ROLES.join(', ')}.` });

function toOperator(row: OperatorRow): Operator {
  return {
    id: Number(row.id),
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
  };
}

export async function countOperators(db: Database): Promise<number> {
  const row = await db.allPrimary<{ n: number }>(sql`SELECT COUNT(*) AS n FROM modules_console_operators`);
  return Number(row[0]?.n ?? 0);
}

export async function listOperators(db: Database): Promise<Operator[]> {
  const rows = await db.all<OperatorRow>(sql`SELECT * FROM modules_console_operators ORDER BY username`);
  return rows.map(toOperator);
}

/** The operator and its password hash (for sign-in only). */
export async function findOperatorForLogin(
  db: Database,
  username: string,
): Promise<(Operator & { passwordHash: string }) | undefined> {
  const rows = await db.allPrimary<OperatorRow>(
    sql`SELECT * FROM modules_console_operators WHERE username = ${username.trim().toLowerCase()}`,
  );
  const row = rows[0];
  return row ? { ...toOperator(row), passwordHash: row.password_hash } : undefined;
}

export async function getOperator(db: Database, id: number): Promise<Operator | undefined> {
  const row = await db.get<OperatorRow>(sql`SELECT * FROM modules_console_operators WHERE id = ${id}`);
  return row ? toOperator(row) : undefined;
}

export async function recordActivity(
  db: Database,
  actor: string,
  action: string,
  target: string | null,
  detail?: unknown,
): Promise<void> {
  await db.run(
    sql`INSERT INTO modules_console_activity (at, actor, action, target, detail_json) VALUES (${nowIso()}, ${actor}, ${action}, ${target}, ${detail === undefined ? null : JSON.stringify(detail)})`,
  );
}

export async function createOperator(
  db: Database,
  input: { username: string; role: Role; password: string; displayName?: string | null },
  actor = 'cli',
  options: { onlyIfNoOperators?: boolean } = {},
): Promise<Operator> {
  const username = usernameSchema.parse(input.username);
  const role = roleSchema.parse(input.role);
  checkPasswordPolicy(input.password, username);
  const hash = await hashPassword(input.password);
  const now = nowIso();
  const results = await db.transaction([
    sql`SELECT (SELECT COUNT(*) FROM modules_console_operators) AS total,
      (SELECT COUNT(*) FROM modules_console_operators WHERE username = ${username}) AS same`,
    (previous) => {
      const counts = previous[0]!.rows[0] as { total: number; same: number };
      if (options.onlyIfNoOperators && Number(counts.total) > 0) {
        throw new OperatorError('This console already has operators: ask an admin for an account.');
      }
      if (Number(counts.same) > 0) throw new OperatorError(`An operator named "${username}" already exists.`);
      return sql`INSERT INTO modules_console_operators (username, display_name, role, password_hash, created_at, updated_at)
        VALUES (${username}, ${input.displayName ?? null}, ${role}, ${hash}, ${now}, ${now}) RETURNING *`;
    },
    sql`INSERT INTO modules_console_activity (at, actor, action, target, detail_json) VALUES (${now}, ${actor}, 'operator.create', ${username}, ${JSON.stringify({ role })})`,
  ]);
  return toOperator(results[1]!.rows[0] as unknown as OperatorRow);
}

/** The operator named does not exist. */
export class UnknownOperatorError extends OperatorError {
  override name = 'UnknownOperatorError';
}

/** The change would leave the console without an active admin. */
export class LastAdminError extends OperatorError {
  override name = 'LastAdminError';
}

const endSessionsOf = (username: string, now: string): SQL =>
  sql`UPDATE modules_console_sessions SET revoked_at = ${now}
    WHERE revoked_at IS NULL AND operator_id = (SELECT id FROM modules_console_operators WHERE username = ${username})`;

interface OperatorChange {
  assignment: SQL;
  action: string;
  /** The change takes the admin role away (demotion, disabling): refused for the last active admin. */
  removesAdmin?: boolean;
  detail?: unknown;
  extra?: SQL[];
}

/**
 * Every change of an operator, from the CLI and from Settings alike. The last-admin guard reads the
 * active admins (and on PostgreSQL locks them, so a concurrent demotion waits and then sees this one)
 * in the same transaction as the write: a check before the write would let two admins demote each
 * other at once and leave the console without an admin. SQLite's BEGIN IMMEDIATE serialises writers.
 */
async function updateOperator(db: Database, username: string, change: OperatorChange, actor: string) {
  const name = usernameSchema.parse(username);
  const now = nowIso();
  const lock = db.dialect === 'postgres' ? sql.raw(' FOR UPDATE') : sql.raw('');
  const results = await db.transaction([
    sql`SELECT username FROM modules_console_operators WHERE role = 'admin' AND disabled_at IS NULL${lock}`,
    sql`SELECT username FROM modules_console_operators WHERE username = ${name}${lock}`,
    (previous) => {
      if (previous[1]!.rows.length === 0) throw new UnknownOperatorError(`No operator named "${name}".`);
      const activeAdmins = previous[0]!.rows.map((row) => String(row.username));
      if (change.removesAdmin && activeAdmins.length === 1 && activeAdmins[0] === name)
        throw new LastAdminError(
          `${name} is the last active admin: the console would have no admin left. Make another operator an admin first.`,
        );
      return sql`UPDATE modules_console_operators SET ${change.assignment}, updated_at = ${now} WHERE username = ${name} RETURNING *`;
    },
    sql`INSERT INTO modules_console_activity (at, actor, action, target, detail_json)
      VALUES (${now}, ${actor}, ${change.action}, ${name}, ${change.detail === undefined ? null : JSON.stringify(change.detail)})`,
    ...(change.extra ?? []),
  ]);
  return toOperator(results[2]!.rows[0] as unknown as OperatorRow);
}

/** Disabling also ends every session of that operator; disabling again keeps the first time. */
export async function disableOperator(db: Database, username: string, actor = 'cli'): Promise<Operator> {
  const name = usernameSchema.parse(username);
  const now = nowIso();
  return updateOperator(
    db,
    name,
    {
      assignment: sql`disabled_at = COALESCE(disabled_at, ${now})`,
      action: 'operator.disable',
      removesAdmin: true,
      extra: [endSessionsOf(name, now)],
    },
    actor,
  );
}

export async function enableOperator(db: Database, username: string, actor = 'cli'): Promise<Operator> {
  return updateOperator(
    db,
    username,
    { assignment: sql`disabled_at = NULL`, action: 'operator.enable' },
    actor,
  );
}

// async: an invalid name or role rejects the promise like every other failure, instead of throwing.
export async function setOperatorRole(
  db: Database,
  username: string,
  role: Role,
  actor = 'cli',
): Promise<Operator> {
  const parsed = roleSchema.parse(role);
  return updateOperator(
    db,
    username,
    {
      assignment: sql`role = ${parsed}`,
      action: 'operator.role',
      removesAdmin: parsed !== 'admin',
      detail: { role: parsed },
    },
    actor,
  );
}

/** A password reset ends every session of that operator. */
export async function resetPassword(
  db: Database,
  username: string,
  password: string,
  actor = 'cli',
): Promise<Operator> {
  const name = usernameSchema.parse(username);
  checkPasswordPolicy(password, name);
  const hash = await hashPassword(password);
  return updateOperator(
    db,
    name,
    {
      assignment: sql`password_hash = ${hash}`,
      action: 'operator.password_reset',
      extra: [endSessionsOf(name, nowIso())],
    },
    actor,
  );
}
