/**
 * Demo data for the FoundUps Console (`db:seed`), the demo system root on disk, and the
 * benchmark-scale generator. The CLI calls these; nothing here reads the environment.
 *
 * seedDemo(db, options) — fills a migrated database with two weeks of believable agent activity:
 *   ~300 social posts in every status (40 pending review, hostile/edge contents among them), every
 *   telemetry table, selenium_sessions, every agents_* table, the legacy module registry, and the
 *   namespace examples (modules_chat_rules_*, foundups_youtube_bot_*), written in the agents' formats.
 *   Options:
 *   - seed (default 12): PRNG seed; the same seed and `now` give the same rows on any machine.
 *   - now (default: current time): the end of the two-week window.
 *   - volume (default 1 ≈ 80k rows): multiplier for the high-frequency tables (heartbeats, chat,
 *     metrics, errors, …); tests use a small volume. The story (statuses, bursts, gaps) is always there.
 *   - force (default false): seed even though the database already holds rows and carries no demo
 *     marker. Existing rows are never changed: conflicting keys are skipped, and the module registry is
 *     left alone if it has rows.
 *   - root: also create the demo system root at this path (createDemoRoot); recorded in the marker.
 *   - scale: also add this many benchmark events afterwards (seedScale with `events = scale`).
 *   Safety: throws SeedRefusedError (nothing written) when the database is not migrated
 *   (reason 'not-migrated'), holds rows without a demo marker (reason 'real-data', unless force), or
 *   was already seeded (reason 'already-seeded': re-seeding never duplicates or clears anything —
 *   seed a fresh database instead). On SQLite all rows and the marker are one transaction (only the
 *   empty namespace tables, CREATE TABLE IF NOT EXISTS, are made before it); on PostgreSQL a failure
 *   part-way leaves the marker in state 'seeding' and later seeds refuse with reason 'incomplete'.
 *
 * seedScale(db, { events, posts?, pendingPosts?, now?, days?, seed?, batchSize?, force? }) — see scale.ts.
 * createDemoRoot(root, { now?, seed? }) — see demo-root.ts.
 */
import { refreshRollups } from '@/lib/timeline/rollups';
import type { Database } from '../database';
import { DatabaseBusyError, renderQuery, sql, translateDbError } from '../database';
import type { SqliteDatabase } from '../drivers/sqlite';
import { agentTables } from './demo-agents';
import { createNamespaceTables, namespaceRows, namespaceTableNames } from './demo-namespaces';
import { demoPosts } from './demo-posts';
import { REGISTRY_IDENTITY_COLUMNS, registryTables } from './demo-registry';
import { type DemoRootReport, createDemoRoot } from './demo-root';
import { telemetryTables } from './demo-telemetry';
import { type DemoMarker, SeedRefusedError, assertSeedable, markerStatement } from './guard';
import { Prng } from './random';
import { type ScaleReport, seedScale } from './scale';
import { DEMO_TABLES, REGISTRY_TABLES } from './tables';
import { type TableCounts, type TableRows, createSqliteWriter, writeWithBulkInsert } from './writers';

export {
  SeedRefusedError,
  type SeedRefusalReason,
  DEMO_MARKER_KEY,
  readMarker,
  type DemoMarker,
} from './guard';
export { seedScale, splitEvents, type SeedScaleOptions, type ScaleReport } from './scale';
export { DEMO_TABLES, TELEMETRY_TABLES, REGISTRY_TABLES } from './tables';
export { createDemoRoot, DEMO_ROOT_MANIFEST, type DemoRootReport, type DemoRootOptions } from './demo-root';
export { DEMO_POST_COUNT, DEMO_PENDING_COUNT } from './demo-posts';

export const DEFAULT_SEED = 12;

export interface SeedDemoOptions {
  root?: string;
  scale?: number;
  force?: boolean;
  now?: Date;
  seed?: number;
  volume?: number;
}

export interface SeedReport {
  seed: number;
  now: string;
  volume: number;
  forced: boolean;
  /** Rows inserted per table. */
  tables: TableCounts;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Table groups left alone because they already held rows (only with force). */
  skipped: string[];
  root?: DemoRootReport;
  scale?: ScaleReport;
}

/** Writes large tables in pieces on PostgreSQL so no single statement batch grows without bound. */
const GENERIC_BATCH_ROWS = 10_000;

function validate(options: SeedDemoOptions) {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${String(options.seed)}.`);
  const now = options.now ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime()))
    throw new RangeError('now must be a valid date.');
  const volume = options.volume ?? 1;
  if (!(typeof volume === 'number' && volume > 0 && volume <= 50))
    throw new RangeError(`volume must be a number above 0 and at most 50, got ${String(volume)}.`);
  const scale = options.scale ?? 0;
  if (!Number.isInteger(scale) || scale < 0)
    throw new RangeError(`scale must be a whole number of events, got ${String(options.scale)}.`);
  return { seed, now, volume, scale, force: options.force ?? false };
}

export async function seedDemo(db: Database, options: SeedDemoOptions = {}): Promise<SeedReport> {
  const { seed, now, volume, scale, force } = validate(options);
  const started = performance.now();
  const names = Object.values(namespaceTableNames(db));
  const { marker, occupied } = await assertSeedable(db, [...DEMO_TABLES, ...names], force);
  if (marker?.state === 'seeding') {
    throw new SeedRefusedError(
      'incomplete',
      'Refusing to seed: a previous demo seed of this database did not finish; seed a fresh database instead (delete the file or drop the schema).',
    );
  }
  if (marker?.demo) {
    throw new SeedRefusedError(
      'already-seeded',
      `This database already holds the demo data (seed ${marker.demo.seed}, seeded ${marker.demo.seededAt || 'earlier'}); nothing was changed — seed a fresh database to start over.`,
    );
  }

  const rng = new Prng(seed);
  const context = { rng: rng.fork('telemetry'), now, volume };
  const skipped: string[] = [];
  const registryBusy = REGISTRY_TABLES.some((table) => occupied.includes(table));
  const [registry, refreshTracking] = (() => {
    const tables = registryTables(rng.fork('registry'), now);
    return [tables.slice(0, -1), tables.slice(-1)];
  })();
  if (registryBusy) skipped.push('module registry (modules, module_documents, …) already has rows');
  const plan: TableRows[] = [
    demoPosts(rng.fork('posts'), now),
    ...telemetryTables(context),
    ...agentTables(context),
    ...(registryBusy ? [] : registry),
    ...refreshTracking,
    ...namespaceRows(db, rng.fork('namespaces'), now, volume),
  ];
  const planned = plan.reduce((sum, batch) => sum + batch.rows.length, 0);
  // Only with force (or after seedScale) do seeded tables already hold rows: then keep theirs.
  const ignoreConflicts = occupied.length > 0;
  const seededAt = new Date();
  const complete: DemoMarker = {
    kind: 'foundups-demo',
    version: 1,
    state: 'complete',
    demo: {
      seed,
      now: now.toISOString(),
      seededAt: seededAt.toISOString(),
      rows: planned,
      forced: force && occupied.length > 0,
      root: options.root,
    },
    scale: marker?.scale,
  };

  await createNamespaceTables(db);
  const counts: TableCounts = {};
  if (db.driver === 'better-sqlite3') {
    const sqlite = db as SqliteDatabase;
    const write = createSqliteWriter(sqlite.connection, { ignoreConflicts });
    const marked = renderQuery('sqlite', markerStatement(complete, seededAt));
    // One transaction: the rows and the marker arrive together or not at all.
    try {
      sqlite.writeSync(() => {
        for (const batch of plan) write(batch, counts);
        sqlite.connection.prepare(marked.sql).run(marked.params);
      });
    } catch (error) {
      const translated = translateDbError(error);
      if (translated instanceof DatabaseBusyError) throw translated;
      throw new Error(
        `Seeding the demo data failed and nothing was written (rolled back): ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  } else {
    await db.run(markerStatement({ ...complete, state: 'seeding' }, seededAt));
    try {
      for (const batch of plan) {
        for (let from = 0; from < batch.rows.length; from += GENERIC_BATCH_ROWS) {
          await writeWithBulkInsert(
            db,
            { ...batch, rows: batch.rows.slice(from, from + GENERIC_BATCH_ROWS) },
            counts,
            { ignoreConflicts },
          );
        }
      }
      if (!registryBusy) {
        // Explicit ids do not advance PostgreSQL identity sequences; move them past the seeded rows.
        for (const [table, column] of REGISTRY_IDENTITY_COLUMNS) {
          await db.run(
            sql`SELECT setval(pg_get_serial_sequence(${table}, ${column}), (SELECT MAX(${sql.raw(column)}) FROM ${sql.raw(table)}))`,
          );
        }
      }
    } catch (error) {
      throw new Error(
        `Seeding the demo data failed part-way (${Object.values(counts).reduce((a, b) => a + b, 0)} rows written, marker left in state 'seeding'); seed a fresh database: ${(error as Error).message}`,
        { cause: error },
      );
    }
    await db.run(markerStatement(complete, seededAt));
  }

  const report: SeedReport = {
    seed,
    now: now.toISOString(),
    volume,
    forced: force && occupied.length > 0,
    tables: counts,
    rows: Object.values(counts).reduce((a, b) => a + b, 0),
    seconds: 0,
    rowsPerSecond: 0,
    skipped,
  };
  // Inserts fire no rollup work on SQLite: fold the seeded rows now (seedScale folds its own).
  await refreshRollups(db);
  if (options.root) report.root = await createDemoRoot(options.root, { now, seed });
  if (scale > 0) report.scale = await seedScale(db, { events: scale, now, seed });
  report.seconds = (performance.now() - started) / 1000;
  report.rowsPerSecond = report.seconds > 0 ? Math.round(report.rows / report.seconds) : report.rows;
  return report;
}
