// The timeline's URL state: every filter round-trips through the URL, bad values are dropped with a
// note (never thrown at the page), and the register-a-source form refuses what the catalogue would.
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '@/lib/timeline/cursor';
import { dateToKey, keyToDate, rawRanges } from '@/lib/timeline/time';
import {
  DEFAULT_TIMELINE_STATE,
  type TimelineUrlState,
  parseTimelineSearchParams,
  registerSourceSchema,
  resolveRange,
  serializeTimelineState,
  toTimelineFilters,
} from '@/lib/timeline/validations';

describe('timeline URL state', () => {
  it('defaults to the last 24 hours, 50 per page, no filters', () => {
    expect(parseTimelineSearchParams(new URLSearchParams())).toEqual({
      state: DEFAULT_TIMELINE_STATE,
      problems: [],
    });
    expect(serializeTimelineState(DEFAULT_TIMELINE_STATE).toString()).toBe('');
  });

  it('round-trips every filter through the URL (repeated values, text with commas, custom range, cursor)', () => {
    const state: TimelineUrlState = {
      range: { from: new Date('2025-03-01T10:00:00.000Z'), to: new Date('2025-03-02T00:00:00.000Z') },
      sources: ['chat', 'errors', 'modules_chat_rules_timeouts'],
      actors: ['gemma', 'UC, with comma'],
      modules: ['livechat'],
      types: ['PERMISSION_DOWNGRADE'],
      severities: ['warning', 'critical'],
      q: '100%_done, really',
      cursor: encodeCursor({ key: '2025-03-01 12:00:00.000000', source: 'chat', pk: 42 }),
      size: 100,
    };
    const params = serializeTimelineState(state);
    expect(parseTimelineSearchParams(new URLSearchParams(params.toString()))).toEqual({
      state,
      problems: [],
    });
    // Next's searchParams object form.
    const record: Record<string, string | string[]> = {};
    for (const key of new Set(params.keys())) {
      const values = params.getAll(key);
      record[key] = values.length > 1 ? values : values[0]!;
    }
    expect(parseTimelineSearchParams(record).state).toEqual(state);
    const preset = { ...DEFAULT_TIMELINE_STATE, range: { preset: '7d' as const } };
    expect(serializeTimelineState(preset).toString()).toBe('range=7d');
    expect(parseTimelineSearchParams(serializeTimelineState(preset)).state).toEqual(preset);
  });

  it('drops what it cannot use, saying why', () => {
    const parsed = parseTimelineSearchParams(
      new URLSearchParams(
        'range=3y&source=chat&source=no%20such&source=gone&severity=loud&size=7&cursor=zzz!&actor=%01bad&type=ok',
      ),
      { knownSources: ['chat', 'errors'] },
    );
    expect(parsed.state).toEqual({ ...DEFAULT_TIMELINE_STATE, sources: ['chat'], types: ['ok'] });
    expect(parsed.problems).toEqual([
      'Ignored the unknown range "3y".',
      'The timeline position in the link is not valid (it may be cut off or edited); start again from the newest events.',
      'Ignored the page size "7" (use 25, 50, 100, 200).',
      'Ignored the unknown source "no such".',
      'Ignored the unknown source "gone".',
      'Ignored the unknown actor "\u0001bad".',
      'Ignored the unknown severity "loud".',
    ]);
    expect(
      parseTimelineSearchParams(new URLSearchParams('from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z'))
        .problems,
    ).toEqual(['Ignored the range: its end is not after its start.']);
    expect(parseTimelineSearchParams(new URLSearchParams('from=yesterday')).problems).toEqual([
      'Ignored the start of the range: it is not a valid time.',
    ]);
    const many = new URLSearchParams(Array.from({ length: 25 }, (_, i) => ['actor', `a${i}`]));
    const capped = parseTimelineSearchParams(many);
    expect(capped.state.actors).toHaveLength(20);
    expect(capped.problems).toEqual(['Only the first 20 actor values are used.']);
  });

  it('reads naive and offset times in the URL as instants', () => {
    const naive = parseTimelineSearchParams(
      new URLSearchParams('from=2025-03-01T10:00&to=2025-03-01T12:00:01%2B02:00'),
    );
    expect(naive.state.range).toEqual({
      from: new Date('2025-03-01T10:00:00Z'),
      to: new Date('2025-03-01T10:00:01Z'),
    });
    expect(naive.problems).toEqual([]);
  });

  it('turns a state into list filters and chart ranges', () => {
    const now = new Date('2025-03-10T12:00:00Z');
    const preset = { ...DEFAULT_TIMELINE_STATE, range: { preset: '1h' as const }, actors: ['gemma'] };
    expect(resolveRange(preset.range, now)).toEqual({ from: new Date('2025-03-10T11:00:00Z'), to: now });
    expect(toTimelineFilters(preset, now)).toMatchObject({
      from: new Date('2025-03-10T11:00:00Z'),
      to: undefined,
      actors: ['gemma'],
    });
    const custom = { ...DEFAULT_TIMELINE_STATE, range: { from: new Date('2025-03-01T00:00:00Z') } };
    expect(resolveRange(custom.range, now)).toEqual({ from: new Date('2025-03-01T00:00:00Z'), to: now });
  });
});

describe('register-a-source form', () => {
  it('accepts a modules_* or foundups_* table and plain column names; empty optional columns mean none', () => {
    expect(
      registerSourceSchema.parse({
        tableName: 'foundups_youtube_bot_users',
        label: ' Users ',
        timeColumn: 'created_at',
        actorColumn: '',
        typeColumn: 'kind',
      }),
    ).toEqual({
      tableName: 'foundups_youtube_bot_users',
      label: 'Users',
      timeColumn: 'created_at',
      actorColumn: undefined,
      typeColumn: 'kind',
      summaryColumn: undefined,
    });
  });

  it('refuses other namespaces and anything that is not an identifier', () => {
    const issues = (input: Record<string, unknown>) =>
      registerSourceSchema
        .safeParse(input)
        .error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(issues({ tableName: 'agents_memory', label: 'x', timeColumn: 'learned_at' })).toEqual([
      ['tableName', 'Only modules_* and foundups_* tables can be registered.'],
    ]);
    expect(
      issues({ tableName: 'modules_x"; drop', label: '', timeColumn: 'a b', summaryColumn: 'c-d' }),
    ).toEqual([
      ['tableName', 'Table names are letters, digits and underscores.'],
      ['label', 'Give the source a label.'],
      ['timeColumn', 'Choose the column holding the event time.'],
      ['summaryColumn', 'Column names are letters, digits and underscores.'],
    ]);
  });
});

describe('time keys and raw ranges', () => {
  it('keys are UTC text with six fraction digits; they parse back', () => {
    expect(dateToKey(new Date('2025-03-01T10:00:00.123Z'))).toBe('2025-03-01 10:00:00.123000');
    expect(keyToDate('2025-03-01 10:00:00.123456')).toEqual(new Date('2025-03-01T10:00:00.123Z'));
    expect(keyToDate('2025-02-30 10:00:00.000000')).toBeNull();
    expect(keyToDate('garbage')).toBeNull();
  });

  it('a window becomes plain ranges over both text forms', () => {
    expect(rawRanges('2025-03-01 10:15:30.000000', '2025-03-01 11:00:00.000000')).toEqual([
      { gte: '2025-03-01 10:15', lt: '2025-03-01 11:01' },
      { gte: '2025-03-01T10:15', lt: '2025-03-01T11:01' },
    ]);
    expect(rawRanges('2025-03-01 00:00:00.000000', '2025-03-03 23:59:00.000000')).toEqual([
      { gte: '2025-03-01', lt: '2025-03-01!' },
      { gte: '2025-03-01T', lt: '2025-03-04 00:00' },
      { gte: '2025-03-04T', lt: '2025-03-04T00:00' },
    ]);
    expect(rawRanges(null, '2025-03-01 10:00:00.000000')).toEqual([
      { lt: '2025-03-01 10:01' },
      { gte: '2025-03-01T', lt: '2025-03-01T10:01' },
    ]);
    expect(rawRanges('2025-03-01 10:00:00.000000', null)).toEqual([
      { gte: '2025-03-01 10:00', lt: '2025-03-01!' },
      { gte: '2025-03-01T10:00' },
    ]);
    expect(rawRanges(null, null)).toEqual([{}]);
  });
});
