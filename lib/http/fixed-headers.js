// @ts-check
// The headers every answer carries whatever its path: next.config.js sets them on what Next.js serves, and server.ts
// on the decision endpoint it answers itself, from this one list.

/** @type {Array<{ key: string, value: string }>} */
const FIXED_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // Pages get a CSP with a fresh script nonce from proxy.ts, which replaces this one. This is for what the proxy does
  // not see (framework assets, the import upload, the WhatsApp webhook, the API) and its redirects: none is a page.
  {
    key: 'Content-Security-Policy',
    value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

/**
 * Everywhere but the hosted forms (/f/<slug>), which the origins their admin allowed may frame: the proxy's
 * frame-ancestors names them, and X-Frame-Options knows no list.
 */
const FRAME_DENY = { key: 'X-Frame-Options', value: 'DENY' };

module.exports = { FIXED_HEADERS, FRAME_DENY };
