import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { type Database, sql } from '@/db/database';
import { readHistory, readPost } from '@/lib/review/post-records';
import {
  type ReviewActor,
  approvePost,
  bulkReview,
  editPostContent,
  markPosted,
  rejectPost,
  reopenPost,
  revokeApproval,
  submitPost,
  transitionPost,
  undoApproval,
} from '@/lib/review/transitions';
import { POST_STATUSES, TRANSITIONS, TRANSITION_ACTIONS, UNDO_WINDOW_MS } from '@/lib/review/workflow';
import { describeEachDatabase } from './support/databases';

const alice: ReviewActor = { kind: 'operator', name: 'alice' };
const bob: ReviewActor = { kind: 'operator', name: 'bob' };
const publisher: ReviewActor = { kind: 'token', name: 'publisher-bot' };
const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The agents' record_post INSERT (plus an explicit status), as Python runs it. */
async function recordPost(
  db: Database,
  fields: { status?: string | null; content?: string } = {},
): Promise<string> {
  const postId = crypto.randomUUID();
  const status = fields.status === undefined ? 'pending_review' : fields.status;
  await db.run(
    sql`INSERT INTO agents_social_posts (post_id, platform, post_type, content, identity, target_url, target_author, tone, trigger_context, status, metadata)
        VALUES (${postId}, 'linkedin', 'comment', ${fields.content ?? 'Your VC model is dead.'}, 'UnDaoDu', NULL, NULL, 'pushback', NULL, ${status}, NULL)`,
  );
  return postId;
}

async function post(db: Database, postId: string) {
  const found = await readPost(db, postId, { primary: true });
  if (!found) throw new Error(`post ${postId} missing`);
  return found;
}

describeEachDatabase('review transitions', (use) => {
  it('records an agent-inserted post as created by a direct database write, at version 0', async () => {
    const { db } = use();
    const id = await recordPost(db);
    expect((await post(db, id)).version).toBe(0);
    const history = await readHistory(db, id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      action: 'created',
      actor: 'direct database write',
      actorKind: 'direct',
      toStatus: 'pending_review',
      version: 0,
    });
    expect(history[0]!.at).toMatch(ISO_Z);
  });

  it('walks every allowed transition, bumping the version and recording who did what', async () => {
    const { db } = use();
    const id = await recordPost(db, { status: 'draft' });
    const at = new Date('2026-03-01T10:42:00.000Z');
    const steps = [
      () => submitPost(db, alice, { postId: id, version: 0 }),
      () => approvePost(db, alice, { postId: id, version: 1, note: '  good pushback  ' }, { now: at }),
      () => revokeApproval(db, bob, { postId: id, version: 2, note: 'wrong audience' }),
      () => rejectPost(db, bob, { postId: id, version: 3, note: 'off-topic' }),
      () => reopenPost(db, alice, { postId: id, version: 4 }),
      () => approvePost(db, alice, { postId: id, version: 5 }),
      () => markPosted(db, publisher, { postId: id, version: 6 }),
    ];
    const statuses: string[] = [];
    for (const step of steps) {
      const result = await step();
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (result.ok) statuses.push(result.post.status ?? '');
    }
    expect(statuses).toEqual([
      'pending_review',
      'approved',
      'pending_review',
      'rejected',
      'pending_review',
      'approved',
      'posted',
    ]);
    const final = await post(db, id);
    expect(final).toMatchObject({ status: 'posted', version: 7, consoleActor: 'publisher-bot' });
    expect(final.postedAt).toMatch(ISO_Z);
    expect(final.reviewedAt).toMatch(ISO_Z);

    const history = await readHistory(db, id);
    expect(history.map((h) => [h.action, h.actor, h.actorKind, h.fromStatus, h.toStatus, h.version])).toEqual(
      [
        ['created', 'direct database write', 'direct', null, 'draft', 0],
        ['submit', 'alice', 'operator', 'draft', 'pending_review', 1],
        ['approve', 'alice', 'operator', 'pending_review', 'approved', 2],
        ['revoke', 'bob', 'operator', 'approved', 'pending_review', 3],
        ['reject', 'bob', 'operator', 'pending_review', 'rejected', 4],
        ['reopen', 'alice', 'operator', 'rejected', 'pending_review', 5],
        ['approve', 'alice', 'operator', 'pending_review', 'approved', 6],
        ['mark_posted', 'publisher-bot', 'token', 'approved', 'posted', 7],
      ],
    );
    expect(history[2]).toMatchObject({ note: 'good pushback', at: '2026-03-01T10:42:00.000Z' });
    expect(history[4]!.note).toBe('off-topic');
  });

  it('stores the approval note and decision time, and clears them when the post goes back to review', async () => {
    const { db } = use();
    const id = await recordPost(db);
    const approved = await approvePost(
      db,
      alice,
      { postId: id, version: 0, note: 'ship it' },
      { now: new Date('2026-01-02T03:04:05.678Z') },
    );
    expect(approved.ok && approved.post).toMatchObject({
      reviewNotes: 'ship it',
      reviewedAt: '2026-01-02T03:04:05.678Z',
    });
    const revoked = await revokeApproval(db, alice, { postId: id, version: 1 });
    expect(revoked.ok && revoked.post).toMatchObject({
      status: 'pending_review',
      reviewNotes: null,
      reviewedAt: null,
    });
  });

  it('refuses every transition the workflow does not allow, changing nothing', async () => {
    const { db } = use();
    for (const status of [...POST_STATUSES, 'scheduled', null]) {
      const id = await recordPost(db, { status });
      for (const action of TRANSITION_ACTIONS) {
        if (TRANSITIONS[action].from === status) continue;
        const result = await transitionPost(db, alice, action, { postId: id, version: 0, note: 'a note' });
        expect(result, `${action} from ${status}`).toMatchObject({ ok: false, code: 'invalid_transition' });
        if (!result.ok) expect(result.current?.status).toBe(status);
      }
      if (status !== 'draft' && status !== 'pending_review') {
        const edit = await editPostContent(db, alice, { postId: id, version: 0, content: 'new text' });
        expect(edit, `edit from ${status}`).toMatchObject({ ok: false, code: 'invalid_transition' });
      }
      const row = await post(db, id);
      expect(row.version).toBe(0);
      expect(row.status).toBe(status);
      expect(await readHistory(db, id)).toHaveLength(1);
    }
    const unknown = await recordPost(db, { status: 'scheduled' });
    const refused = await approvePost(db, alice, { postId: unknown, version: 0 });
    expect(!refused.ok && refused.message).toMatch(/"scheduled".*does not know/);
  });

  it('says not_found for a post that does not exist', async () => {
    const { db } = use();
    const result = await approvePost(db, alice, { postId: 'no-such-post', version: 0 });
    expect(result).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('refuses to reject without a non-blank note (validation, field error on note)', async () => {
    const { db } = use();
    const id = await recordPost(db);
    for (const note of [undefined, '', '   \n ']) {
      const result = await rejectPost(db, alice, { postId: id, version: 0, note: note as string });
      expect(result).toMatchObject({ ok: false, code: 'validation' });
      if (!result.ok) expect(result.fieldErrors?.note?.[0]).toMatch(/note is required/);
    }
    const badVersion = await approvePost(db, alice, { postId: id, version: 'abc' as unknown as number });
    expect(badVersion).toMatchObject({ ok: false, code: 'validation' });
    expect(!badVersion.ok && badVersion.fieldErrors?.version).toBeTruthy();
    const tooLong = await approvePost(db, alice, { postId: id, version: 0, note: 'x'.repeat(2001) });
    expect(tooLong).toMatchObject({ ok: false, code: 'validation' });
    expect((await post(db, id)).version).toBe(0);
    // FormData sends the version as text: accepted.
    expect(await approvePost(db, alice, { postId: id, version: '0' as unknown as number })).toMatchObject({
      ok: true,
    });
  });

  it('rejects a reserved or empty actor outright', async () => {
    const { db } = use();
    const id = await recordPost(db);
    await expect(
      approvePost(db, { kind: 'operator', name: 'direct database write' }, { postId: id, version: 0 }),
    ).rejects.toThrow(TypeError);
    await expect(
      approvePost(db, { kind: 'operator', name: '  ' }, { postId: id, version: 0 }),
    ).rejects.toThrow(TypeError);
  });

  it('lets exactly one of two concurrent approvals win; the other learns who won', async () => {
    const { db, target, file } = use();
    const id = await recordPost(db);
    // On SQLite a second connection to the same file, as a second server process would have.
    const other =
      target === 'sqlite' ? await openDatabase({ dialect: 'sqlite', path: file! }, { migrate: false }) : db;
    try {
      const results = await Promise.all([
        approvePost(db, alice, { postId: id, version: 0 }),
        approvePost(other, bob, { postId: id, version: 0, note: 'me too' }),
      ]);
      const winners = results.filter((r) => r.ok);
      const losers = results.filter((r) => !r.ok);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const winner = winners[0]!.ok ? winners[0]!.post.consoleActor : null;
      const loser = losers[0]!;
      expect(loser).toMatchObject({
        ok: false,
        code: 'conflict',
        current: { status: 'approved', version: 1, actor: winner, actorKind: 'operator' },
      });
      if (!loser.ok)
        expect(loser.message).toMatch(new RegExp(`^Already approved by ${winner} at \\d{2}:\\d{2} UTC\\.$`));
      const history = await readHistory(db, id);
      expect(history.filter((h) => h.action === 'approve')).toHaveLength(1);
    } finally {
      if (other !== db) await other.close();
    }
  });

  it('is a conflict when the post left and came back to the status the reviewer saw (version, not just status)', async () => {
    const { db } = use();
    const id = await recordPost(db);
    await approvePost(db, bob, { postId: id, version: 0 });
    await revokeApproval(db, bob, { postId: id, version: 1, note: 'wait' });
    const result = await approvePost(db, alice, { postId: id, version: 0 });
    expect(result).toMatchObject({
      ok: false,
      code: 'conflict',
      current: { status: 'pending_review', version: 2, actor: 'bob', action: 'revoke' },
    });
    if (!result.ok) expect(result.message).toMatch(/^Changed by bob at .* since you opened it/);
    // The agents rewriting only the note (same status) also moves the version on.
    await db.run(sql`UPDATE agents_social_posts SET review_notes = ${'agent says hi'} WHERE post_id = ${id}`);
    expect(await approvePost(db, alice, { postId: id, version: 2 })).toMatchObject({
      ok: false,
      code: 'conflict',
      current: { version: 3, actorKind: 'direct' },
    });
    expect((await readHistory(db, id)).at(-1)).toMatchObject({
      action: 'note',
      note: 'agent says hi',
      fromStatus: 'pending_review',
      toStatus: 'pending_review',
    });
  });

  it("loses against an agent's direct UPDATE (no version bump) and names the direct write", async () => {
    const { db } = use();
    const id = await recordPost(db);
    // approve_post as the agents run it: no status check, local naive time.
    const direct = await db.run(
      sql`UPDATE agents_social_posts SET status = 'approved', review_notes = ${'auto'}, reviewed_at = ${'2026-03-01T11:42:00.123456'} WHERE post_id = ${id}`,
    );
    expect(direct.changes).toBe(1);
    const row = await post(db, id);
    expect(row).toMatchObject({ status: 'approved', version: 1, consoleActor: 'direct database write' });

    const result = await approvePost(db, alice, { postId: id, version: 0 });
    expect(result).toMatchObject({
      ok: false,
      code: 'conflict',
      current: { status: 'approved', actorKind: 'direct', actor: 'direct database write' },
    });
    if (!result.ok) expect(result.message).toMatch(/^Already approved by a direct database write at /);
    // A reviewer who saw the pending version and wants to reject also loses.
    expect(await rejectPost(db, bob, { postId: id, version: 0, note: 'no' })).toMatchObject({
      ok: false,
      code: 'conflict',
    });

    const history = await readHistory(db, id);
    expect(history.at(-1)).toMatchObject({
      action: 'approve',
      actor: 'direct database write',
      actorKind: 'direct',
      fromStatus: 'pending_review',
      toStatus: 'approved',
      note: 'auto',
      version: 1,
    });
    // A direct write that changes nothing the history tracks is not recorded.
    await db.run(
      sql`UPDATE agents_social_posts SET posted_at = ${'2026-03-01T12:00:00'} WHERE post_id = ${id}`,
    );
    expect(await readHistory(db, id)).toHaveLength(history.length);
    expect((await post(db, id)).version).toBe(1);
  });

  it('refuses to update or delete history rows', async () => {
    const { db } = use();
    const id = await recordPost(db);
    await approvePost(db, alice, { postId: id, version: 0 });
    await expect(
      db.run(sql`UPDATE modules_console_post_history SET actor = 'mallory' WHERE post_id = ${id}`),
    ).rejects.toThrow(/append-only/);
    await expect(db.run(sql`DELETE FROM modules_console_post_history WHERE post_id = ${id}`)).rejects.toThrow(
      /append-only/,
    );
    const history = await readHistory(db, id);
    expect(history.map((h) => h.actor)).toEqual(['direct database write', 'alice']);
  });

  it('edits the text of a pending post and keeps the original in the history', async () => {
    const { db } = use();
    const id = await recordPost(db, { content: 'Original text from the agent' });
    const edited = await editPostContent(db, alice, { postId: id, version: 0, content: 'Corrected text' });
    expect(edited.ok && edited.post).toMatchObject({
      content: 'Corrected text',
      version: 1,
      status: 'pending_review',
    });
    const entry = (await readHistory(db, id)).at(-1);
    expect(entry).toMatchObject({
      action: 'edit',
      actor: 'alice',
      contentBefore: 'Original text from the agent',
      contentAfter: 'Corrected text',
      fromStatus: 'pending_review',
      toStatus: 'pending_review',
      version: 1,
    });
    // Saving the same text again is a no-op success.
    const same = await editPostContent(db, alice, { postId: id, version: 1, content: 'Corrected text' });
    expect(same.ok && same.post.version).toBe(1);
    expect(await readHistory(db, id)).toHaveLength(2);
    // Someone holding the old version is told who edited.
    const stale = await editPostContent(db, bob, { postId: id, version: 0, content: 'Mine' });
    expect(stale).toMatchObject({ ok: false, code: 'conflict' });
    if (!stale.ok) expect(stale.message).toMatch(/^Edited by alice at .* since you opened it/);
    expect(await editPostContent(db, alice, { postId: id, version: 1, content: '   ' })).toMatchObject({
      ok: false,
      code: 'validation',
    });
    // Edit then approve: the approval needs the version the edit produced.
    expect(await approvePost(db, alice, { postId: id, version: 0 })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    expect(await approvePost(db, alice, { postId: id, version: 1 })).toMatchObject({ ok: true });
    expect((await post(db, id)).content).toBe('Corrected text');
  });

  it('undoes an approval within the window, only for the approver and only at that version', async () => {
    const { db } = use();
    const t0 = new Date('2026-05-05T10:00:00.000Z');
    const later = (ms: number) => new Date(t0.getTime() + ms);

    const a = await recordPost(db);
    const approved = await approvePost(db, alice, { postId: a, version: 0 }, { now: t0 });
    expect(approved.ok).toBe(true);
    expect(await undoApproval(db, bob, { postId: a, version: 1 }, { now: later(1000) })).toMatchObject({
      ok: false,
      code: 'invalid_transition',
    });
    const undone = await undoApproval(
      db,
      alice,
      { postId: a, version: 1 },
      { now: later(UNDO_WINDOW_MS - 1) },
    );
    expect(undone.ok && undone.post).toMatchObject({
      status: 'pending_review',
      version: 2,
      reviewedAt: null,
    });
    expect((await readHistory(db, a)).at(-1)).toMatchObject({
      action: 'undo',
      actor: 'alice',
      fromStatus: 'approved',
      toStatus: 'pending_review',
      version: 2,
    });
    // Undo twice: the post is no longer approved.
    expect(await undoApproval(db, alice, { postId: a, version: 2 }, { now: later(2000) })).toMatchObject({
      ok: false,
      code: 'invalid_transition',
    });

    const b = await recordPost(db);
    await approvePost(db, alice, { postId: b, version: 0 }, { now: t0 });
    const expired = await undoApproval(
      db,
      alice,
      { postId: b, version: 1 },
      { now: later(UNDO_WINDOW_MS + 1000) },
    );
    expect(expired).toMatchObject({ ok: false, code: 'undo_expired' });
    expect((await post(db, b)).status).toBe('approved');

    const c = await recordPost(db);
    await approvePost(db, alice, { postId: c, version: 0 }, { now: t0 });
    await db.run(
      sql`UPDATE agents_social_posts SET status = 'posted', posted_at = ${'2026-05-05T12:00:01'} WHERE post_id = ${c}`,
    );
    const tooLate = await undoApproval(db, alice, { postId: c, version: 1 }, { now: later(2000) });
    expect(tooLate).toMatchObject({
      ok: false,
      code: 'conflict',
      current: { status: 'posted', actorKind: 'direct' },
    });
    if (!tooLate.ok) expect(tooLate.message).toMatch(/^Already posted by a direct database write/);
  });

  it('applies bulk decisions post by post and reports each result', async () => {
    const { db } = use();
    const fresh1 = await recordPost(db);
    const fresh2 = await recordPost(db);
    const taken = await recordPost(db);
    await approvePost(db, bob, { postId: taken, version: 0 });
    const result = await bulkReview(db, alice, {
      action: 'reject',
      note: 'Not on brand',
      items: [
        { postId: fresh1, version: 0 },
        { postId: taken, version: 0 },
        { postId: 'missing-post', version: 0 },
        { postId: fresh2, version: 0 },
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.summary).toEqual({ total: 4, succeeded: 2, failed: 2 });
    expect(result.results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['ok', 'conflict', 'not_found', 'ok']);
    const conflict = result.results[1]!;
    if (!conflict.ok) expect(conflict.message).toMatch(/^Already approved by bob/);
    expect((await post(db, fresh1)).reviewNotes).toBe('Not on brand');
    expect((await post(db, taken)).status).toBe('approved');

    const noNote = await bulkReview(db, alice, { action: 'reject', items: [{ postId: fresh1, version: 1 }] });
    expect(noNote).toMatchObject({ ok: false, code: 'validation' });
    if (!noNote.ok) expect(noNote.fieldErrors?.note).toBeTruthy();
    const empty = await bulkReview(db, alice, { action: 'approve', items: [] });
    expect(empty).toMatchObject({ ok: false, code: 'validation' });
    const twice = await bulkReview(db, alice, {
      action: 'approve',
      items: JSON.stringify([
        { postId: fresh1, version: 1 },
        { postId: fresh1, version: 1 },
      ]) as never,
    });
    expect(twice).toMatchObject({ ok: false, code: 'validation' });
  });
});
