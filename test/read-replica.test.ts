import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { type Database, sql } from '@/db/database';
import { PostgresDatabase } from '@/db/drivers/postgres';
import { readCurrentState } from '@/lib/review/post-records';
import { getStatusCounts } from '@/lib/review/queries';
import { approvePost, rejectPost } from '@/lib/review/transitions';
import { postgresTestUrl } from './support/databases';

// DATABASE_READ_URL against a real second PostgreSQL database on the same server. The local server
// runs with wal_level=replica, and logical replication (CREATE PUBLICATION / SUBSCRIPTION) needs
// wal_level=logical, which only a server restart changes; so the "replica" is a second database that
// this test brings up to date itself, copying the rows the way a logical replica's apply worker
// does (session_replication_role = replica: the replica's own triggers do not fire). Between two
// copies the replica lags, which is exactly what the routing must cope with.

const url = postgresTestUrl();
const actor = { kind: 'operator' as const, name: 'rita' };
const REPLICATED = ['agents_social_posts', 'modules_console_post_history'] as const;

function withDatabaseName(base: string, name: string): string {
  const parsed = new URL(base);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

describe.skipIf(!url)('read replica routing (DATABASE_READ_URL) on a real second PostgreSQL database', () => {
  const suffix = crypto.randomBytes(5).toString('hex');
  const schema = `t_rr_${suffix}`;
  const replicaName = `foundups_replica_${suffix}`;
  let primaryName: string;
  let replicaUrl: string;
  let primary: Database;
  let replica: Database;
  let routed: Database;

  async function admin<T>(target: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  /** The replica catches up: the primary's rows, applied without firing the replica's triggers. */
  async function catchUp(): Promise<void> {
    const snapshot: Record<string, unknown[]> = {};
    for (const table of REPLICATED)
      snapshot[table] = await primary.allPrimary(sql.raw(`SELECT * FROM ${table}`));
    await admin(replicaUrl, async (client) => {
      await client.query(`SET search_path = ${schema}`);
      await client.query('SET session_replication_role = replica');
      await client.query('BEGIN');
      await client.query(`TRUNCATE ${REPLICATED.join(', ')}`);
      for (const table of REPLICATED) {
        await client.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1)`, [
          JSON.stringify(snapshot[table]),
        ]);
      }
      await client.query('COMMIT');
    });
  }

  async function statusOn(db: Database, postId: string, where: 'replica' | 'primary') {
    const query = sql`SELECT status, console_version FROM agents_social_posts WHERE post_id = ${postId}`;
    return (where === 'primary' ? await db.allPrimary(query) : await db.all(query))[0];
  }

  beforeAll(async () => {
    primaryName = new URL(url!).pathname.slice(1);
    replicaUrl = withDatabaseName(url!, replicaName);
    await admin(url!, async (client) => {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`CREATE DATABASE ${replicaName}`);
    });
    await admin(replicaUrl, (client) => client.query(`CREATE SCHEMA ${schema}`));
    primary = await openDatabase({ dialect: 'postgres', url: url!, schema });
    replica = await openDatabase({ dialect: 'postgres', url: replicaUrl, schema });
    routed = await openDatabase(
      { dialect: 'postgres', url: url!, readUrl: replicaUrl, schema },
      { migrate: false },
    );
  });

  afterAll(async () => {
    await Promise.all([primary?.close(), replica?.close(), routed?.close()]);
    await admin(url!, async (client) => {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.query(`DROP DATABASE IF EXISTS ${replicaName} WITH (FORCE)`);
    });
  });

  it('sends reads to the replica and writes, transactions and allPrimary to the primary', async () => {
    expect(routed).toBeInstanceOf(PostgresDatabase);
    expect((routed as PostgresDatabase).routesReadsToReplica).toBe(true);
    const db = sql`SELECT current_database() AS name`;
    expect((await routed.all<{ name: string }>(db))[0]?.name).toBe(replicaName);
    expect((await routed.get<{ name: string }>(db))?.name).toBe(replicaName);
    expect((await routed.allPrimary<{ name: string }>(db))[0]?.name).toBe(primaryName);
    expect((await routed.run<{ name: string }>(db)).rows[0]?.name).toBe(primaryName);
    const [inTx] = await routed.transaction([db]);
    expect(inTx?.rows[0]).toEqual({ name: primaryName });
  });

  it('reads your own writes only through allPrimary until the replica catches up', async () => {
    await routed.run(sql`INSERT INTO agents_social_posts (post_id, platform, post_type, content, status)
      VALUES ('rr-1', 'x', 'reply', 'written through the routed database', 'pending_review')`);
    expect(await statusOn(routed, 'rr-1', 'primary')).toMatchObject({ status: 'pending_review' });
    expect(await statusOn(routed, 'rr-1', 'replica')).toBeUndefined();
    expect(await statusOn(primary, 'rr-1', 'replica')).toMatchObject({ status: 'pending_review' });
    await catchUp();
    expect(await statusOn(routed, 'rr-1', 'replica')).toMatchObject({ status: 'pending_review' });
  });

  it('keeps the review workflow correct while the replica lags: guarded writes read the primary', async () => {
    await routed.run(sql`INSERT INTO agents_social_posts (post_id, platform, post_type, content, status)
      VALUES ('rr-2', 'linkedin', 'comment', 'needs a decision', 'pending_review')`);
    await catchUp();
    const seen = await statusOn(routed, 'rr-2', 'replica');
    expect(seen).toMatchObject({ status: 'pending_review' });
    const countsBefore = await getStatusCounts(routed);

    // Reviewer A approves with the version the (up-to-date) replica showed.
    const approved = await approvePost(routed, actor, {
      postId: 'rr-2',
      version: Number(seen!.console_version),
    });
    expect(approved.ok).toBe(true);

    // The replica has not caught up: reads still show the old state...
    expect(await statusOn(routed, 'rr-2', 'replica')).toMatchObject({ status: 'pending_review' });
    expect(await getStatusCounts(routed)).toEqual(countsBefore);
    // ...but read-your-writes (the focus screen after a decision) sees the primary.
    const current = await readCurrentState(routed, 'rr-2');
    expect(current?.current).toMatchObject({ status: 'approved', actor: 'rita' });

    // Reviewer B acts on the stale replica view: both decisions are refused, on the primary's state.
    const stale = Number(seen!.console_version);
    const again = await approvePost(
      routed,
      { kind: 'operator', name: 'bob' },
      { postId: 'rr-2', version: stale },
    );
    expect(again).toMatchObject({ ok: false, current: { status: 'approved' } });
    const rejected = await rejectPost(
      routed,
      { kind: 'operator', name: 'bob' },
      { postId: 'rr-2', version: stale, note: 'too late' },
    );
    expect(rejected).toMatchObject({ ok: false, current: { status: 'approved' } });

    const history = await routed.allPrimary<{ action: string; actor: string }>(
      sql`SELECT action, actor FROM modules_console_post_history WHERE post_id = 'rr-2' ORDER BY id`,
    );
    // The trigger's record of the direct insert, then exactly one decision.
    expect(history).toEqual([
      { action: 'created', actor: 'direct database write' },
      { action: 'approve', actor: 'rita' },
    ]);
    expect(await statusOn(primary, 'rr-2', 'primary')).toMatchObject({ status: 'approved' });

    await catchUp();
    expect(await statusOn(routed, 'rr-2', 'replica')).toMatchObject({ status: 'approved' });
    expect(await statusOn(replica, 'rr-2', 'replica')).toEqual(await statusOn(primary, 'rr-2', 'primary'));
  });
});
