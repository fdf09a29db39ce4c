import { type Database, sql } from '@/db/database';
import { nowIso } from '@/lib/time/format';

/**
 * Sets (or, with an empty purpose, clears) what a table is for; the change and its activity record
 * are one transaction.
 */
export async function setTablePurpose(
  db: Database,
  table: string,
  purpose: string,
  owner: string | null,
  actor: string,
): Promise<void> {
  const at = nowIso();
  const change = purpose
    ? sql`INSERT INTO modules_console_table_purposes (table_name, purpose, owner, updated_by, updated_at) VALUES (${table}, ${purpose}, ${owner}, ${actor}, ${at})
          ON CONFLICT (table_name) DO UPDATE SET purpose = excluded.purpose, owner = excluded.owner, updated_by = excluded.updated_by, updated_at = excluded.updated_at`
    : sql`DELETE FROM modules_console_table_purposes WHERE table_name = ${table}`;
  await db.transaction([
    change,
    sql`INSERT INTO modules_console_activity (at, actor, action, target, detail_json) VALUES (${at}, ${`operator:${actor}`}, ${purpose ? 'registry.purpose' : 'registry.purpose.clear'}, ${table}, ${JSON.stringify({ purpose, owner })})`,
  ]);
}
