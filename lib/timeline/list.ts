import { type Database, type Row, type SQL, quoteIdentifier, sql } from '@/db/database';
import { parseDbTime } from '@/lib/time/format';
import {
  type Bounds,
  type SourcePlan,
  type TimelineFilters,
  boundsFor,
  detailColumns,
  limitSql,
  lit,
  planSources,
  raw,
  timelineStatement,
  withSources,
} from './branches';
import { type TimelinePosition, decodeCursor, encodeCursor } from './cursor';
import {
  type ResolvedSources,
  type TimelineSource,
  ZONED_ROWS_TABLE,
  dimensionSql,
  hasIndexLeading,
  primaryKeySql,
  resolveSources,
  timeColumnSql,
  zoneAware,
} from './sources';
import { dateToKey, hasZoneOffsetSql, isoLikeSql, wallKeySql, zonedKeySql } from './time';

export type { TimelineFilters } from './branches';

// The merged event list: every source's rows in one order (time key DESC, source id ASC, primary key
// DESC), read page by page with a keyset cursor. Each page costs the same wherever it starts:
//
// 1. PROBE: each source branch reads the newest `n` rows below the page's upper bound in index order
//    (ORDER BY time column DESC LIMIT n, one plain range scan per raw range; filters, range and cursor
//    pushed in). Any n of those rows prove that the window [lowest of the n newest keys, upper bound)
//    holds at least n events.
// 2. WINDOW: each branch sorts just its rows inside that window by key (ORDER BY key DESC LIMIT n),
//    the branches are merged with UNION ALL and cut to n again.
// 3. DETAILS: module, actor, type, severity and summary are computed for the n rows of the page only.
//
// The key normalises both time forms (time.ts), so a page is exact whatever forms a table mixes, and
// every comparison is first narrowed to raw ranges the time index can scan.

export interface TimelineEvent {
  source: string;
  sourceLabel: string;
  /** Primary key as text (the detail view's address). */
  id: string;
  /** Ordering key (UTC, 'YYYY-MM-DD HH:MM:SS.ffffff'). */
  key: string;
  /** The instant as ISO-8601 UTC, or null when the stored text is not a time. */
  at: string | null;
  /** The time exactly as stored. */
  time: string;
  module: string | null;
  actor: string | null;
  type: string | null;
  severity: string;
  summary: string;
  /** Position of this event: a page starting after it, or the live count's reference. */
  cursor: string;
}

export interface TimelinePage {
  events: TimelineEvent[];
  /** Cursor of the page after this one, or null at the end. */
  nextCursor: string | null;
  /** The sources queried, and the ones skipped because their table does not exist. */
  sources: { id: string; label: string }[];
  skipped: ResolvedSources['skipped'];
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

// ---------------------------------------------------------------------------------------------
// Reading a page

interface Positioned extends TimelinePosition {
  pk: string | number;
  detail: DetailRow;
}

/**
 * Each branch reads its newest `need` rows below the upper bound in index order; of all those, the
 * `need`-th newest by raw text gives the window's lower bound. Raw text order is the key order except
 * where a day mixes text forms, so the window [bound, upper) normally holds `need` events; when it
 * does not, pagePositions continues below it. Fewer than `need` rows in all: nothing else is left.
 */
async function probe(
  db: Database,
  plans: SourcePlan[],
  bounds: Bounds,
  need: number,
): Promise<{ count: number; lowest: string | null }> {
  const statement = timelineStatement(
    db.dialect,
    plans,
    bounds,
    { kind: 'probe', limit: need },
    'probe',
    (union) => ({
      text: `SELECT COUNT(*) AS n, ${wallKeySql('MIN(r)')} AS lo FROM (SELECT r FROM (${union.text}) AS p ORDER BY r DESC LIMIT ${need}) AS top`,
      params: union.params,
    }),
  );
  if (!statement) return { count: 0, lowest: null };
  const row = await db.get<{ n: number; lo: string | null }>(statement);
  return { count: Number(row?.n ?? 0), lowest: row?.lo ?? null };
}

/** The newest `need` events of the window, with what the list shows of them. */
async function windowRows(
  db: Database,
  plans: SourcePlan[],
  bounds: Bounds,
  need: number,
): Promise<Positioned[]> {
  const statement = timelineStatement(
    db.dialect,
    plans,
    bounds,
    { kind: 'window', limit: need, details: true },
    'window',
    (union) => ({
      text: `SELECT * FROM (${union.text}) AS w ORDER BY k DESC, src ASC, pk_int DESC, pk_text DESC LIMIT ${need}`,
      params: union.params,
    }),
  );
  if (!statement) return [];
  const rows = await db.all<
    DetailRow & { pk_int: number | string | null; pk_text: string | null; k: string }
  >(statement);
  return rows.map((row) => {
    const pk = row.pk_int !== null ? Number(row.pk_int) : String(row.pk_text);
    row.pk = String(pk);
    return { key: row.k, source: row.src, pk, detail: row };
  });
}

/** The positions of the next `limit` events after `after` (or from the top), in order. */
async function pagePositions(
  db: Database,
  plans: SourcePlan[],
  filters: TimelineFilters,
  after: TimelinePosition | undefined,
  limit: number,
): Promise<Positioned[]> {
  const base = boundsFor(filters);
  let bounds: Bounds = { ...base, after };
  const collected: Positioned[] = [];
  // Usually one round; another when mixed text forms made the probe's bound too high, or rows vanished.
  for (let round = 0; round < 50 && collected.length < limit; round++) {
    const need = limit - collected.length;
    const probed = await probe(db, plans, bounds, need);
    if (probed.count === 0) break;
    // Fewer than `need` rows in all branches together: the window takes all that is left.
    const exhaustive = probed.count < need;
    const lower = exhaustive ? base.lower : probed.lowest!;
    const rows = await windowRows(db, plans, { ...bounds, lower }, need);
    collected.push(...rows);
    if (exhaustive || rows.length >= need) break;
    bounds = {
      ...bounds,
      upper: bounds.upper !== undefined && bounds.upper < probed.lowest! ? bounds.upper : probed.lowest!,
    };
  }
  return collected.slice(0, limit);
}

interface DetailRow {
  src: string;
  pk: string;
  raw_time: string | null;
  module: string | null;
  actor: string | null;
  type: string | null;
  severity: string | null;
  summary: string | null;
}

function detailSelect(source: TimelineSource, pkFilter: SQL): SQL {
  return sql`SELECT ${lit(source.id)} AS src, ${raw(`CAST(${primaryKeySql(source)} AS TEXT)`)} AS pk, ${raw(detailColumns(source))} FROM ${raw(quoteIdentifier(source.table))} WHERE ${pkFilter}`;
}

function toEvent(source: TimelineSource, position: TimelinePosition, row: DetailRow): TimelineEvent {
  const at = parseDbTime(row.raw_time);
  return {
    source: source.id,
    sourceLabel: source.label,
    id: String(row.pk),
    key: position.key,
    at: at ? at.toISOString() : null,
    time: row.raw_time ?? '',
    module: row.module,
    actor: row.actor,
    type: row.type,
    severity: row.severity ?? 'info',
    summary: row.summary ?? '',
    cursor: encodeCursor(position),
  };
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`The page size must be a whole number of at least 1, got ${String(limit)}.`);
  return Math.min(limit, MAX_PAGE_SIZE);
}

/**
 * One page of the merged timeline, newest first. `cursor` (from a previous page's nextCursor or an
 * event's cursor) continues strictly after that event; an invalid cursor throws InvalidCursorError.
 */
export async function getTimelinePage(
  db: Database,
  filters: TimelineFilters = {},
  options: { cursor?: string | null; limit?: number } = {},
): Promise<TimelinePage> {
  const limit = clampLimit(options.limit);
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  return withSources(db, async (resolved) => {
    const plans = planSources(resolved, filters, db.dialect);
    const sources = new Map(resolved.sources.map((source) => [source.id, source]));
    // One more than asked tells whether there is a next page without another query.
    const positions = await pagePositions(db, plans, filters, after, limit + 1);
    const events = positions
      .slice(0, limit)
      .map((position) => toEvent(sources.get(position.source)!, position, position.detail));
    const last = positions[limit - 1];
    return {
      events,
      nextCursor: positions.length > limit && last ? encodeCursor(last) : null,
      sources: plans.map((plan) => ({ id: plan.source.id, label: plan.source.label })),
      skipped: resolved.skipped,
    };
  });
}

/** Everything one agent (daemon, user) did: the same list, filtered to that actor across all sources. */
export function getActorTimeline(
  db: Database,
  actor: string,
  filters: Omit<TimelineFilters, 'actors'> = {},
  options: { cursor?: string | null; limit?: number } = {},
): Promise<TimelinePage> {
  return getTimelinePage(db, { ...filters, actors: [actor] }, options);
}

// ---------------------------------------------------------------------------------------------
// Live mode

/**
 * How many events matching the filters are newer than an event (its cursor) or a time, counting at
 * most `cap` (the UI shows "999+"). Index range scans from that point up.
 */
export async function countNewerEvents(
  db: Database,
  filters: TimelineFilters,
  since: { cursor: string } | { at: Date },
  cap = 1000,
): Promise<{ count: number; capped: boolean }> {
  const bounds: Bounds = boundsFor(filters);
  if ('cursor' in since) bounds.before = decodeCursor(since.cursor);
  else bounds.above = dateToKey(since.at);
  return withSources(db, async (resolved) => {
    const plans = planSources(resolved, filters, db.dialect);
    const statement = timelineStatement(
      db.dialect,
      plans,
      bounds,
      { kind: 'count', limit: cap + 1 },
      'count',
      (union) => ({ text: `SELECT COUNT(*) AS n FROM (${union.text}) AS c`, params: union.params }),
    );
    if (!statement) return { count: 0, capped: false };
    const row = await db.get<{ n: number }>(statement);
    const n = Number(row?.n ?? 0);
    return { count: Math.min(n, cap), capped: n > cap };
  });
}

// ---------------------------------------------------------------------------------------------
// Event detail and correlation

export interface TimelineEventDetail extends TimelineEvent {
  table: string;
  primaryKeyColumn: string;
  /** Every column as stored; JSON columns also parsed (`json`) for pretty-printing. */
  columns: { name: string; value: unknown; json?: unknown }[];
}

function parseJsonColumn(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // not JSON after all: shown as text
  }
}

/** One event by source and primary key with all its columns, or null when there is no such row. */
export async function getTimelineEvent(
  db: Database,
  sourceId: string,
  id: string,
): Promise<TimelineEventDetail | null> {
  return withSources(db, async (resolved) => {
    const source = resolved.sources.find((candidate) => candidate.id === sourceId);
    if (!source) return null;
    const pk = source.primaryKey.type === 'integer' ? (/^-?\d{1,16}$/.test(id) ? Number(id) : null) : id;
    if (pk === null) return null;
    const table = raw(quoteIdentifier(source.table));
    const where = sql`${raw(primaryKeySql(source))} = ${pk}`;
    const wallKey = raw(wallKeySql(timeColumnSql(source)));
    const zoned = zoneAware(source);
    const [detail, full, keyed] = await Promise.all([
      db.get<DetailRow>(detailSelect(source, where)),
      db.get<Row>(sql`SELECT * FROM ${table} WHERE ${where}`),
      // A zoned row's key is its UTC key from the side table; every other row's is its wall clock.
      db.get<{ k: string }>(
        zoned
          ? sql`SELECT COALESCE((SELECT tl_key FROM ${raw(ZONED_ROWS_TABLE)} WHERE tl_source = ${source.id} AND tl_pk = ${pk}), CASE WHEN ${raw(`${isoLikeSql(timeColumnSql(source))} AND ${hasZoneOffsetSql(timeColumnSql(source))}`)} THEN ${raw(zonedKeySql(db.dialect, timeColumnSql(source)))} ELSE ${wallKey} END) AS k FROM ${table} WHERE ${where}`
          : sql`SELECT ${wallKey} AS k FROM ${table} WHERE ${where}`,
      ),
    ]);
    if (!detail || !full || !keyed) return null;
    const position = {
      key: keyed.k,
      source: source.id,
      pk: source.primaryKey.type === 'integer' ? Number(detail.pk) : detail.pk,
    };
    const json = new Set(source.jsonColumns);
    return {
      ...toEvent(source, position, detail),
      table: source.table,
      primaryKeyColumn: source.primaryKey.column,
      columns: Object.entries(full).map(([name, value]) => {
        const parsed = json.has(name) || name.endsWith('_json') ? parseJsonColumn(value) : undefined;
        return parsed === undefined ? { name, value } : { name, value, json: parsed };
      }),
    };
  });
}

export const CORRELATION_WINDOW_MS = 5 * 60_000;

/** Events of other sources within ±5 minutes of an event (newest first, at most `limit`). */
export async function getCorrelatedEvents(
  db: Database,
  event: Pick<TimelineEvent, 'source' | 'at'>,
  options: { windowMs?: number; limit?: number } = {},
): Promise<TimelineEvent[]> {
  if (!event.at) return [];
  const at = new Date(event.at).getTime();
  const windowMs = options.windowMs ?? CORRELATION_WINDOW_MS;
  const resolved = await resolveSources(db);
  const others = resolved.sources.filter((source) => source.id !== event.source).map((source) => source.id);
  if (others.length === 0) return [];
  const page = await getTimelinePage(
    db,
    { from: new Date(at - windowMs), to: new Date(at + windowMs + 1), sources: others },
    { limit: options.limit ?? 50 },
  );
  return page.events;
}

// ---------------------------------------------------------------------------------------------
// Values for the filter pickers

export interface FilterValues {
  values: { value: string; sources: string[] }[];
  /** False when some source's values came from its most recent rows only (no index to walk). */
  complete: boolean;
}

/** Rows a picker looks at in a source that has no index leading with the attribute's column. */
const RECENT_ROWS_FOR_VALUES = 5_000;

/**
 * Distinct actors or types (optionally starting with `prefix`), cheap on tables of millions of rows:
 * a loose index scan (one index seek per value) where an index starts with the column, else the values
 * of the newest rows.
 */
export async function getFilterValues(
  db: Database,
  attribute: 'actor' | 'type' | 'module',
  options: { sources?: readonly string[]; prefix?: string; limit?: number } = {},
): Promise<FilterValues> {
  const limit = Math.min(Math.max(options.limit ?? 200, 1), 1000);
  const prefix = options.prefix ?? '';
  return withSources(db, async (resolved) => {
    const wanted = options.sources && options.sources.length > 0 ? new Set(options.sources) : null;
    const found = new Map<string, Set<string>>();
    let complete = true;
    const add = (value: unknown, source: string) => {
      if (value === null || value === undefined) return;
      const text = String(value);
      if (!text.startsWith(prefix)) return;
      found.set(text, (found.get(text) ?? new Set()).add(source));
    };
    for (const source of resolved.sources.filter((candidate) => !wanted || wanted.has(candidate.id))) {
      const dimension = source[attribute];
      if ('constant' in dimension) {
        add(dimension.constant, source.id);
        continue;
      }
      const table = resolved.catalogue.tables.get(source.table);
      if ('column' in dimension && table && hasIndexLeading(table, [dimension.column])) {
        const column = raw(quoteIdentifier(dimension.column));
        const from = raw(quoteIdentifier(source.table));
        const rows = await db.all<{ v: string }>(sql`WITH RECURSIVE d(v, n) AS (
            SELECT MIN(${column}), 1 FROM ${from} WHERE ${column} >= ${prefix}
            UNION ALL
            SELECT (SELECT MIN(${column}) FROM ${from} WHERE ${column} > d.v), d.n + 1 FROM d
            WHERE d.v IS NOT NULL AND d.n < ${limit} AND substr(d.v, 1, ${prefix.length}) = ${prefix}
          ) SELECT v FROM d WHERE v IS NOT NULL`);
        for (const row of rows) add(row.v, source.id);
      } else {
        complete = false;
        const expression = raw(dimensionSql(dimension));
        const rows = await db.all<{ v: string }>(
          sql`SELECT DISTINCT v FROM (SELECT CAST(${expression} AS TEXT) AS v FROM ${raw(quoteIdentifier(source.table))} ORDER BY ${raw(
            timeColumnSql(source),
          )} DESC LIMIT ${limitSql(RECENT_ROWS_FOR_VALUES)}) AS recent WHERE v IS NOT NULL ORDER BY v LIMIT ${limitSql(limit)}`,
        );
        for (const row of rows) add(row.v, source.id);
      }
    }
    const values = [...found]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([value, sources]) => ({ value, sources: [...sources].sort() }));
    return { values, complete };
  });
}
