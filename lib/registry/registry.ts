import { type Database, sql } from '@/db/database';
import { type Namespace, classifyTable } from '@/db/namespaces';
import {
  type IndexInfo,
  type RelationInfo,
  type RelationKind,
  databaseSource,
  listRelations,
} from './catalogue';
import {
  INDEX_FLAG_KINDS,
  type ComplianceFlag,
  type JsonCheckColumn,
  complianceFlags,
  jsonColumns,
} from './compliance';
import { CHEAP_COUNT_LIMIT, type RowCount, quickCounts, rowCountOf } from './counts';
import { declaredJsonColumns } from './declared-json';
import { type DatabaseHealth, databaseHealth } from './health';
import { INLINE_DBSTAT_MAX_BYTES, type TableSize, postgresSizes, sqliteSizes } from './sizes';

/**
 * Everything the registry page shows, read without scanning any table: the catalogue, bounded counts,
 * statistics, sizes (dbstat inline only for small files), stored purposes and measurements.
 */

export interface RegistryTable {
  name: string;
  kind: RelationKind;
  namespace: Namespace;
  /** Module (modules_*) or project (foundups_*). */
  owner: string | null;
  columnCount: number;
  indexes: IndexInfo[];
  primaryKey: string[];
  rows: RowCount;
  size: (TableSize & { measuredAt: string | null }) | null;
  flags: ComplianceFlag[];
  jsonColumns: string[];
  jsonCheck: { checkedAt: string; columns: JsonCheckColumn[] } | null;
  purpose: string | null;
  /** The owner an admin recorded (shown instead of the derived one in the Markdown export). */
  purposeOwner: string | null;
}

export interface RegistryGroup {
  key: string;
  namespace: Namespace;
  title: string;
  /** Module or project for modules_* / foundups_* groups. */
  owner: string | null;
  tables: RegistryTable[];
}

export interface RegistrySizes {
  /** measured-now: dbstat while rendering (small file); stored: a background measurement; live: PostgreSQL. */
  mode: 'measured-now' | 'stored' | 'live' | 'not-measured' | 'unavailable';
  measuredAt: string | null;
  note: string | null;
}

export interface RegistryData {
  dialect: Database['dialect'];
  groups: RegistryGroup[];
  tables: RegistryTable[];
  health: DatabaseHealth;
  sizes: RegistrySizes;
  totals: { tables: number; views: number; flagged: number; estimated: number };
  readMs: number;
}

interface StatsRow {
  table_name: string;
  exact_rows: number | null;
  counted_at: string | null;
  total_bytes: number | null;
  index_bytes: number | null;
  sized_at: string | null;
  json_report: string | null;
  json_checked_at: string | null;
}

interface PurposeRow {
  table_name: string;
  purpose: string;
  owner: string | null;
}

/** Tables up to this many rows get index advice marked low priority. */
const SMALL_TABLE_ROWS = CHEAP_COUNT_LIMIT;

const NAMESPACE_ORDER: Record<Namespace, number> = {
  agents: 0,
  modules: 1,
  foundups: 2,
  unprefixed: 3,
  internal: 4,
};

/**
 * Owners the tables themselves reveal: modules_chat_rules_moderators and modules_chat_rules_timeouts
 * share "chat_rules", so that is the module (classifyTable alone would take the first segment, "chat").
 * Tables grouped by their first segment give as owner the longest segment prefix they all share.
 */
export function inferOwners(names: readonly string[]): string[] {
  const owners = new Set<string>();
  for (const prefix of ['modules_', 'foundups_']) {
    const groups = new Map<string, string[][]>();
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const segments = name.slice(prefix.length).split('_');
      if (segments.length < 2 || !segments[0]) continue;
      groups.set(segments[0], [...(groups.get(segments[0]) ?? []), segments]);
    }
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      // At least one segment must stay for each table's own name.
      const limit = Math.min(...members.map((segments) => segments.length - 1));
      let common = 0;
      while (common < limit && members.every((segments) => segments[common] === members[0]![common]))
        common++;
      if (common > 0) owners.add(members[0]!.slice(0, common).join('_'));
    }
  }
  return [...owners];
}

/** Module names the legacy registry table knows, the console itself, owners an admin recorded, and inferred ones. */
async function knownOwners(
  db: Database,
  relations: readonly RelationInfo[],
  purposes: readonly PurposeRow[],
): Promise<string[]> {
  const owners = new Set<string>(['console', ...inferOwners(relations.map((relation) => relation.name))]);
  for (const row of purposes) if (row.owner) owners.add(row.owner);
  if (
    relations.some(
      (relation) =>
        relation.name === 'modules' && relation.columns.some((column) => column.name === 'module_name'),
    )
  ) {
    const rows = await db.all<{ module_name: string }>(
      sql`SELECT DISTINCT module_name FROM modules WHERE module_name IS NOT NULL LIMIT 1000`,
    );
    for (const row of rows) if (/^[a-z][a-z0-9_]*$/.test(row.module_name)) owners.add(row.module_name);
  }
  return [...owners];
}

function parseJsonReport(text: string | null): JsonCheckColumn[] {
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as JsonCheckColumn[];
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function groupTitle(namespace: Namespace, owner: string | null): string {
  switch (namespace) {
    case 'agents':
      return 'agents_* (AgentDB)';
    case 'modules':
      return `modules_${owner}_* (module ${owner})`;
    case 'foundups':
      return `foundups_${owner}_* (FoundUp ${owner})`;
    case 'unprefixed':
      return 'Unprefixed (legacy)';
    case 'internal':
      return 'Internal (engine)';
  }
}

export async function getRegistry(db: Database): Promise<RegistryData> {
  const started = performance.now();
  const source = databaseSource(db);
  const [relations, health, stats, purposes] = await Promise.all([
    listRelations(source),
    databaseHealth(db),
    db.all<StatsRow>(
      sql`SELECT table_name, exact_rows, counted_at, total_bytes, index_bytes, sized_at, json_report, json_checked_at FROM modules_console_table_stats`,
    ),
    db.all<PurposeRow>(sql`SELECT table_name, purpose, owner FROM modules_console_table_purposes`),
  ]);
  const [counts, owners] = await Promise.all([
    quickCounts(source, relations),
    knownOwners(db, relations, purposes),
  ]);

  let sizes: Map<string, TableSize & { measuredAt: string | null }> = new Map();
  let sizeInfo: RegistrySizes;
  const statsOf = new Map(stats.map((row) => [row.table_name, row]));
  if (health.dialect === 'postgres') {
    sizes = new Map(
      [...(await postgresSizes(source))].map(([name, size]) => [name, { ...size, measuredAt: null }]),
    );
    sizeInfo = { mode: 'live', measuredAt: null, note: null };
  } else if (health.fileBytes + health.walBytes <= INLINE_DBSTAT_MAX_BYTES) {
    try {
      const measuredAt = new Date().toISOString();
      sizes = new Map(
        [...(await sqliteSizes(source))].map(([name, size]) => [name, { ...size, measuredAt }]),
      );
      sizeInfo = { mode: 'measured-now', measuredAt, note: null };
    } catch (error) {
      sizeInfo = { mode: 'unavailable', measuredAt: null, note: (error as Error).message };
    }
  } else {
    let latest: string | null = null;
    for (const row of stats) {
      if (row.sized_at && row.total_bytes !== null) {
        sizes.set(row.table_name, {
          totalBytes: Number(row.total_bytes),
          indexBytes: Number(row.index_bytes ?? 0),
          measuredAt: row.sized_at,
        });
        if (!latest || row.sized_at > latest) latest = row.sized_at;
      }
    }
    sizeInfo = latest
      ? {
          mode: 'stored',
          measuredAt: latest,
          note: 'Measured by a background job (dbstat reads every page of the file).',
        }
      : {
          mode: 'not-measured',
          measuredAt: null,
          note: 'The file is too large to measure while the page renders; measure sizes in the background.',
        };
  }

  const purposeOf = new Map(purposes.map((row) => [row.table_name, row]));
  const declared = declaredJsonColumns();
  const tables: RegistryTable[] = relations.map((relation) => {
    const classification = classifyTable(relation.name, owners);
    const stat = statsOf.get(relation.name);
    const jsonCheck = stat?.json_checked_at
      ? { checkedAt: stat.json_checked_at, columns: parseJsonReport(stat.json_report) }
      : null;
    const purpose = purposeOf.get(relation.name);
    const rows = rowCountOf(
      relation,
      counts.get(relation.name),
      stat
        ? { exactRows: stat.exact_rows === null ? null : Number(stat.exact_rows), countedAt: stat.counted_at }
        : undefined,
    );
    // An index recommendation for a table that has few rows today is advice, not an emergency.
    const small = rows.kind === 'exact' && rows.value <= SMALL_TABLE_ROWS;
    const flags = complianceFlags(relation, classification.namespace, jsonCheck?.columns ?? []).map((flag) =>
      small && (INDEX_FLAG_KINDS as readonly string[]).includes(flag.kind)
        ? { ...flag, smallTable: true }
        : flag,
    );
    return {
      name: relation.name,
      kind: relation.kind,
      namespace: classification.namespace,
      owner: classification.owner ?? null,
      columnCount: relation.columns.length,
      indexes: relation.indexes,
      primaryKey: relation.primaryKey,
      rows,
      size: sizes.get(relation.name) ?? null,
      flags,
      jsonColumns: jsonColumns(relation, db.dialect, declared.get(relation.name)),
      jsonCheck,
      purpose: purpose?.purpose ?? null,
      purposeOwner: purpose?.owner ?? null,
    };
  });

  const groups = new Map<string, RegistryGroup>();
  for (const table of tables) {
    const owner = table.namespace === 'modules' || table.namespace === 'foundups' ? table.owner : null;
    const key = owner ? `${table.namespace}:${owner}` : table.namespace;
    let group = groups.get(key);
    if (!group)
      groups.set(
        key,
        (group = {
          key,
          namespace: table.namespace,
          owner,
          title: groupTitle(table.namespace, owner),
          tables: [],
        }),
      );
    group.tables.push(table);
  }
  const sortedGroups = [...groups.values()].toSorted(
    (a, b) =>
      NAMESPACE_ORDER[a.namespace] - NAMESPACE_ORDER[b.namespace] ||
      (a.owner ?? '').localeCompare(b.owner ?? ''),
  );
  return {
    dialect: db.dialect,
    groups: sortedGroups,
    tables,
    health,
    sizes: sizeInfo,
    totals: {
      tables: tables.filter((table) => table.kind !== 'view').length,
      views: tables.filter((table) => table.kind === 'view').length,
      flagged: tables.filter((table) => table.flags.length > 0).length,
      estimated: tables.filter((table) => table.rows.kind === 'estimate').length,
    },
    readMs: Math.round(performance.now() - started),
  };
}
