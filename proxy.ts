import { type NextRequest, NextResponse } from 'next/server';

const SESSION_COOKIE = 'fu_session';
const PUBLIC_PATHS = ['/login', '/setup', '/api/health'];
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The page's Content-Security-Policy. Scripts run only with this request's nonce ('strict-dynamic' lets
 * Next's own chunks load what they import); no inline script, no eval (outside `next dev`, whose
 * hot reloader needs it). Styles keep 'unsafe-inline': React renders `style` attributes into the HTML
 * (chart sizes, progress bars, column widths) and a nonce cannot cover attributes; CSS cannot run
 * script, so this does not reopen XSS.
 */
export function contentSecurityPolicy(nonce: string, development = process.env.NODE_ENV === 'development') {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Cookie-authenticated writes must come from the console's own pages. Browsers send Origin (and
 * Sec-Fetch-Site) with every cross-origin POST; SameSite=Lax keeps the session cookie off cross-site
 * POSTs but not off same-site ones (another port or subdomain of the same host), so the origin is
 * checked here, for server actions and the console's API routes alike. /api/v1 uses bearer tokens,
 * which a browser never attaches on its own, so it is exempt.
 */
export function isCrossOriginWrite(request: NextRequest): boolean {
  if (!UNSAFE_METHODS.has(request.method)) return false;
  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') return true;
  const origin = request.headers.get('origin');
  if (origin === null) return false; // not a browser, or a same-origin request from an old one
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || request.headers.get('host');
  try {
    return new URL(origin).host !== host;
  } catch {
    return true; // "null" (sandboxed frames, data: URLs) or garbage
  }
}

/**
 * Runs before every request: sets this request's CSP nonce (Next reads it from the request's
 * Content-Security-Policy header and puts it on its own scripts), refuses cross-origin writes, and
 * is a cheap first gate: requests without a session cookie go to /login (pages) or get 401 (API).
 * The real check (session in the database, role) happens on the server in every page, action and
 * route. Agent API routes (/api/v1) authenticate with bearer tokens in the route itself.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = contentSecurityPolicy(nonce);
  const withCsp = (response: NextResponse) => {
    response.headers.set('Content-Security-Policy', csp);
    return response;
  };
  const isAgentApi = pathname.startsWith('/api/v1/');

  if (!isAgentApi && isCrossOriginWrite(request)) {
    return withCsp(
      NextResponse.json(
        { error: { code: 'cross_origin', message: 'Cross-origin requests are refused.' } },
        { status: 403 },
      ),
    );
  }

  const next = () => {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set('x-nonce', nonce);
    requestHeaders.set('Content-Security-Policy', csp);
    return withCsp(NextResponse.next({ request: { headers: requestHeaders } }));
  };

  if (isAgentApi || PUBLIC_PATHS.some((path) => pathname === path || pathname.startsWith(`${path}/`))) {
    return next();
  }
  if (request.cookies.get(SESSION_COOKIE)?.value) return next();
  if (pathname.startsWith('/api/'))
    return withCsp(NextResponse.json({ error: 'Sign in first.' }, { status: 401 }));
  const url = request.nextUrl.clone();
  url.pathname = '/login';
  url.search = pathname === '/' ? '' : `?next=${encodeURIComponent(pathname + search)}`;
  return withCsp(NextResponse.redirect(url));
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|robots.txt).*)'],
};
