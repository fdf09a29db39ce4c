import { POST_STATUSES, type PostStatus, isPostStatus } from '@/db/schema/enums';

// The review workflow as a pure state machine: no database, no clock. The server enforces it for
// everything the console and the API do (lib/review/transitions.ts); the UI asks it which buttons and
// keys to offer. The agents' own SQL checks nothing, so any status text may turn up: unknown values
// are shown as they are and offer no action.

export { POST_STATUSES, type PostStatus, isPostStatus };

/** Status-changing actions, each with exactly one source and one target status. */
export const TRANSITION_ACTIONS = ['submit', 'approve', 'reject', 'revoke', 'reopen', 'mark_posted'] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

/** Everything one can do to a post in a given status: the transitions plus editing the text. */
export const REVIEW_ACTIONS = [...TRANSITION_ACTIONS, 'edit'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** Who the action is meant for: operators in the console, or the publishing agent (API token). */
export type ActionAudience = 'operator' | 'agent';

export interface TransitionRule {
  from: PostStatus;
  to: PostStatus;
  /** Whether the action takes a note, and whether it must (rejecting does). */
  note: 'none' | 'optional' | 'required';
  label: string;
  audience: ActionAudience;
}

export const TRANSITIONS: Readonly<Record<TransitionAction, TransitionRule>> = {
  submit: {
    from: 'draft',
    to: 'pending_review',
    note: 'none',
    label: 'Submit for review',
    audience: 'operator',
  },
  approve: {
    from: 'pending_review',
    to: 'approved',
    note: 'optional',
    label: 'Approve',
    audience: 'operator',
  },
  reject: { from: 'pending_review', to: 'rejected', note: 'required', label: 'Reject', audience: 'operator' },
  revoke: {
    from: 'approved',
    to: 'pending_review',
    note: 'optional',
    label: 'Revoke approval',
    audience: 'operator',
  },
  reopen: { from: 'rejected', to: 'pending_review', note: 'optional', label: 'Reopen', audience: 'operator' },
  mark_posted: { from: 'approved', to: 'posted', note: 'none', label: 'Mark posted', audience: 'agent' },
};

/** Statuses whose text may still be corrected; once approved the text is what was approved. */
export const EDITABLE_STATUSES: readonly PostStatus[] = ['draft', 'pending_review'];

/** How long (ms) the reviewer who approved a post can take it back with "undo". */
export const UNDO_WINDOW_MS = 10_000;

export const STATUS_LABELS: Readonly<Record<PostStatus, string>> = {
  draft: 'Draft',
  pending_review: 'Pending review',
  approved: 'Approved',
  rejected: 'Rejected',
  posted: 'Posted',
};

/** A status as people read it; unknown values (and NULL) are shown as they are, never hidden. */
export function statusLabel(status: string | null | undefined): string {
  if (status === null || status === undefined) return '(no status)';
  return isPostStatus(status) ? STATUS_LABELS[status] : status;
}

export function isTransitionAction(value: unknown): value is TransitionAction {
  return typeof value === 'string' && (TRANSITION_ACTIONS as readonly string[]).includes(value);
}

export function canEdit(status: string | null | undefined): boolean {
  return isPostStatus(status) && EDITABLE_STATUSES.includes(status);
}

/** Whether `action` is allowed on a post in `status` (by the workflow; roles are checked elsewhere). */
export function canPerform(status: string | null | undefined, action: ReviewAction): boolean {
  if (!isPostStatus(status)) return false;
  if (action === 'edit') return canEdit(status);
  return TRANSITIONS[action].from === status;
}

/**
 * The actions the workflow allows on a post in `status`, in a stable order, for one audience
 * (default: operators in the console). Unknown statuses allow nothing.
 */
export function allowedActions(
  status: string | null | undefined,
  audience: ActionAudience = 'operator',
): ReviewAction[] {
  if (!isPostStatus(status)) return [];
  const actions: ReviewAction[] = TRANSITION_ACTIONS.filter((action) => {
    const rule = TRANSITIONS[action];
    return rule.from === status && rule.audience === audience;
  });
  if (audience === 'operator' && canEdit(status)) actions.push('edit');
  return actions;
}

/** The status a transition leads to, or null when the workflow refuses it from `status`. */
export function nextStatus(status: string | null | undefined, action: TransitionAction): PostStatus | null {
  return canPerform(status, action) ? TRANSITIONS[action].to : null;
}

/** Why an action is refused, in words for the operator. */
export function refusalReason(status: string | null | undefined, action: ReviewAction): string {
  if (!isPostStatus(status)) {
    return `This post has the status ${status === null || status === undefined ? '(none)' : JSON.stringify(status)}, which the console does not know; it can be viewed but not changed here.`;
  }
  if (action === 'edit')
    return `Only drafts and posts pending review can be edited; this post is ${STATUS_LABELS[status].toLowerCase()}.`;
  const rule = TRANSITIONS[action];
  return `"${rule.label}" needs a post that is ${STATUS_LABELS[rule.from].toLowerCase()}; this post is ${STATUS_LABELS[status].toLowerCase()}.`;
}
