import { type QueueQuery, serializeQueueQuery } from '@/lib/review/validations';

// Links between the queue and the focus view carry the queue's filters and sort, so j/k in the focus
// view walk the same list and "Back to the queue" returns to the same page.

/** The focus view's own parameter: open with the editor showing. */
export const EDIT_PARAM = 'edit';

function withSearch(path: string, params: URLSearchParams): string {
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export function queueHref(query: QueueQuery): string {
  return withSearch('/review', serializeQueueQuery(query));
}

export function postHref(postId: string, query: QueueQuery, options: { edit?: boolean } = {}): string {
  const params = serializeQueueQuery(query);
  if (options.edit) params.set(EDIT_PARAM, '1');
  return withSearch(`/review/${encodeURIComponent(postId)}`, params);
}
