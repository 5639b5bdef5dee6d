// Sends signed-out visitors to sign-in. Authorization itself happens in every page and action (requireRole).
import type { NextFetchEvent, NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { auth } from '@/lib/auth/auth';

const PUBLIC_PATHS = ['/sign-in'];

type Handler = (req: NextRequest, event: NextFetchEvent) => Promise<Response | undefined>;

// With a lazily built configuration next-auth hands back the wrapped handler as a promise.
const handler = auth((req) => {
  const { pathname, search } = req.nextUrl;
  if (req.auth || PUBLIC_PATHS.includes(pathname)) return NextResponse.next();
  const url = new URL('/sign-in', req.nextUrl);
  if (pathname !== '/') url.searchParams.set('callbackUrl', `${pathname}${search}`);
  return NextResponse.redirect(url);
}) as unknown as Promise<Handler> | Handler;

export async function proxy(req: NextRequest, event: NextFetchEvent) {
  return (await handler)(req, event);
}

export const config = {
  // Everything but framework assets, the auth endpoints and the WhatsApp webhook (which signs its own requests).
  matcher: ['/((?!_next/|api/auth|api/webhooks|favicon.ico|robots.txt).*)'],
};
