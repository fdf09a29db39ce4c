import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Database } from '@/db/database';
import { openDatabase } from '@/db/client';

export type TargetName = 'sqlite' | 'pglite' | 'postgres';

export interface TestDatabase {
  db: Database;
  target: TargetName;
  /** SQLite file path (sqlite target only). */
  file?: string;
  cleanup(): Promise<void>;
}

/**
 * The real PostgreSQL server used by the data-access suite: TEST_DATABASE_URL, or the local server
 * when CI=true (then it is required, so CI cannot silently skip PostgreSQL).
 */
export function postgresTestUrl(): string | undefined {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  if (process.env.CI === 'true' || process.env.CI === '1') return 'postgres://postgres@127.0.0.1:5432/test';
  return undefined;
}

export function tempDir(prefix = 'foundups-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function openTestDatabase(
  target: TargetName,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (target === 'sqlite') {
    const dir = tempDir();
    const file = path.join(dir, 'foundups.db');
    const db = await openDatabase({ dialect: 'sqlite', path: file }, { migrate: options.migrate });
    return {
      db,
      target,
      file,
      async cleanup() {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (target === 'pglite') {
    const db = await openDatabase({ dialect: 'pglite' }, { migrate: options.migrate });
    return { db, target, cleanup: () => db.close() };
  }
  const url = postgresTestUrl();
  if (!url) throw new Error('No PostgreSQL server configured for tests (set TEST_DATABASE_URL).');
  // One schema per test database, dropped afterwards: runs never see each other's rows.
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = await openDatabase({ dialect: 'postgres', url, schema }, { migrate: options.migrate });
  return {
    db,
    target,
    async cleanup() {
      await db.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

export function testTargets(): TargetName[] {
  return postgresTestUrl() ? ['sqlite', 'pglite', 'postgres'] : ['sqlite', 'pglite'];
}

/**
 * Runs the same data-access tests on every dialect: a fresh migrated database per describe block.
 * `use()` returns the current target's database inside tests.
 */
export function describeEachDatabase(title: string, body: (use: () => TestDatabase) => void): void {
  for (const target of testTargets()) {
    describe(`${title} [${target}]`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await openTestDatabase(target);
      });
      afterAll(async () => {
        await current?.cleanup();
      });
      body(() => {
        if (!current) throw new Error('test database not open');
        return current;
      });
    });
  }
}
