// @ts-check
const createNextIntlPlugin = require('next-intl/plugin');
const { FIXED_HEADERS, FRAME_DENY } = require('./lib/http/fixed-headers.js');

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WebAssembly and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', '@node-rs/argon2', 'postgres', 'pg-boss'],
  poweredByHeader: false,
  async headers() {
    return [
      { source: '/:path*', headers: FIXED_HEADERS },
      { source: '/:path((?!f/).*)', headers: [FRAME_DENY] },
    ];
  },
  experimental: {
    authInterrupts: true,
  },
};

module.exports = withNextIntl(nextConfig);
