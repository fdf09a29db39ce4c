// The timeline's URL parameter names and range presets for client components. They mirror
// lib/timeline/validations.ts (test/timeline-params.test.ts keeps the two equal); that module is not
// imported on the client because it pulls the source registry and drizzle into the browser bundle.

export const PARAM = {
  range: 'range',
  from: 'from',
  to: 'to',
  source: 'source',
  actor: 'actor',
  module: 'module',
  type: 'type',
  severity: 'severity',
  q: 'q',
  cursor: 'cursor',
  size: 'size',
} as const;

/** Cursors of the newer pages the operator came through (newest first), for "← Newer". */
export const BACK_PARAM = 'back';
/** Most cursors kept in BACK_PARAM; deeper than that, "← Newer" returns to the newest page. */
export const MAX_BACK = 20;

export const PRESETS = ['15m', '1h', '6h', '24h', '7d', '30d'] as const;
export const DEFAULT_PRESET = '24h';
export const SEVERITY_OPTIONS = ['debug', 'info', 'warning', 'error', 'critical'] as const;

/** A copy of `params` with the page position dropped: any filter change starts at the newest events. */
export function withoutPosition(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete(PARAM.cursor);
  next.delete(BACK_PARAM);
  return next;
}

/** Params of the page older than the current one: `cursor` moves on, the current one goes on the stack. */
export function olderParams(params: URLSearchParams, nextCursor: string): URLSearchParams {
  const next = new URLSearchParams(params);
  const current = params.get(PARAM.cursor);
  const back = params.getAll(BACK_PARAM);
  next.delete(BACK_PARAM);
  // The newest page has no cursor: an empty entry stands for it.
  for (const entry of [current ?? '', ...back].slice(0, MAX_BACK)) next.append(BACK_PARAM, entry);
  next.set(PARAM.cursor, nextCursor);
  return next;
}

/** Params of the page newer than the current one, or of the newest page once the stack is used up. */
export function newerParams(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  const [previous, ...rest] = params.getAll(BACK_PARAM);
  next.delete(BACK_PARAM);
  next.delete(PARAM.cursor);
  if (previous) next.set(PARAM.cursor, previous);
  for (const entry of rest) next.append(BACK_PARAM, entry);
  if (!previous && rest.length === 0) next.delete(BACK_PARAM);
  return next;
}

/** 'YYYY-MM-DDTHH:MM' (a datetime-local value, read as UTC) of an ISO instant. */
export function toMinuteInput(iso: string): string {
  return iso.slice(0, 16);
}

/** Short UTC time for axis ticks and rows: 'MM-DD HH:MM' or with seconds. */
export function formatUtc(iso: string | null, withSeconds = false): string {
  if (!iso) return '—';
  return iso.slice(5, withSeconds ? 19 : 16).replace('T', ' ');
}
