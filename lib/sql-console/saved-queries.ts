import { type Database, sql } from '@/db/database';
import { nowIso } from '@/lib/time/format';

export interface SavedQuery {
  id: number;
  name: string;
  sql: string;
  description: string | null;
  createdBy: string;
  updatedAt: string;
}

export async function listSavedQueries(db: Database): Promise<SavedQuery[]> {
  const rows = await db.all<{
    id: number;
    name: string;
    sql_text: string;
    description: string | null;
    created_by: string;
    updated_at: string;
  }>(
    sql`SELECT id, name, sql_text, description, created_by, updated_at FROM modules_console_saved_queries ORDER BY name`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    name: row.name,
    sql: row.sql_text,
    description: row.description,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
  }));
}

/** Saves under a name, replacing the statement of a query with the same name. */
export async function saveQuery(
  db: Database,
  input: { name: string; sql: string; description: string | null },
  actor: string,
): Promise<void> {
  const at = nowIso();
  await db.transaction([
    sql`INSERT INTO modules_console_saved_queries (name, sql_text, description, created_by, created_at, updated_at) VALUES (${input.name}, ${input.sql}, ${input.description}, ${actor}, ${at}, ${at})
        ON CONFLICT (name) DO UPDATE SET sql_text = excluded.sql_text, description = excluded.description, updated_at = excluded.updated_at`,
    sql`INSERT INTO modules_console_activity (at, actor, action, target, detail_json) VALUES (${at}, ${`operator:${actor}`}, 'sql.save', ${input.name}, NULL)`,
  ]);
}

export async function deleteSavedQuery(db: Database, id: number, actor: string): Promise<boolean> {
  const [deleted] = await db.transaction([
    sql`DELETE FROM modules_console_saved_queries WHERE id = ${id} RETURNING name`,
    (results) => {
      const row = results[0]!.rows[0] as { name: string } | undefined;
      return row
        ? sql`INSERT INTO modules_console_activity (at, actor, action, target, detail_json) VALUES (${nowIso()}, ${`operator:${actor}`}, 'sql.delete', ${row.name}, NULL)`
        : null;
    },
  ]);
  return (deleted?.rows.length ?? 0) > 0;
}
