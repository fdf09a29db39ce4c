import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_PAGE_SIZES,
  activitySearch,
  parseActivitySearchParams,
} from '@/lib/settings/activity-params';
import { describeUserAgent } from '@/lib/settings/user-agent';
import {
  changeOwnPasswordSchema,
  createOperatorSchema,
  createTokenFormSchema,
  revokeTokenSchema,
} from '@/lib/settings/validations';

/** What the wrapper makes of FormData: one string per field, an array for repeated names. */
function form(entries: [string, string][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const existing = out[key];
    out[key] =
      existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

describe('settings form schemas', () => {
  it('reads the token form: one or several checked scopes, an empty or numeric expiry', () => {
    expect(
      createTokenFormSchema.parse(
        form([
          ['name', ' agent '],
          ['scopes', 'posts:read'],
          ['expiresInDays', ''],
        ]),
      ),
    ).toEqual({
      name: 'agent',
      scopes: ['posts:read'],
      expiresInDays: null,
    });
    expect(
      createTokenFormSchema.parse(
        form([
          ['name', 'agent'],
          ['scopes', 'posts:read'],
          ['scopes', 'posts:write'],
          ['expiresInDays', '90'],
        ]),
      ),
    ).toEqual({ name: 'agent', scopes: ['posts:read', 'posts:write'], expiresInDays: 90 });
    // Parsing the parsed value again (actions validate, then the business function does) changes nothing.
    const parsed = createTokenFormSchema.parse(
      form([
        ['name', 'agent'],
        ['scopes', 'events:write'],
        ['expiresInDays', '7'],
      ]),
    );
    expect(createTokenFormSchema.parse(parsed)).toEqual(parsed);
    expect(createTokenFormSchema.safeParse(form([['name', 'agent']])).success).toBe(false);
  });

  it('reads the operator form: lower-cased username, empty display name as none, roles checked', () => {
    const parsed = createOperatorSchema.parse(
      form([
        ['username', ' Alice.B '],
        ['role', 'reviewer'],
        ['displayName', ''],
        ['password', ' spaced password '],
      ]),
    );
    expect(parsed).toEqual({
      username: 'alice.b',
      role: 'reviewer',
      displayName: null,
      password: ' spaced password ',
    });
    expect(createOperatorSchema.parse(parsed)).toEqual(parsed);
    const bad = createOperatorSchema.safeParse(
      form([
        ['username', 'a'],
        ['role', 'owner'],
        ['password', ''],
      ]),
    );
    expect(bad.success).toBe(false);
    if (!bad.success)
      expect(bad.error.issues.map((issue) => issue.path.join('.')).toSorted()).toEqual([
        'password',
        'role',
        'username',
      ]);
  });

  it('reports a short password together with the other wrong fields, once each', () => {
    const both = createOperatorSchema.safeParse(
      form([
        ['username', 'x'],
        ['role', 'viewer'],
        ['password', 'short'],
      ]),
    );
    expect(both.success).toBe(false);
    if (!both.success) {
      expect(both.error.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
        ['username', 'The username needs at least 2 characters.'],
        ['password', 'The password must have at least 10 characters.'],
      ]);
    }
    const empty = changeOwnPasswordSchema.safeParse({
      currentPassword: 'x',
      newPassword: '',
      confirmPassword: '',
    });
    if (!empty.success) {
      expect(
        empty.error.issues.filter((issue) => issue.path[0] === 'newPassword').map((issue) => issue.message),
      ).toEqual(['Enter a new password.']);
    }
    expect(empty.success).toBe(false);
  });

  it('requires the three password fields and matching new passwords', () => {
    const mismatch = changeOwnPasswordSchema.safeParse({
      currentPassword: 'x',
      newPassword: 'abcdefghijk',
      confirmPassword: 'abcdefghijl',
    });
    expect(mismatch.success).toBe(false);
    if (!mismatch.success)
      expect(mismatch.error.issues[0]).toMatchObject({
        path: ['confirmPassword'],
        message: 'The two new passwords differ.',
      });
    expect(revokeTokenSchema.parse({ id: '12' })).toEqual({ id: 12 });
    expect(revokeTokenSchema.safeParse({ id: '-1' }).success).toBe(false);
  });
});

describe('activity URL', () => {
  it('parses page and size, falling back to defaults for anything else', () => {
    expect(parseActivitySearchParams({})).toEqual({ page: 1, pageSize: 25 });
    expect(parseActivitySearchParams({ page: '3', size: '50' })).toEqual({ page: 3, pageSize: 50 });
    expect(parseActivitySearchParams(new URLSearchParams('page=0&size=7'))).toEqual({
      page: 1,
      pageSize: 25,
    });
    expect(parseActivitySearchParams({ page: ['2', '9'], size: '100' })).toEqual({ page: 2, pageSize: 100 });
    expect(parseActivitySearchParams({ page: '1e3' })).toEqual({ page: 1, pageSize: 25 });
    expect(parseActivitySearchParams({ page: '-4' })).toEqual({ page: 1, pageSize: 25 });
  });

  it('writes the URL without defaults, and reads back what it wrote', () => {
    expect(activitySearch({ page: 1, pageSize: 25 })).toBe('');
    for (const pageSize of ACTIVITY_PAGE_SIZES) {
      const query = { page: 4, pageSize };
      expect(parseActivitySearchParams(new URLSearchParams(activitySearch(query)))).toEqual(query);
    }
  });
});

describe('describeUserAgent', () => {
  it('names common browsers and systems, and falls back to the first product token', () => {
    expect(
      describeUserAgent(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome on Linux');
    expect(
      describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0'),
    ).toBe('Firefox on Windows');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari on iOS');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36 Edg/140.0',
      ),
    ).toBe('Edge on Windows');
    expect(describeUserAgent('curl/8.5.0')).toBe('curl');
    expect(describeUserAgent('SomeAgent/1.0 (+https://example.test)')).toBe('SomeAgent/1.0');
    expect(describeUserAgent(null)).toBe('Unknown device');
    expect(describeUserAgent('   ')).toBe('Unknown device');
    expect(describeUserAgent('x'.repeat(60))).toBe(`${'x'.repeat(40)}…`);
  });
});
