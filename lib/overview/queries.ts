import 'server-only';
import { type Database, quoteIdentifier, sql } from '@/db/database';
import { storageInfo } from '@/db/file-info';
import { dimensionSql, resolveSources, timeColumnSql } from '@/lib/timeline/sources';
import { parseDbTime } from '@/lib/time/format';
import { timeAtOrAfter } from '@/lib/time/sql';

export interface ModuleCount {
  module: string;
  events: number;
}

export interface DaemonHeartbeat {
  daemon: string;
  at: Date | null;
  raw: string;
  status: string;
}

export interface Overview {
  pendingPosts: number;
  oldestPendingAt: Date | null;
  eventsByModule: ModuleCount[];
  eventsLast24h: number;
  errorsLast24h: number;
  errorsBySeverity: { severity: string; count: number }[];
  storage: Awaited<ReturnType<typeof storageInfo>>;
  heartbeats: DaemonHeartbeat[];
  since: Date;
}

/**
 * Events per module over every timeline source present in this database (the timeline's source
 * registry is the one list of event tables). Each time column has an index, so each branch is an
 * index range scan.
 */
async function eventsByModule(db: Database, since: Date): Promise<ModuleCount[]> {
  const { sources } = await resolveSources(db);
  if (sources.length === 0) return [];
  const branches = sources.map(
    (source) =>
      sql`SELECT ${sql.raw(dimensionSql(source.module))} AS module FROM ${sql.raw(quoteIdentifier(source.table))} WHERE ${timeAtOrAfter(sql.raw(timeColumnSql(source)), since)}`,
  );
  const rows = await db.all<{ module: string | null; events: number }>(
    sql`SELECT module, COUNT(*) AS events FROM (${sql.join(branches, sql` UNION ALL `)}) AS recent GROUP BY module ORDER BY events DESC, module`,
  );
  return rows.map((row) => ({ module: row.module ?? '(none)', events: Number(row.events) }));
}

/** Distinct daemons by a loose index scan (one seek per daemon), then each one's latest heartbeat. */
async function lastHeartbeats(db: Database): Promise<DaemonHeartbeat[]> {
  const daemons = await db.all<{ name: string }>(sql`WITH RECURSIVE d(name) AS (
      SELECT MIN(daemon_name) FROM daemon_health
      UNION ALL
      SELECT (SELECT MIN(daemon_name) FROM daemon_health WHERE daemon_name > d.name) FROM d WHERE d.name IS NOT NULL
    ) SELECT name FROM d WHERE name IS NOT NULL LIMIT 200`);
  const latest = await Promise.all(
    daemons.map(async ({ name }) => {
      // The greatest text sorts T-forms above space-forms of the same day, so also look at the
      // greatest space-form value of that day and keep whichever time is later.
      const top = await db.get<{ heartbeat_at: string; status: string }>(
        sql`SELECT heartbeat_at, status FROM daemon_health WHERE daemon_name = ${name} ORDER BY heartbeat_at DESC LIMIT 1`,
      );
      if (!top) return null;
      const day = top.heartbeat_at.slice(0, 10);
      const spaceForm = await db.get<{ heartbeat_at: string; status: string }>(
        sql`SELECT heartbeat_at, status FROM daemon_health WHERE daemon_name = ${name} AND heartbeat_at >= ${`${day} `} AND heartbeat_at < ${`${day}!`} ORDER BY heartbeat_at DESC LIMIT 1`,
      );
      const candidates = [top, spaceForm].filter((row): row is { heartbeat_at: string; status: string } =>
        Boolean(row),
      );
      const best = candidates.sort(
        (a, b) =>
          (parseDbTime(b.heartbeat_at)?.getTime() ?? 0) - (parseDbTime(a.heartbeat_at)?.getTime() ?? 0),
      )[0]!;
      return {
        daemon: name,
        at: parseDbTime(best.heartbeat_at),
        raw: best.heartbeat_at,
        status: best.status,
      };
    }),
  );
  return latest
    .filter((row): row is DaemonHeartbeat => row !== null)
    .sort((a, b) => a.daemon.localeCompare(b.daemon));
}

export async function getOverview(db: Database, now = new Date()): Promise<Overview> {
  const since = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const [pending, modules, errors, storage, heartbeats] = await Promise.all([
    db.get<{ n: number; oldest: string | null }>(
      sql`SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM agents_social_posts WHERE status = 'pending_review'`,
    ),
    eventsByModule(db, since),
    db.all<{ severity: string | null; n: number }>(
      sql`SELECT severity, COUNT(*) AS n FROM error_events WHERE ${timeAtOrAfter(sql.raw('raised_at'), since)} GROUP BY severity ORDER BY n DESC`,
    ),
    storageInfo(db),
    lastHeartbeats(db),
  ]);
  const errorsBySeverity = errors.map((row) => ({
    severity: row.severity ?? '(none)',
    count: Number(row.n),
  }));
  return {
    pendingPosts: Number(pending?.n ?? 0),
    oldestPendingAt: parseDbTime(pending?.oldest),
    eventsByModule: modules,
    eventsLast24h: modules.reduce((sum, row) => sum + row.events, 0),
    errorsLast24h: errorsBySeverity.reduce((sum, row) => sum + row.count, 0),
    errorsBySeverity,
    storage,
    heartbeats,
    since,
  };
}
