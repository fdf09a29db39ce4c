import type { PostCurrentState } from './post-records';
import { statusLabel } from './workflow';

// What the reviewer who lost a race reads: who changed the post, when, and to what. Pure, so the
// browser can re-render it in the operator's own time zone from the `current` the server returned.

export interface ConflictMessageOptions {
  /** IANA zone for the time (default UTC, labelled). */
  timeZone?: string;
  now?: Date;
}

const VERB: Record<string, string> = {
  approved: 'approved',
  rejected: 'rejected',
  posted: 'posted',
  pending_review: 'returned to review',
  draft: 'moved back to draft',
};

/** "alice", "agent token “publisher”", "a direct database write", "the console". */
export function describeActor(actor: string | null, kind: PostCurrentState['actorKind']): string | null {
  if (kind === 'direct') return 'a direct database write';
  if (!actor) return null;
  if (kind === 'token') return `agent token "${actor}"`;
  if (kind === 'system') return `the console (${actor})`;
  return actor;
}

/** 10:42 (same day) or 2026-03-01 10:42, with the zone when it is UTC. */
export function describeTime(at: string | null, options: ConflictMessageOptions = {}): string | null {
  if (!at) return null;
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return null;
  const timeZone = options.timeZone ?? 'UTC';
  const parts = (d: Date) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(d)
        .map((part) => [part.type, part.value]),
    ) as Record<string, string>;
  const p = parts(date);
  const today = parts(options.now ?? new Date());
  const time = `${p.hour}:${p.minute}${timeZone === 'UTC' ? ' UTC' : ''}`;
  const sameDay = p.year === today.year && p.month === today.month && p.day === today.day;
  return sameDay ? time : `${p.year}-${p.month}-${p.day} ${time}`;
}

/**
 * "Already approved by alice at 10:42 UTC." when the status moved on; "Edited by bob at 10:40 UTC
 * since you opened it." when only the version did.
 */
export function conflictMessage(
  current: PostCurrentState,
  expectedStatuses: readonly (string | null)[],
  options: ConflictMessageOptions = {},
): string {
  const who = describeActor(current.actor, current.actorKind);
  const when = describeTime(current.at, options);
  const by = `${who ? ` by ${who}` : ''}${when ? ` at ${when}` : ''}`;
  if (!expectedStatuses.includes(current.status)) {
    const verb = current.status !== null && VERB[current.status];
    if (verb) return `Already ${verb}${by}.`;
    return `The status was changed to ${statusLabel(current.status)}${by}.`;
  }
  const what = current.action === 'edit' ? 'Edited' : 'Changed';
  return `${what}${by} since you opened it; check the current version and try again.`;
}
