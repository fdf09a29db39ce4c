import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isHttpsRequest } from '@/lib/auth/current';
import { contentSecurityPolicy, proxy } from '@/proxy';

// proxy.ts runs before every request of the built server; these check its decisions one by one
// (e2e/security-headers.spec.ts checks the same headers on the running server).

vi.mock('next/headers', () => ({ headers: vi.fn(), cookies: vi.fn() }));

const BASE = 'http://console.test:3000';

function request(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return new NextRequest(`${BASE}${path}`, {
    method: init.method ?? 'GET',
    headers: { host: 'console.test:3000', ...init.headers },
  });
}

const signedIn = { cookie: 'fu_session=some-token' };

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values.join(' ')];
    }),
  );
}

describe('Content-Security-Policy from proxy.ts', () => {
  it('allows scripts only with a nonce (no unsafe-inline, no eval) and forbids framing, plugins and base/form hijacks', () => {
    const policy = directives(contentSecurityPolicy('abc123', false));
    expect(policy.get('script-src')).toBe("'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy.get('frame-ancestors')).toBe("'none'");
    expect(policy.get('object-src')).toBe("'none'");
    expect(policy.get('base-uri')).toBe("'self'");
    expect(policy.get('form-action')).toBe("'self'");
    expect(policy.get('default-src')).toBe("'self'");
    expect(contentSecurityPolicy('abc123', false)).not.toMatch(/unsafe-eval/);
    // next dev's hot reloader evaluates code; only there.
    expect(directives(contentSecurityPolicy('abc123', true)).get('script-src')).toContain("'unsafe-eval'");
  });

  it('sets a fresh nonce per request on the response and on the request Next renders from', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const response = proxy(request('/review', { headers: signedIn }));
      const csp = response.headers.get('content-security-policy') ?? '';
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/); // 16 random bytes
      seen.add(nonce!);
      // NextResponse.next({ request: { headers } }) forwards overridden request headers like this:
      expect(response.headers.get('x-middleware-request-x-nonce')).toBe(nonce);
      expect(response.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
    }
    expect(seen.size).toBe(20);
  });

  it('puts the policy on redirects and refusals too', () => {
    const anonymous = proxy(request('/review'));
    expect(anonymous.status).toBe(307);
    expect(anonymous.headers.get('location')).toBe(`${BASE}/login?next=%2Freview`);
    expect(anonymous.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const api = proxy(request('/api/timeline/new'));
    expect(api.status).toBe(401);
    expect(api.headers.get('content-security-policy')).toMatch(/object-src 'none'/);
  });
});

describe('cross-origin writes (proxy.ts)', () => {
  it('refuses a POST whose Origin is another site, for server actions and console API routes', async () => {
    for (const path of ['/review', '/login', '/api/export/query', '/api/ingest/uploads']) {
      const response = proxy(
        request(path, {
          method: 'POST',
          headers: { ...signedIn, origin: 'https://evil.example', 'next-action': 'abc' },
        }),
      );
      expect(response.status, path).toBe(403);
      expect(await response.json()).toEqual({
        error: { code: 'cross_origin', message: 'Cross-origin requests are refused.' },
      });
    }
  });

  it('refuses another port of the same host, Origin "null", and Sec-Fetch-Site cross-site/same-site', () => {
    const cases: Record<string, string>[] = [
      { origin: 'http://console.test:4000' },
      { origin: 'null' },
      { origin: 'not a url' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of cases) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const response = proxy(
          request('/api/ingest/uploads/x', { method, headers: { ...signedIn, ...headers } }),
        );
        expect(response.status, `${method} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
  });

  it('lets same-origin writes, reads from anywhere, origin-less clients and the agents’ token API through', () => {
    const passes = (response: Response) => response.headers.get('x-middleware-next') === '1';
    expect(
      passes(
        proxy(
          request('/review', {
            method: 'POST',
            headers: { ...signedIn, origin: BASE, 'sec-fetch-site': 'same-origin' },
          }),
        ),
      ),
    ).toBe(true);
    // Behind a proxy, the public host is what the browser's Origin names.
    expect(
      passes(
        proxy(
          request('/review', {
            method: 'POST',
            headers: {
              ...signedIn,
              origin: 'https://console.example',
              'x-forwarded-host': 'console.example',
            },
          }),
        ),
      ),
    ).toBe(true);
    expect(
      passes(proxy(request('/review', { headers: { ...signedIn, origin: 'https://evil.example' } }))),
    ).toBe(true);
    expect(passes(proxy(request('/review', { method: 'POST', headers: signedIn })))).toBe(true);
    expect(
      passes(
        proxy(
          request('/api/v1/posts', {
            method: 'POST',
            headers: { origin: 'https://evil.example', authorization: 'Bearer fu_x' },
          }),
        ),
      ),
    ).toBe(true);
  });
});

describe('Secure cookies over HTTPS (isHttpsRequest)', () => {
  afterEach(() => {
    delete process.env.FOUNDUPS_SECURE_COOKIES;
  });

  it('follows the protocol the client used, as Next or the proxies in front report it', () => {
    const h = (values: Record<string, string>) => new Headers(values);
    expect(isHttpsRequest(h({ 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(isHttpsRequest(h({ 'x-forwarded-proto': 'HTTPS' }))).toBe(true);
    expect(isHttpsRequest(h({ 'x-forwarded-proto': 'https, http' }))).toBe(true);
    expect(isHttpsRequest(h({ 'x-forwarded-proto': 'http' }))).toBe(false);
    expect(isHttpsRequest(h({ 'x-forwarded-proto': 'http, https' }))).toBe(false);
    expect(isHttpsRequest(h({ forwarded: 'for=192.0.2.60;proto=https;by=203.0.113.43' }))).toBe(true);
    expect(isHttpsRequest(h({ forwarded: 'for=192.0.2.60;proto=http' }))).toBe(false);
    expect(isHttpsRequest(h({}))).toBe(false);
    process.env.FOUNDUPS_SECURE_COOKIES = '1';
    expect(isHttpsRequest(h({ 'x-forwarded-proto': 'http' }))).toBe(true);
  });
});
