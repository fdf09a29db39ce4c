// The activity list's URL (?page=N&size=M), parsed the same way by the server page and the client
// table. Kept apart from validations.ts so client code can import it without the server-side modules
// (password hashing, database) that the form schemas depend on.

export const ACTIVITY_PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_ACTIVITY_PAGE_SIZE = 25;
const MAX_ACTIVITY_PAGE = 1_000_000;

export interface ActivityQuery {
  /** 1-based. */
  page: number;
  pageSize: number;
}

type SearchParams = URLSearchParams | Record<string, string | string[] | undefined>;

function first(params: SearchParams, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

/** Unknown or malformed values fall back to the defaults instead of failing the page. */
export function parseActivitySearchParams(params: SearchParams): ActivityQuery {
  const pageText = first(params, 'page');
  const sizeText = first(params, 'size');
  const page = pageText && /^\d{1,7}$/.test(pageText) ? Number(pageText) : 1;
  const size = Number(sizeText);
  return {
    page: Math.min(Math.max(1, page), MAX_ACTIVITY_PAGE),
    pageSize: (ACTIVITY_PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_ACTIVITY_PAGE_SIZE,
  };
}

/** The URL search of an activity page (defaults left out, so the plain address is page 1). */
export function activitySearch(query: ActivityQuery): string {
  const params = new URLSearchParams();
  if (query.page > 1) params.set('page', String(query.page));
  if (query.pageSize !== DEFAULT_ACTIVITY_PAGE_SIZE) params.set('size', String(query.pageSize));
  const text = params.toString();
  return text ? `?${text}` : '';
}
