import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { workAsyncStorage } from 'next/dist/server/app-render/work-async-storage.external';
import { workUnitAsyncStorage } from 'next/dist/server/app-render/work-unit-async-storage.external';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GET } from '@/app/api/health/route';
import { closeDb, getDb } from '@/db/client';
import { DatabaseBusyError, sql } from '@/db/database';
import { driverCounters, resetDriverCounters } from '@/db/drivers/observe';
import type { SqliteDatabase } from '@/db/drivers/sqlite';
import { collectHealth, readThresholds } from '@/lib/operations/health';
import {
  installQueryMetrics,
  normalizeRoute,
  normalizeSql,
  requestContextStorage,
  resetMetrics,
  routeLatencies,
  slowQueries,
} from '@/lib/operations/metrics';
import { foldIds, installRequestLog } from '@/lib/operations/request-log';
import { createApiToken } from '@/lib/review/tokens';
import { tempDir } from './support/databases';

// Next's server runtime provides AsyncLocalStorage globally before its stores are created; so do we.
vi.hoisted(() => {
  (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage =
    process.getBuiltinModule('node:async_hooks').AsyncLocalStorage;
});

const ROOT = path.resolve(import.meta.dirname, '..');
const SLOW_SQL = sql`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) AS n FROM c`;

/** Runs fn as Next runs a page (or, with phase 'action', a server action) of that route pattern. */
function inRoute<T>(route: string, fn: () => T, phase: 'render' | 'action' = 'render'): T {
  return workAsyncStorage.run({ route, page: `${route}/page` } as never, () =>
    workUnitAsyncStorage.run({ type: 'request', phase } as never, fn),
  );
}

describe('health', () => {
  let dir: string;
  let db: SqliteDatabase;
  const saved = { ...process.env };

  beforeAll(async () => {
    delete process.env.DATABASE_URL;
    dir = tempDir('foundups-health-');
    process.env.FOUNDUPS_DB_PATH = path.join(dir, 'foundups.db');
    await closeDb();
    db = (await getDb()) as SqliteDatabase;
  });
  beforeEach(() => {
    resetMetrics();
    installQueryMetrics();
    for (const name of [
      'FOUNDUPS_HEALTH_P95_MS',
      'FOUNDUPS_HEALTH_WAL_BYTES',
      'FOUNDUPS_HEALTH_DISK_FREE_PERCENT',
    ])
      delete process.env[name];
  });
  afterAll(async () => {
    await closeDb();
    fs.rmSync(dir, { recursive: true, force: true });
    process.env = saved;
  });

  it('names routes by pattern and queries by shape', () => {
    expect(normalizeRoute('/(console)/review/[postId]')).toBe('/review/[postId]');
    expect(normalizeRoute('/(console)/(overview)')).toBe('/');
    expect(foldIds('/review/601e28f5-9c43-44fa-9603-206fb8a31052')).toBe('/review/[id]');
    expect(foldIds('/timeline/reviews/300')).toBe('/timeline/reviews/[id]');
    expect(normalizeSql("select * from t where a = 'x''y' and b = 42 and c in (?, ?, ?)  limit $1")).toBe(
      'select * from t where a = ? and b = ? and c in (?, …) limit ?',
    );
  });

  it('files every statement under the route pattern that ran it: pages, actions, API routes', async () => {
    await inRoute('/(console)/review/[postId]', () => db.get(sql`SELECT 1`));
    await inRoute('/(console)/review/[postId]', () => db.get(sql`SELECT 2`));
    await inRoute('/(console)/review/[postId]', () => db.get(sql`SELECT 3`), 'action');
    await inRoute('/api/v1/posts', () => db.get(sql`SELECT 4`));
    await db.get(sql`SELECT 5`);
    const routes = Object.fromEntries(routeLatencies().map((r) => [r.route, r.count]));
    expect(routes).toEqual({
      '/review/[postId]': 2,
      '/review/[postId] (action)': 1,
      '/api/v1/posts': 1,
      '(background)': 1,
    });
  });

  it('reports p50/p95/p99 and warns when a route’s p95 crosses the threshold (forced with a slow query)', async () => {
    for (let i = 0; i < 5; i += 1) await inRoute('/timeline', () => db.get(SLOW_SQL));
    const [latency] = routeLatencies();
    expect(latency!.route).toBe('/timeline');
    expect(latency!.p95).toBeGreaterThan(100);
    expect(latency!.p50).toBeLessThanOrEqual(latency!.p95);
    expect(latency!.p95).toBeLessThanOrEqual(latency!.p99);
    const report = await collectHealth(db);
    expect(report.warnings.filter((w) => w.kind === 'latency').map((w) => w.message)).toEqual([
      expect.stringMatching(/^\/timeline: p95 query latency [\d.]+ ms over the last hour is above 100 ms/),
    ]);
    expect(slowQueries(1)[0]).toMatchObject({ route: '/timeline', sql: expect.stringContaining('x < ?') });
    // Raised threshold: no warning for the same measurements.
    process.env.FOUNDUPS_HEALTH_P95_MS = '100000';
    expect((await collectHealth(db)).warnings.filter((w) => w.kind === 'latency')).toEqual([]);
  });

  it('reads the WAL (size, frames, checkpoint) and warns above the WAL threshold', async () => {
    db.connection.pragma('wal_autocheckpoint = 0');
    try {
      await db.run(sql`CREATE TABLE IF NOT EXISTS health_fill (id INTEGER PRIMARY KEY, body TEXT)`);
      await db.bulkInsert(
        'health_fill',
        ['body'],
        Array.from({ length: 200 }, () => ['x'.repeat(4000)]),
      );
      let report = await collectHealth(db);
      expect(report.database).toMatchObject({ reachable: true, journalMode: 'wal', dialect: 'sqlite' });
      expect(report.wal!.bytes).toBeGreaterThan(800_000);
      expect(report.wal!.frames).toBeGreaterThan(200);
      expect(report.warnings.map((w) => w.kind)).not.toContain('wal');
      process.env.FOUNDUPS_HEALTH_WAL_BYTES = '500000';
      report = await collectHealth(db);
      expect(report.warnings.find((w) => w.kind === 'wal')?.message).toMatch(
        /The WAL is \d+ bytes, above 500000/,
      );
      const sequence = report.wal!.checkpointSequence;
      db.connection.pragma('wal_checkpoint(TRUNCATE)');
      await db.bulkInsert('health_fill', ['body'], [['after checkpoint']]);
      report = await collectHealth(db);
      expect(report.wal!.checkpointSequence).not.toBe(sequence);
      expect(report.wal!.lastCheckpointSeenAt).not.toBeNull();
    } finally {
      db.connection.pragma('wal_autocheckpoint = 1000');
    }
  });

  it('reports free disk and warns below the disk threshold', async () => {
    let report = await collectHealth(db);
    expect(report.disk!.totalBytes).toBeGreaterThan(0);
    expect(report.disk!.freePercent).toBeGreaterThan(0);
    expect(report.warnings.map((w) => w.kind)).not.toContain('disk');
    process.env.FOUNDUPS_HEALTH_DISK_FREE_PERCENT = '100.5';
    report = await collectHealth(db);
    expect(report.warnings.find((w) => w.kind === 'disk')?.message).toMatch(
      /% of the disk holding the database is free/,
    );
    process.env.FOUNDUPS_HEALTH_DISK_FREE_PERCENT = 'lots';
    expect(() => readThresholds()).toThrow(/FOUNDUPS_HEALTH_DISK_FREE_PERCENT must be a number/);
  });

  it('counts writers that waited for the lock and busy timeouts', { timeout: 30_000 }, async () => {
    resetDriverCounters();
    const hold = (ms: number) => {
      const child = spawn(
        process.execPath,
        [
          '-e',
          `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(db.file)}); db.prepare('BEGIN IMMEDIATE').run(); process.stdout.write('held\\n'); setTimeout(() => { db.prepare('COMMIT').run(); process.exit(0); }, ${ms});`,
        ],
        { cwd: ROOT },
      );
      return new Promise<typeof child>((resolve) => child.stdout.once('data', () => resolve(child)));
    };
    const short = await hold(400);
    // Write transactions (BEGIN IMMEDIATE: transaction, bulkInsert) are where a wait is measured.
    await db.transaction([sql`INSERT INTO health_fill (body) VALUES ('waited')`]);
    await new Promise((resolve) => short.once('exit', resolve));
    expect(driverCounters().lockWaits).toBe(1);
    expect(driverCounters().lockWaitMs).toBeGreaterThan(100);

    const long = await hold(7000);
    await expect(db.run(sql`INSERT INTO health_fill (body) VALUES ('refused')`)).rejects.toThrow(
      DatabaseBusyError,
    );
    expect(driverCounters().busyErrors).toBe(1);
    expect((await collectHealth(db)).busy.busyErrors).toBe(1);
    long.kill();
  });

  describe('/api/health', () => {
    it('stays minimal for probes, and gives details only to a valid token', async () => {
      const anonymous = await GET(new Request('http://console.test/api/health'));
      expect(anonymous.status).toBe(200);
      expect(Object.keys(await anonymous.json()).sort()).toEqual(['dialect', 'latencyMs', 'ok']);

      const refused = await GET(new Request('http://console.test/api/health?detail=1'));
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({
        ok: false,
        error: expect.stringMatching(/admin session or an API token/),
      });

      const bad = await GET(
        new Request('http://console.test/api/health?detail=1', {
          headers: { authorization: `Bearer fu_${'x'.repeat(43)}` },
        }),
      );
      expect(bad.status).toBe(401);

      const created = await createApiToken(db, { name: 'monitor', scopes: ['posts:read'] });
      if (!created.ok) throw new Error(created.message);
      const detailed = await GET(
        new Request('http://console.test/api/health?detail=1', {
          headers: { authorization: `Bearer ${created.secret}` },
        }),
      );
      expect(detailed.status).toBe(200);
      const body = (await detailed.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ ok: true, database: { reachable: true, journalMode: 'wal' } });
      expect(Object.keys(body)).toEqual(
        expect.arrayContaining([
          'wal',
          'busy',
          'latency',
          'requests',
          'slowQueries',
          'disk',
          'thresholds',
          'warnings',
        ]),
      );
    });
  });

  describe('request log', () => {
    it('writes one JSON line per request with route, status, duration and operator, and no secret', async () => {
      const lines: string[] = [];
      installRequestLog((line) => lines.push(line));
      const created = await createApiToken(db, { name: 'log-agent', scopes: ['posts:read'] });
      if (!created.ok) throw new Error(created.message);
      const secret = created.secret;
      const server = http.createServer((request, response) => {
        void (async () => {
          await db.get(sql`SELECT count(*) FROM modules_console_operators`);
          response.writeHead(request.url?.startsWith('/missing') ? 404 : 200, {
            'content-type': 'text/plain',
          });
          response.end('done');
        })();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      try {
        await fetch(`http://127.0.0.1:${port}/api/v1/posts?status=approved&token=${secret}`, {
          headers: { authorization: `Bearer ${secret}` },
        });
        await fetch(`http://127.0.0.1:${port}/missing?password=hunter2`, {
          method: 'POST',
          body: 'password=hunter2',
          headers: { cookie: 'other=1; fu_session=session-secret-value' },
        });
        for (let i = 0; i < 50 && lines.length < 2; i += 1)
          await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        server.close();
      }
      expect(lines).toHaveLength(2);
      const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(first).toMatchObject({
        msg: 'request',
        method: 'GET',
        path: '/api/v1/posts',
        route: '/api/v1/posts',
        kind: 'api',
        status: 200,
        outcome: 'ok',
        queries: 1,
        operator: 'token:log-agent',
      });
      expect(typeof first!.durationMs).toBe('number');
      expect(second).toMatchObject({
        method: 'POST',
        path: '/missing',
        status: 404,
        outcome: 'client_error',
        level: 'warn',
        operator: null, // not a live session
      });
      const text = lines.join('');
      for (const forbidden of [secret, 'session-secret-value', 'hunter2', 'token=', 'status=approved'])
        expect(text).not.toContain(forbidden);
      expect(requestContextStorage().getStore()).toBeUndefined();
    });
  });
});
