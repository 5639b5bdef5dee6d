// The addresses of a customer's own pages, as exports, templates and the customer page hand them out: the preference
// centre (/p/<token>) and the one-click unsubscribe (/u/<token>). They need the public address customers reach.
import { envFlag } from '@/lib/env-flag';
import { requestHost, servedOverTls } from '@/lib/http/forwarded';
import { readLink, signLink } from '@/lib/public/token';

/**
 * A preference link travels in every marketing message and is opened months later, from an old mail or chat. Two
 * years keeps every link of a message still worth reading working; a link that leaks (a forwarded mail) shows only
 * masked contact data and this customer's own choices, and stops working by itself. The customer gets a fresh one with
 * each message.
 */
export const PREFERENCE_LINK_TTL_SECONDS = 2 * 365 * 24 * 60 * 60;

export type LinkBase = { ok: true; base: string } | { ok: false; reason: 'no_public_base_url' | 'invalid_public_base_url' };

/** A real installation: production on PostgreSQL and not a demo. Its links must name the address customers reach. */
function realInstallation(env: NodeJS.ProcessEnv): boolean {
  return env.NODE_ENV === 'production' && Boolean(env.DATABASE_URL) && !envFlag(env.ZGODA_DEMO);
}

/**
 * Where customers reach Zgoda: PUBLIC_BASE_URL, else AUTH_URL. A real installation refuses to build links without
 * one (a link with an internal host name, taken from whoever asked for the export, would reach no customer); a demo
 * or development server uses the address it was asked on.
 */
export function linkBase(env: NodeJS.ProcessEnv = process.env, headers?: Headers): LinkBase {
  const configured = env.PUBLIC_BASE_URL?.trim() || env.AUTH_URL?.trim();
  if (configured) {
    try {
      const url = new URL(configured);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'invalid_public_base_url' };
      return { ok: true, base: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
    } catch {
      return { ok: false, reason: 'invalid_public_base_url' };
    }
  }
  if (realInstallation(env)) return { ok: false, reason: 'no_public_base_url' };
  const host = headers ? requestHost(headers, env) : undefined;
  if (host) return { ok: true, base: `${servedOverTls(headers!, env) ? 'https' : 'http'}://${host}` };
  return { ok: true, base: `http://localhost:${env.PORT || 3000}` };
}

/** Why links cannot be built, in the words of the operator's log and the README. */
export const LINK_BASE_PROBLEM: Record<Extract<LinkBase, { ok: false }>['reason'], string> = {
  no_public_base_url: 'Set PUBLIC_BASE_URL (or AUTH_URL) to the address customers reach, e.g. https://zgoda.example.com.',
  invalid_public_base_url: 'PUBLIC_BASE_URL (or AUTH_URL) is not an http(s) address.',
};

export function preferenceLink(base: string, customerId: number, now = new Date()): string {
  return `${base}/p/${signLink('preferences', customerId, { ttlSeconds: PREFERENCE_LINK_TTL_SECONDS, now })}`;
}

/**
 * The unsubscribe link does not expire: mail clients offer RFC 8058's one-click button on any message in the inbox,
 * however old, and it must work then. It can only withdraw e-mail marketing, so a leaked one helps nobody.
 */
export function unsubscribeLink(base: string, customerId: number): string {
  return `${base}/u/${signLink('unsubscribe', customerId)}`;
}

export type CustomerLinks = { preferences: string; unsubscribe: string };

export function customerLinks(base: string, customerId: number, now = new Date()): CustomerLinks {
  return { preferences: preferenceLink(base, customerId, now), unsubscribe: unsubscribeLink(base, customerId) };
}

export type CustomerLinkReading = { ok: true; customerId: number } | { ok: false; reason: 'invalid' | 'expired' };

/** The customer a preference or unsubscribe link names; a subject that is no customer id reads as invalid. */
export function readCustomerLink(token: string, kind: 'preferences' | 'unsubscribe', now = new Date()): CustomerLinkReading {
  const link = readLink(token, kind, { now });
  if (!link.ok) return link;
  if (!/^[1-9]\d{0,14}$/.test(link.subject)) return { ok: false, reason: 'invalid' };
  return { ok: true, customerId: Number(link.subject) };
}
