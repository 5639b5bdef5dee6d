// What the X-Forwarded-* headers may tell us. Next.js's server fills them in from the socket only when a request arrives
// without them, so a client talking straight to the instance can forge them: they count only when TRUSTED_PROXY says
// every request passes a reverse proxy that overwrites them.
import { envFlag } from '@/lib/env-flag';

export function trustedProxy(env: NodeJS.ProcessEnv = process.env): boolean {
  return envFlag(env.TRUSTED_PROXY);
}

/** The first value of a comma-separated forwarded header: the one the proxy nearest the client wrote. */
function firstValue(headers: Headers, name: string): string | undefined {
  return headers.get(name)?.split(',')[0]?.trim().toLowerCase() || undefined;
}

/** The host the browser asked for: the proxy's X-Forwarded-Host when it is trusted, else the Host header. */
export function requestHost(headers: Headers, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = headers.get('host')?.trim().toLowerCase() || undefined;
  return trustedProxy(env) ? (firstValue(headers, 'x-forwarded-host') ?? host) : host;
}

/**
 * Whether the browser reached us over TLS. The server speaks plain HTTP, so TLS ends at a reverse proxy: either a
 * trusted one says so in X-Forwarded-Proto, or AUTH_URL, the operator's statement of the public address, is https.
 */
export function servedOverTls(headers: Headers, env: NodeJS.ProcessEnv = process.env): boolean {
  if (trustedProxy(env) && firstValue(headers, 'x-forwarded-proto') === 'https') return true;
  return (env.AUTH_URL ?? '').trim().toLowerCase().startsWith('https://');
}
