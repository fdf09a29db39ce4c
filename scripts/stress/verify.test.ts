import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { type WriterReport, checkWriterRows, historyDisagreements } from './lib/verify';

// The stress runs' checks must catch what they claim to catch: a lost row, a duplicated row, a post
// whose history does not end in its state. Checked here on a migrated file, without a server.

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

describe('stress checks', () => {
  let dir = '';
  let conn: BetterSqlite3.Database;
  let report: WriterReport;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foundups-stress-verify-'));
    const file = path.join(dir, 'foundups.db');
    await (await openDatabase({ dialect: 'sqlite', path: file })).close();
    conn = new BetterSqlite3(file);
    const ids: string[] = [];
    for (let seq = 0; seq < 3; seq++) {
      const tag = JSON.stringify({ stress_writer: 'w1', seq });
      const postId = `p-${seq}`;
      ids.push(postId);
      conn
        .prepare(
          `INSERT INTO agents_social_posts (post_id, platform, post_type, content, status, metadata) VALUES (?, 'x', 'post', 'c', 'pending_review', ?)`,
        )
        .run(postId, tag);
      conn
        .prepare(
          `INSERT INTO daemon_health (daemon_name, heartbeat_at, status, metrics_json) VALUES ('d', '2026-01-01T00:00:00Z', 'running', ?)`,
        )
        .run(tag);
      conn
        .prepare(
          `INSERT INTO error_events (source_module, raised_at, severity, payload_json) VALUES ('m', '2026-01-01T00:00:00Z', 'ERROR', ?)`,
        )
        .run(tag);
      conn
        .prepare(`INSERT INTO agents_breadcrumbs (session_id, action, data) VALUES ('s', 'tick', ?)`)
        .run(tag);
    }
    report = {
      name: 'w1',
      seconds: 1,
      committed: { agents_social_posts: 3, daemon_health: 3, error_events: 3, agents_breadcrumbs: 3 },
      post_ids_sha256: sha256(ids.sort().join('\n')),
      errors: 0,
      error_samples: [],
      busy_waits_over_1s: 0,
      commit_ms: { p50: 1, p95: 1, p99: 1, max: 1 },
    };
  });

  afterAll(() => {
    conn?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes when every committed row is there once, and names a lost or duplicated row', () => {
    expect(checkWriterRows(conn, [report], sha256).problems).toEqual([]);
    conn.prepare(`DELETE FROM error_events WHERE json_extract(payload_json, '$.seq') = 1`).run();
    expect(checkWriterRows(conn, [report], sha256).problems).toEqual([
      'w1 → error_events: committed 3, found 2 (distinct seqs 2, 0…2)',
    ]);
    conn
      .prepare(
        `INSERT INTO error_events (source_module, raised_at, severity, payload_json) VALUES ('m', '2026-01-01T00:00:00Z', 'ERROR', ?)`,
      )
      .run(JSON.stringify({ stress_writer: 'w1', seq: 2 }));
    expect(checkWriterRows(conn, [report], sha256).problems).toEqual([
      'w1 → error_events: committed 3, found 3 (distinct seqs 2, 0…2)',
    ]);
    expect(
      checkWriterRows(conn, [{ ...report, post_ids_sha256: sha256('other') }], sha256).problems,
    ).toContain('w1: the post_ids in the database differ from the ones it committed');
  });

  it('finds a post whose latest history row does not match its status or version', () => {
    // The agents' own UPDATE is recorded by the console's trigger: history and post agree.
    conn.prepare(`UPDATE agents_social_posts SET status = 'approved' WHERE post_id = 'p-0'`).run();
    expect(historyDisagreements(conn)).toEqual([]);
    // A console-style write that bumps the version without its history row: half-applied.
    conn
      .prepare(
        `UPDATE agents_social_posts SET status = 'rejected', console_version = console_version + 1 WHERE post_id = 'p-1'`,
      )
      .run();
    expect(historyDisagreements(conn)).toEqual([
      {
        post_id: 'p-1',
        status: 'rejected',
        console_version: 1,
        history_rows: 1,
        latest_to_status: 'pending_review',
        latest_version: 0,
      },
    ]);
  });
});
