import type { Dialect } from '@/db/database';
import type { Namespace } from '@/db/namespaces';
import { type ColumnInfo, type RelationInfo, quoteCatalogueName } from './catalogue';

/**
 * The protocol's rules a table can break, worked out from the catalogue alone (no table scans):
 * - a name outside the three namespaces;
 * - an event-like table (it has a time column and is not one row per actor) without an index on its
 *   time, without an (actor, time) or without a (type, time) index — the three the timeline reads by —
 *   with the CREATE INDEX statement that fixes it;
 * - no primary key;
 * - JSON columns holding text that is not JSON (from the on-demand check, see json-check.ts).
 */

export type ComplianceFlag =
  | { kind: 'unprefixed'; message: string }
  | { kind: 'no-primary-key'; message: string }
  | { kind: 'missing-time-index'; message: string; column: string; statement: string; smallTable?: boolean }
  | {
      kind: 'missing-actor-time-index';
      message: string;
      actorColumn: string;
      timeColumn: string;
      statement: string;
      smallTable?: boolean;
    }
  | {
      kind: 'missing-type-time-index';
      message: string;
      typeColumn: string;
      timeColumn: string;
      statement: string;
      smallTable?: boolean;
    }
  | { kind: 'invalid-json'; message: string; column: string; invalid: number; checked: number };

/** The index recommendations (advice rather than an emergency while the table is small). */
export const INDEX_FLAG_KINDS = [
  'missing-time-index',
  'missing-actor-time-index',
  'missing-type-time-index',
] as const;

export type ComplianceFlagKind = ComplianceFlag['kind'];

const TIME_NAME = /(^|_)(at|time|timestamp|date|datetime|ts)$|^(timestamp|created|time|date|when)$/i;
const TIME_TYPE = /date|time/i;
/** Times that describe a row's state rather than when its event happened (no index recommended). */
const STATE_TIME_NAME =
  /^(updated|modified|changed|deleted|expires|expiry|last_[a-z0-9_]+)(_at|_on|_time)?$|_until$|^deadline$|^(last_[a-z0-9_]+)$/i;

/** Columns that say who did something, most telling first. */
const ACTOR_NAMES: readonly RegExp[] = [
  /^agent_id$/i,
  /^actor$/i,
  /^user_id$/i,
  /^operator_id$/i,
  /^daemon_name$/i,
  /^source_module$/i,
  /^(initiator|assigned)_agent$/i,
  /_agent$/i,
  /^mod_id$/i,
  /^moderator_id$/i,
  /^(author|author_id)$/i,
  /^username$/i,
  /^identity$/i,
];

/** Columns that say what kind of event a row is, most telling first. */
const TYPE_NAMES: readonly RegExp[] = [
  /^event_type$/i,
  /^(type|kind|action|event|category)$/i,
  /^(error|message|metric|action|activity)_(type|kind|name)$/i,
  /^[a-z0-9]+_(type|kind)$/i,
];

/** A column holding when something happened (by name or declared type), not a state time like updated_at. */
export function isTimeColumn(column: ColumnInfo): boolean {
  if (STATE_TIME_NAME.test(column.name)) return false;
  return TIME_NAME.test(column.name) || TIME_TYPE.test(column.type);
}

export function typeColumn(relation: RelationInfo): ColumnInfo | null {
  for (const pattern of TYPE_NAMES) {
    const column = relation.columns.find((candidate) => pattern.test(candidate.name));
    if (column) return column;
  }
  return null;
}

export function actorColumn(relation: RelationInfo): ColumnInfo | null {
  for (const pattern of ACTOR_NAMES) {
    const found = relation.columns.find((column) => pattern.test(column.name));
    if (found) return found;
  }
  return null;
}

/**
 * The event time to index when none is indexed: a NOT NULL time without a default is what the writer
 * says happened (granted_at, sent_at); then a `timestamp` column; then created_at; then the first.
 */
export function preferredTimeColumn(columns: readonly ColumnInfo[]): ColumnInfo | null {
  const times = columns.filter(isTimeColumn);
  return (
    times.find((column) => column.notNull && column.defaultValue === null && column.primaryKey === 0) ??
    times.find((column) => /(^|_)timestamp$/i.test(column.name)) ??
    times.find((column) => /^created(_at)?$/i.test(column.name)) ??
    times[0] ??
    null
  );
}

/**
 * Columns meant to hold JSON text: declared JSON on SQLite, named *_json, or (on PostgreSQL, where the
 * contract's JSON columns are TEXT) declared JSON in the SQLite schema — `declaredJson` lists those per
 * table. PostgreSQL json/jsonb columns are valid by construction and skipped.
 */
export function jsonColumns(
  relation: RelationInfo,
  dialect: Dialect,
  declaredJson: ReadonlySet<string> = new Set(),
): string[] {
  return relation.columns
    .filter((column) => {
      const type = column.type.toLowerCase();
      if (dialect === 'postgres')
        return (
          /^(text|character varying.*|varchar.*)$/.test(type) &&
          (declaredJson.has(column.name) || /_json$/i.test(column.name))
        );
      return /json/.test(type) || declaredJson.has(column.name) || /_json$/i.test(column.name);
    })
    .map((column) => column.name);
}

function indexName(...parts: string[]): string {
  const base = `idx_${parts.join('_')}`.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  return base.length > 63 ? base.slice(0, 63) : base;
}

export function createIndexStatement(table: string, columns: readonly string[]): string {
  return `CREATE INDEX IF NOT EXISTS ${quoteCatalogueName(indexName(table, ...columns))} ON ${quoteCatalogueName(table)} (${columns.map(quoteCatalogueName).join(', ')});`;
}

function leadsIndex(relation: RelationInfo, columns: readonly string[]): boolean {
  return relation.indexes.some((index) => columns.every((column, i) => index.columns[i] === column));
}

export interface JsonCheckColumn {
  column: string;
  checked: number;
  invalid: number;
  examples: string[];
}

export function complianceFlags(
  relation: RelationInfo,
  namespace: Namespace,
  jsonCheck: readonly JsonCheckColumn[] = [],
): ComplianceFlag[] {
  if (namespace === 'internal') return [];
  const flags: ComplianceFlag[] = [];
  if (namespace === 'unprefixed') {
    flags.push({
      kind: 'unprefixed',
      message:
        'The name is outside the three namespaces (agents_*, modules_{module}_*, foundups_{project}_*).',
    });
  }
  if (relation.kind !== 'table') return flags;
  if (relation.primaryKey.length === 0) {
    flags.push({
      kind: 'no-primary-key',
      message: relation.hasRowid
        ? 'No primary key: rows are only told apart by the implicit rowid.'
        : 'No primary key.',
    });
  }
  const times = relation.columns.filter(isTimeColumn);
  const actor = actorColumn(relation);
  // One row per actor (agents_awakening keyed by agent_id) is state, not a log of events.
  const stateTable =
    actor !== null &&
    ((relation.primaryKey.length === 1 && relation.primaryKey[0] === actor.name) ||
      relation.indexes.some(
        (index) => index.unique && index.columns.length === 1 && index.columns[0] === actor.name,
      ));
  if (times.length > 0 && !stateTable) {
    const indexedTime = times.find((column) => leadsIndex(relation, [column.name]));
    const timeColumn = indexedTime ?? preferredTimeColumn(relation.columns)!;
    if (!indexedTime) {
      flags.push({
        kind: 'missing-time-index',
        column: timeColumn.name,
        message: `Event-like table without an index on its time (${timeColumn.name}): time-range reads scan the whole table.`,
        statement: createIndexStatement(relation.name, [timeColumn.name]),
      });
    }
    if (actor && actor.name !== timeColumn.name) {
      const hasActorTime = times.some((time) => leadsIndex(relation, [actor.name, time.name]));
      if (!hasActorTime) {
        flags.push({
          kind: 'missing-actor-time-index',
          actorColumn: actor.name,
          timeColumn: timeColumn.name,
          message: `No (${actor.name}, ${timeColumn.name}) index: "what did this ${actor.name} do lately" scans the whole table.`,
          statement: createIndexStatement(relation.name, [actor.name, timeColumn.name]),
        });
      }
    }
    const type = typeColumn(relation);
    if (type && type.name !== timeColumn.name && type.name !== actor?.name) {
      const hasTypeTime = times.some((time) => leadsIndex(relation, [type.name, time.name]));
      if (!hasTypeTime) {
        flags.push({
          kind: 'missing-type-time-index',
          typeColumn: type.name,
          timeColumn: timeColumn.name,
          message: `No (${type.name}, ${timeColumn.name}) index: "recent events of this ${type.name}" scans the whole table.`,
          statement: createIndexStatement(relation.name, [type.name, timeColumn.name]),
        });
      }
    }
  }
  for (const check of jsonCheck) {
    if (check.invalid > 0) {
      flags.push({
        kind: 'invalid-json',
        column: check.column,
        invalid: check.invalid,
        checked: check.checked,
        message: `${check.invalid.toLocaleString('en-US')} of ${check.checked.toLocaleString('en-US')} checked values of ${check.column} are not valid JSON.`,
      });
    }
  }
  return flags;
}
