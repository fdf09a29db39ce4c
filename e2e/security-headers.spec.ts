import type { Page } from '@playwright/test';
import { LoginPage, expect, test } from './support/fixtures';
import { openRunDatabase } from './support/security';

// The response headers of the running console: a nonce-based Content-Security-Policy (no inline
// script runs without this response's nonce), framing/sniffing/referrer protections, Secure cookies
// over HTTPS — and every screen working under that policy with zero violations.

function directives(csp: string): Map<string, string> {
  return new Map(
    csp
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, ...values] = part.split(/\s+/);
        return [name!, values.join(' ')];
      }),
  );
}

test.describe('security headers', () => {
  test('pages carry a nonce CSP that matches every script of the document, fresh per request', async ({
    playwright,
    baseURL,
  }) => {
    const request = await playwright.request.newContext({ baseURL });
    try {
      const nonces: string[] = [];
      for (let i = 0; i < 2; i += 1) {
        const response = await request.get('/login');
        expect(response.status()).toBe(200);
        const headers = response.headers();
        const csp = directives(headers['content-security-policy'] ?? '');
        const nonce = /'nonce-([^']+)'/.exec(csp.get('script-src') ?? '')?.[1];
        expect(nonce).toBeTruthy();
        nonces.push(nonce!);
        expect(csp.get('script-src')).toBe(`'self' 'nonce-${nonce}' 'strict-dynamic'`);
        expect(csp.get('style-src')).toBe("'self' 'unsafe-inline'");
        expect(csp.get('default-src')).toBe("'self'");
        expect(csp.get('object-src')).toBe("'none'");
        expect(csp.get('base-uri')).toBe("'self'");
        expect(csp.get('form-action')).toBe("'self'");
        expect(csp.get('frame-ancestors')).toBe("'none'");
        expect(headers['x-content-type-options']).toBe('nosniff');
        expect(headers['referrer-policy']).toBe('same-origin');
        expect(headers['x-frame-options']).toBe('DENY');
        expect(headers['x-powered-by']).toBeUndefined();

        const html = await response.text();
        const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!);
        expect(scripts.length).toBeGreaterThan(0);
        for (const attributes of scripts) expect(attributes, attributes).toContain(`nonce="${nonce}"`);
      }
      expect(nonces[0]).not.toBe(nonces[1]);
    } finally {
      await request.dispose();
    }
  });

  test('signed-in pages, redirects and API answers carry the same protections', async ({
    playwright,
    baseURL,
  }) => {
    const anonymous = await playwright.request.newContext({ baseURL });
    try {
      for (const [url, status] of [
        ['/review', 307],
        ['/api/health', 200],
        ['/api/timeline/new', 401],
      ] as const) {
        const response = await anonymous.get(url, { maxRedirects: 0 });
        expect(response.status(), url).toBe(status);
        const headers = response.headers();
        expect(headers['content-security-policy'], url).toMatch(/frame-ancestors 'none'/);
        expect(headers['x-content-type-options'], url).toBe('nosniff');
        expect(headers['x-frame-options'], url).toBe('DENY');
        expect(headers['referrer-policy'], url).toBe('same-origin');
      }
    } finally {
      await anonymous.dispose();
    }
  });
});

test.describe('the session cookie', () => {
  async function signInCapturingCookie(page: Page, credentials: { username: string; password: string }) {
    const setCookies: string[] = [];
    page.on('response', async (response) => {
      const value = await response.headerValue('set-cookie');
      if (value?.includes('fu_session=')) setCookies.push(value);
    });
    const login = new LoginPage(page);
    await login.goto();
    await login.signInAndWait(credentials);
    expect(setCookies).toHaveLength(1);
    return setCookies[0]!;
  }

  test('is Secure when the console is reached over HTTPS (x-forwarded-proto from the TLS proxy)', async ({
    browser,
    credentials,
  }) => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-Proto': 'https' } });
    const cookie = await signInCapturingCookie(await context.newPage(), credentials.viewer);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=lax/i);
    await context.close();
  });

  test('is not Secure over plain HTTP (or the browser would drop it), still HttpOnly and SameSite=Lax', async ({
    browser,
    credentials,
  }) => {
    const context = await browser.newContext();
    const cookie = await signInCapturingCookie(await context.newPage(), credentials.viewer);
    expect(cookie).not.toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    await context.close();
  });
});

// ---------------------------------------------------------------------------------------------------

function sample(query: string, fallback: string): string {
  const db = openRunDatabase();
  try {
    const row = db.prepare(query).raw().get() as unknown[] | undefined;
    return row?.[0] == null ? fallback : String(row[0]);
  } finally {
    db.close();
  }
}

/** Opens a page, collecting CSP violations (the DOM event and Chromium's console report) and page errors. */
async function visit(page: Page, url: string) {
  const problems: string[] = [];
  const onConsole = (message: { type(): string; text(): string }) => {
    if (/Content[- ]Security[- ]Policy|Refused to (execute|load|apply)/i.test(message.text()))
      problems.push(`console: ${message.text()}`);
  };
  const onError = (error: Error) => problems.push(`pageerror: ${error.message}`);
  page.on('console', onConsole);
  page.on('pageerror', onError);
  const response = await page.goto(url);
  expect(response?.status(), url).toBe(200);
  await page.waitForLoadState('networkidle');
  const violations = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  page.off('console', onConsole);
  page.off('pageerror', onError);
  return [...problems, ...violations.map((v) => `violation: ${v}`)];
}

test.describe('every screen works under the policy', () => {
  test('zero CSP violations and zero page errors on every screen, as admin', async ({ adminPage }) => {
    test.setTimeout(180_000);
    await adminPage.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        w.__csp.push(
          `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`,
        ),
      );
    });
    const postId = sample('SELECT post_id FROM agents_social_posts ORDER BY id LIMIT 1', 'none');
    const eventId = sample('SELECT id FROM agents_social_posts ORDER BY id LIMIT 1', '1');
    const identity = sample(
      'SELECT identity FROM agents_social_posts WHERE identity IS NOT NULL LIMIT 1',
      'x',
    );
    const screens = [
      '/',
      '/review',
      `/review/${encodeURIComponent(postId)}`,
      '/timeline',
      `/timeline/posts/${eventId}`,
      `/timeline/agent/${encodeURIComponent(identity)}`,
      '/registry',
      '/registry/agents_social_posts',
      '/satellites',
      '/ingest',
      '/ingest/runs',
      '/ingest/rejects',
      '/ingest/upload',
      '/sql',
      '/settings',
      '/settings/operators',
      '/settings/tokens',
      '/settings/activity',
    ];
    const found: Record<string, string[]> = {};
    for (const url of screens) {
      const problems = await visit(adminPage, url);
      if (problems.length) found[url] = problems;
    }
    expect(found).toEqual({});
  });

  test('hydrated features still work: the table, the charts, the theme switch', async ({ adminPage }) => {
    // TanStack Table (client component): rows rendered and sortable by a header button.
    await adminPage.goto('/review');
    await expect(adminPage.getByRole('table').first()).toBeVisible();
    await expect(adminPage.getByRole('row').nth(1)).toBeVisible();

    // Recharts draws SVG on the client: the timeline's charts exist only if its scripts ran.
    await adminPage.goto('/timeline?range=30d');
    await expect(adminPage.locator('.recharts-surface').first()).toBeVisible();

    // The theme switch is client code that sets the html class and a cookie.
    await adminPage.goto('/');
    const html = adminPage.locator('html');
    const before = (await html.getAttribute('class')) ?? '';
    const toggle = adminPage.getByRole('button', { name: /theme|dark|light/i }).first();
    await toggle.click();
    await expect.poll(async () => (await html.getAttribute('class')) ?? '').not.toBe(before);
  });
});
