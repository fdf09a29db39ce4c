import { type Database, type Dialect, SAFE_IDENTIFIER, quoteIdentifier, sql } from '@/db/database';
import { classifyTable } from '@/db/namespaces';
import { nowIso } from '@/lib/time/format';

// The timeline's source registry: one declarative entry per table the timeline reads. Queries, rollup
// triggers, charts and the detail view are all built from these entries, so adding a source is one
// entry here (plus, for a `maintained` source, its triggers in a migration: see rollups.ts).
//
// Every SQL fragment below is trusted constant text written for both dialects (||, COALESCE, substr,
// CASE, CAST(… AS TEXT), ROUND); identifiers that come from operators (registered sources) are checked
// against SAFE_IDENTIFIER and the database's catalogue and always quoted.

export const SEVERITIES = ['debug', 'info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** An event attribute: a table column (filters can use its indexes), an SQL expression, or a constant. */
export type Dimension = { column: string } | { sql: string } | { constant: string | null };

/** Text forms the writers of a time column produce (documentation; every form is read correctly). */
export type TimeForm = 'sqlite' | 'iso-naive' | 'iso-utc' | 'iso-z';

export interface TimelineSource {
  /** Stable id used in URLs and cursors: a short word for built-ins, the table name for registered ones. */
  id: string;
  label: string;
  /** Built into the console, or registered by an admin (modules_console_timeline_sources). */
  origin: 'built-in' | 'registered';
  table: string;
  /** The lane/module an event belongs to. */
  module: Dimension;
  /** Single-column key: the cursor's tie-break and the detail view's address. */
  primaryKey: { column: string; type: 'integer' | 'text' };
  time: { column: string; forms: readonly TimeForm[] };
  actor: Dimension;
  type: Dimension;
  severity: Dimension;
  /** One-line summary (SQL). */
  summary: string;
  /** Columns holding JSON text, pretty-printed in the detail view. */
  jsonColumns: readonly string[];
  /** How the lanes draw the source: heartbeats as a state strip per actor, sessions as spans. */
  span?: { kind: 'state' } | { kind: 'span'; end: string } | { kind: 'span'; gapMs: number };
  /**
   * Rows counted in the hourly and daily rollups and — for sources with an integer key, which are
   * `zoneAware` — listed by UTC key in modules_console_timeline_zoned_rows when their time carries a
   * non-zero offset; all kept by triggers (migration 0002), whoever writes. Which dimensions the rollups
   * keep (high-cardinality ones are left out) and the numeric columns they sum for charts.
   */
  maintained?: { actor: boolean; type: boolean; valueA?: string; valueB?: string };
}

const c = (column: string): Dimension => ({ column });
const k = (constant: string | null): Dimension => ({ constant });
const e = (expression: string): Dimension => ({ sql: expression });

const INFO = k('info');

/** Number as text, the same on both engines (whole numbers without '.0'). */
function numberText(column: string): string {
  return `CASE WHEN ${column} = ROUND(${column}) AND abs(${column}) < 1e15 THEN CAST(CAST(${column} AS BIGINT) AS TEXT) ELSE CAST(${column} AS TEXT) END`;
}

function percentText(column: string): string {
  return `CAST(CAST(ROUND(${column} * 100) AS INTEGER) AS TEXT) || '%'`;
}

export const BUILT_IN_SOURCES: readonly TimelineSource[] = [
  {
    id: 'permissions',
    label: 'Permissions',
    origin: 'built-in',
    table: 'permission_events',
    module: k('permissions'),
    primaryKey: { column: 'id', type: 'integer' },
    time: { column: 'granted_at', forms: ['iso-naive', 'iso-utc', 'sqlite'] },
    actor: c('agent_id'),
    type: c('event_type'),
    severity: e(
      `CASE WHEN upper(event_type) LIKE '%DOWNGRADE%' OR upper(event_type) LIKE '%REVOK%' THEN 'warning' ELSE 'info' END`,
    ),
    summary: `event_type || COALESCE(' ' || permission_level, '') || COALESCE(' by ' || granted_by, '') || COALESCE(' · ' || substr(justification, 1, 120), '')`,
    jsonColumns: ['metadata_json'],
    maintained: { actor: true, type: true },
  },
  {
    id: 'confidence',
    label: 'Confidence',
    origin: 'built-in',
    table: 'confidence_events',
    module: k('confidence'),
    primaryKey: { column: 'id', type: 'integer' },
    time: { column: 'recorded_at', forms: ['iso-naive', 'iso-utc', 'sqlite'] },
    actor: c('agent_id'),
    type: c('event_type'),
    severity: e(`CASE WHEN success = false THEN 'warning' ELSE 'info' END`),
    summary: `event_type || ' ' || COALESCE(${percentText('confidence_before')}, '?') || ' → ' || COALESCE(${percentText('confidence_after')}, '?') || COALESCE(' · ' || substr(validation, 1, 120), '')`,
    jsonColumns: ['metadata_json'],
    // Per-agent before/after trends need the agent; event types are left out to keep rollups small.
    maintained: { actor: true, type: false, valueA: 'confidence_before', valueB: 'confidence_after' },
  },
  {
    id: 'chat',
    label: 'Chat',
    origin: 'built-in',
    table: 'chat_messages',
    module: k('chat'),
    primaryKey: { column: 'id', type: 'integer' },
    time: { column: 'sent_at', forms: ['iso-utc', 'iso-naive', 'sqlite'] },
    actor: c('user_id'),
    type: c('message_type'),
    severity: INFO,
    summary: `COALESCE(substr(message, 1, 200), '')`,
    jsonColumns: ['metadata_json'],
    // Thousands of chat users: counting per user would make the rollups as large as the table.
    maintained: { actor: false, type: true },
  },
  {
    id: 'heartbeats',
    label: 'Daemon heartbeats',
    origin: 'built-in',
    table: 'daemon_health',
    module: c('daemon_name'),
    primaryKey: { column: 'id', type: 'integer' },
    time: { column: 'heartbeat_at', forms: ['iso-naive', 'iso-utc', 'sqlite'] },
    actor: c('daemon_name'),
    type: c('status'),
    severity: e(
      `CASE WHEN lower(status) IN ('error', 'failed', 'failing', 'down', 'crashed', 'dead', 'critical') THEN 'error' WHEN lower(status) IN ('degraded', 'warning', 'unhealthy', 'stalled') OR errors_detected > 0 THEN 'warning' ELSE 'info' END`,
    ),
    summary: `status || COALESCE(' · video ' || video_id, '') || COALESCE(' · up ' || CAST(uptime_seconds AS TEXT) || 's', '') || CASE WHEN errors_detected > 0 THEN ' · ' || CAST(errors_detected AS TEXT) || ' errors' ELSE '' END`,
    jsonColumns: ['metrics_json'],
    span: { kind: 'state' },
    maintained: { actor: true, type: true },
  },
  {
    id: 'errors',
    label: 'Errors',
    origin: 'built-in',
    table: 'error_events',
    module: c('source_module'),
    primaryKey: { column: 'id', type: 'integer' },
    time: { column: 'raised_at', forms: ['iso-naive', 'iso-utc', 'sqlite'] },
    actor: c('source_module'),
    type: c('error_type'),
    severity: e(
      `CASE WHEN lower(severity) IN ('debug', 'info', 'warning', 'error', 'critical') THEN lower(severity) WHEN lower(severity) = 'warn' THEN 'warning' WHEN lower(severity) IN ('fatal', 'crit', 'alert', 'emergency') THEN 'critical' ELSE 'error' END`,
    ),
    summary: `COALESCE(error_type || ': ', '') || COALESCE(substr(message, 1, 200), '')`,
    jsonColumns: ['payload_json'],
    maintained: { actor: true, type: true },
  },
  {
    id: 'metrics',
    label: 'Metrics',
    origin: 'built-in',
    table: 'metrics_events',
    module: e(`COALESCE(source_module, 'metrics')`),
    primaryKey: { column: 'id', type: 'integer' },
    time: { column: 'recorded_at', forms: ['iso-z', 'iso-naive', 'sqlite'] },
    actor: c('agent_id'),
    type: c('metric_name'),
    severity: INFO,
    summary: `metric_name || ' = ' || ${numberText('value')} || COALESCE(' ' || unit, '')`,
    jsonColumns: ['tags_json'],
    maintained: { actor: false, type: true, valueA: 'value' },
  },
  {
    id: 'browser',
    label: 'Browser sessions',
    origin: 'built-in',
    table: 'selenium_sessions',
    module: k('browser_sessions'),
    primaryKey: { column: 'id', type: 'integer' },
    time: { column: 'timestamp', forms: ['iso-utc', 'iso-z'] },
    actor: k(null),
    type: k('vision_analyze'),
    severity: INFO,
    summary: `substr(url, 1, 200)`,
    jsonColumns: ['analysis_json'],
    // Analyses less than 5 minutes apart belong to one browsing session.
    span: { kind: 'span', gapMs: 5 * 60_000 },
    maintained: { actor: false, type: false },
  },
  {
    id: 'coordination',
    label: 'Agent coordination',
    origin: 'built-in',
    table: 'agents_coordination_events',
    module: k('coordination'),
    primaryKey: { column: 'event_id', type: 'text' },
    time: { column: 'timestamp', forms: ['sqlite', 'iso-naive'] },
    actor: c('initiator_agent'),
    type: c('event_type'),
    severity: e(
      `CASE WHEN lower(resolution_status) IN ('failed', 'error', 'rejected', 'timeout') THEN 'warning' ELSE 'info' END`,
    ),
    summary: `COALESCE(event_type, 'event') || COALESCE(' → ' || substr(target_agents, 1, 80), '') || COALESCE(' (' || resolution_status || ')', '')`,
    jsonColumns: ['target_agents', 'payload'],
    // Event types are the agents' free text: left out of the rollups.
    maintained: { actor: true, type: false },
  },
  {
    id: 'breadcrumbs',
    label: 'Breadcrumbs',
    origin: 'built-in',
    table: 'agents_breadcrumbs',
    module: k('breadcrumbs'),
    primaryKey: { column: 'id', type: 'integer' },
    time: { column: 'timestamp', forms: ['sqlite', 'iso-naive'] },
    actor: c('agent_id'),
    type: c('action'),
    severity: INFO,
    summary: `COALESCE(action, 'breadcrumb') || COALESCE(': ' || substr(query, 1, 160), '')`,
    jsonColumns: ['results', 'related_docs', 'data'],
    maintained: { actor: true, type: false },
  },
  {
    id: 'memory',
    label: 'Agent memory',
    origin: 'built-in',
    table: 'agents_memory',
    module: k('agent_memory'),
    primaryKey: { column: 'id', type: 'integer' },
    time: { column: 'learned_at', forms: ['sqlite', 'iso-naive'] },
    actor: c('agent_id'),
    type: c('pattern_type'),
    severity: INFO,
    summary: `'learned ' || COALESCE(pattern_type, 'pattern') || COALESCE(': ' || substr(pattern_data, 1, 160), '')`,
    jsonColumns: ['pattern_data'],
    maintained: { actor: true, type: false },
  },
  {
    id: 'contracts',
    label: 'Contracts',
    origin: 'built-in',
    table: 'agents_contracts',
    module: k('contracts'),
    primaryKey: { column: 'contract_id', type: 'text' },
    time: { column: 'created_at', forms: ['sqlite', 'iso-naive'] },
    actor: c('assigned_agent'),
    type: c('status'),
    severity: e(
      `CASE WHEN lower(status) IN ('failed', 'cancelled', 'overdue', 'breached') THEN 'warning' ELSE 'info' END`,
    ),
    summary: `COALESCE(substr(task_description, 1, 160), 'contract ' || contract_id) || COALESCE(' [' || priority || ']', '')`,
    jsonColumns: ['dependencies', 'deliverables'],
    span: { kind: 'span', end: 'completed_at' },
    maintained: { actor: true, type: true },
  },
  {
    id: 'tasks',
    label: 'Autonomous tasks',
    origin: 'built-in',
    table: 'agents_autonomous_tasks',
    module: k('autonomous_tasks'),
    primaryKey: { column: 'task_id', type: 'text' },
    time: { column: 'discovered_at', forms: ['sqlite', 'iso-naive'] },
    actor: c('discovered_by'),
    type: e(`CASE WHEN assigned_to IS NULL THEN 'discovered' ELSE 'assigned' END`),
    severity: INFO,
    summary: `COALESCE(substr(description, 1, 160), 'task ' || task_id) || COALESCE(' → ' || assigned_to, '')`,
    jsonColumns: ['required_skills', 'context'],
    maintained: { actor: true, type: true },
  },
  {
    id: 'posts',
    label: 'Social posts',
    origin: 'built-in',
    table: 'agents_social_posts',
    module: k('social_posts'),
    primaryKey: { column: 'id', type: 'integer' },
    time: { column: 'created_at', forms: ['sqlite'] },
    actor: c('identity'),
    type: c('post_type'),
    severity: e(`CASE WHEN status = 'rejected' THEN 'warning' ELSE 'info' END`),
    summary: `platform || ' ' || post_type || COALESCE(' [' || status || ']', '') || ': ' || substr(content, 1, 160)`,
    jsonColumns: ['metadata'],
    maintained: { actor: true, type: true },
  },
  {
    id: 'reviews',
    label: 'Post reviews',
    origin: 'built-in',
    table: 'modules_console_post_history',
    module: k('review'),
    primaryKey: { column: 'id', type: 'integer' },
    time: { column: 'at', forms: ['iso-z'] },
    actor: c('actor'),
    type: c('action'),
    severity: e(`CASE WHEN action = 'reject' THEN 'warning' ELSE 'info' END`),
    summary: `action || ' ' || post_id || COALESCE(' (' || COALESCE(from_status, '—') || ' → ' || to_status || ')', '')`,
    jsonColumns: [],
    maintained: { actor: true, type: true },
  },
];

/**
 * Whether rows whose time has a non-zero offset are ordered by their UTC instant (via the zone side
 * table, which needs an integer key); other sources place them by the clock time they show.
 */
export function zoneAware(source: TimelineSource): boolean {
  return source.maintained !== undefined && source.primaryKey.type === 'integer';
}

export function builtInSource(id: string): TimelineSource | undefined {
  return BUILT_IN_SOURCES.find((source) => source.id === id);
}

// ---------------------------------------------------------------------------------------------
// SQL of a source's attributes

/** SQL text of a dimension ('NULL' for a null constant). Constants are quoted literals. */
export function dimensionSql(dimension: Dimension): string {
  if ('column' in dimension) return quoteIdentifier(dimension.column);
  if ('sql' in dimension) return `(${dimension.sql})`;
  return dimension.constant === null ? 'NULL' : `'${dimension.constant.replaceAll("'", "''")}'`;
}

export function timeColumnSql(source: TimelineSource): string {
  return quoteIdentifier(source.time.column);
}

export function primaryKeySql(source: TimelineSource): string {
  return quoteIdentifier(source.primaryKey.column);
}

/** The columns the source's expressions read (for the registry test and the rollup triggers). */
export function referencedColumns(source: TimelineSource): string[] {
  const columns = new Set<string>([source.primaryKey.column, source.time.column, ...source.jsonColumns]);
  for (const dimension of [source.module, source.actor, source.type, source.severity])
    if ('column' in dimension) columns.add(dimension.column);
  if (source.span?.kind === 'span' && 'end' in source.span) columns.add(source.span.end);
  if (source.maintained?.valueA) columns.add(source.maintained.valueA);
  if (source.maintained?.valueB) columns.add(source.maintained.valueB);
  return [...columns];
}

// ---------------------------------------------------------------------------------------------
// The catalogue: which tables and columns exist, cached per connection

export interface CatalogueTable {
  name: string;
  /** Column name → declared type (upper-case). */
  columns: Map<string, string>;
  primaryKey: string[];
  /** Index column lists (leading column first); expression parts are null. */
  indexes: { name: string; columns: (string | null)[] }[];
}

export interface Catalogue {
  tables: Map<string, CatalogueTable>;
  readAt: number;
  /** Registered sources, read once per catalogue (registering or removing one invalidates it). */
  registered?: RegisteredSourceRow[];
}

/** How long a catalogue read is trusted: a table created meanwhile shows up at the latest then. */
export const CATALOGUE_TTL_MS = 30_000;

const catalogues = new WeakMap<Database, Promise<Catalogue>>();

async function loadCatalogue(db: Database): Promise<Catalogue> {
  const tables = new Map<string, CatalogueTable>();
  const table = (name: string) => {
    let entry = tables.get(name);
    if (!entry) tables.set(name, (entry = { name, columns: new Map(), primaryKey: [], indexes: [] }));
    return entry;
  };
  if (db.dialect === 'sqlite') {
    const columns = await db.all<{ table_name: string; name: string; type: string; pk: number }>(
      sql`SELECT m.name AS table_name, p.name, p.type, p.pk FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`,
    );
    for (const column of columns)
      table(column.table_name).columns.set(column.name, String(column.type ?? '').toUpperCase());
    for (const column of columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk))
      table(column.table_name).primaryKey.push(column.name);
    const indexColumns = await db.all<{
      table_name: string;
      index_name: string;
      seqno: number;
      name: string | null;
    }>(
      sql`SELECT m.tbl_name AS table_name, m.name AS index_name, i.seqno, i.name FROM sqlite_master m, pragma_index_info(m.name) i WHERE m.type = 'index' ORDER BY m.tbl_name, m.name, i.seqno`,
    );
    collectIndexes(indexColumns, tables);
  } else {
    const columns = await db.all<{ table_name: string; column_name: string; data_type: string }>(
      sql`SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`,
    );
    for (const column of columns)
      table(column.table_name).columns.set(column.column_name, column.data_type.toUpperCase());
    const indexColumns = await db.all<{
      table_name: string;
      index_name: string;
      seqno: number;
      name: string | null;
      is_primary: boolean;
    }>(
      sql`SELECT t.relname AS table_name, i.relname AS index_name, k.ord AS seqno, a.attname AS name, x.indisprimary AS is_primary
          FROM pg_index x
          JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class t ON t.oid = x.indrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
          CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
          LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0
          WHERE n.nspname = current_schema()
          ORDER BY t.relname, i.relname, k.ord`,
    );
    collectIndexes(indexColumns, tables);
    for (const row of indexColumns)
      if (row.is_primary && row.name && tables.has(row.table_name))
        table(row.table_name).primaryKey.push(row.name);
  }
  return { tables, readAt: Date.now() };
}

function collectIndexes(
  rows: { table_name: string; index_name: string; name: string | null }[],
  tables: Map<string, CatalogueTable>,
): void {
  const byIndex = new Map<string, { table: string; columns: (string | null)[] }>();
  for (const row of rows) {
    if (!tables.has(row.table_name)) continue;
    const entry = byIndex.get(row.index_name) ?? { table: row.table_name, columns: [] };
    entry.columns.push(row.name);
    byIndex.set(row.index_name, entry);
  }
  for (const [name, entry] of byIndex)
    tables.get(entry.table)!.indexes.push({ name, columns: entry.columns });
}

/** The database's tables and columns, read at most every CATALOGUE_TTL_MS per connection (or now, with fresh). */
export async function readCatalogue(db: Database, options: { fresh?: boolean } = {}): Promise<Catalogue> {
  const cached = catalogues.get(db);
  if (cached && !options.fresh) {
    const catalogue = await cached.catch(() => null);
    if (catalogue && Date.now() - catalogue.readAt < CATALOGUE_TTL_MS) return catalogue;
  }
  const loading = loadCatalogue(db);
  catalogues.set(db, loading);
  loading.catch(() => {
    if (catalogues.get(db) === loading) catalogues.delete(db);
  });
  return loading;
}

/** Forget the cached catalogue (after a query found a table missing, or after registering a source). */
export function invalidateCatalogue(db: Database): void {
  catalogues.delete(db);
}

/** Whether an error says a table (or column) does not exist: the catalogue was stale. */
export function isMissingTableError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  if (code === '42P01' || code === '42703') return true;
  return /no such (table|column)|does not exist/i.test((error as Error | null)?.message ?? '');
}

/** Whether some index of the table starts with these columns (in this order). */
export function hasIndexLeading(table: CatalogueTable, columns: readonly string[]): boolean {
  return table.indexes.some((index) => columns.every((column, i) => index.columns[i] === column));
}

// ---------------------------------------------------------------------------------------------
// Registered sources (admins add modules_* / foundups_* tables)

export const REGISTERED_SOURCES_TABLE = 'modules_console_timeline_sources';
/** Rows of zone-aware sources whose time carries a non-zero offset, by UTC key (rollups.ts keeps it). */
export const ZONED_ROWS_TABLE = 'modules_console_timeline_zoned_rows';

export class TimelineSourceError extends Error {
  override name = 'TimelineSourceError';
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface RegisteredSourceRow {
  id: number;
  table_name: string;
  label: string;
  time_column: string;
  actor_column: string | null;
  type_column: string | null;
  summary_column: string | null;
  created_by: string;
  created_at: string;
}

export interface RegisterSourceInput {
  tableName: string;
  label: string;
  timeColumn: string;
  actorColumn?: string | null;
  typeColumn?: string | null;
  summaryColumn?: string | null;
}

const REGISTRABLE = /^(modules|foundups)_/;

/** Why a table cannot be a registered source, or null when it can (names, namespace, catalogue). */
function registrationProblems(
  input: RegisterSourceInput,
  catalogue: Catalogue,
  dialect: Dialect,
): Record<string, string> {
  const problems: Record<string, string> = {};
  const table = input.tableName;
  if (!SAFE_IDENTIFIER.test(table))
    problems.tableName =
      'Table names are letters, digits and underscores, starting with a letter or underscore.';
  else if (!REGISTRABLE.test(table))
    problems.tableName = 'Only modules_* and foundups_* tables can be registered.';
  else if (table.startsWith('modules_console_'))
    problems.tableName = "The console's own tables cannot be registered.";
  else if (BUILT_IN_SOURCES.some((source) => source.table === table))
    problems.tableName = 'This table is already a built-in timeline source.';
  const entry = problems.tableName ? undefined : catalogue.tables.get(table);
  if (!problems.tableName && !entry) problems.tableName = `There is no table ${table} in the database.`;
  const columns: [keyof RegisterSourceInput, string | null | undefined, boolean][] = [
    ['timeColumn', input.timeColumn, true],
    ['actorColumn', input.actorColumn, false],
    ['typeColumn', input.typeColumn, false],
    ['summaryColumn', input.summaryColumn, false],
  ];
  for (const [field, column, required] of columns) {
    if (column === undefined || column === null || column === '') {
      if (required) problems[field] = 'Choose the column holding the event time.';
      continue;
    }
    if (!SAFE_IDENTIFIER.test(column))
      problems[field] =
        'Column names are letters, digits and underscores, starting with a letter or underscore.';
    else if (entry && !entry.columns.has(column)) problems[field] = `${table} has no column ${column}.`;
  }
  if (entry && !problems.tableName && registeredKey(entry, dialect) === null)
    problems.tableName = `${table} has no single-column primary key, which the timeline needs to address its rows.`;
  if (!input.label.trim()) problems.label = 'Give the source a label.';
  else if (input.label.length > 80) problems.label = 'Labels are limited to 80 characters.';
  return problems;
}

function registeredKey(entry: CatalogueTable, dialect: Dialect): TimelineSource['primaryKey'] | null {
  if (entry.primaryKey.length === 1) {
    const column = entry.primaryKey[0]!;
    const type = entry.columns.get(column) ?? '';
    return { column, type: /INT/.test(type) ? 'integer' : 'text' };
  }
  // A SQLite table without a declared key still has its rowid.
  if (entry.primaryKey.length === 0 && dialect === 'sqlite' && !entry.columns.has('rowid'))
    return { column: 'rowid', type: 'integer' };
  return null;
}

function registeredSource(
  row: RegisteredSourceRow,
  catalogue: Catalogue,
  dialect: Dialect,
): TimelineSource | string {
  const input: RegisterSourceInput = {
    tableName: row.table_name,
    label: row.label,
    timeColumn: row.time_column,
    actorColumn: row.actor_column,
    typeColumn: row.type_column,
    summaryColumn: row.summary_column,
  };
  const problems = registrationProblems(input, catalogue, dialect);
  if (Object.keys(problems).length > 0) return Object.values(problems).join(' ');
  const entry = catalogue.tables.get(row.table_name)!;
  const classification = classifyTable(row.table_name);
  const primaryKey = registeredKey(entry, dialect)!;
  const keySql = primaryKey.column === 'rowid' ? 'rowid' : quoteIdentifier(primaryKey.column);
  const jsonColumns = [...entry.columns]
    .filter(([name, type]) => type === 'JSON' || name.endsWith('_json'))
    .map(([name]) => name);
  return {
    id: row.table_name,
    label: row.label,
    origin: 'registered',
    table: row.table_name,
    module: k(classification.owner ?? row.table_name),
    primaryKey,
    time: { column: row.time_column, forms: ['sqlite', 'iso-naive', 'iso-utc'] },
    actor: row.actor_column ? c(row.actor_column) : k(null),
    type: row.type_column ? c(row.type_column) : k(classification.table ?? row.table_name),
    severity: INFO,
    summary: row.summary_column
      ? `COALESCE(substr(CAST(${quoteIdentifier(row.summary_column)} AS TEXT), 1, 200), '')`
      : `'${row.label.replaceAll("'", "''")} #' || CAST(${keySql} AS TEXT)`,
    jsonColumns,
  };
}

async function readRegisteredRows(db: Database, catalogue: Catalogue): Promise<RegisteredSourceRow[]> {
  if (!catalogue.tables.has(REGISTERED_SOURCES_TABLE)) return [];
  return db.all<RegisteredSourceRow>(
    sql`SELECT * FROM ${sql.raw(REGISTERED_SOURCES_TABLE)} ORDER BY table_name`,
  );
}

export interface RegisteredSourceInfo extends RegisteredSourceRow {
  /** Null when usable; otherwise why the timeline skips it (table dropped, column renamed, …). */
  problem: string | null;
  /** Whether the time column has an index (without one every timeline load scans the table). */
  timeIndexed: boolean;
}

/** Registered sources with their state, for the admin screen. */
export async function listRegisteredSources(db: Database): Promise<RegisteredSourceInfo[]> {
  const catalogue = await readCatalogue(db, { fresh: true });
  const rows = await readRegisteredRows(db, catalogue);
  return rows.map((row) => {
    const resolved = registeredSource(row, catalogue, db.dialect);
    const entry = catalogue.tables.get(row.table_name);
    return {
      ...row,
      problem: typeof resolved === 'string' ? resolved : null,
      timeIndexed: entry ? hasIndexLeading(entry, [row.time_column]) : false,
    };
  });
}

/**
 * Registers a modules_* or foundups_* table as a timeline source after checking every name against the
 * catalogue. Throws TimelineSourceError (with per-field messages) and writes nothing when it is refused.
 */
export async function registerTimelineSource(
  db: Database,
  input: RegisterSourceInput,
  createdBy: string,
): Promise<RegisteredSourceRow> {
  const catalogue = await readCatalogue(db, { fresh: true });
  const normalized: RegisterSourceInput = {
    tableName: input.tableName.trim(),
    label: input.label.trim(),
    timeColumn: input.timeColumn.trim(),
    actorColumn: input.actorColumn?.trim() || null,
    typeColumn: input.typeColumn?.trim() || null,
    summaryColumn: input.summaryColumn?.trim() || null,
  };
  const problems = registrationProblems(normalized, catalogue, db.dialect);
  if (Object.keys(problems).length > 0)
    throw new TimelineSourceError(
      'The source was not registered: ' + Object.values(problems).join(' '),
      problems,
    );
  const existing = await db.get(
    sql`SELECT id FROM ${sql.raw(REGISTERED_SOURCES_TABLE)} WHERE table_name = ${normalized.tableName}`,
  );
  if (existing)
    throw new TimelineSourceError(`${normalized.tableName} is already registered.`, {
      tableName: 'This table is already registered.',
    });
  const [inserted] = await db.transaction([
    sql`INSERT INTO ${sql.raw(REGISTERED_SOURCES_TABLE)} (table_name, label, time_column, actor_column, type_column, summary_column, created_by, created_at)
        VALUES (${normalized.tableName}, ${normalized.label}, ${normalized.timeColumn}, ${normalized.actorColumn}, ${normalized.typeColumn}, ${normalized.summaryColumn}, ${createdBy}, ${nowIso()})
        ON CONFLICT (table_name) DO NOTHING RETURNING *`,
  ]);
  const row = inserted?.rows[0] as RegisteredSourceRow | undefined;
  if (!row)
    throw new TimelineSourceError(`${normalized.tableName} is already registered.`, {
      tableName: 'This table is already registered.',
    });
  invalidateCatalogue(db);
  return row;
}

/** Removes a registered source; false when there was none for that table. */
export async function removeTimelineSource(db: Database, tableName: string): Promise<boolean> {
  const result = await db.run(
    sql`DELETE FROM ${sql.raw(REGISTERED_SOURCES_TABLE)} WHERE table_name = ${tableName}`,
  );
  invalidateCatalogue(db);
  return result.changes > 0;
}

// ---------------------------------------------------------------------------------------------
// The sources of one database

export interface ResolvedSources {
  sources: TimelineSource[];
  /** Sources left out, and why (table missing, registered source no longer valid). */
  skipped: { id: string; table: string; reason: string }[];
  catalogue: Catalogue;
}

/** The built-in sources whose table exists, then the valid registered ones. */
export async function resolveSources(
  db: Database,
  options: { fresh?: boolean } = {},
): Promise<ResolvedSources> {
  const catalogue = await readCatalogue(db, options);
  const sources: TimelineSource[] = [];
  const skipped: ResolvedSources['skipped'] = [];
  for (const source of BUILT_IN_SOURCES) {
    if (catalogue.tables.has(source.table)) sources.push(source);
    else skipped.push({ id: source.id, table: source.table, reason: `table ${source.table} does not exist` });
  }
  catalogue.registered ??= await readRegisteredRows(db, catalogue);
  for (const row of catalogue.registered) {
    const resolved = registeredSource(row, catalogue, db.dialect);
    if (typeof resolved === 'string')
      skipped.push({ id: row.table_name, table: row.table_name, reason: resolved });
    else sources.push(resolved);
  }
  return { sources, skipped, catalogue };
}

/**
 * Indexes the timeline wants on a source table and does not find: (time), (actor, time), (type, time).
 * For the registry browser's recommendations; each entry carries the CREATE INDEX statement.
 */
export function missingTimelineIndexes(
  source: TimelineSource,
  catalogue: Catalogue,
): { columns: string[]; statement: string }[] {
  const entry = catalogue.tables.get(source.table);
  if (!entry) return [];
  const time = source.time.column;
  const wanted: string[][] = [[time]];
  for (const dimension of [source.actor, source.type])
    if ('column' in dimension && dimension.column !== time) wanted.push([dimension.column, time]);
  return wanted
    .filter((columns) => !hasIndexLeading(entry, columns))
    .map((columns) => ({
      columns,
      statement: `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`idx_${source.table}_${columns.join('_')}`.slice(0, 63))} ON ${quoteIdentifier(source.table)} (${columns.map(quoteIdentifier).join(', ')})`,
    }));
}
