// The drizzle schemas are the source of truth for types, but the migrations create the tables. This
// test keeps the three in step: each dialect's schema against its freshly migrated database, and the
// SQLite schema against the PostgreSQL one. It discovers tables from the schema modules and the
// catalogue, so a table added later (schema file + migration) is checked without touching this file.
import { Column, getTableName, is, SQL, StringChunk, type Table } from 'drizzle-orm';
import { getTableConfig as getPgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { type Database, sql } from '@/db/database';
import { MIGRATIONS_TABLE } from '@/db/migrate';
import * as pgSchema from '@/db/schema/postgres';
import * as sqliteSchema from '@/db/schema/sqlite';
import { openTestDatabase, type TestDatabase, testTargets } from './support/databases';

interface ColumnShape {
  name: string;
  /** Declared type, upper-case (SQLite: as written in the DDL; PostgreSQL: information_schema's data_type). */
  type: string;
  /** NOT NULL, counting primary-key columns as not null (SQLite reports notnull=0 for them). */
  notNull: boolean;
  /** 1-based position in the primary key, 0 when not part of it. */
  primaryKey: number;
  /** Whether inserts may omit it (a DEFAULT); null for key columns, whose generation differs by engine. */
  hasDefault: boolean | null;
}

interface TableShape {
  columns: ColumnShape[];
  /** Explicit indexes: "name unique? (col, col desc)", sorted. */
  indexes: string[];
  /** UNIQUE constraints as column lists, sorted (their names are engine-generated). */
  uniques: string[];
  /** "(cols) -> table(cols) on delete action", sorted. */
  foreignKeys: string[];
}

type Shapes = Map<string, TableShape>;

// ---------------------------------------------------------------------------------------------
// Schema side

interface GenericTableConfig {
  name: string;
  columns: Column[];
  primaryKeys: { columns: Column[] }[];
  uniqueConstraints: { columns: Column[] }[];
  indexes: { config: { name?: string; unique: boolean; columns: unknown[] } }[];
  foreignKeys: {
    reference(): { columns: Column[]; foreignColumns: Column[]; foreignTable: Table };
    onDelete?: string;
  }[];
}

function indexColumn(entry: unknown): string {
  if (is(entry, Column)) return entry.name;
  if (is(entry, SQL)) {
    // sqlite-core has no .desc(): a DESC index column is written as sql`${column} DESC`.
    const names = entry.queryChunks
      .filter((chunk) => is(chunk, Column))
      .map((chunk) => (chunk as Column).name);
    const text = entry.queryChunks
      .filter((chunk) => is(chunk, StringChunk))
      .map((chunk) => (chunk as StringChunk).value.join(''))
      .join(' ');
    return `${names.join(' ')}${/\bdesc\b/i.test(text) ? ' desc' : ''}`;
  }
  // pg-core IndexedColumn: the column's name plus its ordering.
  const indexed = entry as { name?: string; indexConfig?: { order?: string } };
  if (typeof indexed.name !== 'string') throw new Error(`Unsupported index column ${String(entry)}`);
  return `${indexed.name}${indexed.indexConfig?.order === 'desc' ? ' desc' : ''}`;
}

function schemaShape(config: GenericTableConfig): TableShape {
  const compositeKey = config.primaryKeys[0]?.columns.map((column) => column.name) ?? [];
  const columns = config.columns.map((column): ColumnShape => {
    const primaryKey = column.primary ? 1 : compositeKey.indexOf(column.name) + 1;
    return {
      name: column.name,
      type: column.getSQLType().toUpperCase(),
      notNull: column.notNull || primaryKey > 0,
      primaryKey,
      hasDefault: primaryKey > 0 ? null : column.hasDefault,
    };
  });
  const uniques = [
    ...config.columns.filter((column) => column.isUnique).map((column) => column.name),
    ...config.uniqueConstraints.map((unique) => unique.columns.map((column) => column.name).join(', ')),
  ];
  return {
    columns,
    indexes: config.indexes
      .map(
        (index) =>
          `${index.config.name ?? '(unnamed)'}${index.config.unique ? ' unique' : ''} (${index.config.columns.map(indexColumn).join(', ')})`,
      )
      .toSorted(),
    uniques: uniques.map((list) => `(${list})`).toSorted(),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const reference = fk.reference();
        return `(${reference.columns.map((c) => c.name).join(', ')}) -> ${getTableName(reference.foreignTable)}(${reference.foreignColumns
          .map((c) => c.name)
          .join(', ')}) on delete ${(fk.onDelete ?? 'no action').toLowerCase()}`;
      })
      .toSorted(),
  };
}

function schemaShapes(dialect: 'sqlite' | 'postgres'): Shapes {
  const shapes: Shapes = new Map();
  const exports: Record<string, unknown> = dialect === 'sqlite' ? sqliteSchema : pgSchema;
  for (const [exportName, value] of Object.entries(exports)) {
    let config: GenericTableConfig;
    if (dialect === 'sqlite' && is(value, SQLiteTable))
      config = getSqliteTableConfig(value) as unknown as GenericTableConfig;
    else if (dialect === 'postgres' && is(value, PgTable))
      config = getPgTableConfig(value) as unknown as GenericTableConfig;
    else continue;
    if (shapes.has(config.name))
      throw new Error(`${dialect} schema: table ${config.name} is declared twice (again as ${exportName})`);
    shapes.set(config.name, schemaShape(config));
  }
  return shapes;
}

// ---------------------------------------------------------------------------------------------
// Catalogue side

function isCatalogueTable(name: string): boolean {
  return !name.startsWith('sqlite_') && name !== MIGRATIONS_TABLE;
}

async function sqliteCatalogue(db: Database): Promise<Shapes> {
  const shapes: Shapes = new Map();
  const tables = await db.all<{ name: string }>(
    sql`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`,
  );
  for (const { name: table } of tables.filter((t) => isCatalogueTable(t.name))) {
    const info = await db.all<{
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }>(sql`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(${table}) ORDER BY cid`);
    const indexList = await db.all<{ name: string; unique: number; origin: string }>(
      sql`SELECT name, "unique", origin FROM pragma_index_list(${table})`,
    );
    const indexes: string[] = [];
    const uniques: string[] = [];
    for (const index of indexList) {
      const keyColumns = await db.all<{ name: string; desc: number }>(
        sql`SELECT name, "desc" FROM pragma_index_xinfo(${index.name}) WHERE "key" = 1 ORDER BY seqno`,
      );
      const list = keyColumns.map((c) => `${c.name}${c.desc ? ' desc' : ''}`).join(', ');
      if (index.origin === 'c') indexes.push(`${index.name}${index.unique ? ' unique' : ''} (${list})`);
      else if (index.origin === 'u') uniques.push(`(${list})`);
    }
    const fkRows = await db.all<{ id: number; table: string; from: string; to: string; on_delete: string }>(
      sql`SELECT id, "table", "from", "to", on_delete FROM pragma_foreign_key_list(${table}) ORDER BY id, seq`,
    );
    const fks = new Map<number, { table: string; from: string[]; to: string[]; onDelete: string }>();
    for (const row of fkRows) {
      const fk = fks.get(row.id) ?? {
        table: row.table,
        from: [],
        to: [],
        onDelete: row.on_delete.toLowerCase(),
      };
      fk.from.push(row.from);
      fk.to.push(row.to);
      fks.set(row.id, fk);
    }
    shapes.set(table, {
      columns: info.map((column) => ({
        name: column.name,
        type: column.type.toUpperCase(),
        notNull: column.notnull === 1 || column.pk > 0,
        primaryKey: column.pk,
        hasDefault: column.pk > 0 ? null : column.dflt_value !== null,
      })),
      indexes: indexes.toSorted(),
      uniques: uniques.toSorted(),
      foreignKeys: [...fks.values()]
        .map((fk) => `(${fk.from.join(', ')}) -> ${fk.table}(${fk.to.join(', ')}) on delete ${fk.onDelete}`)
        .toSorted(),
    });
  }
  return shapes;
}

const PG_DELETE_ACTIONS: Record<string, string> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

async function postgresCatalogue(db: Database): Promise<Shapes> {
  const columns = await db.all<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
    is_identity: string;
  }>(sql`SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default, c.is_identity
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
         ORDER BY c.table_name, c.ordinal_position`);
  const constraints = await db.all<{
    table_name: string;
    contype: string;
    columns: string;
    foreign_table: string | null;
    foreign_columns: string | null;
    confdeltype: string;
  }>(sql`SELECT cl.relname AS table_name, c.contype,
           (SELECT string_agg(a.attname, ', ' ORDER BY array_position(c.conkey, a.attnum))
              FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)) AS columns,
           fcl.relname AS foreign_table,
           (SELECT string_agg(a.attname, ', ' ORDER BY array_position(c.confkey, a.attnum))
              FROM pg_attribute a WHERE a.attrelid = c.confrelid AND a.attnum = ANY (c.confkey)) AS foreign_columns,
           c.confdeltype
         FROM pg_constraint c
         JOIN pg_class cl ON cl.oid = c.conrelid
         LEFT JOIN pg_class fcl ON fcl.oid = c.confrelid
         WHERE cl.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.contype IN ('p', 'u', 'f')`);
  // Indexes that back a PRIMARY KEY or UNIQUE constraint share its name; those are compared as constraints.
  const indexes = await db.all<{ tablename: string; indexname: string; indexdef: string }>(
    sql`SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = current_schema()
          AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()))`,
  );

  const shapes: Shapes = new Map();
  const shapeOf = (table: string): TableShape => {
    let shape = shapes.get(table);
    if (!shape) shapes.set(table, (shape = { columns: [], indexes: [], uniques: [], foreignKeys: [] }));
    return shape;
  };
  const primaryKeys = new Map(
    constraints.filter((c) => c.contype === 'p').map((c) => [c.table_name, c.columns.split(', ')]),
  );
  for (const column of columns) {
    if (!isCatalogueTable(column.table_name)) continue;
    const primaryKey = (primaryKeys.get(column.table_name) ?? []).indexOf(column.column_name) + 1;
    shapeOf(column.table_name).columns.push({
      name: column.column_name,
      type: column.data_type.toUpperCase(),
      notNull: column.is_nullable === 'NO' || primaryKey > 0,
      primaryKey,
      hasDefault: primaryKey > 0 ? null : column.column_default !== null || column.is_identity === 'YES',
    });
  }
  for (const constraint of constraints) {
    if (!shapes.has(constraint.table_name)) continue;
    const shape = shapeOf(constraint.table_name);
    if (constraint.contype === 'u') shape.uniques.push(`(${constraint.columns})`);
    if (constraint.contype === 'f') {
      const action = PG_DELETE_ACTIONS[constraint.confdeltype] ?? constraint.confdeltype;
      shape.foreignKeys.push(
        `(${constraint.columns}) -> ${constraint.foreign_table}(${constraint.foreign_columns}) on delete ${action}`,
      );
    }
  }
  for (const index of indexes) {
    if (!shapes.has(index.tablename)) continue;
    // indexdef: CREATE [UNIQUE] INDEX name ON schema.table USING btree (col, "timestamp" DESC)
    const list = /\(([^()]*)\)\s*$/.exec(index.indexdef)?.[1] ?? index.indexdef;
    const cols = list
      .split(',')
      .map((part) =>
        part
          .trim()
          .replaceAll('"', '')
          .replace(/\s+DESC$/i, ' desc'),
      )
      .join(', ');
    const unique = /^CREATE UNIQUE INDEX/i.test(index.indexdef);
    shapeOf(index.tablename).indexes.push(`${index.indexname}${unique ? ' unique' : ''} (${cols})`);
  }
  for (const shape of shapes.values()) {
    shape.indexes.sort();
    shape.uniques.sort();
    shape.foreignKeys.sort();
  }
  return shapes;
}

// ---------------------------------------------------------------------------------------------
// Cross-dialect: SQLite's declared types and PostgreSQL's are different words for the same kinds of value.

const TYPE_FAMILY: Record<string, string> = {
  INTEGER: 'integer',
  BIGINT: 'integer',
  REAL: 'real',
  'DOUBLE PRECISION': 'real',
  TEXT: 'text',
  DATETIME: 'text',
  JSON: 'text',
  BOOLEAN: 'boolean',
};

function withTypeFamilies(shapes: Shapes): Record<string, TableShape> {
  return Object.fromEntries(
    [...shapes].map(([table, shape]) => [
      table,
      {
        ...shape,
        columns: shape.columns.map((column) => {
          const family = TYPE_FAMILY[column.type];
          if (!family)
            throw new Error(
              `${table}.${column.name}: type ${column.type} has no cross-dialect family; add it to TYPE_FAMILY`,
            );
          return { ...column, type: family };
        }),
      },
    ]),
  );
}

// Row types (what the app compiles against) must be identical whichever dialect's schema built them.
type RowTypes<S, T> = {
  [K in keyof S as S[K] extends T ? K : never]: S[K] extends { $inferSelect: infer R } ? R : never;
};
type InsertTypes<S, T> = {
  [K in keyof S as S[K] extends T ? K : never]: S[K] extends { $inferInsert: infer R } ? R : never;
};

describe('drizzle schemas: SQLite and PostgreSQL declare the same thing', () => {
  it('same tables, same columns in the same order, same keys, defaults, indexes, uniques and foreign keys', () => {
    const sqliteShapes = schemaShapes('sqlite');
    const pgShapes = schemaShapes('postgres');
    expect(sqliteShapes.size).toBeGreaterThan(0);
    expect([...pgShapes.keys()].toSorted()).toEqual([...sqliteShapes.keys()].toSorted());
    expect(withTypeFamilies(pgShapes)).toEqual(withTypeFamilies(sqliteShapes));
  });

  it('export the same names and the same row types', () => {
    const tableExports = (schema: Record<string, unknown>) =>
      Object.entries(schema)
        .filter(([, value]) => is(value, SQLiteTable) || is(value, PgTable))
        .map(([name]) => name)
        .toSorted();
    expect(tableExports(pgSchema)).toEqual(tableExports(sqliteSchema));
    expectTypeOf<RowTypes<typeof pgSchema, PgTable>>().toEqualTypeOf<
      RowTypes<typeof sqliteSchema, SQLiteTable>
    >();
    expectTypeOf<InsertTypes<typeof pgSchema, PgTable>>().toEqualTypeOf<
      InsertTypes<typeof sqliteSchema, SQLiteTable>
    >();
  });
});

for (const target of testTargets()) {
  const dialect = target === 'sqlite' ? 'sqlite' : 'postgres';
  const schema = schemaShapes(dialect);

  describe(`drizzle ${dialect} schema matches a freshly migrated database [${target}]`, () => {
    let current: TestDatabase | undefined;
    let catalogue: Shapes = new Map();
    beforeAll(async () => {
      current = await openTestDatabase(target);
      catalogue =
        dialect === 'sqlite' ? await sqliteCatalogue(current.db) : await postgresCatalogue(current.db);
    });
    afterAll(async () => {
      await current?.cleanup();
    });

    it('every migrated table has a drizzle table and every drizzle table was migrated', () => {
      expect(catalogue.size).toBeGreaterThan(0);
      const missingFromSchema = [...catalogue.keys()].filter((table) => !schema.has(table));
      const missingFromDatabase = [...schema.keys()].filter((table) => !catalogue.has(table));
      expect({ missingFromSchema, missingFromDatabase }).toEqual({
        missingFromSchema: [],
        missingFromDatabase: [],
      });
    });

    it.each([...schema.keys()].toSorted())(
      '%s: columns, keys, defaults, indexes and constraints',
      (table) => {
        expect(schema.get(table)).toEqual(catalogue.get(table));
      },
    );
  });
}
