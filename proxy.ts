// Runs before every page: gives the request its id and its CSP nonce, sets the security headers that depend on the
// request, and sends visitors without a session cookie to sign-in, except on the customers' own pages. Whether the
// session is valid, and what its role may do, is decided in every page and action (requireRole); the proxy does not
// re-issue the cookie, so a sign-out sticks.
import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { PATHNAME_HEADER } from '@/lib/auth/roles';
import { HSTS, contentSecurityPolicy, newNonce } from '@/lib/http/csp';
import { servedOverTls } from '@/lib/http/forwarded';
import { REQUEST_ID_HEADER, requestIdFrom } from '@/lib/http/request-id';
import { frameOriginsFor } from '@/lib/opt-in/frame-origins';

// The reset page is for users who cannot sign in; its token, checked on the page and in the action, is the proof.
const PUBLIC_PATHS = ['/sign-in', '/reset-password'];
// Pages customers open without an account: hosted forms, confirmation, preferences, one-click unsubscribe. Each
// checks its own signed token or form, and shows nothing of anyone else.
const PUBLIC_PREFIXES = ['/f/', '/c/', '/p/', '/u/'];
// RFC 8058: a mail client posts the one-click unsubscribe to the unsubscribe link itself. The page there answers GETs
// and its own button (a server action, which names itself in Next-Action); the route beside it takes the one-click POST.
const UNSUBSCRIBE_LINK = /^\/u\/[^/]+$/;
// API routes answer for themselves (next-auth, health checks, 401s); the proxy only adds headers there.
const API_PREFIX = '/api/';
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;
// A hosted form is the one page a shop may frame, and only from the origins its admin allowed.
const FORM_PAGE = /^\/f\/([a-z0-9-]{3,60})\/?$/i;

export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const requestId = requestIdFrom(req.headers);
  const tls = servedOverTls(req.headers);
  const hasSession = req.cookies.getAll().some((c) => SESSION_COOKIE.test(c.name));

  let response: NextResponse;
  let csp: string | null = null;
  if (
    hasSession ||
    PUBLIC_PATHS.includes(pathname) ||
    pathname.startsWith(API_PREFIX) ||
    PUBLIC_PREFIXES.some((p) => pathname.startsWith(p))
  ) {
    const form = FORM_PAGE.exec(pathname)?.[1];
    const frameAncestors = form ? await frameOriginsFor(form) : [];
    csp = contentSecurityPolicy({ nonce: newNonce(), dev: process.env.NODE_ENV === 'development', tls, frameAncestors });
    const headers = new Headers(req.headers);
    // Next.js takes the nonce for its scripts from the request's CSP header.
    headers.set('content-security-policy', csp);
    headers.set(REQUEST_ID_HEADER, requestId);
    // Tells the dashboard shell which page is asked for, so it can answer 403 before streaming anything.
    headers.set(PATHNAME_HEADER, pathname);
    const oneClick = req.method === 'POST' && UNSUBSCRIBE_LINK.test(pathname) && !req.headers.has('next-action');
    response = oneClick
      ? NextResponse.rewrite(new URL(`${pathname}/one-click`, req.nextUrl), { request: { headers } })
      : NextResponse.next({ request: { headers } });
  } else {
    const url = new URL('/sign-in', req.nextUrl);
    if (pathname !== '/') url.searchParams.set('callbackUrl', `${pathname}${search}`);
    response = NextResponse.redirect(url);
  }
  if (csp) response.headers.set('Content-Security-Policy', csp);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  if (tls) response.headers.set('Strict-Transport-Security', HSTS);
  return response;
}

export const config = {
  // Everything but framework assets and two routes whose bodies must not pass through the proxy, which buffers bodies
  // up to 10 MB: the import upload (up to 250 MB, streamed to disk; it checks the session and role itself) and the
  // WhatsApp webhook (signed by Meta, read with its own 1 MB limit). Only those exact paths are skipped, so the
  // not-found page under them still gets its nonce. The consent API (/api/v1/) is skipped too: it is JSON for shops'
  // servers, authenticated by its keys, with next.config.js's fixed headers, and a sending system asks it before every
  // message, so a proxy pass on each call (a third of its time) is time the caller waits.
  matcher: ['/((?!_next/|favicon\\.ico$|icon\\.svg$|robots\\.txt$|api/webhooks/whatsapp$|api/v1/|customers/import/upload$).*)'],
};
