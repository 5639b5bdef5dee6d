// The client address that sign-in throttling counts by.
// Next.js does not hand the socket to route handlers or actions; its server (under server.ts) writes the socket address
// into x-forwarded-for only when the request arrived without that header. Behind a reverse proxy (TRUSTED_PROXY=true)
// the proxy sets the header and its first hop is the client. Without one, the entry nearest to us is the best we
// have; a client speaking straight to the instance could forge it, which is why production runs behind a proxy.
import { trustedProxy } from '@/lib/http/forwarded';

/** At most 64 characters of an address, so a forged header cannot make throttle keys of any size. */
export function clientIp(headers: Headers, env: NodeJS.ProcessEnv = process.env): string {
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const ip = trustedProxy(env) ? hops[0] : hops.at(-1);
  return ip ? ip.slice(0, 64) : 'unknown';
}
