import { z } from 'zod';

/**
 * The table browser's URL state, shared by the server page, the client table and the export route:
 *   ?page=2&size=50&sort=created_at.desc&f.status=eq:approved&f.metadata=null&f.content=has:launch
 * Each parameter is parsed by a zod schema that rejects what it does not know (an unknown filter
 * operator, a page of "abc", two sorts): the page then answers 404 instead of guessing. Column names
 * are only checked for shape here; the server checks them against the catalogue.
 */

export const BROWSER_PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_BROWSER_PAGE_SIZE = 50;
export const MAX_BROWSER_PAGE = 1_000_000;
export const MAX_FILTER_VALUE = 500;
export const FILTER_PREFIX = 'f.';

export const FILTER_OPS = ['eq', 'has', 'null', 'notnull'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export const FILTER_OP_LABELS: Record<FilterOp, string> = {
  eq: 'equals',
  has: 'contains',
  null: 'is NULL',
  notnull: 'is not NULL',
};

export interface ColumnFilter {
  column: string;
  op: FilterOp;
  /** The value for eq / has (empty for null / notnull). */
  value: string;
}

export interface BrowserSort {
  column: string;
  dir: 'asc' | 'desc';
}

export interface BrowserState {
  page: number;
  pageSize: number;
  sort: BrowserSort | null;
  filters: ColumnFilter[];
}

export const DEFAULT_BROWSER_STATE: BrowserState = {
  page: 1,
  pageSize: DEFAULT_BROWSER_PAGE_SIZE,
  sort: null,
  filters: [],
};

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A column name as it may appear in a URL: any text the catalogue could hold, within reason. */
const columnNameSchema = z
  .string()
  .min(1)
  .max(256)
  .refine((value) => !CONTROL.test(value), 'Column names cannot contain control characters.');

const pageSchema = z
  .string()
  .regex(/^[1-9]\d{0,6}$/, 'page must be a positive whole number.')
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_BROWSER_PAGE));

const pageSizeSchema = z
  .string()
  .regex(/^\d{1,3}$/)
  .transform(Number)
  .refine(
    (value) => (BROWSER_PAGE_SIZES as readonly number[]).includes(value),
    `size must be one of ${BROWSER_PAGE_SIZES.join(', ')}.`,
  );

const sortSchema = z.string().transform((value, ctx): BrowserSort => {
  const match = /^(.+)\.(asc|desc)$/s.exec(value);
  const column = match ? columnNameSchema.safeParse(match[1]) : null;
  if (!match || !column?.success) {
    ctx.addIssue({ code: 'custom', message: 'sort must be <column>.asc or <column>.desc.' });
    return z.NEVER;
  }
  return { column: column.data, dir: match[2] as 'asc' | 'desc' };
});

const filterValueSchema = z.string().transform((raw, ctx): Omit<ColumnFilter, 'column'> => {
  const at = raw.indexOf(':');
  const op = at < 0 ? raw : raw.slice(0, at);
  const value = at < 0 ? '' : raw.slice(at + 1);
  if (!(FILTER_OPS as readonly string[]).includes(op)) {
    ctx.addIssue({ code: 'custom', message: `Unknown filter "${op}"; use ${FILTER_OPS.join(', ')}.` });
    return z.NEVER;
  }
  if ((op === 'null' || op === 'notnull') && value !== '') {
    ctx.addIssue({ code: 'custom', message: `The ${op} filter takes no value.` });
    return z.NEVER;
  }
  if (
    (op === 'eq' || op === 'has') &&
    (value.length === 0 || value.length > MAX_FILTER_VALUE || CONTROL.test(value))
  ) {
    ctx.addIssue({
      code: 'custom',
      message: `The ${op} filter needs a value of 1 to ${MAX_FILTER_VALUE} characters.`,
    });
    return z.NEVER;
  }
  return { op: op as FilterOp, value };
});

export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

function entries(input: SearchParamsInput): [string, string[]][] {
  if (input instanceof URLSearchParams) {
    const map = new Map<string, string[]>();
    for (const [key, value] of input) map.set(key, [...(map.get(key) ?? []), value]);
    return [...map];
  }
  return Object.entries(input)
    .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
    .map(([key, value]) => [key, Array.isArray(value) ? value : [value]]);
}

export type BrowserStateResult = { ok: true; state: BrowserState } | { ok: false; error: string };

/** Parameters the export route adds and the browser ignores. */
const PASSTHROUGH = new Set(['format']);

export function parseBrowserSearchParams(input: SearchParamsInput): BrowserStateResult {
  const state: BrowserState = { ...DEFAULT_BROWSER_STATE, filters: [] };
  for (const [key, values] of entries(input)) {
    if (PASSTHROUGH.has(key)) continue;
    if (values.length !== 1) return { ok: false, error: `The parameter ${key} appears more than once.` };
    const raw = values[0]!;
    const fail = (result: { error: z.ZodError }) => ({
      ok: false as const,
      error: `${key}: ${result.error.issues[0]?.message ?? 'invalid'}`,
    });
    if (key === 'page') {
      const parsed = pageSchema.safeParse(raw);
      if (!parsed.success) return fail(parsed);
      state.page = parsed.data;
    } else if (key === 'size') {
      const parsed = pageSizeSchema.safeParse(raw);
      if (!parsed.success) return fail(parsed);
      state.pageSize = parsed.data;
    } else if (key === 'sort') {
      const parsed = sortSchema.safeParse(raw);
      if (!parsed.success) return fail(parsed);
      state.sort = parsed.data;
    } else if (key.startsWith(FILTER_PREFIX)) {
      const column = columnNameSchema.safeParse(key.slice(FILTER_PREFIX.length));
      if (!column.success) return fail(column);
      const parsed = filterValueSchema.safeParse(raw);
      if (!parsed.success) return fail(parsed);
      state.filters.push({ column: column.data, ...parsed.data });
    } else {
      return { ok: false, error: `Unknown parameter ${key}.` };
    }
  }
  if (state.filters.length > 20) return { ok: false, error: 'At most 20 filters.' };
  return { ok: true, state };
}

export function serializeBrowserState(state: BrowserState): URLSearchParams {
  const params = new URLSearchParams();
  for (const filter of state.filters)
    params.set(
      `${FILTER_PREFIX}${filter.column}`,
      filter.op === 'null' || filter.op === 'notnull' ? filter.op : `${filter.op}:${filter.value}`,
    );
  if (state.sort) params.set('sort', `${state.sort.column}.${state.sort.dir}`);
  if (state.pageSize !== DEFAULT_BROWSER_PAGE_SIZE) params.set('size', String(state.pageSize));
  if (state.page > 1) params.set('page', String(state.page));
  return params;
}
