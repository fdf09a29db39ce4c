import { type Database, type Dialect, SQL, quoteIdentifier, sql } from '@/db/database';
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
import { aboveWatermarkSql, sourcesWithZonedTail, watermarked } from './rollups';
import {
  type RawRange,
  dateToKey,
  hasZoneOffsetSql,
  isoLikeSql,
  rawRanges,
  wallKeySql,
  zonedKeySql,
} from './time';

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
  conditions: Condition[];
  /** One branch per entry: an actor condition (index-friendly equality) or null for no split. */
  splits: (Condition | null)[];
  /** Maintained source: rows whose time has a non-zero offset are read from the zone side table instead. */
  zoneAware: boolean;
  /** The zone side table holds rows of this source right now (else its branch is left out). */
  zonedRows: boolean;
  /** SQLite: rows above the rollup watermark are not in the side table yet; a tail branch reads them. */
  zonedTail: boolean;
  /** Everything the plan's SQL text depends on (its values aside): part of a statement's shape key. */
  key: string;
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

// Branch SQL is assembled as plain text with parameter marks. A mark stands for a SLOT: a function
// reading the value from the query's bind context (the plans' filter values, the bounds, the raw
// ranges, the guard values), so one text serves every query of the same shape: list.ts compiles it
// once per shape and per dialect (compiledStatement) and then only reads the slots. Building the text
// and rendering a few hundred parameters through nested sql`` templates cost more than running the
// query.

/** What a query's slots read their values from. */
export interface BindContext {
  plans: readonly SourcePlan[];
  bounds: Bounds;
  ranges: readonly RawRange[];
  guard: Guard;
}

export type Slot = (context: BindContext) => unknown;

/** SQL text whose PARAM marks stand for `params`, in order. */
export interface Fragment {
  text: string;
  params: Slot[];
}

/** A filter condition of a plan: its text and the values of its PARAM marks. */
export interface Condition {
  text: string;
  values: unknown[];
}

const PARAM = '\u0001';

function fragment(text: string, ...params: Slot[]): Fragment {
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

/** The drizzle SQL of a fragment, its slots read from `context` (values stay bound parameters). */
export function toSql(part: Fragment, context: BindContext): SQL {
  const pieces = part.text.split(PARAM);
  if (pieces.length !== part.params.length + 1) throw new Error('Mismatched parameters in a timeline query.');
  const chunks: SQL[] = [];
  pieces.forEach((piece, i) => {
    if (piece) chunks.push(sql.raw(piece));
    if (i < part.params.length) chunks.push(sql`${part.params[i]!(context)}`);
  });
  return sql.join(chunks);
}

/**
 * A statement rendered once for its dialect: drizzle's toQuery (which every driver calls through
 * renderQuery) returns the cached text and this query's values without walking any chunks.
 */
class CompiledSql extends SQL {
  constructor(
    private readonly text: string,
    private readonly values: unknown[],
  ) {
    super([]);
  }

  override toQuery(): { sql: string; params: unknown[] } {
    return { sql: this.text, params: this.values };
  }
}

interface CompiledTemplate {
  text: string;
  slots: Slot[];
}

const MAX_TEMPLATES = 256;
const templates = new Map<string, CompiledTemplate>();

/**
 * The statement of shape `key` (which must determine the text completely) for `context`: built by
 * `build` and rendered for the dialect the first time, then only its slots are read.
 */
export function compiledStatement(
  dialect: Dialect,
  key: string,
  build: () => Fragment,
  context: BindContext,
): SQL {
  const cacheKey = `${dialect}|${key}`;
  let template = templates.get(cacheKey);
  if (!template) {
    const built = build();
    const pieces = built.text.split(PARAM);
    if (pieces.length !== built.params.length + 1)
      throw new Error('Mismatched parameters in a timeline query.');
    const text = pieces.reduce((all, piece, i) => `${all}${dialect === 'postgres' ? `$${i}` : '?'}${piece}`);
    template = { text, slots: built.params };
    if (templates.size >= MAX_TEMPLATES) templates.clear();
    templates.set(cacheKey, template);
  }
  return new CompiledSql(
    template.text,
    template.slots.map((slot) => bindable(slot(context))),
  );
}

/** Values as both drivers bind them (undefined never reaches a driver). */
function bindable(value: unknown): unknown {
  return value === undefined ? null : value;
}

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

function inList(expression: string, values: readonly string[]): Condition {
  return { text: `${expression} IN (${values.map(() => PARAM).join(', ')})`, values: [...values] };
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
  const conditions: Condition[] = [];
  let splits: (Condition | null)[] = [null];
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
      splits = [...new Set(values)].map((value) => ({ text: `${expression} = ${PARAM}`, values: [value] }));
    } else conditions.push(inList(expression, values!));
  }
  if (filters.q) {
    const like = dialect === 'postgres' ? 'ILIKE' : 'LIKE';
    conditions.push({
      text: `(${source.summary}) ${like} ${PARAM} ESCAPE '\\'`,
      values: [likePattern(filters.q)],
    });
  }
  const aware = zoneAware(source);
  const zonedRows = aware && zoned.has(source.id);
  const zonedTail = zonedRows && watermarked(source, dialect);
  const key = [
    source.id,
    conditions.map((condition) => condition.text).join('&'),
    splits.map((split) => split?.text ?? '').join('|'),
    `${aware ? 1 : 0}${zonedRows ? 1 : 0}${zonedTail ? 1 : 0}`,
  ].join('/');
  return { source, conditions, splits, zoneAware: aware, zonedRows, zonedTail, key };
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

/**
 * Exact conditions on (key, source, pk) for one source. The text depends on which bounds are set and
 * on where the source lies against the cursors' sources (part of boundsShape); values come from slots.
 */
function exactConditions(bounds: Bounds, source: TimelineSource, key: string, pk: string): Fragment[] {
  const conditions: Fragment[] = [];
  if (bounds.lower !== undefined) conditions.push(fragment(`${key} >= ${PARAM}`, (c) => c.bounds.lower));
  if (bounds.above !== undefined) conditions.push(fragment(`${key} > ${PARAM}`, (c) => c.bounds.above));
  if (bounds.upper !== undefined) conditions.push(fragment(`${key} < ${PARAM}`, (c) => c.bounds.upper));
  const after = bounds.after;
  if (after) {
    const afterKey: Slot = (c) => c.bounds.after!.key;
    if (source.id > after.source) conditions.push(fragment(`${key} <= ${PARAM}`, afterKey));
    else if (source.id < after.source) conditions.push(fragment(`${key} < ${PARAM}`, afterKey));
    else
      conditions.push(
        fragment(`(${key} < ${PARAM} OR (${key} = ${PARAM} AND ${pk} < ${PARAM}))`, afterKey, afterKey, (c) =>
          pkValue(source, c.bounds.after!.pk),
        ),
      );
  }
  const before = bounds.before;
  if (before) {
    const beforeKey: Slot = (c) => c.bounds.before!.key;
    if (source.id < before.source) conditions.push(fragment(`${key} >= ${PARAM}`, beforeKey));
    else if (source.id > before.source) conditions.push(fragment(`${key} > ${PARAM}`, beforeKey));
    else
      conditions.push(
        fragment(
          `(${key} > ${PARAM} OR (${key} = ${PARAM} AND ${pk} > ${PARAM}))`,
          beforeKey,
          beforeKey,
          (c) => pkValue(source, c.bounds.before!.pk),
        ),
      );
  }
  return conditions;
}

/** Everything about the bounds that the text of exactConditions and of the guard depends on. */
function boundsShape(bounds: Bounds, guard: Guard): string {
  const set = (value: unknown) => (value === undefined ? '-' : '+');
  return [
    set(bounds.lower),
    set(bounds.above),
    set(bounds.upper),
    bounds.after ? `a:${bounds.after.source}` : '-',
    bounds.before ? `b:${bounds.before.source}` : '-',
    guard.hi ? 'gh' : '-',
    guard.lo ? 'gl' : '-',
  ].join(',');
}

// ---------------------------------------------------------------------------------------------
// Guards: cheap raw comparisons that prove a row lies strictly inside the bounds

/**
 * Raw text values whose row certainly lies strictly inside (lo, hi) at minute precision, so the exact
 * key conditions (which compute the key: two replaces, five substrs, a CASE per row) need not run for
 * them. Inside a probe's or a window's raw ranges that is every row but those of the bounds' own
 * minutes. Only for well-formed bound keys ('YYYY-MM-DD HH:MM…'); see guardCondition for the proof.
 */
export interface Guard {
  /** Upper side, D and M the day and minute of hi: raw < D, or raw in [D␠, D␠M) or [DT, DTM). */
  hi?: { day: string; spaceLo: string; spaceHi: string; tLo: string; tHi: string };
  /** Lower side, N the minute after lo's (same day): raw ≥ next day, or in [D␠N, D!) or [DTN, DU), 16+ chars. */
  lo?: { nextDay: string; spaceLo: string; spaceHi: string; tLo: string; tHi: string };
}

const WELL_FORMED_KEY = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/;
const pad2 = (n: number) => String(n).padStart(2, '0');

export function guardFor(bounds: Bounds): Guard {
  const { lo, hi } = boundKeys(bounds);
  const guard: Guard = {};
  // The guard stands in for every exact condition at once, so each side that has a bound needs one.
  if ((hi !== null && !WELL_FORMED_KEY.test(hi)) || (lo !== null && !WELL_FORMED_KEY.test(lo))) return guard;
  if (hi !== null) {
    const day = hi.slice(0, 10);
    const minute = hi.slice(11, 16);
    // At minute 00:00 a short value ('D 0') has the key D 00:00:00 itself: no same-day guard then.
    const open = minute !== '00:00';
    guard.hi = {
      day,
      spaceLo: `${day} `,
      spaceHi: open ? `${day} ${minute}` : `${day} `,
      tLo: `${day}T`,
      tHi: open ? `${day}T${minute}` : `${day}T`,
    };
  }
  if (lo !== null) {
    const day = lo.slice(0, 10);
    const following = Number(lo.slice(11, 13)) * 60 + Number(lo.slice(14, 16)) + 1;
    const next =
      Number(lo.slice(11, 13)) < 24 && Number(lo.slice(14, 16)) < 60 && following < 24 * 60
        ? `${pad2(Math.floor(following / 60))}:${pad2(following % 60)}`
        : null;
    guard.lo = {
      // Any text from this one on starts with a day after D ('2025-03-09' → '2025-03-0:').
      nextDay: day.slice(0, 9) + String.fromCharCode(day.charCodeAt(9) + 1),
      spaceLo: next ? `${day} ${next}` : `${day}!`,
      spaceHi: `${day}!`,
      tLo: next ? `${day}T${next}` : `${day}U`,
      tHi: `${day}U`,
    };
  }
  return guard;
}

/**
 * The guard as SQL over the raw column, or null when the bounds have no well-formed side. Why it is
 * exact (byte order; a wall key is the value's first 10 characters, a space, characters 12–19 or
 * 12–16 + ':00' when 16–18 long, '00:00:00' when shorter, then the fraction):
 * - raw < D: its first 10 characters sort below D (a shorter prefix of D meets D's digits with the
 *   key's space), so the key sorts below hi.
 * - raw in [D␠, D␠M) (or [DT, DTM)): it is D␠ (DT) followed by text below M; 16+ characters long, its
 *   characters 12–16 are the key's and sort below M; shorter, its key is D 00:00:00 < D M (M ≠ 00:00).
 * - raw ≥ the next day: its first 10 characters, and so its key, sort above lo's day.
 * - raw in [D␠N, D!) (or [DTN, DU)) and 16+ characters: D␠ (DT) followed by at least N, so the key's
 *   characters 12–16 are at least N, the minute after lo's.
 */
function guardCondition(guard: Guard, time: string): Fragment | null {
  const parts: Fragment[] = [];
  if (guard.hi)
    parts.push(
      fragment(
        `(${time} < ${PARAM} OR (${time} >= ${PARAM} AND ${time} < ${PARAM}) OR (${time} >= ${PARAM} AND ${time} < ${PARAM}))`,
        (c) => c.guard.hi!.day,
        (c) => c.guard.hi!.spaceLo,
        (c) => c.guard.hi!.spaceHi,
        (c) => c.guard.hi!.tLo,
        (c) => c.guard.hi!.tHi,
      ),
    );
  if (guard.lo)
    parts.push(
      fragment(
        `(${time} >= ${PARAM} OR (${time} >= ${PARAM} AND ${time} < ${PARAM} AND length(${time}) >= 16) OR (${time} >= ${PARAM} AND ${time} < ${PARAM} AND length(${time}) >= 16))`,
        (c) => c.guard.lo!.nextDay,
        (c) => c.guard.lo!.spaceLo,
        (c) => c.guard.lo!.spaceHi,
        (c) => c.guard.lo!.tLo,
        (c) => c.guard.lo!.tHi,
      ),
    );
  return parts.length > 0 ? andFragments(parts) : null;
}

/** The exact conditions of a wall-keyed branch, skipped (by OR's short circuit) for guarded rows. */
function guardedExact(exact: Fragment[], guard: Fragment | null): Fragment[] {
  if (exact.length === 0 || !guard) return exact;
  const all = andFragments(exact);
  return [{ text: `(${guard.text} OR (${all.text}))`, params: [...guard.params, ...all.params] }];
}

function rangeConditions(column: string, range: RawRange, index: number): Fragment[] {
  const conditions: Fragment[] = [];
  if (range.gte !== undefined)
    conditions.push(fragment(`${column} >= ${PARAM}`, (c) => c.ranges[index]!.gte));
  if (range.lt !== undefined) conditions.push(fragment(`${column} < ${PARAM}`, (c) => c.ranges[index]!.lt));
  return conditions;
}

const rangesShape = (ranges: readonly RawRange[]) =>
  ranges
    .map((range) => `${range.gte === undefined ? '' : 'g'}${range.lt === undefined ? '' : 'l'}`)
    .join(',');

/** A plan's filter condition as a fragment reading its values from the bind context's plan `p`. */
function planCondition(
  p: number,
  which: 'conditions' | 'splits',
  index: number,
  condition: Condition,
): Fragment {
  return {
    text: condition.text,
    params: condition.values.map(
      (_, j) => (c: BindContext) => (c.plans[p]![which][index] as Condition).values[j],
    ),
  };
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

const modeRanges = (mode: BranchMode, bounds: Bounds): RawRange[] =>
  mode.kind === 'probe' ? probeRanges(bounds) : rangesFor(bounds);

/**
 * Every branch of plan `p` of the bind context, as text with slots. A probe reads in index order, so
 * it gets one branch per raw range; the other modes read a whole (small) window and get one branch
 * with the ranges OR-ed. Each branch is multiplied by the actor splits; the zone side table adds one
 * branch (and, on SQLite, the rows above the rollup watermark another).
 */
function branchTemplates(context: BindContext, p: number, mode: BranchMode): Fragment[] {
  const plan = context.plans[p]!;
  const { source } = plan;
  const { bounds } = context;
  const table = quoteIdentifier(source.table);
  const time = timeColumnSql(source);
  const key = wallKeySql(time);
  const pk = primaryKeySql(source);
  const branches: Fragment[] = [];
  const conditions = plan.conditions.map((condition, i) => planCondition(p, 'conditions', i, condition));
  const splits = plan.splits.map((split, i) => (split ? planCondition(p, 'splits', i, split) : null));
  const common = [
    fragment(isoLikeSql(time)),
    ...conditions,
    ...guardedExact(exactConditions(bounds, source, key, pk), guardCondition(context.guard, time)),
  ];
  // Rows with an offset are read from the side table (and tail) instead. A source with none there has
  // none at all (the triggers and the rollup refresh put every one there), so the check is left out.
  if (plan.zonedRows) common.push(fragment(`NOT ${hasZoneOffsetSql(time)}`));
  let rangeSets: Fragment[][];
  const ranges = context.ranges;
  if (mode.kind === 'probe' || ranges.length <= 1)
    rangeSets = ranges.map((range, i) => rangeConditions(time, range, i));
  else {
    const alternatives = ranges.map((range, i) => andFragments(rangeConditions(time, range, i)));
    const either = joinFragments(
      alternatives.map((alternative) => ({ ...alternative, text: `(${alternative.text})` })),
      ' OR ',
    );
    rangeSets = [[{ ...either, text: `(${either.text})` }]];
  }
  for (const rangeSet of rangeSets) {
    for (const split of splits) {
      const where = andFragments([...rangeSet, ...(split ? [split] : []), ...common]);
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
    const actorSplits = splits.filter((split): split is Fragment => split !== null);
    const anyActor =
      actorSplits.length > 0
        ? [
            (({ text, params }: Fragment) => ({ text: `(${text})`, params }))(
              joinFragments(actorSplits, ' OR '),
            ),
          ]
        : [];
    const where = andFragments([
      fragment(`z.tl_source = ${literal(source.id)}`),
      ...conditions,
      ...exactConditions(bounds, source, zKey, tPk),
      ...anyActor,
    ]);
    const order =
      mode.kind === 'probe'
        ? ` ORDER BY z.tl_key DESC LIMIT ${limitText(mode.limit)}`
        : orderAndLimit(mode, zKey, tPk);
    branches.push({
      text: `SELECT ${selectList(mode, source, zKey, tPk, zKey)} FROM ${ZONED_ROWS_TABLE} z JOIN ${table} t ON ${tPk} = z.tl_pk WHERE ${where.text}${order}`,
      params: where.params,
    });
    if (plan.zonedTail) {
      // The same rows above the rollup watermark (not folded into the side table yet), read by rowid.
      const tKey = zonedKeySql('sqlite', time);
      const tailWhere = andFragments([
        fragment(aboveWatermarkSql(source)),
        fragment(isoLikeSql(time)),
        fragment(hasZoneOffsetSql(time)),
        ...conditions,
        ...exactConditions(bounds, source, tKey, pk),
        ...anyActor,
      ]);
      const tailOrder =
        mode.kind === 'probe'
          ? ` ORDER BY ${tKey} DESC LIMIT ${limitText(mode.limit)}`
          : orderAndLimit(mode, tKey, pk);
      branches.push({
        text: `SELECT ${selectList(mode, source, tKey, pk, tKey)} FROM ${table} WHERE ${tailWhere.text}${tailOrder}`,
        params: tailWhere.params,
      });
    }
  }
  return branches;
}

/** The bind context of plans read within bounds in a mode (its raw ranges and guard computed once). */
function bindContext(plans: readonly SourcePlan[], bounds: Bounds, mode: BranchMode): BindContext {
  return { plans, bounds, ranges: modeRanges(mode, bounds), guard: guardFor(bounds) };
}

/** Every branch of one plan with its values bound (for charts.ts, which assembles its own statements). */
export function planBranches(plan: SourcePlan, bounds: Bounds, mode: BranchMode): Fragment[] {
  const context = bindContext([plan], bounds, mode);
  return branchTemplates(context, 0, mode).map((branch) => ({
    text: branch.text,
    params: branch.params.map((slot) => {
      const value = slot(context);
      return () => value;
    }),
  }));
}

/**
 * One statement over every plan's branches (UNION ALL, each wrapped as `SELECT * FROM (branch)`),
 * put into its outer query by `wrap` (whose text may depend only on `wrapKey` and the mode). Compiled
 * once per shape (compiledStatement); null when no branch can hold a row.
 */
export function timelineStatement(
  dialect: Dialect,
  plans: readonly SourcePlan[],
  bounds: Bounds,
  mode: Exclude<BranchMode, { kind: 'select' }>,
  wrapKey: string,
  wrap: (union: Fragment) => Fragment,
): SQL | null {
  const context = bindContext(plans, bounds, mode);
  if (plans.length === 0 || context.ranges.length === 0) return null;
  const modeKey = `${mode.kind}:${mode.limit}:${mode.kind === 'window' && mode.details ? 'd' : ''}`;
  const key = [
    wrapKey,
    modeKey,
    boundsShape(bounds, context.guard),
    rangesShape(context.ranges),
    ...plans.map((plan) => plan.key),
  ].join('#');
  return compiledStatement(
    dialect,
    key,
    () => wrap(unionFragment(plans.flatMap((_, p) => branchTemplates(context, p, mode)))),
    context,
  );
}

function unionFragment(branches: readonly Fragment[], select = '*'): Fragment {
  return joinFragments(
    branches.map((branch, index) => ({
      text: `SELECT ${select} FROM (${branch.text}) AS b${index}`,
      params: branch.params,
    })),
    ' UNION ALL ',
  );
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

const NO_CONTEXT: BindContext = { plans: [], bounds: {}, ranges: [], guard: {} };

/** The branches (of planBranches) as one UNION ALL, each wrapped as `SELECT <select> FROM (branch)` (an aggregate per branch, say). */
export function unionAll(branches: readonly Fragment[], select = '*'): SQL {
  return toSql(unionFragment(branches, select), NO_CONTEXT);
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
    // SQLite: sources whose rows above the rollup watermark include offset times need the branch too.
    for (const id of await sourcesWithZonedTail(db, resolved.sources)) zoned.add(id);
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
