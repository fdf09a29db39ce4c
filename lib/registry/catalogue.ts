import { type SQL, sql } from 'drizzle-orm';
import type { Database, Dialect, Row } from '@/db/database';
import { renderQuery } from '@/db/database';
import { type SqliteProcessPool, type SqliteTarget } from '@/lib/sql-console/sqlite-process';

/**
 * The database's own description of its tables and views (sqlite_schema + PRAGMA table_xinfo /
 * index_list / index_info on SQLite; pg_class, pg_attribute, pg_index on PostgreSQL). Every table or
 * column name the console builds SQL from is one of these, looked up here first: a name from a URL that
 * is not in the catalogue is a 404, never part of a statement.
 */

export type RelationKind = 'table' | 'view' | 'virtual';

export interface ColumnInfo {
  name: string;
  /** Declared type (SQLite, may be empty) or format_type (PostgreSQL). */
  type: string;
  notNull: boolean;
  /** 1-based position in the primary key; 0 when not part of it. */
  primaryKey: number;
  defaultValue: string | null;
}

export interface IndexInfo {
  name: string;
  unique: boolean;
  /** Key columns in order; null entries are expressions. */
  columns: (string | null)[];
  /** c: CREATE INDEX, u: UNIQUE constraint, pk: primary key. */
  origin: 'c' | 'u' | 'pk';
  partial: boolean;
}

export interface RelationInfo {
  name: string;
  kind: RelationKind;
  columns: ColumnInfo[];
  indexes: IndexInfo[];
  /** SQLite rowid tables (not WITHOUT ROWID, not views/virtual tables). */
  hasRowid: boolean;
  /** Primary-key columns in key order (empty when there is none). */
  primaryKey: string[];
}

/**
 * Quotes a name read from the catalogue. Only for names that came from the catalogue (checked by
 * `findRelation` / `findColumn`), which can hold any character, unlike the console's own identifiers.
 */
export function quoteCatalogueName(name: string): string {
  if (name.includes('\u0000')) throw new Error('A catalogue name cannot contain NUL.');
  return `"${name.replaceAll('"', '""')}"`;
}

export function catalogueIdentifier(name: string): SQL {
  return sql.raw(quoteCatalogueName(name));
}

/** Reads rows for a query: the main database's connection, or a SQLite worker for a satellite file. */
export interface CatalogueSource {
  dialect: Dialect;
  all<T = Row>(query: SQL): Promise<T[]>;
}

export function databaseSource(db: Database): CatalogueSource {
  return { dialect: db.dialect, all: (query) => db.all(query) };
}

/** A SQLite file read through a worker process (satellites; or the main file, off the event loop). */
export function workerSource(
  pool: SqliteProcessPool,
  target: SqliteTarget,
  timeoutMs = 10_000,
): CatalogueSource {
  return {
    dialect: 'sqlite',
    async all<T = Row>(query: SQL): Promise<T[]> {
      const rendered = renderQuery('sqlite', query);
      const [result] = await pool.query(target, [{ sql: rendered.sql, params: rendered.params }], {
        timeoutMs,
      });
      if (!result) return [];
      return result.rows.map(
        (values) => Object.fromEntries(result.columns.map((column, i) => [column.name, values[i]])) as T,
      );
    },
  };
}

function parseWithoutRowid(createSql: string | null): boolean {
  return (
    typeof createSql === 'string' &&
    /\)\s*WITHOUT\s+ROWID\s*[;\s]*$/i.test(createSql.replace(/--[^\n]*$/gm, ''))
  );
}

interface SqliteObject {
  name: string;
  type: 'table' | 'view';
  sql: string | null;
}

async function sqliteRelations(source: CatalogueSource, only?: string): Promise<RelationInfo[]> {
  const objects = await source.all<SqliteObject>(
    only === undefined
      ? sql`SELECT name, type, sql FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name`
      : sql`SELECT name, type, sql FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ${only}`,
  );
  if (objects.length === 0) return [];
  const filter = only === undefined ? sql`` : sql` AND m.name = ${only}`;
  let columns: (Row & { tbl: string })[];
  let indexes: (Row & { tbl: string })[];
  let indexColumns: (Row & { idx: string })[];
  try {
    // One query per kind for all relations: the registry page stays at a handful of statements.
    columns = await source.all(
      sql`SELECT m.name AS tbl, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p WHERE m.type IN ('table', 'view')${filter} ORDER BY m.name, p.cid`,
    );
    indexes = await source.all(
      sql`SELECT m.name AS tbl, il.name, il."unique", il.origin, il.partial FROM sqlite_schema m JOIN pragma_index_list(m.name) il WHERE m.type = 'table'${filter} ORDER BY m.name, il.name`,
    );
    indexColumns = await source.all(
      sql`SELECT il.name AS idx, ii.seqno, ii.name FROM sqlite_schema m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii WHERE m.type = 'table'${filter} ORDER BY il.name, ii.seqno`,
    );
  } catch {
    // A virtual table whose module this build lacks makes the joined pragmas fail: read table by table.
    columns = [];
    indexes = [];
    indexColumns = [];
    for (const object of objects) {
      try {
        columns.push(
          ...(await source.all<Row & { tbl: string }>(
            sql`SELECT ${object.name} AS tbl, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(${object.name}) ORDER BY cid`,
          )),
        );
        if (object.type !== 'table') continue;
        const list = await source.all<Row & { tbl: string; name: string }>(
          sql`SELECT ${object.name} AS tbl, name, "unique", origin, partial FROM pragma_index_list(${object.name})`,
        );
        indexes.push(...list);
        for (const index of list) {
          indexColumns.push(
            ...(await source.all<Row & { idx: string }>(
              sql`SELECT ${index.name} AS idx, seqno, name FROM pragma_index_info(${index.name}) ORDER BY seqno`,
            )),
          );
        }
      } catch {
        // Unreadable (module missing): listed without columns.
      }
    }
  }
  const columnsOf = new Map<string, ColumnInfo[]>();
  for (const row of columns) {
    // hidden: 1 = hidden column of a virtual table; 2/3 = generated columns (shown).
    if (Number(row.hidden) === 1) continue;
    const list = columnsOf.get(row.tbl) ?? [];
    list.push({
      name: String(row.name),
      type: String(row.type ?? ''),
      notNull: Number(row.notnull) === 1,
      primaryKey: Number(row.pk),
      defaultValue: row.dflt_value === null || row.dflt_value === undefined ? null : String(row.dflt_value),
    });
    columnsOf.set(row.tbl, list);
  }
  const keyColumns = new Map<string, (string | null)[]>();
  for (const row of indexColumns) {
    const list = keyColumns.get(row.idx) ?? [];
    list.push(row.name === null || row.name === undefined ? null : String(row.name));
    keyColumns.set(row.idx, list);
  }
  const indexesOf = new Map<string, IndexInfo[]>();
  for (const row of indexes) {
    const list = indexesOf.get(row.tbl) ?? [];
    const origin = String(row.origin);
    list.push({
      name: String(row.name),
      unique: Number(row.unique) === 1,
      columns: keyColumns.get(String(row.name)) ?? [],
      origin: origin === 'pk' ? 'pk' : origin === 'u' ? 'u' : 'c',
      partial: Number(row.partial) === 1,
    });
    indexesOf.set(row.tbl, list);
  }
  return objects.map((object) => {
    const virtual = object.type === 'table' && /^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(object.sql ?? '');
    const kind: RelationKind = object.type === 'view' ? 'view' : virtual ? 'virtual' : 'table';
    const relationColumns = columnsOf.get(object.name) ?? [];
    const primaryKey = relationColumns
      .filter((column) => column.primaryKey > 0)
      .toSorted((a, b) => a.primaryKey - b.primaryKey)
      .map((column) => column.name);
    return {
      name: object.name,
      kind,
      columns: relationColumns,
      indexes: indexesOf.get(object.name) ?? [],
      hasRowid: kind === 'table' && !parseWithoutRowid(object.sql),
      primaryKey: kind === 'view' ? [] : primaryKey,
    };
  });
}

async function postgresRelations(source: CatalogueSource, only?: string): Promise<RelationInfo[]> {
  const filter = only === undefined ? sql`` : sql` AND c.relname = ${only}`;
  const relations = await source.all<{ name: string; relkind: string }>(
    sql`SELECT c.relname AS name, c.relkind FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')${filter}
        ORDER BY c.relname`,
  );
  if (relations.length === 0) return [];
  const columns = await source.all<{
    tbl: string;
    name: string;
    type: string;
    notnull: boolean;
    dflt: string | null;
    pk: number;
  }>(
    sql`SELECT c.relname AS tbl, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
          pg_get_expr(d.adbin, d.adrelid) AS dflt,
          COALESCE(array_position(pk.conkey, a.attnum), 0) AS pk
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p'
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND a.attnum > 0 AND NOT a.attisdropped${filter}
        ORDER BY c.relname, a.attnum`,
  );
  const indexes = await source.all<{
    tbl: string;
    name: string;
    unique: boolean;
    primary: boolean;
    constraint_type: string | null;
    partial: boolean;
    columns: (string | null)[] | null;
  }>(
    sql`SELECT c.relname AS tbl, i.relname AS name, ix.indisunique AS "unique", ix.indisprimary AS "primary",
          con.contype AS constraint_type, ix.indpred IS NOT NULL AS partial,
          ARRAY(SELECT CASE WHEN k.attnum = 0 THEN NULL ELSE a.attname::text END
                FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
                ORDER BY k.ord) AS columns
        FROM pg_index ix
        JOIN pg_class c ON c.oid = ix.indrelid
        JOIN pg_class i ON i.oid = ix.indexrelid
        LEFT JOIN pg_constraint con ON con.conindid = ix.indexrelid AND con.conrelid = c.oid AND con.contype IN ('p', 'u')
        WHERE c.relnamespace = current_schema()::regnamespace${filter}
        ORDER BY c.relname, i.relname`,
  );
  const columnsOf = new Map<string, ColumnInfo[]>();
  for (const row of columns) {
    const list = columnsOf.get(row.tbl) ?? [];
    list.push({
      name: row.name,
      type: row.type,
      notNull: Boolean(row.notnull),
      primaryKey: Number(row.pk),
      defaultValue: row.dflt,
    });
    columnsOf.set(row.tbl, list);
  }
  const indexesOf = new Map<string, IndexInfo[]>();
  for (const row of indexes) {
    const list = indexesOf.get(row.tbl) ?? [];
    list.push({
      name: row.name,
      unique: Boolean(row.unique),
      columns: row.columns ?? [],
      origin: row.primary ? 'pk' : row.constraint_type === 'u' ? 'u' : 'c',
      partial: Boolean(row.partial),
    });
    indexesOf.set(row.tbl, list);
  }
  return relations.map((relation) => {
    const relationColumns = columnsOf.get(relation.name) ?? [];
    return {
      name: relation.name,
      kind: relation.relkind === 'v' || relation.relkind === 'm' ? 'view' : 'table',
      columns: relationColumns,
      indexes: indexesOf.get(relation.name) ?? [],
      hasRowid: false,
      primaryKey: relationColumns
        .filter((column) => column.primaryKey > 0)
        .toSorted((a, b) => a.primaryKey - b.primaryKey)
        .map((column) => column.name),
    };
  });
}

/** Every table and view (of the current schema on PostgreSQL), sorted by name. */
export function listRelations(source: CatalogueSource): Promise<RelationInfo[]> {
  return source.dialect === 'sqlite' ? sqliteRelations(source) : postgresRelations(source);
}

/**
 * The relation called exactly `name`, or null. The name is only ever a bound parameter here, so a
 * hostile value ("x; DROP TABLE y", "../", quotes) simply finds nothing.
 */
export async function findRelation(source: CatalogueSource, name: string): Promise<RelationInfo | null> {
  if (typeof name !== 'string' || name.length === 0 || name.length > 512 || name.includes('\u0000'))
    return null;
  const found =
    source.dialect === 'sqlite' ? await sqliteRelations(source, name) : await postgresRelations(source, name);
  return found.find((relation) => relation.name === name) ?? null;
}

export function findColumn(relation: RelationInfo, name: string): ColumnInfo | null {
  return relation.columns.find((column) => column.name === name) ?? null;
}
