import { type Database, type SQL, quoteIdentifier, sql } from '../database';

/**
 * Demo data must never reach a real database. A demo database carries a marker row in
 * modules_console_meta; a database without it that already holds rows is treated as real.
 */

export const DEMO_MARKER_KEY = 'demo_database';
export const META_TABLE = 'modules_console_meta';

export type SeedRefusalReason =
  'real-data' | 'already-seeded' | 'incomplete' | 'not-migrated' | 'not-a-demo-root';

export class SeedRefusedError extends Error {
  override name = 'SeedRefusedError';
  constructor(
    readonly reason: SeedRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

export interface DemoMarker {
  kind: 'foundups-demo';
  version: 1;
  /** 'seeding' only while a non-SQLite seed is in progress (or if it failed half-way). */
  state: 'seeding' | 'complete';
  /** Set once the demo data (seedDemo) is in. */
  demo?: { seed: number; now: string; seededAt: string; rows: number; forced: boolean; root?: string };
  /** One entry per seedScale run. */
  scale?: { events: number; posts: number; now: string; seededAt: string; rows: number }[];
}

export async function listTables(db: Database): Promise<Set<string>> {
  const rows =
    db.dialect === 'sqlite'
      ? await db.allPrimary<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table'`)
      : await db.allPrimary<{ name: string }>(
          sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`,
        );
  return new Set(rows.map((row) => row.name));
}

/** The marker, `null` when absent; a marker that is not valid JSON still marks a demo database. */
export async function readMarker(db: Database): Promise<DemoMarker | null> {
  const row = await db.get<{ value: string }>(
    sql`SELECT value FROM ${sql.raw(META_TABLE)} WHERE key = ${DEMO_MARKER_KEY}`,
  );
  if (!row) return null;
  try {
    const parsed = JSON.parse(row.value) as Partial<DemoMarker>;
    return {
      kind: 'foundups-demo',
      version: 1,
      state: parsed.state ?? 'complete',
      demo: parsed.demo,
      scale: parsed.scale,
    };
  } catch {
    return {
      kind: 'foundups-demo',
      version: 1,
      state: 'complete',
      demo: { seed: 0, now: '', seededAt: '', rows: 0, forced: false },
    };
  }
}

/** Upsert of the marker (same statement on SQLite and PostgreSQL). */
export function markerStatement(marker: DemoMarker, at: Date = new Date()): SQL {
  const value = JSON.stringify(marker);
  const updatedAt = at.toISOString();
  return sql`INSERT INTO ${sql.raw(META_TABLE)} (key, value, updated_at) VALUES (${DEMO_MARKER_KEY}, ${value}, ${updatedAt})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;
}

/** Which of `tables` (those that exist) hold at least one row. */
export async function tablesWithRows(
  db: Database,
  tables: readonly string[],
  existing: Set<string>,
): Promise<string[]> {
  const occupied: string[] = [];
  for (const table of tables) {
    if (!existing.has(table)) continue;
    const row = await db.allPrimary(sql`SELECT 1 AS one FROM ${sql.raw(quoteIdentifier(table))} LIMIT 1`);
    if (row.length > 0) occupied.push(table);
  }
  return occupied;
}

export interface GuardResult {
  marker: DemoMarker | null;
  existing: Set<string>;
  occupied: string[];
}

/**
 * Refuses (SeedRefusedError, nothing written) when the database is not migrated, or holds rows in any
 * table the generator writes while carrying no demo marker — unless `force`.
 */
export async function assertSeedable(
  db: Database,
  tables: readonly string[],
  force: boolean,
): Promise<GuardResult> {
  const existing = await listTables(db);
  const missing = [META_TABLE, 'agents_social_posts', 'daemon_health', 'metrics_events'].filter(
    (table) => !existing.has(table),
  );
  if (missing.length > 0) {
    throw new SeedRefusedError(
      'not-migrated',
      `Refusing to seed: the database has no ${missing.join(', ')} table yet; run the migrations first (npx foundups migrate).`,
    );
  }
  const marker = await readMarker(db);
  const occupied = await tablesWithRows(db, tables, existing);
  if (!marker && occupied.length > 0 && !force) {
    const shown =
      occupied.slice(0, 4).join(', ') + (occupied.length > 4 ? ` and ${occupied.length - 4} more` : '');
    throw new SeedRefusedError(
      'real-data',
      `Refusing to seed demo data: this database already holds rows in ${shown} and carries no demo marker, so it looks like a real FoundUps database; nothing was changed (pass force to seed it anyway).`,
    );
  }
  return { marker, existing, occupied };
}
