import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native and WASM drivers stay outside the server bundle.
  serverExternalPackages: ['better-sqlite3', '@electric-sql/pglite', 'pg'],
  // A separate build folder lets a second build (e.g. the e2e run) coexist with a running server.
  distDir: process.env.FOUNDUPS_NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // `npm run typecheck` (a stage of `npm test`) is the type gate for app, tests and scripts alike;
  // checking again inside `next build` would only repeat it.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  experimental: {
    serverActions: { bodySizeLimit: '1mb' },
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          // Content-Security-Policy is set per request by proxy.ts: its script-src carries a nonce.
        ],
      },
    ];
  },
};

export default nextConfig;
