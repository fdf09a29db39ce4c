import { z } from 'zod';
import { SAFE_IDENTIFIER } from '@/db/database';
import type { TimelineFilters } from './branches';
import { InvalidCursorError, decodeCursor } from './cursor';
import { SEVERITIES, type Severity } from './sources';

// The timeline's URL state (shared by the server page and the client controls) and the admin's
// "register a source" form. A value that is malformed or unknown is dropped with a note in `problems`
// (so a hand-edited or outdated link still opens a working view and says what it ignored).

export const RANGE_PRESETS = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '6h': 6 * 60 * 60_000,
  '24h': 24 * 60 * 60_000,
  '7d': 7 * 24 * 60 * 60_000,
  '30d': 30 * 24 * 60 * 60_000,
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const DEFAULT_RANGE_PRESET: RangePreset = '24h';

export const TIMELINE_PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_TIMELINE_PAGE_SIZE = 50;
/** Most values one multi-value filter takes. */
export const MAX_FILTER_VALUES = 20;
const MAX_TEXT = 200;

/** URL parameter names (short and stable: shared links depend on them). Multi-value ones repeat. */
export const TIMELINE_PARAM = {
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

export type TimelineRange = { preset: RangePreset } | { from: Date; to?: Date };

export interface TimelineUrlState {
  range: TimelineRange;
  sources: string[];
  actors: string[];
  modules: string[];
  types: string[];
  severities: Severity[];
  q?: string;
  cursor?: string;
  size: number;
}

export const DEFAULT_TIMELINE_STATE: TimelineUrlState = {
  range: { preset: DEFAULT_RANGE_PRESET },
  sources: [],
  actors: [],
  modules: [],
  types: [],
  severities: [],
  size: DEFAULT_TIMELINE_PAGE_SIZE,
};

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const valueSchema = z
  .string()
  .trim()
  .min(1)
  .max(MAX_TEXT)
  .refine((value) => !CONTROL_CHARS.test(value));

const sourceIdSchema = z.string().regex(SAFE_IDENTIFIER);
const severitySchema = z.enum(SEVERITIES);
const presetSchema = z.enum(Object.keys(RANGE_PRESETS) as [RangePreset, ...RangePreset[]]);
const sizeSchema = z
  .string()
  .regex(/^\d{1,3}$/)
  .transform(Number)
  .refine((value) => (TIMELINE_PAGE_SIZES as readonly number[]).includes(value));

/** An instant: ISO-8601 with Z or an offset, or a naive 'YYYY-MM-DDTHH:MM[:SS[.fff]]' read as UTC. */
const instantSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$/)
  .transform((value, ctx) => {
    const date = new Date(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`);
    if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) {
      ctx.addIssue({ code: 'custom', message: 'Not a valid time.' });
      return z.NEVER;
    }
    return date;
  });

export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

/** Every value of a repeated parameter (values are never split, so any text round-trips). */
function allValues(input: SearchParamsInput, name: string): string[] {
  const values =
    input instanceof URLSearchParams ? input.getAll(name) : ([] as string[]).concat(input[name] ?? []);
  return values.filter((value) => value.trim() !== '');
}

function firstValue(input: SearchParamsInput, name: string): string | undefined {
  const value = input instanceof URLSearchParams ? input.get(name) : input[name];
  return (Array.isArray(value) ? value[0] : value) ?? undefined;
}

export interface ParsedTimelineState {
  state: TimelineUrlState;
  /** What was ignored and why, for a notice on the page. */
  problems: string[];
}

/**
 * The timeline's state from URL search params. `knownSources` (the ids the database offers) drops
 * unknown source ids; without it any well-formed id passes.
 */
export function parseTimelineSearchParams(
  input: SearchParamsInput,
  options: { knownSources?: readonly string[] } = {},
): ParsedTimelineState {
  const problems: string[] = [];
  const many = <T>(
    name: string,
    schema: z.ZodType<T, string>,
    label: string,
    known?: readonly string[],
  ): T[] => {
    const result: T[] = [];
    for (const value of allValues(input, name)) {
      const parsed = schema.safeParse(value);
      if (!parsed.success || (known && !known.includes(String(parsed.data))))
        problems.push(`Ignored the unknown ${label} "${value.slice(0, 60)}".`);
      else if (!result.includes(parsed.data)) result.push(parsed.data);
    }
    if (result.length > MAX_FILTER_VALUES) {
      problems.push(`Only the first ${MAX_FILTER_VALUES} ${label} values are used.`);
      return result.slice(0, MAX_FILTER_VALUES);
    }
    return result;
  };

  let range: TimelineRange = DEFAULT_TIMELINE_STATE.range;
  const fromText = firstValue(input, TIMELINE_PARAM.from);
  const toText = firstValue(input, TIMELINE_PARAM.to);
  const presetText = firstValue(input, TIMELINE_PARAM.range);
  if (fromText !== undefined) {
    const from = instantSchema.safeParse(fromText);
    const to = toText === undefined ? undefined : instantSchema.safeParse(toText);
    if (!from.success) problems.push('Ignored the start of the range: it is not a valid time.');
    else if (to && !to.success) problems.push('Ignored the end of the range: it is not a valid time.');
    else if (to?.success && to.data.getTime() <= from.data.getTime())
      problems.push('Ignored the range: its end is not after its start.');
    else range = to?.success ? { from: from.data, to: to.data } : { from: from.data };
  } else if (presetText !== undefined) {
    const preset = presetSchema.safeParse(presetText);
    if (preset.success) range = { preset: preset.data };
    else problems.push(`Ignored the unknown range "${presetText.slice(0, 20)}".`);
  }

  const qText = firstValue(input, TIMELINE_PARAM.q);
  const q =
    qText
      ?.replace(/[\u0000-\u001f\u007f]/g, ' ')
      .trim()
      .slice(0, MAX_TEXT) || undefined;

  let cursor: string | undefined;
  const cursorText = firstValue(input, TIMELINE_PARAM.cursor);
  if (cursorText !== undefined) {
    try {
      decodeCursor(cursorText);
      cursor = cursorText;
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error;
      problems.push(error.message);
    }
  }

  let size = DEFAULT_TIMELINE_PAGE_SIZE;
  const sizeText = firstValue(input, TIMELINE_PARAM.size);
  if (sizeText !== undefined) {
    const parsed = sizeSchema.safeParse(sizeText);
    if (parsed.success) size = parsed.data;
    else
      problems.push(
        `Ignored the page size "${sizeText.slice(0, 10)}" (use ${TIMELINE_PAGE_SIZES.join(', ')}).`,
      );
  }

  return {
    state: {
      range,
      sources: many(TIMELINE_PARAM.source, sourceIdSchema, 'source', options.knownSources),
      actors: many(TIMELINE_PARAM.actor, valueSchema, 'actor'),
      modules: many(TIMELINE_PARAM.module, valueSchema, 'module'),
      types: many(TIMELINE_PARAM.type, valueSchema, 'type'),
      severities: many(TIMELINE_PARAM.severity, severitySchema, 'severity'),
      q,
      cursor,
      size,
    },
    problems,
  };
}

/** The canonical URL search params of a state (defaults left out). */
export function serializeTimelineState(state: TimelineUrlState): URLSearchParams {
  const params = new URLSearchParams();
  if ('preset' in state.range) {
    if (state.range.preset !== DEFAULT_RANGE_PRESET) params.set(TIMELINE_PARAM.range, state.range.preset);
  } else {
    params.set(TIMELINE_PARAM.from, state.range.from.toISOString());
    if (state.range.to) params.set(TIMELINE_PARAM.to, state.range.to.toISOString());
  }
  const lists: [keyof typeof TIMELINE_PARAM, readonly string[]][] = [
    ['source', state.sources],
    ['actor', state.actors],
    ['module', state.modules],
    ['type', state.types],
    ['severity', state.severities],
  ];
  for (const [name, values] of lists) for (const value of values) params.append(TIMELINE_PARAM[name], value);
  if (state.q) params.set(TIMELINE_PARAM.q, state.q);
  if (state.cursor) params.set(TIMELINE_PARAM.cursor, state.cursor);
  if (state.size !== DEFAULT_TIMELINE_PAGE_SIZE) params.set(TIMELINE_PARAM.size, String(state.size));
  return params;
}

/** The absolute range of a state at `now` (a preset ends at now). */
export function resolveRange(range: TimelineRange, now: Date = new Date()): { from: Date; to: Date } {
  if ('preset' in range) return { from: new Date(now.getTime() - RANGE_PRESETS[range.preset]), to: now };
  return { from: range.from, to: range.to ?? now };
}

/**
 * The list filters of a state. A preset range is left open at the top, so events arriving while the
 * operator reads stay reachable (live mode counts them); charts use resolveRange.
 */
export function toTimelineFilters(state: TimelineUrlState, now: Date = new Date()): TimelineFilters {
  const { from, to } = resolveRange(state.range, now);
  return {
    from,
    to: 'preset' in state.range ? undefined : to,
    sources: state.sources,
    actors: state.actors,
    modules: state.modules,
    types: state.types,
    severities: state.severities,
    q: state.q,
  };
}

// ---------------------------------------------------------------------------------------------
// Admin: register a modules_* / foundups_* table as a source (checked again against the catalogue)

const identifier = (message: string) => z.string().trim().regex(SAFE_IDENTIFIER, message);
const optionalIdentifier = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  identifier('Column names are letters, digits and underscores.').optional(),
);

export const registerSourceSchema = z.object({
  tableName: identifier('Table names are letters, digits and underscores.').refine(
    (value) => /^(modules|foundups)_/.test(value),
    'Only modules_* and foundups_* tables can be registered.',
  ),
  label: z.string().trim().min(1, 'Give the source a label.').max(80, 'Labels are limited to 80 characters.'),
  timeColumn: identifier('Choose the column holding the event time.'),
  actorColumn: optionalIdentifier,
  typeColumn: optionalIdentifier,
  summaryColumn: optionalIdentifier,
});
export type RegisterSourceFormInput = z.input<typeof registerSourceSchema>;
