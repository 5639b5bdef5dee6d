// @ts-check
const createNextIntlPlugin = require('next-intl/plugin');

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WebAssembly and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', '@node-rs/argon2', 'postgres', 'pg-boss'],
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          // Pages get a CSP with a fresh script nonce from proxy.ts, which replaces this one. This is for what the proxy
          // does not see (framework assets, the import upload, the WhatsApp webhook) and its redirects: none is a page.
          {
            key: 'Content-Security-Policy',
            value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
          },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
      // Hosted forms (/f/<slug>) may be framed by the origins their admin allowed, which the proxy's frame-ancestors
      // names; X-Frame-Options knows no list, so it is left off there and kept everywhere else.
      { source: '/:path((?!f/).*)', headers: [{ key: 'X-Frame-Options', value: 'DENY' }] },
    ];
  },
  experimental: {
    authInterrupts: true,
  },
};

module.exports = withNextIntl(nextConfig);
