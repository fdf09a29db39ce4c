import { type Database, type Dialect, type SQL, quoteIdentifier, sql } from '@/db/database';
import type { TimelinePosition } from './cursor';
import {
  type Dimension,
  type ResolvedSources,
  type Severity,
  type TimelineSource,
  ZONED_ROWS_TABLE,
  dimensionSql,
  invalidateCatalogue,
  isMissingTableError,
  primaryKeySql,
  resolveSources,
  timeColumnSql,
  zoneAware,
} from './sources';
import { type RawRange, dateToKey, hasZoneOffsetSql, isoLikeSql, rawRanges, wallKeySql } from './time';

// Branches: how each source's part of a timeline query is built. A source becomes one SELECT per raw
// range of the time window (times one per actor when filtering by actors), each a plain range scan of
// the time index (or of an (actor, time) index) with the filters, the exact key bounds and its own
// ORDER BY/LIMIT pushed in; zone-aware sources add one branch over the zone side table. list.ts and
// charts.ts put the branches together with UNION ALL.

export interface TimelineFilters {
  /** Inclusive lower bound of the event time. */
  from?: Date;
  /** Exclusive upper bound of the event time. */
  to?: Date;
  /** Source ids (empty or missing: all). */
  sources?: readonly string[];
  /** Exact module names. */
  modules?: readonly string[];
  /** Exact actor values (agent, daemon, user…): any of them. */
  actors?: readonly string[];
  /** Exact event types. */
  types?: readonly string[];
  severities?: readonly Severity[];
  /** Case-insensitive text in the summary (wildcards are literal). */
  q?: string;
}

/** Above this many actor values a filter is one IN list instead of one index-ordered branch per actor. */
const MAX_SPLIT_VALUES = 16;

// ---------------------------------------------------------------------------------------------
// Plans: what each source contributes, with the filters pushed in

export interface SourcePlan {
  source: TimelineSource;
  /** Filter conditions on the source's own columns (unqualified). */
  conditions: Fragment[];
  /** One branch per entry: an actor condition (index-friendly equality) or null for no split. */
  splits: (Fragment | null)[];
  /** Maintained source: rows whose time has a non-zero offset are read from the zone side table instead. */
  zoneAware: boolean;
  /** The zone side table holds rows of this source right now (else its branch is left out). */
  zonedRows: boolean;
}

export const lit = (value: string) => sql.raw(`'${value.replaceAll("'", "''")}'`);
export const raw = (text: string) => sql.raw(text);

/**
 * A LIMIT as literal text: SQLite plans `LIMIT 51` several times faster than `LIMIT ?` (the sorter
 * keeps only the top rows), and a whole number is safe to inline.
 */
export function limitSql(limit: number): SQL {
  return sql.raw(limitText(limit));
}

function limitText(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`Invalid limit ${limit}.`);
  return String(limit);
}

// Branch SQL is assembled as plain text with parameter marks and turned into one drizzle SQL at the
// end: a page's query has a few hundred conditions, and building them as nested sql`` templates cost
// more than running the query.

/** SQL text whose PARAM marks stand for `params`, in order. */
export interface Fragment {
  text: string;
  params: unknown[];
}

const PARAM = '\u0001';

function fragment(text: string, ...params: unknown[]): Fragment {
  return { text, params };
}

function joinFragments(parts: readonly Fragment[], separator: string): Fragment {
  return {
    text: parts.map((part) => part.text).join(separator),
    params: parts.flatMap((part) => part.params),
  };
}

function andFragments(conditions: readonly Fragment[]): Fragment {
  return conditions.length > 0 ? joinFragments(conditions, ' AND ') : fragment('1 = 1');
}

/** The drizzle SQL of a fragment (values stay bound parameters). */
export function toSql(part: Fragment): SQL {
  const pieces = part.text.split(PARAM);
  if (pieces.length !== part.params.length + 1) throw new Error('Mismatched parameters in a timeline query.');
  const chunks: SQL[] = [];
  pieces.forEach((piece, i) => {
    if (piece) chunks.push(sql.raw(piece));
    if (i < part.params.length) chunks.push(sql`${part.params[i]}`);
  });
  return sql.join(chunks);
}

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

function inList(expression: string, values: readonly string[]): Fragment {
  return fragment(`${expression} IN (${values.map(() => PARAM).join(', ')})`, ...values);
}

/** A constant dimension's verdict on a value filter: true (keep all), false (source cannot match). */
function constantMatches(dimension: Dimension, values: readonly string[] | undefined): boolean | null {
  if (!values || values.length === 0) return true;
  if (!('constant' in dimension)) return null;
  return dimension.constant !== null && values.includes(dimension.constant);
}

function planSource(
  source: TimelineSource,
  filters: TimelineFilters,
  dialect: Dialect,
  zoned: ReadonlySet<string>,
): SourcePlan | null {
  const conditions: Fragment[] = [];
  let splits: (Fragment | null)[] = [null];
  const byDimension: [Dimension, readonly string[] | undefined, boolean][] = [
    [source.module, filters.modules, false],
    [source.actor, filters.actors, true],
    [source.type, filters.types, false],
    [source.severity, filters.severities, false],
  ];
  for (const [dimension, values, splittable] of byDimension) {
    const verdict = constantMatches(dimension, values);
    if (verdict === false) return null;
    if (verdict === true) continue;
    const expression = dimensionSql(dimension);
    if (splittable && 'column' in dimension && values!.length <= MAX_SPLIT_VALUES) {
      // One branch per actor: each is an ordered scan of an (actor, time) index where there is one.
      splits = [...new Set(values)].map((value) => fragment(`${expression} = ${PARAM}`, value));
    } else conditions.push(inList(expression, values!));
  }
  if (filters.q) {
    const like = dialect === 'postgres' ? 'ILIKE' : 'LIKE';
    conditions.push(fragment(`(${source.summary}) ${like} ${PARAM} ESCAPE '\\'`, likePattern(filters.q)));
  }
  const aware = zoneAware(source);
  return { source, conditions, splits, zoneAware: aware, zonedRows: aware && zoned.has(source.id) };
}

/** The sources of a database for one read, and which of them have rows in the zone side table now. */
export interface TimelineContext extends ResolvedSources {
  zoned: ReadonlySet<string>;
}

/** The sources of a query with their filters; only sources with zoned rows get a side-table branch. */
export function planSources(
  context: TimelineContext,
  filters: TimelineFilters,
  dialect: Dialect,
): SourcePlan[] {
  const { zoned } = context;
  const wanted = filters.sources && filters.sources.length > 0 ? new Set(filters.sources) : null;
  return context.sources
    .filter((source) => !wanted || wanted.has(source.id))
    .map((source) => planSource(source, filters, dialect, zoned))
    .filter((plan): plan is SourcePlan => plan !== null);
}

// ---------------------------------------------------------------------------------------------
// Bounds: exact key conditions plus the raw ranges that contain them

export interface Bounds {
  /** key ≥ lower */
  lower?: string;
  /** key > above */
  above?: string;
  /** key < upper */
  upper?: string;
  /** rows after this position in the list's order (older, or equal key and later source/pk) */
  after?: TimelinePosition;
  /** rows before this position (newer) */
  before?: TimelinePosition;
}

export function boundsFor(filters: TimelineFilters): Bounds {
  return {
    lower: filters.from ? dateToKey(filters.from) : undefined,
    upper: filters.to ? dateToKey(filters.to) : undefined,
  };
}

function boundKeys(bounds: Bounds): { lo: string | null; hi: string | null } {
  const lows = [bounds.lower, bounds.above, bounds.before?.key].filter((v): v is string => v !== undefined);
  const highs = [bounds.upper, bounds.after?.key].filter((v): v is string => v !== undefined);
  return {
    lo: lows.length > 0 ? lows.reduce((a, b) => (a > b ? a : b)) : null,
    hi: highs.length > 0 ? highs.reduce((a, b) => (a < b ? a : b)) : null,
  };
}

/** The tight raw ranges of the bounds (time.ts rawRanges), or none when the bounds cannot hold a row. */
export function rangesFor(bounds: Bounds): RawRange[] {
  const { lo, hi } = boundKeys(bounds);
  if (lo !== null && hi !== null && lo > hi) return [];
  return rawRanges(lo, hi);
}

/**
 * Ranges for a probe, which reads rows in index order from the top: the upper bound's ranges, each
 * cut at the lower bound's first raw value only. Rows of the lower bound's day that lie below it are
 * met only once everything above it is read (at the very end of a range), so one ordered scan per
 * upper-bound range stays cheap.
 */
function probeRanges(bounds: Bounds): RawRange[] {
  const { lo, hi } = boundKeys(bounds);
  if (lo !== null && hi !== null && lo > hi) return [];
  const floor = lo === null ? undefined : rawRanges(lo, null)[0]?.gte;
  return rawRanges(null, hi)
    .map((range) => ({
      ...range,
      gte: range.gte === undefined || (floor !== undefined && floor > range.gte) ? floor : range.gte,
    }))
    .filter((range) => range.gte === undefined || range.lt === undefined || range.gte < range.lt);
}

function pkValue(source: TimelineSource, pk: string | number): string | number {
  if (source.primaryKey.type !== 'integer') return String(pk);
  const n = Number(pk);
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** Exact conditions on (key, source, pk) for one source. */
function exactConditions(bounds: Bounds, source: TimelineSource, key: string, pk: string): Fragment[] {
  const conditions: Fragment[] = [];
  if (bounds.lower !== undefined) conditions.push(fragment(`${key} >= ${PARAM}`, bounds.lower));
  if (bounds.above !== undefined) conditions.push(fragment(`${key} > ${PARAM}`, bounds.above));
  if (bounds.upper !== undefined) conditions.push(fragment(`${key} < ${PARAM}`, bounds.upper));
  const after = bounds.after;
  if (after) {
    if (source.id > after.source) conditions.push(fragment(`${key} <= ${PARAM}`, after.key));
    else if (source.id < after.source) conditions.push(fragment(`${key} < ${PARAM}`, after.key));
    else
      conditions.push(
        fragment(
          `(${key} < ${PARAM} OR (${key} = ${PARAM} AND ${pk} < ${PARAM}))`,
          after.key,
          after.key,
          pkValue(source, after.pk),
        ),
      );
  }
  const before = bounds.before;
  if (before) {
    if (source.id < before.source) conditions.push(fragment(`${key} >= ${PARAM}`, before.key));
    else if (source.id > before.source) conditions.push(fragment(`${key} > ${PARAM}`, before.key));
    else
      conditions.push(
        fragment(
          `(${key} > ${PARAM} OR (${key} = ${PARAM} AND ${pk} > ${PARAM}))`,
          before.key,
          before.key,
          pkValue(source, before.pk),
        ),
      );
  }
  return conditions;
}

function rangeConditions(column: string, range: RawRange): Fragment[] {
  const conditions: Fragment[] = [];
  if (range.gte !== undefined) conditions.push(fragment(`${column} >= ${PARAM}`, range.gte));
  if (range.lt !== undefined) conditions.push(fragment(`${column} < ${PARAM}`, range.lt));
  return conditions;
}

/**
 * probe: the raw time (the UTC key for zoned rows) of the newest `limit` rows in index order; window: (source, pk, key) of the newest
 * `limit` rows by key; count: up to `limit` rows; select: the given columns (SQL text over the
 * source's columns and the key) of every row, for aggregates.
 */
export type BranchMode =
  | { kind: 'probe'; limit: number }
  | { kind: 'window'; limit: number; details?: boolean }
  | { kind: 'count'; limit: number }
  | { kind: 'select'; columns: (source: TimelineSource, key: string) => string };

function selectList(
  mode: BranchMode,
  source: TimelineSource,
  key: string,
  pk: string,
  rawTime: string,
): string {
  if (mode.kind === 'select') return mode.columns(source, key);
  if (mode.kind === 'probe') return `${rawTime} AS r`;
  if (mode.kind === 'count') return '1 AS one';
  const integer = source.primaryKey.type === 'integer';
  const position = `${literal(source.id)} AS src, ${integer ? pk : 'CAST(NULL AS BIGINT)'} AS pk_int, ${integer ? 'CAST(NULL AS TEXT)' : `CAST(${pk} AS TEXT)`} AS pk_text, ${key} AS k`;
  return mode.details ? `${position}, ${detailColumns(source)}` : position;
}

/** What the list shows of an event: its time as stored and its attributes, as text. */
export function detailColumns(source: TimelineSource): string {
  const text = (expression: string) => `CAST(${expression} AS TEXT)`;
  return [
    `${text(timeColumnSql(source))} AS raw_time`,
    `${text(dimensionSql(source.module))} AS module`,
    `${text(dimensionSql(source.actor))} AS actor`,
    `${text(dimensionSql(source.type))} AS type`,
    `${text(dimensionSql(source.severity))} AS severity`,
    `${text(`(${source.summary})`)} AS summary`,
  ].join(', ');
}

function orderAndLimit(mode: BranchMode, rawColumn: string, pk: string): string {
  if (mode.kind === 'select') return '';
  if (mode.kind === 'probe') return ` ORDER BY ${rawColumn} DESC LIMIT ${limitText(mode.limit)}`;
  if (mode.kind === 'count') return ` LIMIT ${limitText(mode.limit)}`;
  return ` ORDER BY k DESC, ${pk} DESC LIMIT ${limitText(mode.limit)}`;
}

/**
 * Every branch of a plan for the given bounds. A probe reads in index order, so it gets one branch per
 * raw range; the other modes read a whole (small) window and get one branch with the ranges OR-ed.
 * Each branch is multiplied by the actor splits; the zone side table adds one branch.
 */
export function planBranches(plan: SourcePlan, bounds: Bounds, mode: BranchMode): Fragment[] {
  const { source } = plan;
  const table = quoteIdentifier(source.table);
  const time = timeColumnSql(source);
  const key = wallKeySql(time);
  const pk = primaryKeySql(source);
  const branches: Fragment[] = [];
  const common = [
    fragment(isoLikeSql(time)),
    ...plan.conditions,
    ...exactConditions(bounds, source, key, pk),
  ];
  if (plan.zoneAware) common.push(fragment(`NOT ${hasZoneOffsetSql(time)}`));
  let rangeSets: Fragment[][];
  if (mode.kind === 'probe') rangeSets = probeRanges(bounds).map((range) => rangeConditions(time, range));
  else {
    const ranges = rangesFor(bounds);
    if (ranges.length <= 1) rangeSets = ranges.map((range) => rangeConditions(time, range));
    else {
      const alternatives = ranges.map((range) => andFragments(rangeConditions(time, range)));
      const either = joinFragments(
        alternatives.map((alternative) => ({ ...alternative, text: `(${alternative.text})` })),
        ' OR ',
      );
      rangeSets = [[{ ...either, text: `(${either.text})` }]];
    }
  }
  for (const ranges of rangeSets) {
    for (const split of plan.splits) {
      const where = andFragments([...ranges, ...(split ? [split] : []), ...common]);
      branches.push({
        text: `SELECT ${selectList(mode, source, key, pk, time)} FROM ${table} WHERE ${where.text}${orderAndLimit(mode, time, pk)}`,
        params: where.params,
      });
    }
  }
  if (plan.zonedRows && rangeSets.length > 0) {
    // Rows whose time carries a non-zero offset, by their UTC key (kept by the triggers of 0002).
    const zKey = 'z.tl_key';
    const tPk = `t.${pk}`;
    const splits = plan.splits.filter((split): split is Fragment => split !== null);
    const where = andFragments([
      fragment(`z.tl_source = ${PARAM}`, source.id),
      ...plan.conditions,
      ...exactConditions(bounds, source, zKey, tPk),
      ...(splits.length > 0
        ? [(({ text, params }) => ({ text: `(${text})`, params }))(joinFragments(splits, ' OR '))]
        : []),
    ]);
    const order =
      mode.kind === 'probe'
        ? ` ORDER BY z.tl_key DESC LIMIT ${limitText(mode.limit)}`
        : orderAndLimit(mode, zKey, tPk);
    branches.push({
      text: `SELECT ${selectList(mode, source, zKey, tPk, zKey)} FROM ${ZONED_ROWS_TABLE} z JOIN ${table} t ON ${tPk} = z.tl_pk WHERE ${where.text}${order}`,
      params: where.params,
    });
  }
  return branches;
}

/** Maintained sources that have rows in the zone side table now (a loose index scan: one seek per source). */
export async function zonedSourcesPresent(db: Database): Promise<Set<string>> {
  const rows = await db.all<{ v: string }>(sql`WITH RECURSIVE s(v) AS (
      SELECT MIN(tl_source) FROM ${raw(ZONED_ROWS_TABLE)}
      UNION ALL
      SELECT (SELECT MIN(tl_source) FROM ${raw(ZONED_ROWS_TABLE)} WHERE tl_source > s.v) FROM s WHERE s.v IS NOT NULL
    ) SELECT v FROM s WHERE v IS NOT NULL`);
  return new Set(rows.map((row) => row.v));
}

/** The branches as one UNION ALL, each wrapped as `SELECT <select> FROM (branch)` (an aggregate per branch, say). */
export function unionAll(branches: readonly Fragment[], select = '*'): SQL {
  return toSql(
    joinFragments(
      branches.map((branch, index) => ({
        text: `SELECT ${select} FROM (${branch.text}) AS b${index}`,
        params: branch.params,
      })),
      ' UNION ALL ',
    ),
  );
}

/** Runs a read against the current sources; a table that vanished since the catalogue was read triggers one fresh retry. */
export async function withSources<T>(
  db: Database,
  read: (context: TimelineContext) => Promise<T>,
): Promise<T> {
  const contextOf = async (fresh: boolean): Promise<TimelineContext> => {
    const resolved = await resolveSources(db, { fresh });
    const zoned = resolved.catalogue.tables.has(ZONED_ROWS_TABLE)
      ? await zonedSourcesPresent(db)
      : new Set<string>();
    return { ...resolved, zoned };
  };
  const context = await contextOf(false);
  try {
    return await read(context);
  } catch (error) {
    if (!isMissingTableError(error)) throw error;
    invalidateCatalogue(db);
    return read(await contextOf(true));
  }
}
