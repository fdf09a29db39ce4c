// What the stress and crash tests check in the database file afterwards, read with a plain
// better-sqlite3 connection (not the console's code, so a bug there cannot hide itself).
import BetterSqlite3 from 'better-sqlite3';

export function openReadOnly(file: string): BetterSqlite3.Database {
  const conn = new BetterSqlite3(file, { readonly: true, timeout: 10_000 });
  conn.pragma('busy_timeout = 10000');
  return conn;
}

/** `PRAGMA integrity_check` rows joined ('ok' when the file is sound). */
export function integrityCheck(conn: BetterSqlite3.Database): string {
  return (conn.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[])
    .map((row) => row.integrity_check)
    .join('; ');
}

export interface HistoryDisagreement {
  post_id: string;
  status: string | null;
  console_version: number;
  history_rows: number;
  latest_to_status: string | null;
  latest_version: number | null;
}

/**
 * Posts whose history does not end in their current state: no history row at all, or a latest row
 * (highest id) whose to_status differs from the post's status or whose version differs from the
 * post's console_version. Empty when history and posts agree — no half-applied decision.
 */
export function historyDisagreements(conn: BetterSqlite3.Database): HistoryDisagreement[] {
  return conn
    .prepare(
      `SELECT p.post_id, p.status, p.console_version,
              (SELECT COUNT(*) FROM modules_console_post_history h WHERE h.post_id = p.post_id) AS history_rows,
              l.to_status AS latest_to_status, l.version AS latest_version
         FROM agents_social_posts p
         LEFT JOIN modules_console_post_history l
           ON l.id = (SELECT MAX(id) FROM modules_console_post_history h WHERE h.post_id = p.post_id)
        WHERE l.id IS NULL OR l.to_status IS NOT p.status OR l.version <> p.console_version`,
    )
    .all() as HistoryDisagreement[];
}

/** The JSON column where agent_writer.py puts {"stress_writer", "seq"} in each table it writes. */
export const WRITER_TABLES: Record<string, string> = {
  agents_social_posts: 'metadata',
  daemon_health: 'metrics_json',
  error_events: 'payload_json',
  agents_breadcrumbs: 'data',
};

export interface WriterReport {
  name: string;
  seconds: number;
  committed: Record<string, number>;
  post_ids_sha256: string;
  errors: number;
  error_samples: string[];
  busy_waits_over_1s: number;
  /** Time per row from BEGIN to COMMIT including busy waits, ms. */
  commit_ms: { p50: number | null; p95: number | null; p99: number | null; max: number | null };
}

export interface WriterCheck {
  name: string;
  table: string;
  committed: number;
  found: number;
  distinct: number;
  minSeq: number | null;
  maxSeq: number | null;
}

/**
 * For each writer and table: the rows the writer says it committed are all there, exactly once:
 * found = distinct seqs = committed, seqs 0 … committed-1. Returns one check per (writer, table) and
 * the problems (lost or duplicated rows, post ids that differ).
 */
export function checkWriterRows(
  conn: BetterSqlite3.Database,
  reports: readonly WriterReport[],
  sha256: (text: string) => string,
): { checks: WriterCheck[]; problems: string[] } {
  const checks: WriterCheck[] = [];
  const problems: string[] = [];
  for (const report of reports) {
    for (const [table, column] of Object.entries(WRITER_TABLES)) {
      const committed = report.committed[table] ?? 0;
      const row = conn
        .prepare(
          `SELECT COUNT(*) AS found, COUNT(DISTINCT seq) AS distinct_seqs, MIN(seq) AS min_seq, MAX(seq) AS max_seq
             FROM (SELECT json_extract(${column}, '$.seq') AS seq FROM ${table}
                    WHERE json_extract(${column}, '$.stress_writer') = ?)`,
        )
        .get(report.name) as {
        found: number;
        distinct_seqs: number;
        min_seq: number | null;
        max_seq: number | null;
      };
      const check: WriterCheck = {
        name: report.name,
        table,
        committed,
        found: row.found,
        distinct: row.distinct_seqs,
        minSeq: row.min_seq,
        maxSeq: row.max_seq,
      };
      checks.push(check);
      const complete =
        row.found === committed &&
        row.distinct_seqs === committed &&
        (committed === 0 || (row.min_seq === 0 && row.max_seq === committed - 1));
      if (!complete)
        problems.push(
          `${report.name} → ${table}: committed ${committed}, found ${row.found} (distinct seqs ${row.distinct_seqs}, ${row.min_seq}…${row.max_seq})`,
        );
    }
    const ids = (
      conn
        .prepare(
          `SELECT post_id FROM agents_social_posts WHERE json_extract(metadata, '$.stress_writer') = ?`,
        )
        .all(report.name) as { post_id: string }[]
    )
      .map((row) => row.post_id)
      .sort();
    if (sha256(ids.join('\n')) !== report.post_ids_sha256)
      problems.push(`${report.name}: the post_ids in the database differ from the ones it committed`);
  }
  return { checks, problems };
}
