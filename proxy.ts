// Sends visitors without a session cookie to sign-in. Whether the session is valid, and what its role may do,
// is decided in every page and action (requireRole); the proxy does not re-issue the cookie, so a sign-out sticks.
import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { PATHNAME_HEADER } from '@/lib/auth/roles';

// The reset page is for users who cannot sign in; its token, checked on the page and in the action, is the proof.
const PUBLIC_PATHS = ['/sign-in', '/reset-password'];
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const hasSession = req.cookies.getAll().some((c) => SESSION_COOKIE.test(c.name));
  if (hasSession || PUBLIC_PATHS.includes(pathname)) {
    // Tells the dashboard shell which page is asked for, so it can answer 403 before streaming anything.
    const headers = new Headers(req.headers);
    headers.set(PATHNAME_HEADER, pathname);
    return NextResponse.next({ request: { headers } });
  }
  const url = new URL('/sign-in', req.nextUrl);
  if (pathname !== '/') url.searchParams.set('callbackUrl', `${pathname}${search}`);
  return NextResponse.redirect(url);
}

export const config = {
  // Everything but framework assets, the auth endpoints, the health checks, the WhatsApp webhook (which signs its own requests) and the
  // import upload, whose body of up to 250 MB must stream to disk rather than pass through the proxy (which buffers
  // bodies up to 10 MB); it checks the session and role itself.
  matcher: ['/((?!_next/|api/auth|api/webhooks|api/health|api/ready|customers/import/upload|favicon.ico|icon.svg|robots.txt).*)'],
};
