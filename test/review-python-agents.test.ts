// The agents' own Python code (standard-library sqlite3, the contract's exact statements) against a
// database the console migrated: their writes must keep working and land in the post history.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import type { Database } from '@/db/database';
import { readHistory, readPost } from '@/lib/review/post-records';
import { approvePost, revokeApproval } from '@/lib/review/transitions';
import { tempDir } from './support/databases';

const hasPython = spawnSync('python3', ['-c', 'import sqlite3'], { stdio: 'ignore' }).status === 0;

// record_post / approve_post / mark_posted exactly as the contract states them.
const AGENT = String.raw`
import json, sqlite3, sys, uuid
from datetime import datetime
db, command = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, timeout=10)
conn.row_factory = sqlite3.Row
conn.execute("PRAGMA foreign_keys=ON")
conn.execute("PRAGMA busy_timeout=5000")
if command == "schema":
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(open(sys.argv[3]).read())
    print(json.dumps("ok"))
elif command == "record_post":
    post_id = str(uuid.uuid4())
    with conn:
        conn.execute("INSERT INTO agents_social_posts (post_id, platform, post_type, content, identity, target_url, target_author, tone, trigger_context, status, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (post_id, "linkedin", "comment", sys.argv[3], "UnDaoDu", None, None, "pushback", None, "pending_review", json.dumps({"n": 1})))
    print(json.dumps(post_id))
elif command == "approve_post":
    with conn:
        cur = conn.execute("UPDATE agents_social_posts SET status = 'approved', review_notes = ?, reviewed_at = ? WHERE post_id = ?", (sys.argv[4], datetime.now().isoformat(), sys.argv[3]))
    print(json.dumps(cur.rowcount > 0))
elif command == "mark_posted":
    with conn:
        cur = conn.execute("UPDATE agents_social_posts SET status = 'posted', posted_at = ? WHERE post_id = ?", (datetime.now().isoformat(), sys.argv[3]))
    print(json.dumps(cur.rowcount > 0))
elif command == "get_posts_for_review":
    rows = conn.execute("SELECT * FROM agents_social_posts WHERE status = ? ORDER BY created_at DESC LIMIT ?", (sys.argv[3], 50)).fetchall()
    print(json.dumps([dict(r) for r in rows]))
`;

function agent<T>(file: string, ...args: string[]): T {
  return JSON.parse(execFileSync('python3', ['-c', AGENT, file, ...args], { encoding: 'utf8' })) as T;
}

const alice = { kind: 'operator', name: 'alice' } as const;

describe.skipIf(!hasPython)('review history of the Python agents’ direct writes [sqlite]', () => {
  let dir = '';
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(file: string) {
    db = await openDatabase({ dialect: 'sqlite', path: file });
    return db;
  }

  it('records mark_posted on an approved post as a direct database write and moves the version on', async () => {
    dir = tempDir();
    const file = path.join(dir, 'foundups.db');
    const consoleDb = await open(file);
    const postId = agent<string>(file, 'record_post', 'Your VC model is dead...');
    const approved = await approvePost(consoleDb, alice, { postId, version: 0, note: 'good' });
    expect(approved.ok).toBe(true);

    expect(agent<boolean>(file, 'mark_posted', postId)).toBe(true);

    const post = await readPost(consoleDb, postId);
    expect(post).toMatchObject({
      status: 'posted',
      version: 2,
      consoleActor: 'direct database write',
      reviewNotes: 'good',
    });
    expect(post?.postedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/); // Python's local isoformat, untouched
    const history = await readHistory(consoleDb, postId);
    expect(history.map((h) => [h.action, h.actor, h.actorKind, h.fromStatus, h.toStatus, h.version])).toEqual(
      [
        ['created', 'direct database write', 'direct', null, 'pending_review', 0],
        ['approve', 'alice', 'operator', 'pending_review', 'approved', 1],
        ['mark_posted', 'direct database write', 'direct', 'approved', 'posted', 2],
      ],
    );
    // The agents' own read still works on the migrated table.
    const listed = agent<Record<string, unknown>[]>(file, 'get_posts_for_review', 'posted');
    expect(listed.map((row) => row.post_id)).toEqual([postId]);
  });

  it('ends consistently when mark_posted and a revoke race, in either order, and the history shows both', async () => {
    dir = tempDir();
    const file = path.join(dir, 'foundups.db');
    const consoleDb = await open(file);

    // Agent first: the reviewer's revoke (holding the approved version) loses and is told why.
    const a = agent<string>(file, 'record_post', 'first');
    await approvePost(consoleDb, alice, { postId: a, version: 0 });
    agent<boolean>(file, 'mark_posted', a);
    const lost = await revokeApproval(consoleDb, alice, { postId: a, version: 1 });
    expect(lost).toMatchObject({
      ok: false,
      code: 'conflict',
      current: { status: 'posted', actorKind: 'direct' },
    });
    if (!lost.ok) expect(lost.message).toMatch(/^Already posted by a direct database write at /);
    expect((await readHistory(consoleDb, a)).map((h) => h.action)).toEqual([
      'created',
      'approve',
      'mark_posted',
    ]);

    // Reviewer first: the agent's unconditional UPDATE still goes through (the agents check nothing),
    // and the history shows the revoke and then the direct write.
    const b = agent<string>(file, 'record_post', 'second');
    await approvePost(consoleDb, alice, { postId: b, version: 0 });
    expect((await revokeApproval(consoleDb, alice, { postId: b, version: 1, note: 'hold' })).ok).toBe(true);
    agent<boolean>(file, 'mark_posted', b);
    expect((await readPost(consoleDb, b))?.status).toBe('posted');
    expect(
      (await readHistory(consoleDb, b)).map((h) => [h.action, h.actor, h.fromStatus, h.toStatus]),
    ).toEqual([
      ['created', 'direct database write', null, 'pending_review'],
      ['approve', 'alice', 'pending_review', 'approved'],
      ['revoke', 'alice', 'approved', 'pending_review'],
      ['mark_posted', 'direct database write', 'pending_review', 'posted'],
    ]);
  });

  it('migrates a database the agents created and filled, and their statements keep working', async () => {
    dir = tempDir();
    const file = path.join(dir, 'foundups.db');
    agent(file, 'schema', path.join(import.meta.dirname, 'fixtures', 'agents-contract.sql'));
    const before = agent<string>(file, 'record_post', 'written before the console existed');

    const consoleDb = await open(file);
    const old = await readPost(consoleDb, before);
    expect(old).toMatchObject({ status: 'pending_review', version: 0, consoleActor: null });
    expect(await readHistory(consoleDb, before)).toEqual([]); // no history before migration 0001
    // The first console decision on such a post works and starts its history.
    expect(await approvePost(consoleDb, alice, { postId: before, version: 0 })).toMatchObject({ ok: true });

    const after = agent<string>(file, 'record_post', 'written after');
    expect(agent<boolean>(file, 'approve_post', after, 'agent approved')).toBe(true);
    expect((await readHistory(consoleDb, after)).map((h) => [h.action, h.actorKind, h.note])).toEqual([
      ['created', 'direct', null],
      ['approve', 'direct', 'agent approved'],
    ]);
    const denied = await approvePost(consoleDb, alice, { postId: after, version: 0 });
    expect(denied).toMatchObject({ ok: false, code: 'conflict' });
  });
});
