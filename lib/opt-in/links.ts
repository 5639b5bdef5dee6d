// The address customers reach Zgoda at, for the links in confirmation mails.
import { requestHost, servedOverTls } from '@/lib/http/forwarded';

/** AUTH_URL when the operator set it, else the address of the request (as the proxy headers allow). */
export function publicBaseUrl(headers: Headers, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.AUTH_URL?.trim();
  if (configured) return new URL(configured).origin;
  return `${servedOverTls(headers, env) ? 'https' : 'http'}://${requestHost(headers, env) ?? 'localhost'}`;
}
