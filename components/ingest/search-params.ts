// The Ingest screen's list URLs, parsed the same way by the server pages and the client tables.
// Unknown or malformed values fall back to the defaults instead of failing the page.

export const RUN_PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_RUN_PAGE_SIZE = 25;
export const REJECT_PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_REJECT_PAGE_SIZE = 50;
const MAX_PAGE = 1_000_000;
const MAX_ID = 2 ** 31 - 1;

type SearchParams = URLSearchParams | Record<string, string | string[] | undefined>;

function first(params: SearchParams, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

function positiveInt(text: string | undefined, max: number): number | undefined {
  if (!text || !/^\d{1,10}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 && value <= max ? value : undefined;
}

function pageSize(text: string | undefined, allowed: readonly number[], fallback: number): number {
  const size = Number(text);
  return allowed.includes(size) ? size : fallback;
}

export interface RunsQuery {
  page: number;
  pageSize: number;
}

export function parseRunsSearchParams(params: SearchParams): RunsQuery {
  return {
    page: positiveInt(first(params, 'page'), MAX_PAGE) ?? 1,
    pageSize: pageSize(first(params, 'size'), RUN_PAGE_SIZES, DEFAULT_RUN_PAGE_SIZE),
  };
}

export function runsSearch(query: RunsQuery): string {
  const params = new URLSearchParams();
  if (query.page > 1) params.set('page', String(query.page));
  if (query.pageSize !== DEFAULT_RUN_PAGE_SIZE) params.set('size', String(query.pageSize));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Why a line was quarantined: lib/ingest/domains.ts's REJECT_CODES, repeated here because that module
 * needs Node (a test keeps the two equal).
 */
export const REJECT_REASONS = {
  invalid_utf8: 'Invalid UTF-8',
  malformed_json: 'Malformed JSON',
  not_an_object: 'Not a JSON object',
  missing_field: 'Missing required field',
  wrong_type: 'Wrong type',
  line_too_long: 'Line too long',
} as const;
export type RejectCode = keyof typeof REJECT_REASONS;

export const isRejectCode = (value: string | undefined): value is RejectCode =>
  value !== undefined && Object.hasOwn(REJECT_REASONS, value);

export interface RejectsQuery {
  runId?: number;
  fileId?: number;
  reasonCode?: RejectCode;
  page: number;
  pageSize: number;
}

export function parseRejectsSearchParams(params: SearchParams): RejectsQuery {
  const reason = first(params, 'reason');
  return {
    runId: positiveInt(first(params, 'run'), MAX_ID),
    fileId: positiveInt(first(params, 'file'), MAX_ID),
    reasonCode: isRejectCode(reason) ? reason : undefined,
    page: positiveInt(first(params, 'page'), MAX_PAGE) ?? 1,
    pageSize: pageSize(first(params, 'size'), REJECT_PAGE_SIZES, DEFAULT_REJECT_PAGE_SIZE),
  };
}

/** Search params of a rejects view (defaults left out). */
export function rejectsParams(query: Partial<RejectsQuery>): URLSearchParams {
  const params = new URLSearchParams();
  if (query.runId !== undefined) params.set('run', String(query.runId));
  if (query.fileId !== undefined) params.set('file', String(query.fileId));
  if (query.reasonCode !== undefined) params.set('reason', query.reasonCode);
  if (query.page !== undefined && query.page > 1) params.set('page', String(query.page));
  if (query.pageSize !== undefined && query.pageSize !== DEFAULT_REJECT_PAGE_SIZE)
    params.set('size', String(query.pageSize));
  return params;
}

export function rejectsHref(query: Partial<RejectsQuery>): string {
  const text = rejectsParams(query).toString();
  return text ? `/ingest/rejects?${text}` : '/ingest/rejects';
}

/** The download of every reject matching the view's filters (not only its page). */
export function rejectsDownloadHref(query: Partial<RejectsQuery>, format: 'csv' | 'json'): string {
  const params = rejectsParams({ runId: query.runId, fileId: query.fileId, reasonCode: query.reasonCode });
  params.set('format', format);
  return `/api/ingest/rejects?${params.toString()}`;
}
