import { describe, expect, it } from 'vitest';
import * as pgReview from '@/db/schema/postgres/review';
import * as sqliteReview from '@/db/schema/sqlite/review';
import { conflictMessage, describeTime } from '@/lib/review/conflict-message';
import { compareForDuplicates, jaccard, normaliseForDuplicates, tokenSet } from '@/lib/review/duplicates';
import type { PostCurrentState } from '@/lib/review/post-records';
import { containsPattern } from '@/lib/review/queries';
import { DEFAULT_QUEUE_QUERY, parseQueueSearchParams, serializeQueueQuery } from '@/lib/review/validations';
import {
  TRANSITIONS,
  allowedActions,
  canPerform,
  nextStatus,
  refusalReason,
  statusLabel,
} from '@/lib/review/workflow';

describe('review workflow (state machine)', () => {
  it('has exactly the transitions of the issue', () => {
    expect(
      Object.entries(TRANSITIONS).map(([action, rule]) => `${rule.from} -${action}-> ${rule.to}`),
    ).toEqual([
      'draft -submit-> pending_review',
      'pending_review -approve-> approved',
      'pending_review -reject-> rejected',
      'approved -revoke-> pending_review',
      'rejected -reopen-> pending_review',
      'approved -mark_posted-> posted',
    ]);
    expect(TRANSITIONS.reject.note).toBe('required');
    expect(TRANSITIONS.approve.note).toBe('optional');
  });

  it('offers operators and agents the right actions per status, and nothing for unknown statuses', () => {
    expect(allowedActions('draft')).toEqual(['submit', 'edit']);
    expect(allowedActions('pending_review')).toEqual(['approve', 'reject', 'edit']);
    expect(allowedActions('approved')).toEqual(['revoke']);
    expect(allowedActions('rejected')).toEqual(['reopen']);
    expect(allowedActions('posted')).toEqual([]);
    expect(allowedActions('approved', 'agent')).toEqual(['mark_posted']);
    expect(allowedActions('pending_review', 'agent')).toEqual([]);
    for (const unknown of ['scheduled', 'APPROVED', '', null, undefined])
      expect(allowedActions(unknown)).toEqual([]);
    expect(canPerform('pending_review', 'edit')).toBe(true);
    expect(canPerform('approved', 'edit')).toBe(false);
    expect(canPerform('approved', 'mark_posted')).toBe(true);
    expect(nextStatus('pending_review', 'approve')).toBe('approved');
    expect(nextStatus('posted', 'approve')).toBeNull();
  });

  it('explains refusals and shows unknown statuses as they are', () => {
    expect(refusalReason('posted', 'approve')).toBe(
      '"Approve" needs a post that is pending review; this post is posted.',
    );
    expect(refusalReason('scheduled', 'approve')).toMatch(/"scheduled", which the console does not know/);
    expect(refusalReason('approved', 'edit')).toMatch(/^Only drafts and posts pending review can be edited/);
    expect(statusLabel('pending_review')).toBe('Pending review');
    expect(statusLabel('scheduled')).toBe('scheduled');
    expect(statusLabel(null)).toBe('(no status)');
  });
});

describe('review queue URL parameters', () => {
  it('defaults to the pending queue, newest first, page 1 of 25', () => {
    expect(parseQueueSearchParams({})).toEqual(DEFAULT_QUEUE_QUERY);
    expect(DEFAULT_QUEUE_QUERY).toEqual({
      filters: { status: 'pending_review' },
      sort: { field: 'created_at', dir: 'desc' },
      page: 1,
      pageSize: 25,
    });
  });

  it('reads every parameter, from an object or URLSearchParams', () => {
    const expected = {
      filters: {
        status: 'all',
        platform: 'linkedin',
        identity: 'UnDaoDu',
        tone: 'warm',
        postType: 'comment',
        createdFrom: '2026-01-01',
        createdTo: '2026-01-31',
        q: '100% sure',
      },
      sort: { field: 'platform', dir: 'asc' },
      page: 3,
      pageSize: 50,
    };
    const raw = {
      status: 'all',
      platform: 'linkedin',
      identity: 'UnDaoDu',
      tone: 'warm',
      type: 'comment',
      from: '2026-01-01',
      to: '2026-01-31',
      q: ' 100% sure ',
      sort: 'platform.asc',
      page: '3',
      size: '50',
    };
    expect(parseQueueSearchParams(raw)).toEqual(expected);
    expect(parseQueueSearchParams(new URLSearchParams(raw))).toEqual(expected);
    // Repeated parameters: the first wins.
    expect(parseQueueSearchParams({ status: ['approved', 'rejected'] }).filters.status).toBe('approved');
    // Unknown status text written by agents is a valid exact filter; 'unknown' is the bucket.
    expect(parseQueueSearchParams({ status: 'scheduled' }).filters.status).toBe('scheduled');
    expect(parseQueueSearchParams({ status: 'unknown' }).filters.status).toBe('unknown');
  });

  it('replaces malformed or unknown values with defaults instead of failing', () => {
    const parsed = parseQueueSearchParams({
      status: 'bad\u0000status',
      platform: 'x'.repeat(201),
      from: '2026-02-30',
      to: 'yesterday',
      sort: 'content.asc',
      page: '0',
      size: '30',
    });
    expect(parsed).toEqual(DEFAULT_QUEUE_QUERY);
    expect(parseQueueSearchParams({ page: 'abc' }).page).toBe(1);
    expect(parseQueueSearchParams({ page: '-2' }).page).toBe(1);
    expect(parseQueueSearchParams({ page: '1e3' }).page).toBe(1);
    expect(parseQueueSearchParams({ sort: 'created_at.sideways' }).sort).toEqual(DEFAULT_QUEUE_QUERY.sort);
    expect(parseQueueSearchParams({ platform: '   ' }).filters.platform).toBeUndefined();
    expect(parseQueueSearchParams({ q: 'x'.repeat(500) }).filters.q).toHaveLength(200);
  });

  it('serialises back to short canonical URLs that parse to the same state', () => {
    expect(serializeQueueQuery(DEFAULT_QUEUE_QUERY).toString()).toBe('');
    const state = parseQueueSearchParams({
      status: 'approved',
      q: 'a&b=c',
      sort: 'identity.desc',
      page: '2',
      size: '100',
      from: '2026-01-01',
    });
    const url = serializeQueueQuery(state).toString();
    expect(url).toBe('status=approved&from=2026-01-01&q=a%26b%3Dc&sort=identity.desc&page=2&size=100');
    expect(parseQueueSearchParams(new URLSearchParams(url))).toEqual(state);
  });

  it('escapes LIKE wildcards in the search text', () => {
    expect(containsPattern('100%_off\\')).toBe('%100\\%\\_off\\\\%');
  });
});

describe('review conflict messages', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  const state = (over: Partial<PostCurrentState>): PostCurrentState => ({
    status: 'approved',
    version: 3,
    actor: 'alice',
    actorKind: 'operator',
    at: '2026-03-01T10:42:10.000Z',
    action: 'approve',
    ...over,
  });

  it('names the winner and the time', () => {
    expect(conflictMessage(state({}), ['pending_review'], { now })).toBe(
      'Already approved by alice at 10:42 UTC.',
    );
    expect(
      conflictMessage(
        state({ status: 'posted', actor: 'direct database write', actorKind: 'direct' }),
        ['approved'],
        { now },
      ),
    ).toBe('Already posted by a direct database write at 10:42 UTC.');
    expect(
      conflictMessage(
        state({ status: 'rejected', actor: 'publisher', actorKind: 'token' }),
        ['pending_review'],
        { now },
      ),
    ).toBe('Already rejected by agent token "publisher" at 10:42 UTC.');
    expect(conflictMessage(state({ at: '2026-02-27T10:42:00.000Z' }), ['pending_review'], { now })).toBe(
      'Already approved by alice at 2026-02-27 10:42 UTC.',
    );
    expect(conflictMessage(state({ status: 'scheduled' }), ['pending_review'], { now })).toBe(
      'The status was changed to scheduled by alice at 10:42 UTC.',
    );
    expect(
      conflictMessage(state({ actor: null, actorKind: null, at: null }), ['pending_review'], { now }),
    ).toBe('Already approved.');
  });

  it('says the post changed when the status is the same but the version moved', () => {
    expect(
      conflictMessage(state({ status: 'pending_review', action: 'edit' }), ['pending_review'], { now }),
    ).toBe('Edited by alice at 10:42 UTC since you opened it; check the current version and try again.');
  });

  it('formats in the operator’s zone when asked', () => {
    expect(describeTime('2026-03-01T10:42:10.000Z', { timeZone: 'Europe/Berlin', now })).toBe('11:42');
    expect(describeTime('not a time')).toBeNull();
  });
});

describe('review duplicate detection (pure part)', () => {
  it('normalises case, whitespace, punctuation and symbols', () => {
    expect(normaliseForDuplicates('  Hello,   WORLD!!  🚀 — it’s\tgreat… ')).toBe('hello world it s great');
    expect(normaliseForDuplicates('Ｆｕｌｌｗｉｄｔｈ')).toBe('fullwidth');
  });

  it('scores token-set Jaccard similarity', () => {
    expect(jaccard(tokenSet('a b c d'), tokenSet('a b c d e'))).toBeCloseTo(0.8);
    expect(jaccard(tokenSet('a b'), tokenSet('c d'))).toBe(0);
    expect(jaccard(new Set(), new Set())).toBe(0);
    expect(compareForDuplicates('Same text!', 'same   TEXT')).toEqual({ exact: true, similarity: 1 });
    expect(compareForDuplicates('🚀🚀', '🚀🚀')).toEqual({ exact: true, similarity: 1 });
    expect(compareForDuplicates('🚀', '🔥')).toEqual({ exact: false, similarity: 0 });
  });
});

describe('review schema constants', () => {
  it('declare the same actor kinds for both dialects', () => {
    expect(pgReview.POST_HISTORY_ACTOR_KINDS).toEqual(sqliteReview.POST_HISTORY_ACTOR_KINDS);
    expect(pgReview.DIRECT_WRITE_ACTOR).toBe(sqliteReview.DIRECT_WRITE_ACTOR);
  });
});
