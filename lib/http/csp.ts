// The Content-Security-Policy of every page. Scripts run only with the per-request nonce, which Next.js reads from
// the request's CSP header and puts on its own scripts; 'strict-dynamic' lets those load the page's chunks.
//
// Styles allow 'unsafe-inline' (and so carry no nonce: a nonce would make browsers ignore it). React renders style
// attributes (Recharts' chart geometry, Radix's popper positions) that no nonce can cover, and Radix's scroll lock
// injects a <style> element without one. Injected CSS can restyle a page but runs no code; scripts stay nonce-only.

export interface CspOptions {
  nonce: string;
  /** `next dev`: React rebuilds server error stacks in the browser with eval. Never in production. */
  dev: boolean;
  /** Served over TLS: ask the browser to fetch any http:// URL of the page over https. */
  tls: boolean;
  /** Origins that may show the page in a frame (a hosted form's shops); none by default. */
  frameAncestors?: readonly string[];
}

export function contentSecurityPolicy({ nonce, dev, tls, frameAncestors = [] }: CspOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.length ? frameAncestors.join(' ') : "'none'"}`,
    ...(tls ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** 128 random bits, base64 as the CSP grammar expects. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

/** Two years, the subdomains too: the browser then never tries plain HTTP on this host. Sent only over TLS. */
export const HSTS = 'max-age=63072000; includeSubDomains';
