import { type NextRequest, NextResponse } from 'next/server';

const SESSION_COOKIE = 'fu_session';
const PUBLIC_PATHS = ['/login', '/setup', '/api/health'];

/**
 * A cheap first gate: requests without a session cookie go to /login (pages) or get 401 (API).
 * The real check (session in the database, role) happens on the server in every page, action and route.
 * Agent API routes (/api/v1) authenticate with bearer tokens in the route itself.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (
    PUBLIC_PATHS.some((path) => pathname === path || pathname.startsWith(`${path}/`)) ||
    pathname.startsWith('/api/v1/')
  ) {
    return NextResponse.next();
  }
  if (request.cookies.get(SESSION_COOKIE)?.value) return NextResponse.next();
  if (pathname.startsWith('/api/')) return NextResponse.json({ error: 'Sign in first.' }, { status: 401 });
  const url = request.nextUrl.clone();
  url.pathname = '/login';
  url.search = pathname === '/' ? '' : `?next=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|robots.txt).*)'],
};
