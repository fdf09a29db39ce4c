import { type SQL, sql } from 'drizzle-orm';
import type { RelationInfo } from './catalogue';
import { type CatalogueSource, catalogueIdentifier } from './catalogue';

/**
 * Row counts that never stall a page. A count is exact when it is cheap — the table has at most
 * CHEAP_COUNT_LIMIT rows, which a count bounded by LIMIT proves after reading that many rows at most —
 * and otherwise an estimate, marked as one: sqlite_stat1 (written by ANALYZE), max(rowid) (one index
 * lookup), or PostgreSQL's reltuples. An exact count of a big table is a background job whose result is
 * kept with its time (modules_console_table_stats) and shown as "counted … ago".
 */

export const CHEAP_COUNT_LIMIT = 10_000;

export interface QuickCount {
  /** count(*) of at most CHEAP_COUNT_LIMIT + 1 rows. */
  bounded: number;
  maxRowid: number | null;
  /** sqlite_stat1's row count, or reltuples (null when never analyzed). */
  statistics: number | null;
  statisticsSource: 'sqlite_stat1' | 'reltuples';
}

export type RowCount =
  | { kind: 'exact'; value: number }
  | { kind: 'counted'; value: number; countedAt: string; estimate: RowEstimate | null }
  | { kind: 'estimate'; value: number | null; estimate: RowEstimate | null; atLeast: number }
  | { kind: 'unknown'; reason: string };

export interface RowEstimate {
  value: number;
  source: 'sqlite_stat1' | 'max_rowid' | 'reltuples';
}

const CHUNK = 100;

async function sqliteStatistics(
  source: CatalogueSource,
  relations: readonly RelationInfo[],
): Promise<Map<string, number>> {
  const stats = new Map<string, number>();
  if (!relations.some((relation) => relation.name === 'sqlite_stat1')) return stats;
  const rows = await source.all<{ tbl: string; stat: string | null }>(
    sql`SELECT tbl, stat FROM sqlite_stat1`,
  );
  for (const row of rows) {
    // "stat" starts with the number of rows in the table (for an index entry and for idx IS NULL).
    const value = Number.parseInt(String(row.stat ?? '').split(' ')[0] ?? '', 10);
    if (Number.isFinite(value)) stats.set(row.tbl, Math.max(stats.get(row.tbl) ?? 0, value));
  }
  return stats;
}

async function postgresStatistics(source: CatalogueSource): Promise<Map<string, number>> {
  const rows = await source.all<{ name: string; reltuples: number }>(
    sql`SELECT relname AS name, reltuples FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p', 'm')`,
  );
  // reltuples is -1 (PostgreSQL 14+) or 0 for a table never vacuumed or analyzed: no estimate.
  return new Map(
    rows
      .filter((row) => Number(row.reltuples) > 0)
      .map((row) => [row.name, Math.round(Number(row.reltuples))]),
  );
}

/** Cheap facts about every table's size in rows, in a few statements (views and virtual tables are skipped). */
export async function quickCounts(
  source: CatalogueSource,
  relations: readonly RelationInfo[],
): Promise<Map<string, QuickCount>> {
  const tables = relations.filter((relation) => relation.kind === 'table');
  const statistics =
    source.dialect === 'sqlite'
      ? await sqliteStatistics(source, relations)
      : await postgresStatistics(source);
  const result = new Map<string, QuickCount>();
  for (let i = 0; i < tables.length; i += CHUNK) {
    const chunk = tables.slice(i, i + CHUNK);
    const selects: SQL[] = chunk.map((relation) => {
      const table = catalogueIdentifier(relation.name);
      const bounded = sql`(SELECT count(*) FROM (SELECT 1 FROM ${table} LIMIT ${CHEAP_COUNT_LIMIT + 1}) AS b)`;
      const maxRowid = relation.hasRowid ? sql`(SELECT max(rowid) FROM ${table})` : sql`NULL`;
      return sql`SELECT ${relation.name} AS name, ${bounded} AS bounded, ${maxRowid} AS max_rowid`;
    });
    const rows = await source.all<{ name: string; bounded: number; max_rowid: number | null }>(
      sql.join(selects, sql` UNION ALL `),
    );
    for (const row of rows) {
      result.set(row.name, {
        bounded: Number(row.bounded),
        maxRowid: row.max_rowid === null || row.max_rowid === undefined ? null : Number(row.max_rowid),
        statistics: statistics.get(row.name) ?? null,
        statisticsSource: source.dialect === 'sqlite' ? 'sqlite_stat1' : 'reltuples',
      });
    }
  }
  return result;
}

export interface CachedCount {
  exactRows: number | null;
  countedAt: string | null;
}

/** What to show for one relation's rows. */
export function rowCountOf(
  relation: RelationInfo,
  quick: QuickCount | undefined,
  cached: CachedCount | undefined,
): RowCount {
  if (relation.kind === 'view')
    return {
      kind: 'unknown',
      reason: 'Views are not counted on page load (a view can be expensive to run).',
    };
  if (relation.kind === 'virtual')
    return { kind: 'unknown', reason: 'Virtual tables are not counted on page load.' };
  if (!quick) return { kind: 'unknown', reason: 'Not counted.' };
  if (quick.bounded <= CHEAP_COUNT_LIMIT) return { kind: 'exact', value: quick.bounded };
  const estimate: RowEstimate | null =
    quick.statistics !== null
      ? // Statistics older than the last cheap count can be below it: never estimate below what is proven.
        { value: Math.max(quick.statistics, CHEAP_COUNT_LIMIT + 1), source: quick.statisticsSource }
      : quick.maxRowid !== null
        ? { value: Math.max(quick.maxRowid, CHEAP_COUNT_LIMIT + 1), source: 'max_rowid' }
        : null;
  if (cached?.exactRows !== null && cached?.exactRows !== undefined && cached.countedAt) {
    return { kind: 'counted', value: cached.exactRows, countedAt: cached.countedAt, estimate };
  }
  return { kind: 'estimate', value: estimate?.value ?? null, estimate, atLeast: CHEAP_COUNT_LIMIT + 1 };
}
