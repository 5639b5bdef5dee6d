// The cross-site request check for route handlers that change something (POST/PUT/PATCH/DELETE). Server actions get
// the same check from Next.js itself; route handlers get none, and a session cookie rides along on a form or fetch
// posted from any other site.
import { getTranslations } from 'next-intl/server';
import { requestLogger } from '@/lib/log';
import { requestHost } from './forwarded';

/**
 * Same rule as Next.js applies to server actions: a browser names the page's origin in `Origin` (every current
 * browser does on a POST), and it must be this site. Without `Origin`, `Sec-Fetch-Site` must say same-origin. A request
 * with neither does not come from a browser, so it carries no cookie its sender did not hand it on purpose.
 */
export function isSameOrigin(headers: Headers, env: NodeJS.ProcessEnv = process.env): boolean {
  const origin = headers.get('origin');
  if (origin === null) {
    const site = headers.get('sec-fetch-site');
    return site === null || site === 'same-origin';
  }
  const host = requestHost(headers, env);
  if (!host) return false;
  try {
    // An opaque origin ("null": sandboxed frames, some redirects) parses to no host and is refused.
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * null when the request may go on, else a 403 that says why, in the body the route's client reads: `{ ok, message }`
 * for a fetch, plain text for a form post. Logged with the hosts (no one's data), so an operator can tell an attack
 * from a reverse proxy that does not pass the host on.
 */
export async function refuseCrossOrigin(request: Request, body: 'json' | 'text'): Promise<Response | null> {
  if (isSameOrigin(request.headers)) return null;
  const [t, log] = await Promise.all([getTranslations('security'), requestLogger()]);
  log.warn({ origin: request.headers.get('origin')?.slice(0, 200), host: requestHost(request.headers) }, 'cross-origin request refused');
  const message = t('crossOrigin');
  return body === 'json'
    ? Response.json({ ok: false, message }, { status: 403 })
    : new Response(message, { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
