import type { APIRequestContext, PlaywrightWorkerArgs } from '@playwright/test';
import { storageStatePath } from './support/credentials';
import { expect, test } from './support/fixtures';
import {
  type TokenState,
  callServerAction,
  discoverApiHandlers,
  discoverPages,
  discoverServerActions,
  insertApiToken,
  openRunDatabase,
  rowCounts,
  serverActionIds,
} from './support/security';

// Every route and server action × every kind of caller, generated from what exists: the test lists
// the page.tsx / route.ts files and the 'use server' exports at run time and fails on any that the
// table below does not name, so a new route cannot ship without a decision about who may use it.

type OperatorRole = 'viewer' | 'reviewer' | 'admin';
type Scope = 'posts:read' | 'posts:write' | 'posts:publish' | 'events:write';

type Access =
  /** Anyone, signed in or not (sign-in, first-admin setup, the health probe). */
  | { public: true; why: string }
  /** A signed-in operator of at least this role; `adminContent`: lower roles get the page, but only a refusal notice. */
  | { role: OperatorRole; adminContent?: boolean }
  /** An agent's bearer token with any one of these scopes; operators' cookies grant nothing here. */
  | { token: Scope[] };

interface RouteRule {
  access: Access;
  /** The concrete URL to request for a dynamic route: a real id from the run's database. */
  sample?: () => string;
  /** The sample may name nothing in the fixture database: allowed callers then get 404, not 200. */
  mayBeMissing?: boolean;
  /** For writes: a body that gets past authorisation but changes nothing (refused by validation). */
  body?: { data?: string; headers?: Record<string, string> };
}

function firstValue(query: string, fallback: string): string {
  const db = openRunDatabase();
  try {
    const row = db.prepare(query).raw().get() as unknown[] | undefined;
    return row?.[0] === undefined || row[0] === null ? fallback : String(row[0]);
  } finally {
    db.close();
  }
}
const samplePostId = () =>
  firstValue('SELECT post_id FROM agents_social_posts ORDER BY id LIMIT 1', 'no-post');
const sampleTable = () =>
  firstValue(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'agents_social_posts'`,
    'agents_social_posts',
  );
/** No ingest has run when this spec starts (and ingest.spec.ts counts on run #1 being its own): a missing run. */
const sampleRunId = () => firstValue('SELECT id FROM modules_console_ingest_runs ORDER BY id LIMIT 1', '1');
const SCANNED_WITH_TABLES = `FROM modules_console_satellite_files WHERE status = 'ok' AND json_array_length(tables_json) > 0 ORDER BY id LIMIT 1`;
const sampleSatellite = () => firstValue(`SELECT file_key ${SCANNED_WITH_TABLES}`, 'no-such-satellite');
const sampleSatelliteTable = () =>
  firstValue(`SELECT json_extract(tables_json, '$[0].name') ${SCANNED_WITH_TABLES}`, 'no-such-table');
const sampleActor = () =>
  firstValue(
    `SELECT identity FROM agents_social_posts WHERE identity IS NOT NULL ORDER BY id LIMIT 1`,
    'agent',
  );
const jsonBody = (data: string) => ({ data, headers: { 'Content-Type': 'application/json' } });

/** THE table: every page, API handler and server action, and who may use it. */
const PAGES: Record<string, RouteRule> = {
  '/': { access: { role: 'viewer' } },
  '/login': { access: { public: true, why: 'the sign-in form' } },
  '/setup': { access: { public: true, why: 'first-admin setup; the form needs a one-time setup token' } },
  // Sidebar sections without a screen yet: the notice needs a signed-in viewer; unknown ones are 404.
  '/[section]': { access: { role: 'viewer' }, sample: () => '/no-such-section' },
  '/review': { access: { role: 'viewer' } },
  '/review/[postId]': {
    access: { role: 'viewer' },
    sample: () => `/review/${encodeURIComponent(samplePostId())}`,
  },
  '/timeline': { access: { role: 'viewer' } },
  '/timeline/[source]/[id]': {
    access: { role: 'viewer' },
    sample: () =>
      `/timeline/posts/${firstValue('SELECT id FROM agents_social_posts ORDER BY id LIMIT 1', '1')}`,
  },
  '/timeline/agent/[actor]': {
    access: { role: 'viewer' },
    sample: () => `/timeline/agent/${encodeURIComponent(sampleActor())}`,
  },
  '/registry': { access: { role: 'viewer' } },
  '/registry/[table]': { access: { role: 'viewer' }, sample: () => `/registry/${sampleTable()}` },
  '/satellites': { access: { role: 'viewer' } },
  '/satellites/[id]': { access: { role: 'viewer' }, sample: () => `/satellites/${sampleSatellite()}` },
  '/satellites/[id]/[table]': {
    access: { role: 'viewer' },
    sample: () => `/satellites/${sampleSatellite()}/${encodeURIComponent(sampleSatelliteTable())}`,
  },
  '/ingest': { access: { role: 'viewer', adminContent: true } },
  '/ingest/upload': { access: { role: 'viewer', adminContent: true } },
  '/ingest/runs': { access: { role: 'viewer', adminContent: true } },
  '/ingest/runs/[id]': {
    access: { role: 'viewer', adminContent: true },
    sample: () => `/ingest/runs/${sampleRunId()}`,
    mayBeMissing: true,
  },
  '/ingest/rejects': { access: { role: 'viewer', adminContent: true } },
  '/sql': { access: { role: 'viewer', adminContent: true } },
  '/settings': { access: { role: 'viewer' } },
  '/settings/operators': { access: { role: 'viewer', adminContent: true } },
  '/settings/tokens': { access: { role: 'viewer', adminContent: true } },
  '/settings/activity': { access: { role: 'viewer', adminContent: true } },
  '/health': { access: { role: 'viewer', adminContent: true } },
  '/backups': { access: { role: 'viewer', adminContent: true } },
  '/retention': { access: { role: 'viewer', adminContent: true } },
};

const API: Record<string, RouteRule> = {
  'GET /api/health': { access: { public: true, why: 'the load balancer / e2e readiness probe' } },
  // Outside /api, so the proxy sends cookie-less callers to /login (307) instead of answering 401.
  'GET /backups/download/[name]': {
    access: { role: 'admin' },
    sample: () => '/backups/download/no-such-backup.db',
  },
  'GET /api/export/registry': { access: { role: 'viewer' } },
  'GET /api/export/table': {
    access: { role: 'viewer' },
    sample: () => `/api/export/table?table=${sampleTable()}&format=csv`,
  },
  'POST /api/export/query': {
    access: { role: 'admin' },
    body: { data: 'sql=&format=csv', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
  },
  'GET /api/ingest/rejects': { access: { role: 'admin' }, sample: () => '/api/ingest/rejects?format=json' },
  'GET /api/ingest/runs/[id]': {
    access: { role: 'admin' },
    sample: () => `/api/ingest/runs/${sampleRunId()}`,
  },
  'POST /api/ingest/uploads': { access: { role: 'admin' }, body: jsonBody('{}') },
  'PUT /api/ingest/uploads/[id]': {
    access: { role: 'admin' },
    sample: () => '/api/ingest/uploads/no-such-upload?offset=0',
  },
  'POST /api/ingest/uploads/[id]': {
    access: { role: 'admin' },
    sample: () => '/api/ingest/uploads/no-such-upload',
  },
  'DELETE /api/ingest/uploads/[id]': {
    access: { role: 'admin' },
    sample: () => '/api/ingest/uploads/no-such-upload',
  },
  'GET /api/timeline/export': {
    access: { role: 'viewer' },
    sample: () => '/api/timeline/export?format=csv&range=1h',
  },
  'GET /api/timeline/new': { access: { role: 'viewer' } },
  'GET /api/v1/posts': {
    access: { token: ['posts:read', 'posts:publish'] },
    sample: () => '/api/v1/posts?status=approved',
  },
  'POST /api/v1/posts': { access: { token: ['posts:write'] }, body: jsonBody('{}') },
  'GET /api/v1/posts/[postId]': {
    access: { token: ['posts:read', 'posts:publish'] },
    sample: () => `/api/v1/posts/${encodeURIComponent(samplePostId())}`,
  },
  'POST /api/v1/posts/[postId]/posted': {
    access: { token: ['posts:publish'] },
    sample: () => '/api/v1/posts/no-such-post/posted',
    body: jsonBody('{}'),
  },
  'POST /api/v1/events': { access: { token: ['events:write'] }, body: jsonBody('{}') },
};

const ACTIONS: Record<string, Access> = {
  'lib/auth/actions.ts#login': { public: true, why: 'signing in (rate-limited; see hostile-input.spec.ts)' },
  'lib/auth/actions.ts#logout': { public: true, why: 'ends the caller’s own session, if any' },
  'lib/auth/actions.ts#setupFirstAdmin': { public: true, why: 'needs the one-time setup token' },
  'lib/review/actions.ts#approvePostAction': { role: 'reviewer' },
  'lib/review/actions.ts#rejectPostAction': { role: 'reviewer' },
  'lib/review/actions.ts#submitPostAction': { role: 'reviewer' },
  'lib/review/actions.ts#revokeApprovalAction': { role: 'reviewer' },
  'lib/review/actions.ts#reopenPostAction': { role: 'reviewer' },
  'lib/review/actions.ts#undoApprovalAction': { role: 'reviewer' },
  'lib/review/actions.ts#editPostAction': { role: 'reviewer' },
  'lib/review/actions.ts#bulkReviewAction': { role: 'reviewer' },
  'lib/review/actions.ts#pollQueueAction': { role: 'viewer' },
  'lib/settings/actions.ts#changeOwnPasswordAction': { role: 'viewer' },
  'lib/settings/actions.ts#signOutOtherSessionsAction': { role: 'viewer' },
  'lib/settings/actions.ts#createOperatorAction': { role: 'admin' },
  'lib/settings/actions.ts#setOperatorRoleAction': { role: 'admin' },
  'lib/settings/actions.ts#disableOperatorAction': { role: 'admin' },
  'lib/settings/actions.ts#enableOperatorAction': { role: 'admin' },
  'lib/settings/actions.ts#resetOperatorPasswordAction': { role: 'admin' },
  'lib/settings/actions.ts#createApiTokenAction': { role: 'admin' },
  'lib/settings/actions.ts#revokeApiTokenAction': { role: 'admin' },
  'lib/sql-console/actions.ts#runQueryAction': { role: 'admin' },
  'lib/sql-console/actions.ts#saveQueryAction': { role: 'admin' },
  'lib/sql-console/actions.ts#deleteQueryAction': { role: 'admin' },
  'lib/ingest/actions.ts#runAuditAction': { role: 'admin' },
  'lib/ingest/actions.ts#startIngestAction': { role: 'admin' },
  'lib/ingest/actions.ts#stopIngestRunAction': { role: 'admin' },
  'lib/registry/actions.ts#countExactlyAction': { role: 'viewer' },
  'lib/registry/actions.ts#measureSizesAction': { role: 'viewer' },
  'lib/registry/actions.ts#checkJsonAction': { role: 'viewer' },
  'lib/registry/actions.ts#startMaintenanceAction': { role: 'admin' },
  'lib/registry/actions.ts#savePurposeAction': { role: 'admin' },
  'lib/satellites/actions.ts#startScanAction': { role: 'admin' },
  'lib/satellites/actions.ts#createDeclaredAction': { role: 'admin' },
  'lib/satellites/actions.ts#updateDeclaredAction': { role: 'admin' },
  'lib/satellites/actions.ts#deleteDeclaredAction': { role: 'admin' },
  'lib/operations/actions.ts#startBackupAction': { role: 'admin' },
  'lib/operations/actions.ts#backupJobAction': { role: 'admin' },
  'lib/operations/actions.ts#retentionJobAction': { role: 'admin' },
  'lib/operations/actions.ts#savePolicyAction': { role: 'admin' },
  'lib/operations/actions.ts#deletePolicyAction': { role: 'admin' },
  'lib/operations/actions.ts#dryRunAction': { role: 'admin' },
  'lib/operations/actions.ts#executeRetentionAction': { role: 'admin' },
  'lib/databases/actions.ts#switchDatabase': {
    public: true,
    why: 'only picks which configured database this browser looks at; every read and write still needs a session in it',
  },
};

// ---------------------------------------------------------------------------------------------------

const RANK: Record<OperatorRole, number> = { viewer: 0, reviewer: 1, admin: 2 };
const OPERATORS: OperatorRole[] = ['viewer', 'reviewer', 'admin'];
/** Callers of the console's pages, APIs and actions: nobody, a made-up or revoked cookie, each role. */
type Caller = 'anonymous' | 'forged cookie' | OperatorRole;
const CALLERS: Caller[] = ['anonymous', 'forged cookie', ...OPERATORS];

function allowed(access: Access, caller: Caller): boolean {
  if ('public' in access) return true;
  if ('token' in access) return false; // operators never authenticate the agents' API
  return caller !== 'anonymous' && caller !== 'forged cookie' && RANK[caller] >= RANK[access.role];
}

/**
 * The satellite pages need a scanned file: run a real scan of the demo root first, as an admin does
 * with the Scan button (the same server action), and wait for it to finish.
 */
test.beforeAll(async ({ playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL, storageState: storageStatePath('admin') });
  try {
    const id = serverActionIds().get('lib/satellites/actions.ts#startScanAction')!;
    const { text } = await callServerAction(admin, id, [{}], { path: '/' });
    expect(text).toContain('"ok":true');
    await expect
      .poll(
        () =>
          firstValue(
            `SELECT status FROM modules_console_registry_jobs WHERE kind = 'satellite_scan' ORDER BY id DESC LIMIT 1`,
            '',
          ),
        {
          timeout: 60_000,
        },
      )
      .toBe('done');
  } finally {
    await admin.dispose();
  }
});

const contexts = new Map<Caller, APIRequestContext>();
async function as(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string, caller: Caller) {
  let context = contexts.get(caller);
  if (!context) {
    const host = new URL(baseURL).hostname;
    context = await playwright.request.newContext({
      baseURL,
      storageState:
        caller === 'anonymous'
          ? undefined
          : caller === 'forged cookie'
            ? {
                cookies: [
                  {
                    name: 'fu_session',
                    value: 'forged-Zm9yZ2VkLXNlc3Npb24tdG9rZW4tdGhhdC1pcy1ub3QtaW4tdGhlLWRi',
                    domain: host,
                    path: '/',
                    expires: -1,
                    httpOnly: true,
                    secure: false,
                    sameSite: 'Lax',
                  },
                ],
                origins: [],
              }
            : storageStatePath(caller),
    });
    contexts.set(caller, context);
  }
  return context;
}

test.afterAll(async () => {
  await Promise.all([...contexts.values()].map((context) => context.dispose()));
  contexts.clear();
});

test.describe('the authorization table covers the whole app', () => {
  test('every page.tsx is in the table (and the table names no page that is gone)', () => {
    expect(discoverPages(), 'add new pages to PAGES in e2e/authorization-matrix.spec.ts').toEqual(
      Object.keys(PAGES).toSorted(),
    );
  });

  test('every route.ts handler is in the table', () => {
    expect(discoverApiHandlers(), 'add new API handlers to API in e2e/authorization-matrix.spec.ts').toEqual(
      Object.keys(API).toSorted(),
    );
  });

  test("every export of a 'use server' module is in the table, and the built app has exactly those actions", () => {
    const discovered = discoverServerActions();
    expect(discovered, 'add new server actions to ACTIONS in e2e/authorization-matrix.spec.ts').toEqual(
      Object.keys(ACTIONS).toSorted(),
    );
    // The built server can only run what its manifest lists: nothing callable is missing from the table.
    const built = [...serverActionIds().keys()].toSorted();
    for (const key of built) expect(Object.keys(ACTIONS), `built action ${key}`).toContain(key);
  });
});

test.describe('pages × callers', () => {
  for (const [route, rule] of Object.entries(PAGES)) {
    test(`${route}`, async ({ playwright, baseURL }) => {
      const url = rule.sample?.() ?? route;
      for (const caller of CALLERS) {
        const request = await as(playwright, baseURL!, caller);
        const response = await request.get(url, { maxRedirects: 0 });
        const label = `${caller} GET ${url}`;
        if (!allowed(rule.access, caller)) {
          // Refused: sent to sign in, nothing of the page rendered.
          expect(response.status(), label).toBe(307);
          expect(new URL(response.headers().location!, baseURL).pathname, label).toBe('/login');
          continue;
        }
        const status = response.status();
        if ('public' in rule.access && caller !== 'anonymous' && caller !== 'forged cookie') {
          // Signed-in operators may be sent on from /login and /setup; never refused.
          expect([200, 307], label).toContain(status);
          continue;
        }
        const html = await response.text();
        if (route === '/[section]') expect(status, label).toBe(404);
        else if (rule.mayBeMissing) expect([200, 404], label).toContain(status);
        else expect(status, label).toBe(200);
        const access = rule.access;
        if ('role' in access && access.adminContent) {
          const notice = /Admins only|is for admins/;
          if (caller === 'admin') expect(html, label).not.toMatch(notice);
          else expect(html, label).toMatch(notice);
        }
      }
    });
  }
});

test.describe('API handlers × callers and agent tokens', () => {
  const tokens = new Map<string, string>();
  function token(scopes: Scope[], state: TokenState): string {
    const key = `${state}:${scopes.join(' ')}`;
    if (!tokens.has(key)) tokens.set(key, insertApiToken(scopes, state, 'authorization-matrix'));
    return tokens.get(key)!;
  }
  const ALL_SCOPES: Scope[] = ['posts:read', 'posts:write', 'posts:publish', 'events:write'];

  for (const [handler, rule] of Object.entries(API)) {
    test(handler, async ({ playwright, baseURL }) => {
      const [method, route] = handler.split(' ') as [string, string];
      const url = rule.sample?.() ?? route;
      const send = (request: APIRequestContext, headers: Record<string, string> = {}) =>
        request.fetch(url, {
          method,
          data: rule.body?.data,
          headers: { ...rule.body?.headers, ...headers },
          maxRedirects: 0,
        });
      const access = rule.access;

      for (const caller of CALLERS) {
        const response = await send(await as(playwright, baseURL!, caller));
        const label = `${caller} ${method} ${url}`;
        if (allowed(access, caller)) {
          expect(response.status(), `${label}: ${await response.text()}`).not.toBe(401);
          expect(response.status(), label).not.toBe(403);
          expect(response.status(), label).toBeLessThan(500);
        } else if ('role' in access && caller !== 'anonymous' && caller !== 'forged cookie') {
          expect(response.status(), label).toBe(403);
        } else if (caller === 'anonymous' && !route.startsWith('/api/')) {
          expect(response.status(), label).toBe(307);
          expect(new URL(response.headers().location!, baseURL).pathname, label).toBe('/login');
        } else {
          expect(response.status(), label).toBe(401);
        }
      }

      if (!('token' in access)) {
        // A valid agent token opens no console route: those take only an operator's session.
        const anonymous = await as(playwright, baseURL!, 'anonymous');
        const bearer = token(ALL_SCOPES, 'active');
        const response = await send(anonymous, { Authorization: `Bearer ${bearer}` });
        if ('public' in access) expect(response.status()).toBe(200);
        else if (!route.startsWith('/api/')) expect(response.status(), `token ${method} ${url}`).toBe(307);
        else expect(response.status(), `token ${method} ${url}`).toBe(401);
        return;
      }

      const anonymous = await as(playwright, baseURL!, 'anonymous');
      const others = ALL_SCOPES.filter((scope) => !access.token.includes(scope));
      const cases: { name: string; bearer: string | null; expected: number | 'allowed' }[] = [
        { name: 'no token', bearer: null, expected: 401 },
        { name: 'malformed token', bearer: 'fu_not-a-real-token', expected: 401 },
        { name: 'unknown token', bearer: `fu_${'A'.repeat(43)}`, expected: 401 },
        ...access.token.map((scope) => ({
          name: `active, ${scope}`,
          bearer: token([scope], 'active'),
          expected: 'allowed' as const,
        })),
        { name: 'active, without the scope', bearer: token(others, 'active'), expected: 403 },
        { name: 'expired, with the scope', bearer: token(access.token, 'expired'), expected: 401 },
        { name: 'revoked, with the scope', bearer: token(access.token, 'revoked'), expected: 401 },
      ];
      for (const { name, bearer, expected } of cases) {
        const response = await send(anonymous, bearer ? { Authorization: `Bearer ${bearer}` } : {});
        const label = `${name}: ${method} ${url}`;
        if (expected === 'allowed') {
          expect([401, 403], `${label}: ${await response.text()}`).not.toContain(response.status());
          expect(response.status(), label).toBeLessThan(500);
        } else {
          expect(response.status(), `${label}: ${await response.text()}`).toBe(expected);
        }
      }
    });
  }
});

test.describe('server actions × callers, called directly with their Next-Action id', () => {
  // The argument no action schema accepts: a caller who passes authorisation gets "Some fields need
  // attention" and nothing runs; one who does not gets the refusal. Either way no write happens.
  const PROBE = 'authorization-matrix-probe';

  for (const [key, access] of Object.entries(ACTIONS)) {
    if ('public' in access) continue; // reachable by design; why is in the table
    test(key, async ({ playwright, baseURL }) => {
      const id = serverActionIds().get(key);
      expect(id, `${key} is not in the built app's server-reference-manifest.json`).toBeTruthy();
      const before = rowCounts();
      for (const caller of CALLERS) {
        const request = await as(playwright, baseURL!, caller);
        const label = `${caller} → ${key}`;
        if (caller === 'anonymous') {
          // Without a cookie the proxy turns the call away at the page that hosts the action…
          const direct = await callServerAction(request, id!, [PROBE], { path: '/' });
          expect(direct.status, label).toBe(307);
          expect(direct.response.headers().location, label).toBe('/login');
          // …and at a public page (/login), where Next forwards it to a worker that holds the action:
          // that internal request meets the same gate, so the action never runs ("{}" is Next's answer
          // when the forwarded call yields no action result).
          const forwarded = await callServerAction(request, id!, [PROBE], { path: '/login' });
          expect(forwarded.status, label).toBe(200);
          expect(forwarded.text, label).toBe('{}');
          continue;
        }
        const { status, text } = await callServerAction(request, id!, [PROBE], { path: '/' });
        expect(status, `${label}: ${text.slice(0, 300)}`).toBe(200);
        if (allowed(access, caller)) {
          expect(text, label).toContain('"ok":false');
          expect(text, label).toContain('Some fields need attention.');
        } else if (caller === 'forged cookie') {
          // Past the proxy (it only sees that a cookie exists), the action itself refuses.
          expect(text, label).toContain('"error":"Sign in first."');
        } else {
          expect(text, label).toContain(
            `"error":"This needs the ${(access as { role: string }).role} role."`,
          );
        }
      }
      expect(rowCounts(), `${key} changed the database`).toEqual(before);
    });
  }
});
